"""Who receives a digest: the subscriber list -> valid talk pages -> deliverable targets.

Only talk pages are targets. A redirect is followed once (a renamed user's moved talk page); a
user talk page needs an existing user; a page that does not exist may be created only when it is
a user's own talk page; a target listed twice gets one copy. ``{{bots}}``/``{{nobots}}`` on the
page, or on the redirect that led to it, exclude it (:func:`exclusion`). Every line that is not
delivered to is recorded with its reason in the :class:`~bots.digest.archive.DeliveryLedger`.

More valid targets than ``config.digest.max_targets``: nothing is delivered and the job fails
with the count: a vandalised list must not reach anyone, and the first N lines of it are no
safer than the rest.

Reads, batched: the subscriber list page; the target pages; the redirects they make and the
pages they lead to; ``list=users`` for user talk targets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bots.config.model import Config
from bots.config.permissions import delivery_refusal
from bots.digest.archive import DeliveryLedger, RunStop
from bots.digest.content import DeliveryLine
from bots.digest.recipients import NS_USER_TALK, Target
from bots.digest.subscribers import Subscriber, basic_title, parse_subscriber_list
from bots.outcomes import Failed, Skipped
from bots.wiki.batches import chunks
from bots.wiki.records import PageSnapshot
from bots.wiki.session import WikiSession
from bots.wiki.templates import template_names
from bots.wikitext.exclusion import find_exclusion
from bots.wikitext.problems import Problem
from bots.wikitext.titles import bare_title


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


def _first_hops(session: WikiSession, titles: Sequence[str]) -> dict[str, dict[str, Any]]:
    """For each redirect title, the API's first hop (``to``, ``tointerwiki``), and whether the
    target redirects again (``again``)."""
    out: dict[str, dict[str, Any]] = {}
    for batch in chunks(list(titles), session.batch_size(content=False)):
        hops: dict[str, dict[str, Any]] = {}
        for q in session.query_results(titles=list(batch), redirects=True):
            for item in q.get("redirects", []):
                hops[item["from"]] = item
        for title in batch:
            hop = hops.get(title)
            if hop is not None:
                out[title] = {**hop, "again": hop.get("to") in hops}
    return out


def _user_of(page: str) -> str:
    return page.split(":", 1)[1].split("/", 1)[0]


def existing_users(session: WikiSession, names: Iterable[str]) -> set[str]:
    wanted = sorted(set(names))
    found: set[str] = set()
    for batch in chunks(wanted, session.batch_size(content=False)):
        result = session.api(action="query", list="users", ususers=list(batch))
        for user in result.get("query", {}).get("users", []):
            if "missing" not in user and "invalid" not in user and user.get("userid"):
                found.add(user["name"])
    return found


def read_subscribers(
    session: WikiSession, config: Config, ledger: DeliveryLedger
) -> list[Subscriber]:
    """The subscribers whose pages may receive a digest; raises :class:`RunStop` when there
    are none to read or more than ``config.digest.max_targets``."""
    page = config.digest.subscriber_page
    snap = session.read_pages([page]).get(page)
    ledger.report.pages_read += 1
    if snap is None or not snap.exists or not snap.text:
        ledger.report.notes.append(f"no subscribers: {page} is missing or empty")
        raise RunStop
    subscriber = config.templates.subscriber
    parsed = parse_subscriber_list(
        snap.text,
        subscriber_names=template_names(session, [subscriber])[subscriber],
        target_names=(config.templates.massmessage_target,),
        regions=config.vocabulary.regions,
        topics=config.vocabulary.topics,
        normalize_title=lambda t: _wiki_title(session, t),
    )
    for issue in parsed.issues:
        if issue.skipped:
            linkable = issue.problem.code not in (
                "subscriber-invalid-title", "subscriber-missing-page", "subscriber-other-wiki"
            )
            ledger.lines[issue.line] = DeliveryLine(
                issue.page, issue.line, reason=issue.problem, linkable=linkable
            )
            shown = issue.page or f"{page} line {issue.line}"
            ledger.report.record(Skipped(shown, ledger.plain(issue.problem)))
        else:
            ledger.warnings.append((issue.line, issue.page, issue.problem))
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
    return valid


def resolve_targets(
    session: WikiSession, ledger: DeliveryLedger, subscribers: Sequence[Subscriber]
) -> list[Target]:
    """Follow redirects once, check users, pages and duplicates; keep deliverable ones."""
    snaps = session.read_pages([s.page for s in subscribers])
    redirects = [s.page for s in subscribers if s.page in snaps and snaps[s.page].is_redirect]
    hops = _first_hops(session, redirects) if redirects else {}
    finals: dict[str, tuple[str, int]] = {}
    for sub in subscribers:
        hop = hops.get(sub.page)
        if sub.page not in snaps:  # the API did not answer for it: a title it rejects
            ledger.skip(sub, Problem("subscriber-invalid-title", (sub.page,)))
        elif not snaps[sub.page].is_redirect:
            finals[sub.page] = (sub.page, snaps[sub.page].namespace)
        elif hop is None:
            ledger.skip(sub, Problem("digest-broken-redirect"))
        elif hop.get("tointerwiki"):
            ledger.skip(sub, Problem("digest-redirect-other-wiki", (hop["to"],)))
        elif hop["again"]:
            ledger.skip(sub, Problem("digest-double-redirect", (hop["to"],)))
        else:
            title, namespace = session.normalize(hop["to"])
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
            may_create = bool(user) and "/" not in bare_title(title, namespace)
            if not snap.exists and not may_create:
                ledger.skip(sub, Problem("digest-missing-page"), title)
                continue
            first_line[title] = sub.line
            targets.append(Target(sub, title, namespace, snap, may_create, via))
    return targets


def exclusion(
    target: Target, snap: PageSnapshot, bot_user: str, *,
    bots_names: frozenset[str], nobots_names: frozenset[str],
) -> Problem | None:
    """{{bots}}/{{nobots}} on the page (and on the redirect that led to it)."""
    for page in (target.via, snap):
        if page is None:
            continue
        found = find_exclusion(
            page.text, bot_user, bots_names=bots_names, nobots_names=nobots_names,
        )
        if found:
            return Problem(f"digest-{found.code}", (found.call,))
    return None
