"""Who gets the digest and which message each one gets: the run's build step. Pure.

A target that has the digest already counts as received: the bot's own contributions name the
page (or a page it was moved from) with the digest's id in their summary (``delivered``, see
``bots.digest.evidence``); a marker on the page proves nothing, anyone can paste one.
A target that must not get it is skipped with the opt-out that applied, on the page or on the
redirect that led to it: ``{{bots}}``/``{{nobots}}`` in any form (``bots.wikitext.exclusion``,
the wiki's redirects to them included), MassMessage's opt-out category, or a ``{{bots}}`` or
``{{nobots}}`` the page transcludes through another template (the bot cannot read its
parameters: it stays away). Also skipped: a page that turned into a redirect, a page that does
not exist and may not be created, or (unless ``digest.send_empty``) nothing in the digest for
the subscriber's regions and topics. Every other target gets a :class:`PlannedPost` with its
message, rendered once per kind of subscriber (language, regions, topics).

The same judgement (:func:`has_digest`, :func:`obstacle`) runs again on a fresh read of each
target just before posting to it (``bots.digest.publish``).
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass

from bots.digest.content import DigestContent
from bots.digest.message import DigestMessage, RenderContext, subscriber_message
from bots.digest.recipients import Target
from bots.wiki.digest_reads import RecipientPage
from bots.wikitext.exclusion import find_exclusions, template_key
from bots.wikitext.problems import Problem


@dataclass(frozen=True)
class DeliveryRules:
    """What decides whether a page may get the digest, besides the page itself."""

    bot_user: str
    send_empty: bool
    bots_names: frozenset[str]  # {{bots}} and the redirects to it
    nobots_names: frozenset[str]


@dataclass(frozen=True)
class PlannedPost:
    target: Target
    message: DigestMessage


@dataclass(frozen=True)
class DeliveryPlan:
    digest_id: str
    rules: DeliveryRules
    posts: tuple[PlannedPost, ...] = ()
    already: tuple[Target, ...] = ()  # the digest is there already: received
    refused: tuple[tuple[Target, Problem], ...] = ()


def has_digest(target: Target, delivered: Set[str]) -> bool:
    """Whether the target has this digest, by the bot's own contributions (``delivered``)."""
    return target.page in delivered


def _indirect(read: RecipientPage, called: set[str], rules: DeliveryRules) -> str:
    """An exclusion template the page transcludes without calling it in its own text."""
    names = {"Bots": rules.bots_names, "Nobots": rules.nobots_names}
    for canonical, aliases in names.items():
        keys = {template_key(n) for n in aliases} | {template_key(canonical)}
        if template_key(canonical) in {template_key(t) for t in read.exclusion_templates} \
                and not keys & called:
            return canonical
    return ""


def page_exclusion(read: RecipientPage, rules: DeliveryRules) -> Problem | None:
    """The opt-out that keeps the digest off one page as read, or None."""
    found, called = find_exclusions(
        read.snapshot.text, rules.bot_user, bots_names=rules.bots_names,
        nobots_names=rules.nobots_names,
    )
    if found:
        return Problem(f"digest-{found[0].code}", (found[0].call,))
    if read.optout_category:
        return Problem("digest-optout-category", (read.optout_category,))
    indirect = _indirect(read, called, rules)
    if indirect:
        return Problem("digest-exclusion-indirect", (indirect,))
    return None


def exclusion(target: Target, read: RecipientPage, rules: DeliveryRules) -> Problem | None:
    """Every opt-out on the page, and on the redirect that led to it."""
    for page in (target.via_read, read):
        problem = page_exclusion(page, rules) if page is not None else None
        if problem is not None:
            return problem
    return None


def obstacle(
    target: Target, read: RecipientPage, message: DigestMessage, rules: DeliveryRules
) -> Problem | None:
    """Why not to post ``message`` to a target, judged on its page as read; None: post."""
    snap = read.snapshot
    problem = exclusion(target, read, rules)
    if problem is None and snap.is_redirect:
        problem = Problem("digest-double-redirect", (target.page,))
    if problem is None and not snap.exists and not target.may_create:
        problem = Problem("digest-missing-page")
    if problem is None and not rules.send_empty and not message.item_count:
        problem = Problem("digest-empty")
    return problem


def as_read(target: Target) -> RecipientPage:
    """The target's page as read while planning."""
    return target.read if target.read is not None else RecipientPage(target.snapshot)


def plan_deliveries(
    content: DigestContent, targets: Sequence[Target], delivered: Set[str],
    ctx: RenderContext, rules: DeliveryRules,
) -> DeliveryPlan:
    """Each target's fate as far as the collected pages tell, and every message to post."""
    messages: dict[tuple[str, tuple[str, ...], tuple[str, ...]], DigestMessage] = {}
    posts: list[PlannedPost] = []
    already: list[Target] = []
    refused: list[tuple[Target, Problem]] = []
    for target in targets:
        sub = target.subscriber
        if has_digest(target, delivered):
            already.append(target)
            continue
        key = (sub.lang, sub.regions, sub.topics)
        if key not in messages:
            messages[key] = subscriber_message(content, sub, ctx)
        problem = obstacle(target, as_read(target), messages[key], rules)
        if problem is None:
            posts.append(PlannedPost(target, messages[key]))
        else:
            refused.append((target, problem))
    return DeliveryPlan(content.digest_id, rules, tuple(posts), tuple(already), tuple(refused))


def settled(
    targets: Sequence[Target], delivered: Set[str], rules: DeliveryRules
) -> tuple[tuple[Target, ...], tuple[tuple[Target, Problem], ...]] | None:
    """A same-day rerun's shortcut, judged before any content is read: (already, refused)
    when every target has the digest by the bot's own contributions or is kept off it by its
    page alone (an opt-out, a redirect, a page that may not be created); None when any target
    might still need a post (then the content is collected and the full plan made)."""
    already: list[Target] = []
    refused: list[tuple[Target, Problem]] = []
    for target in targets:
        if has_digest(target, delivered):
            already.append(target)
            continue
        read = as_read(target)
        problem = exclusion(target, read, rules)
        if problem is None and read.snapshot.is_redirect:
            problem = Problem("digest-double-redirect", (target.page,))
        if problem is None and not read.snapshot.exists and not target.may_create:
            problem = Problem("digest-missing-page")
        if problem is None:
            return None
        refused.append((target, problem))
    return tuple(already), tuple(refused)
