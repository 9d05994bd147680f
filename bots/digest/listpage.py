"""The subscriber list page: read it (following one redirect left by a move), ask the wiki how
it spells every listed title, and learn from the page's history who added each subscription.

* The list was moved and left a redirect: the redirect is followed once, to a page the bot may
  edit (``permissions``), that is no redirect itself; anything else stops the run (exit 1) with
  the reason. A missing, unreadable or empty list, or one without a single subscriber line,
  stops the run too: it never completes a digest's period with nobody reached.
* Titles are the wiki's (``bots.wiki.titles``): invisible direction marks, odd spaces,
  underscores, a lower-case first letter and namespace aliases all resolve as MediaWiki
  resolves them, so duplicates, user accounts and deliveries compare the wiki's titles.
* With ``digest.require_self_subscription`` the revisions since the last run are read
  (``bots.digest.consent``): who added each page still listed.

Reads: the list page (with its new revisions: one request per 500), its redirect's first hop
when it is one (one request) and the target page; the listed titles (one request per 500).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bots.config.model import Config
from bots.config.permissions import edit_refusal
from bots.digest.consent import ConsentState, ListedAt, advance
from bots.digest.consent_store import load_state, save_state
from bots.digest.ledger import RunStop
from bots.digest.subscribers import listed_lines, listed_pages, possible_title
from bots.outcomes import Failed, JobReport
from bots.wiki.digest_history import ListPage, read_list_page
from bots.wiki.session import WikiSession
from bots.wiki.titles import WikiTitle, wiki_titles
from bots.wiki.users import first_redirect_hops

MAX_HISTORY_REVISIONS = 2000  # revisions of the list read in one run (the rest: next run)
MAX_HISTORY_TITLES = 5000  # distinct page values of past revisions asked of the wiki per run


@dataclass(frozen=True)
class ListRead:
    title: str  # the page read (after a redirect)
    page: ListPage
    titles: Mapping[str, WikiTitle]  # every page value as written -> the wiki's reading
    adders: Mapping[str, str] | None  # listed page -> who added it; None: the rule is off


def _stop(report: JobReport, page: str, reason: str) -> RunStop:
    report.record(Failed(page, f"{reason}; no digest was sent and the period stays open"))
    return RunStop()


def _follow(session: WikiSession, config: Config, report: JobReport, page: ListPage,
            history_from: int | None) -> tuple[str, ListPage]:
    """The list page, through one redirect to a page the bot may edit."""
    start = page.snapshot.title
    hops = first_redirect_hops(session, [start])
    hop = hops.get(start)
    if hop is None or hop.interwiki or hop.again:
        raise _stop(report, start, "the subscriber list is a redirect the bot cannot follow "
                    "(broken, to another wiki, or to another redirect)")
    target = read_list_page(session, hop.target, history_from=history_from,
                            limit=MAX_HISTORY_REVISIONS)
    if target is None or not target.snapshot.exists:
        raise _stop(report, start, f"the subscriber list redirects to {hop.target}, "
                    "which does not exist")
    snap = target.snapshot
    refusal = edit_refusal(snap.title, snap.namespace, config)
    if refusal or snap.is_redirect:
        raise _stop(report, start, f"the subscriber list redirects to {snap.title}, "
                    f"which the bot does not read as the list ({refusal or 'a redirect'})")
    report.notes.append(f"the subscriber list {start} was moved: read {snap.title} instead")
    return snap.title, target


Past = tuple[int, str, list[tuple[str, str]] | None]  # revid, user, (title, line) listed


def _history_titles(revisions: Sequence[Past], limit: int,
                    known: set[str]) -> tuple[list[str], int]:
    """Page values of past revisions to ask the wiki about, and how many revisions they cover
    (the rest are read by a later run)."""
    extra: list[str] = []
    seen = set(known)
    for count, (_revid, _user, values) in enumerate(revisions):
        new = [v for v, _line in values or () if v not in seen]
        if len(seen) + len(new) > limit + len(known):
            return extra, count
        seen.update(new)
        extra.extend(new)
    return extra, len(revisions)


def _first_lines(values: Sequence[tuple[str, str]],
                 titles: Mapping[str, WikiTitle]) -> dict[str, str]:
    """The wiki's title of each listed page -> the first line listing it."""
    out: dict[str, str] = {}
    for value, line in values:
        found = titles.get(value)
        if found is not None and found.title and found.title not in out:
            out[found.title] = line
    return out


def read_list(session: WikiSession, config: Config, report: JobReport,
              names: tuple[frozenset[str], frozenset[str]]) -> ListRead:
    """The list page, the wiki's reading of every title on it, and who added what."""
    digest = config.digest
    state = load_state(config, digest.subscriber_page) if digest.require_self_subscription \
        else None
    history_from = None if state is None else state.revid
    page = read_list_page(session, digest.subscriber_page, history_from=history_from,
                          limit=MAX_HISTORY_REVISIONS)
    if page is not None and page.snapshot.is_redirect:
        title, page = _follow(session, config, report, page, history_from)
    else:
        title = digest.subscriber_page
    if page is None or not page.snapshot.exists or not (page.snapshot.text or "").strip():
        raise _stop(report, title, "the subscriber list is missing, unreadable or empty")
    current = [v for v in listed_pages(page.snapshot.text or "", *names)]
    if not current:
        raise _stop(report, title, "the subscriber list has no subscriber line")
    asked = {t for t in (possible_title(v) for v in current) if t}
    if len(asked) > 4 * digest.max_targets + 100:
        raise _stop(report, title, f"the subscriber list names {len(asked)} pages, far more "
                    f"than digest.max_targets ({digest.max_targets}); check it for vandalism")
    past: list[Past] = [
        (r.revid, r.user, None if r.text is None else
         [(t, line) for t, line in ((possible_title(v), line)
                                    for v, line in listed_lines(r.text, *names)) if t])
        for r in page.revisions]
    extra, covered = _history_titles(past, MAX_HISTORY_TITLES, asked)
    titles = wiki_titles(session, sorted(asked) + extra)
    if state is None:
        return ListRead(title, page, titles, None)
    if state.pageid != page.snapshot.pageid and state.pageid:
        state = ConsentState()  # another page now: its history from the start
    listed = [ListedAt(revid, user, None if values is None else _first_lines(values, titles))
              for revid, user, values in past[:covered]]
    new_state = advance(state, page.snapshot.pageid, listed)
    complete = page.history_complete and covered == len(past)
    if not complete:
        report.notes.append("the subscriber list's history is longer than one run reads: lines "
                            "added later wait for the next run")
    save_state(config, digest.subscriber_page, new_state)
    return ListRead(title, page, titles, new_state.adders)
