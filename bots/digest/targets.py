"""Who receives a digest: the subscriber list -> valid talk pages -> deliverable targets, and
where the digest already arrived.

Only talk pages are targets. A redirect is followed once (a renamed user's moved talk page); a
user talk page needs an existing user; a page that does not exist may be created only when it is
a user's own talk page; a target listed twice gets one copy. Every line that is not delivered to
is recorded with its reason in the :class:`~bots.digest.ledger.DeliveryLedger`.

More valid targets than ``config.digest.max_targets``: nothing is delivered and the job fails
with the count: a vandalised list must not reach anyone, and the first N lines of it are no
safer than the rest.

A target already has the digest when the bot's contributions since the period end hold an edit
summary with the digest's id (:func:`delivered_pages`; recipients archive their talk pages, so
the text alone cannot be trusted, and contributions survive archiving and page moves), or the
page's text holds the section's marker (``bots.digest.plan``).

Reads, batched: the names of the templates the digest reads (one request); the subscriber list
page; the target pages; the redirects they make and the pages they lead to; ``list=users`` for
user talk targets; the bot's contributions since the period end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bots.config.model import Config
from bots.config.permissions import delivery_refusal
from bots.digest.ids import summary_has_token
from bots.digest.ledger import DeliveryLedger, RunStop
from bots.digest.period import Period
from bots.digest.recipients import NS_USER_TALK, Target
from bots.digest.subscribers import Subscriber, basic_title, parse_subscriber_list
from bots.outcomes import Failed
from bots.wiki.contributions import contributions_since
from bots.wiki.session import WikiSession
from bots.wiki.templates import template_names
from bots.wiki.users import existing_users, first_redirect_hops
from bots.wikitext.problems import Problem
from bots.wikitext.titles import bare_title, root_title


@dataclass(frozen=True)
class DigestTemplates:
    """The names (redirects included) of the templates the digest reads pages with."""

    subscriber: frozenset[str]
    case: frozenset[str]
    bots: frozenset[str]
    nobots: frozenset[str]


@dataclass(frozen=True)
class SubscriberLines:
    """The usable lines of the subscriber list, and when it was read (the server's time)."""

    subscribers: tuple[Subscriber, ...]
    read_at: str


def digest_templates(session: WikiSession, config: Config) -> DigestTemplates:
    """All four templates' names in one request."""
    subscriber, case = config.templates.subscriber, config.templates.case
    names = template_names(session, [subscriber, case, "Bots", "Nobots"])
    return DigestTemplates(names[subscriber], names[case], names["Bots"], names["Nobots"])


def _wiki_title(session: WikiSession, title: str) -> str | None:
    """The wiki's spelling of a title, or None when the wiki would not accept it."""
    basic = basic_title(title)
    if basic is None:
        return None
    try:
        name = session.normalize(basic)[0]
    except Exception:  # Pywikibot's InvalidTitleError and relatives
        return None
    # An interwiki prefix ("fr:User talk:X") is dropped by Pywikibot, which moves the page to
    # the other wiki; the title it returns would name a page here. Such lines are refused.
    return name if name.count(":") >= basic.count(":") else None


def _user_of(page: str) -> str:
    """The account whose user talk page (or subpage of it) ``page`` is."""
    return root_title(bare_title(page, NS_USER_TALK))


def read_subscribers(
    session: WikiSession, config: Config, templates: DigestTemplates, ledger: DeliveryLedger
) -> SubscriberLines:
    """The subscribers whose pages may receive a digest; raises :class:`RunStop` when there
    are none to read or more than ``config.digest.max_targets``."""
    page = config.digest.subscriber_page
    snap = session.read_pages([page]).get(page)
    ledger.report.pages_read += 1
    if snap is None or not snap.exists or not snap.text:
        ledger.report.notes.append(f"no subscribers: {page} is missing or empty")
        raise RunStop
    parsed = parse_subscriber_list(
        snap.text,
        subscriber_names=templates.subscriber,
        target_names=(config.templates.massmessage_target,),
        regions=config.vocabulary.regions,
        topics=config.vocabulary.topics,
        normalize_title=lambda t: _wiki_title(session, t),
    )
    for issue in parsed.issues:
        ledger.line_issue(issue, page)
    valid = []
    for sub in parsed.subscribers:
        namespace = session.normalize(sub.page)[1]
        refusal = delivery_refusal(sub.page, namespace)
        if refusal is None:
            valid.append(sub)
        elif namespace >= 0 and namespace % 2 == 0:
            ledger.skip(sub, Problem("digest-not-talk"))
        else:
            ledger.skip(sub, Problem("digest-refused", (refusal,)))
    if len(valid) > config.digest.max_targets:
        ledger.report.record(Failed(page, (
            f"{len(valid)} valid targets exceed digest.max_targets "
            f"({config.digest.max_targets}); nothing was delivered. Check the list for "
            "vandalism, or raise the limit")))
        raise RunStop
    return SubscriberLines(tuple(valid), snap.read_at)


def resolve_targets(
    session: WikiSession, ledger: DeliveryLedger, subscribers: Sequence[Subscriber]
) -> list[Target]:
    """Follow redirects once, check users, pages and duplicates; keep deliverable ones."""
    snaps = session.read_pages([s.page for s in subscribers])
    redirects = [s.page for s in subscribers if s.page in snaps and snaps[s.page].is_redirect]
    hops = first_redirect_hops(session, redirects) if redirects else {}
    finals: dict[str, tuple[str, int]] = {}
    for sub in subscribers:
        hop = hops.get(sub.page)
        if sub.page not in snaps:  # the API did not answer for it: a title it rejects
            ledger.skip(sub, Problem("subscriber-invalid-title", (sub.page,)))
        elif not snaps[sub.page].is_redirect:
            finals[sub.page] = (sub.page, snaps[sub.page].namespace)
        elif hop is None:
            ledger.skip(sub, Problem("digest-broken-redirect"))
        elif hop.interwiki:
            ledger.skip(sub, Problem("digest-redirect-other-wiki", (hop.target,)))
        elif hop.again:
            ledger.skip(sub, Problem("digest-double-redirect", (hop.target,)))
        else:
            title, namespace = session.normalize(hop.target)
            if namespace < 0 or namespace % 2 != 1:
                ledger.skip(sub, Problem("digest-redirect-not-talk", (title,)))
            else:
                finals[sub.page] = (title, namespace)
    extra = sorted({t for t, _ in finals.values()} - set(snaps))
    if extra:
        snaps.update(session.read_pages(extra))
    ledger.report.pages_read += len(subscribers) + len(extra)
    user_pages = {t for t, ns in finals.values() if ns == NS_USER_TALK}
    users = existing_users(session, {_user_of(t) for t in user_pages})
    targets: list[Target] = []
    first_line: dict[str, int] = {}
    for sub in subscribers:
        if sub.page not in finals:
            continue
        title, namespace = finals[sub.page]
        snap = snaps.get(title)
        via = snaps[sub.page] if title != sub.page else None
        refusal = delivery_refusal(title, namespace)
        user = _user_of(title) if namespace == NS_USER_TALK else ""
        if snap is None:
            ledger.skip(sub, Problem("subscriber-invalid-title", (title,)), title)
        elif refusal:
            ledger.skip(sub, Problem("digest-refused", (refusal,)), title)
        elif snap.is_redirect:
            ledger.skip(sub, Problem("digest-double-redirect", (title,)), title)
        elif user and user not in users:
            ledger.skip(sub, Problem("digest-no-user", (user,)), title)
        elif title in first_line:
            problem = Problem("digest-duplicate-target", (title, str(first_line[title])))
            ledger.skip(sub, problem, title)
        else:
            # Only a user's own talk page may be created, never a subpage or other talk.
            may_create = bool(user) and bare_title(title, namespace) == user
            if not snap.exists and not may_create:
                ledger.skip(sub, Problem("digest-missing-page"), title)
                continue
            first_line[title] = sub.line
            targets.append(Target(sub, title, namespace, snap, may_create, via))
    return targets


def delivered_pages(
    session: WikiSession, config: Config, targets: Sequence[Target], period: Period
) -> frozenset[str]:
    """Pages where the bot's edit summaries since the period end carry this digest's id."""
    namespaces = {t.namespace for t in targets}
    return frozenset(
        c.title
        for c in contributions_since(session, config.wiki.user, namespaces, period.end)
        if summary_has_token(c.comment, period.digest_id)
    )
