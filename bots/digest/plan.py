"""Who gets the digest and which message each one gets: the run's build step. Pure.

A target that has the digest already counts as received: the bot's contributions name the page
with the digest's id in their summary (``delivered``), or the page holds the section's marker.
A target that must not get it is skipped with the reason: ``{{bots}}``/``{{nobots}}`` on the page
or on the redirect that led to it, a page that turned into a redirect, a page that does not exist
and may not be created, or (unless ``digest.send_empty``) nothing in the digest for the
subscriber's regions and topics. Every other target gets a :class:`PlannedPost` with its message,
rendered once per kind of subscriber (language, regions, topics).

The same judgement (:func:`has_digest`, :func:`obstacle`) runs again on a fresh read of each
target just before posting to it (``bots.digest.publish``).
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass

from bots.digest.content import DigestContent
from bots.digest.ids import has_delivery_marker
from bots.digest.message import DigestMessage, RenderContext, subscriber_message
from bots.digest.recipients import Target
from bots.wiki.records import PageSnapshot
from bots.wikitext.exclusion import find_exclusion
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


def has_digest(
    target: Target, snap: PageSnapshot, digest: str, delivered: Set[str] = frozenset()
) -> bool:
    """Whether the target has this digest: by the bot's contributions or the page's text."""
    return target.page in delivered or has_delivery_marker(snap.text, digest)


def exclusion(target: Target, snap: PageSnapshot, rules: DeliveryRules) -> Problem | None:
    """{{bots}}/{{nobots}} on the page (and on the redirect that led to it)."""
    for page in (target.via, snap):
        if page is None:
            continue
        found = find_exclusion(
            page.text, rules.bot_user, bots_names=rules.bots_names,
            nobots_names=rules.nobots_names,
        )
        if found:
            return Problem(f"digest-{found.code}", (found.call,))
    return None


def obstacle(
    target: Target, snap: PageSnapshot, message: DigestMessage, rules: DeliveryRules
) -> Problem | None:
    """Why not to post ``message`` to a target, judged on a snapshot of its page; None: post."""
    problem = exclusion(target, snap, rules)
    if problem is None and snap.is_redirect:
        problem = Problem("digest-double-redirect", (target.page,))
    if problem is None and not snap.exists and not target.may_create:
        problem = Problem("digest-missing-page")
    if problem is None and not rules.send_empty and not message.item_count:
        problem = Problem("digest-empty")
    return problem


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
        if has_digest(target, target.snapshot, content.digest_id, delivered):
            already.append(target)
            continue
        key = (sub.lang, sub.regions, sub.topics)
        if key not in messages:
            messages[key] = subscriber_message(content, sub, ctx)
        problem = obstacle(target, target.snapshot, messages[key], rules)
        if problem is None:
            posts.append(PlannedPost(target, messages[key]))
        else:
            refused.append((target, problem))
    return DeliveryPlan(content.digest_id, rules, tuple(posts), tuple(already), tuple(refused))
