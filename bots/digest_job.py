"""`advocacy-hub run digest`: what changed in advocacy, posted to each subscriber, exactly once.

Recipe: **collect** (subscriber list, archive, recent changes, revisions, targets) -> **build**
(``bots.subscribers``, ``bots.digest``, ``bots.exclusion``; pure) -> **publish** (one new
section per target with ``post_section``, the archive page with ``save_page``).

Reads, all batched except where noted:
  the subscriber list page; the archive pages' titles (one prefix listing) and the latest one;
  ``list=recentchanges`` of the case namespaces, their talk namespaces and the translation unit
  namespace since the period start; the revisions current at the period's start and end of the
  pages that changed, by revision id; the case pages whose talk pages or translations changed;
  translation figures (``bots.translations_job.translation_needs``); the target pages; the
  redirects they make; ``list=users`` for user talk targets; the bot's own contributions since
  the period end. Just before each chunk of deliveries, the chunk's pages are read again (the
  on-page check that a concurrent run did not deliver meanwhile).
Writes: a new section on each target (``post_section``: non-minor, shutoff and account checked
first, never creating a page outside the user talk pages of existing users), and the archive
page ``config.digest.archive_prefix`` + id, before the deliveries (state ``delivering``) and
after them (state ``complete``).

The period and exactly-once delivery need no local state:
* The period starts where the latest complete archive's period ended (else ``period_days``
  ago, and never more than :data:`MAX_PERIOD_DAYS` ago, the span recent changes cover on
  Wikimedia wikis). Its end is the server's time when the run starts; the id is the end's date.
* An archive in state ``delivering`` (a run that crashed) or with today's id is resumed: same
  id, same period, so the same content, delivered only where it is missing.
* A target already has the digest when the bot's contributions since the period end hold an
  edit summary with the id, or the page's text holds the section's marker (recipients archive
  their talk pages, so the text alone cannot be trusted; contributions survive archiving and
  page moves).
* More valid targets than ``config.digest.max_targets``: nothing is delivered and the job
  fails with the count: a vandalised list must not reach anyone, and the first N lines of it
  are no safer than the rest.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bots.cases import Problem, parse_case_page
from bots.config import Config
from bots.digest import (
    CaseFacts,
    DeliveryLine,
    DeliveryReport,
    DigestContent,
    DigestMessage,
    Discussion,
    RenderContext,
    TranslationNeed,
    added_sections,
    build_content,
    case_facts,
    compare_case,
    digest_id,
    for_subscriber,
    has_delivery_marker,
    parse_archive_record,
    reason_text,
    render_archive,
    render_message,
    summary_has_token,
)
from bots.errors import BotStop
from bots.exclusion import find_exclusion
from bots.i18n import Messages
from bots.outcomes import Failed, JobReport, Saved, Skipped, Unchanged
from bots.permissions import case_page_allowed, delivery_refusal
from bots.subscribers import Subscriber, basic_title, parse_subscriber_list
from bots.translation_status import SOURCE_SUBPAGE, split_unit_title, translation_subpage
from bots.wiki import PageSnapshot, WikiSession
from bots.wiki_save import post_section, save_page

log = logging.getLogger(__name__)

MAX_PERIOD_DAYS = 30  # Wikimedia wikis keep 30 days of recent changes
DELIVERY_CHUNK = 10  # targets re-read together just before their deliveries
NS_USER_TALK = 3
_ARCHIVE_ID_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TS_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class DeliveryInterrupted(RuntimeError):
    """Raised by the ``stop_after`` test hook: the run ends the way a crash would."""


class _Stop(Exception):
    """Ends a run early with a failure already recorded in the report."""


# ---------------------------------------------------------------------------------------------
# Small helpers


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _parse_ts(ts: str) -> dt.datetime:
    return dt.datetime.strptime(ts, _TS_FORMAT).replace(tzinfo=dt.UTC)


def _format_ts(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime(_TS_FORMAT)


def _plain(messages: Messages, problem: Problem) -> str:
    """A reason for the console and run log (the wiki gets the escaped form)."""
    return html.unescape(reason_text(messages, problem))


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


def _namespace_names(session: WikiSession) -> dict[int, str]:
    result = session.api(action="query", meta="siteinfo", siprop="namespaces")
    spaces = result.get("query", {}).get("namespaces", {})
    return {int(k): str(v.get("name", "")) for k, v in spaces.items()}


def _bare(title: str, namespace: int) -> str:
    return title.split(":", 1)[1] if namespace != 0 and ":" in title else title


def _in_namespace(bare: str, namespace: int, names: Mapping[int, str]) -> str:
    return f"{names[namespace]}:{bare}" if namespace != 0 else bare


# ---------------------------------------------------------------------------------------------
# Period


@dataclass(frozen=True)
class Period:
    digest_id: str
    start: str
    end: str
    resumed: bool = False  # the archive of this digest exists: finish what it started


def _archive_prefix(session: WikiSession, config: Config) -> tuple[str, int]:
    prefix = config.digest.archive_prefix
    full, namespace = session.normalize(prefix)
    if prefix.endswith("/") and not full.endswith("/"):
        full += "/"
    return full, namespace


def find_period(session: WikiSession, config: Config, report: JobReport) -> Period:
    """The period of this run's digest, from the archive pages (no local state)."""
    full, namespace = _archive_prefix(session, config)
    params: dict[str, Any] = {
        "action": "query", "list": "allpages", "apprefix": _bare(full, namespace),
        "apnamespace": namespace, "aplimit": "max", "curtimestamp": True,
    }
    titles: list[str] = []
    now = ""
    cont: dict[str, Any] = {}
    while True:
        result = session.api(**params, **cont)
        now = now or result.get("curtimestamp", "")
        titles += [p["title"] for p in result.get("query", {}).get("allpages", [])]
        if "continue" not in result:
            break
        cont = dict(result["continue"])
    end_time = _parse_ts(now)
    today = now[:10]
    ids = sorted(t[len(full):] for t in titles if _ARCHIVE_ID_RE.fullmatch(t[len(full):]))
    future = [i for i in ids if i > today]
    if future:
        report.notes.append(f"ignored archive pages dated in the future: {', '.join(future)}")
    ids = [i for i in ids if i <= today]
    earliest = end_time - dt.timedelta(days=MAX_PERIOD_DAYS)
    start_time = end_time - dt.timedelta(days=config.digest.period_days)
    if ids:
        latest = f"{full}{ids[-1]}"
        record = parse_archive_record(session.read_pages([latest])[latest].text)
        if record is None and ids[-1] == today:
            report.record(Failed(latest, "today's archive page lost its first-line record; "
                                 "restore it or delete the page, then run again"))
            raise _Stop
        if record is None:
            report.notes.append(f"{latest} has no record line; the period starts on its date")
            start_time = _parse_ts(f"{ids[-1]}T00:00:00Z")
        elif not record.complete or record.digest_id == today:
            return Period(record.digest_id, record.start, record.end, resumed=True)
        else:
            start_time = _parse_ts(record.end)
    if start_time < earliest:
        report.notes.append(f"period capped to {MAX_PERIOD_DAYS} days (recent changes span)")
        start_time = earliest
    if start_time >= end_time:
        report.record(Failed(full, f"the last digest ended at {_format_ts(start_time)}, "
                             "not before now; nothing to do"))
        raise _Stop
    return Period(digest_id(now), _format_ts(start_time), now)


# ---------------------------------------------------------------------------------------------
# Content: recent changes -> revisions at the period's start and end -> cases and sections


@dataclass
class _History:
    """Recent changes of one page, oldest first."""

    namespace: int
    entries: list[dict[str, Any]] = field(default_factory=list)

    def within(self, start: str, end: str) -> list[dict[str, Any]]:
        return [e for e in self.entries if start < e["timestamp"] <= end]

    def revid_at(self, moment: str) -> int | None:
        """The revision current at ``moment`` (0: no page yet), None when it is the latest."""
        later = [e for e in self.entries if e["timestamp"] > moment]
        return int(later[0].get("old_revid", 0)) if later else None


def recent_changes(
    session: WikiSession, namespaces: Iterable[int], start: str
) -> dict[str, _History]:
    """Edits and creations since ``start``, per title (one request per 5,000 changes)."""
    out: dict[str, _History] = {}
    for q in session.query_results(
        list="recentchanges", rcnamespace=sorted(set(namespaces)), rcend=start,
        rcprop="title|ids|timestamp|user", rctype="edit|new", rclimit="max",
    ):
        for rc in q.get("recentchanges", []):
            out.setdefault(rc["title"], _History(int(rc["ns"]))).entries.append(rc)
    for history in out.values():
        history.entries.sort(key=lambda e: (e["timestamp"], e.get("revid", 0)))
    return out


def texts_by_revid(session: WikiSession, revids: Iterable[int]) -> dict[int, str | None]:
    """Texts of revisions, batched; a deleted or hidden revision maps to None."""
    wanted = sorted({r for r in revids if r > 0})
    out: dict[int, str | None] = dict.fromkeys(wanted)
    for batch in _chunks(wanted, session.batch_size(content=True)):
        for page in session.query_pages(
            revids=list(batch), prop="revisions", rvprop="ids|content", rvslots="main"
        ):
            for rev in page.get("revisions", []):
                slot = rev.get("slots", {}).get("main", {})
                out[int(rev["revid"])] = slot.get("content")
    return out


def translation_records(
    session: WikiSession, config: Config, pages: Sequence[str], languages: Sequence[str]
) -> list[Any]:
    """Translation figures (page, language, total, translated, outdated) from issue 4's module.

    The one place the digest depends on the translation status code; a failure there costs the
    digest its translation section, not the whole digest.
    """
    if not pages or not languages:
        return []
    from bots.translations_job import translation_needs

    try:
        return list(translation_needs(session, config, pages, languages))
    except BotStop:
        raise
    except Exception as exc:  # the digest goes out without this section rather than not at all
        log.warning("translation status unavailable for the digest: %s", exc)
        return []


@dataclass
class _Changed:
    """What changed in the period, per kind of page: the recent changes inside it."""

    cases: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    talks: dict[str, tuple[str, list[dict[str, Any]]]] = field(default_factory=dict)  # subject
    translations: set[tuple[str, str]] = field(default_factory=set)  # (source page, language)


def _span(inside: list[dict[str, Any]]) -> tuple[int, int]:
    """(revision at the period's start (0: no page yet), revision at its end) of a page."""
    return int(inside[0].get("old_revid", 0)), int(inside[-1]["revid"])


@dataclass
class _Collector:
    session: WikiSession
    config: Config
    period: Period
    case_names: frozenset[str]
    known_langs: frozenset[str]
    notes: list[str]
    pages_read: int = 0
    hubs: dict[str, int] = field(default_factory=dict)  # hub page -> namespace

    def facts(self, title: str, text: str | None) -> CaseFacts | None:
        if not text:
            return None
        case = parse_case_page(title, text, self.config, template_names=self.case_names).case
        return case_facts(case) if case is not None else None

    def tracked(self, title: str) -> bool:
        """A case page (by namespace and prefix) or a hub page: whose news a digest carries."""
        try:
            name, namespace = self.session.normalize(title)
        except Exception:  # an impossible title in a unit page's name
            return False
        return name in self.hubs or case_page_allowed(name, namespace, self.config)

    def own_page(self, title: str) -> bool:
        """Pages the bot writes itself: never cases or discussions."""
        digest = self.config.digest
        return title.startswith(digest.archive_prefix) or title == digest.subscriber_page

    def classify(self, history: Mapping[str, _History], names: Mapping[int, str]) -> _Changed:
        config, period = self.config, self.period
        case_ns = set(config.permissions.case_namespaces)
        changed = _Changed()
        for title, h in history.items():
            inside = h.within(period.start, period.end)
            if not inside or all(e.get("user") == config.wiki.user for e in inside):
                continue  # the bot's own edits are never news
            if h.namespace == config.translations.unit_namespace:
                unit = split_unit_title(title)
                if unit and self.tracked(unit[0]):
                    changed.translations.add((unit[0], unit[2]))
            elif h.namespace in case_ns:
                if self.own_page(title) or not case_page_allowed(title, h.namespace, config):
                    continue
                parent, lang = translation_subpage(title, self.known_langs)
                if lang:
                    changed.translations.add((parent, lang))
                else:
                    changed.cases[title] = inside
            elif h.namespace % 2 == 1:
                subject = _in_namespace(_bare(title, h.namespace), h.namespace - 1, names)
                if subject in self.hubs or case_page_allowed(subject, h.namespace - 1, config):
                    changed.talks[title] = (subject, inside)
        return changed

    def subject_facts(
        self, subjects: Iterable[str], history: Mapping[str, _History], texts: dict[int, Any]
    ) -> dict[str, CaseFacts | None]:
        """Cases at the period end of pages that did not change but whose talk pages or
        translations did (for the subscribers' filters): by revision id when they changed
        after the period, else as they are now (one batched read)."""
        out: dict[str, CaseFacts | None] = {}
        current: list[str] = []
        by_revid: dict[str, int] = {}
        for subject in sorted(subjects):
            at_end = history[subject].revid_at(self.period.end) if subject in history else None
            if at_end is None:
                current.append(subject)
            elif at_end:
                by_revid[subject] = at_end
        texts.update(texts_by_revid(self.session, by_revid.values()))
        snapshots = self.session.read_pages(current) if current else {}
        self.pages_read += len(by_revid) + len(current)
        for subject, revid in by_revid.items():
            out[subject] = self.facts(subject, texts.get(revid))
        for subject in current:
            snap = snapshots.get(subject)
            out[subject] = self.facts(subject, snap.text if snap else None)
        return out

    def collect(self, languages: Sequence[str]) -> DigestContent:
        session, config, period = self.session, self.config, self.period
        names = _namespace_names(session)
        for hub in config.digest.hub_pages:
            title, namespace = session.normalize(hub)
            self.hubs[title] = namespace
        case_ns = set(config.permissions.case_namespaces)
        talk_ns = {ns + 1 for ns in case_ns | set(self.hubs.values()) if ns % 2 == 0}
        # a wiki without Translate's namespace would refuse the whole query for it
        namespaces = (case_ns | talk_ns | {config.translations.unit_namespace}) & set(names)
        history = recent_changes(session, namespaces, period.start)
        changed = self.classify(history, names)

        # Every revision compared, from the period's start and end, in one batched pass.
        spans = [_span(i) for i in changed.cases.values()]
        spans += [_span(i) for _, i in changed.talks.values()]
        texts = texts_by_revid(session, [r for span in spans for r in span])
        self.pages_read += len(texts)

        facts: dict[str, CaseFacts | None] = {}
        changes = []
        for title, inside in changed.cases.items():
            before_id, after_id = _span(inside)
            now = facts[title] = self.facts(title, texts.get(after_id))
            if now is None:
                continue  # not (or no longer) a case page
            if before_id and texts.get(before_id) is None:
                self.notes.append(f"{title}: the revision before the period cannot be read")
                continue
            change = compare_case(self.facts(title, texts.get(before_id)), now)
            if change is not None:
                changes.append(change)
        subjects = {s for s, _ in changed.talks.values()} | {p for p, _ in changed.translations}
        facts.update(self.subject_facts(subjects - set(facts) - set(self.hubs), history, texts))

        discussions = []
        for talk, (subject, inside) in changed.talks.items():
            case = facts.get(subject)
            if subject in self.hubs or case is not None:
                before_id, after_id = _span(inside)
                for heading in added_sections(texts.get(before_id), texts.get(after_id)):
                    discussions.append(Discussion(talk, heading, subject, case))

        needs = []
        sources = sorted(set(changed.cases) | {p for p, _ in changed.translations})
        for rec in translation_records(session, config, sources, languages):
            if rec.source == SOURCE_SUBPAGE and not rec.present:
                continue  # never translated by hand: not a page anyone marked for translation
            if rec.page in changed.cases or (rec.page, rec.language) in changed.translations:
                needs.append(TranslationNeed(rec.page, rec.language, rec.total, rec.translated,
                                             rec.outdated, facts.get(rec.page)))
        return build_content(period.digest_id, period.start, period.end, changes,
                             discussions, needs)


# ---------------------------------------------------------------------------------------------
# Targets


@dataclass
class Target:
    subscriber: Subscriber
    page: str  # the page that receives the digest (after one redirect)
    namespace: int
    snapshot: PageSnapshot
    may_create: bool = False
    via: PageSnapshot | None = None  # the redirect that led here


def _first_hops(session: WikiSession, titles: Sequence[str]) -> dict[str, dict[str, Any]]:
    """For each redirect title, the API's first hop (``to``, ``tointerwiki``), and whether the
    target redirects again (``again``)."""
    out: dict[str, dict[str, Any]] = {}
    for batch in _chunks(list(titles), session.batch_size(content=False)):
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
    for batch in _chunks(wanted, session.batch_size(content=False)):
        result = session.api(action="query", list="users", ususers=list(batch))
        for user in result.get("query", {}).get("users", []):
            if "missing" not in user and "invalid" not in user and user.get("userid"):
                found.add(user["name"])
    return found


def delivered_pages(
    session: WikiSession, config: Config, namespaces: Iterable[int], digest: str, since: str
) -> set[str]:
    """Pages where the bot's edit summaries since ``since`` carry this digest's id."""
    spaces = sorted(set(namespaces))
    if not spaces:
        return set()
    out = set()
    for q in session.query_results(
        list="usercontribs", ucuser=config.wiki.user, ucnamespace=spaces, ucend=since,
        ucprop="title|comment", uclimit="max",
    ):
        for contrib in q.get("usercontribs", []):
            if summary_has_token(contrib.get("comment", ""), digest):
                out.add(contrib["title"])
    return out


# ---------------------------------------------------------------------------------------------
# The run


class _DigestRun:
    def __init__(self, session: WikiSession, config: Config, options: Any) -> None:
        self.session = session
        self.config = config
        self.options = options
        self.report = JobReport(job="digest")
        self.messages = Messages.load()
        self.ctx = RenderContext(
            self.messages, config.digest.subscriber_page, config.digest.unsubscribe_page
        )
        self.lines: dict[int, DeliveryLine] = {}  # by subscriber line
        self.warnings: list[tuple[int, str, Problem]] = []
        self._rendered: dict[tuple[str, tuple[str, ...], tuple[str, ...]], Any] = {}
        self.digest = ""
        self.bots_names: frozenset[str] = frozenset({"Bots"})
        self.nobots_names: frozenset[str] = frozenset({"Nobots"})

    # -- report helpers --------------------------------------------------------------------
    def skip(self, sub: Subscriber, problem: Problem, delivered_to: str = "") -> None:
        self.lines[sub.line] = DeliveryLine(
            sub.page, sub.line, sub.lang, delivered_to, reason=problem
        )
        self.report.record(Skipped(delivered_to or sub.page, _plain(self.messages, problem)))

    def received(self, target: Target) -> None:
        self.lines[target.subscriber.line] = DeliveryLine(
            target.subscriber.page, target.subscriber.line, target.subscriber.lang, target.page
        )

    def delivery_report(self, pending: Iterable[Target] = ()) -> DeliveryReport:
        lines = dict(self.lines)
        for t in pending:
            lines[t.subscriber.line] = DeliveryLine(
                t.subscriber.page, t.subscriber.line, t.subscriber.lang, t.page, pending=True
            )
        return DeliveryReport(tuple(lines[k] for k in sorted(lines)), tuple(self.warnings))

    # -- steps -----------------------------------------------------------------------------
    def read_subscribers(self) -> list[Subscriber]:
        config, session = self.config, self.session
        page = config.digest.subscriber_page
        snap = session.read_pages([page]).get(page)
        self.report.pages_read += 1
        if snap is None or not snap.exists or not snap.text:
            self.report.notes.append(f"no subscribers: {page} is missing or empty")
            raise _Stop
        parsed = parse_subscriber_list(
            snap.text,
            subscriber_names=session.template_names(config.templates.subscriber),
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
                self.lines[issue.line] = DeliveryLine(
                    issue.page, issue.line, reason=issue.problem, linkable=linkable
                )
                shown = issue.page or f"{page} line {issue.line}"
                self.report.record(Skipped(shown, _plain(self.messages, issue.problem)))
            else:
                self.warnings.append((issue.line, issue.page, issue.problem))
        valid = []
        for sub in parsed.subscribers:
            namespace = session.normalize(sub.page)[1]
            refusal = delivery_refusal(sub.page, namespace)
            if refusal is None:
                valid.append(sub)
            elif namespace >= 0 and namespace % 2 == 0:
                self.skip(sub, Problem("digest-not-talk"))
            else:
                self.skip(sub, Problem("digest-refused", (refusal,)))
        if len(valid) > config.digest.max_targets:
            self.report.record(Failed(page, (
                f"{len(valid)} valid targets exceed digest.max_targets "
                f"({config.digest.max_targets}); nothing was delivered. Check the list for "
                "vandalism, or raise the limit")))
            raise _Stop
        return valid

    def resolve(self, subscribers: Sequence[Subscriber]) -> list[Target]:
        """Follow redirects once, check users, pages and duplicates; keep deliverable ones."""
        session = self.session
        snaps = session.read_pages([s.page for s in subscribers])
        redirects = [s.page for s in subscribers if s.page in snaps and snaps[s.page].is_redirect]
        hops = _first_hops(session, redirects) if redirects else {}
        finals: dict[str, tuple[str, int]] = {}
        for sub in subscribers:
            hop = hops.get(sub.page)
            if sub.page not in snaps:  # the API did not answer for it: a title it rejects
                self.skip(sub, Problem("subscriber-invalid-title", (sub.page,)))
            elif not snaps[sub.page].is_redirect:
                finals[sub.page] = (sub.page, snaps[sub.page].namespace)
            elif hop is None:
                self.skip(sub, Problem("digest-broken-redirect"))
            elif hop.get("tointerwiki"):
                self.skip(sub, Problem("digest-redirect-other-wiki", (hop["to"],)))
            elif hop["again"]:
                self.skip(sub, Problem("digest-double-redirect", (hop["to"],)))
            else:
                title, namespace = session.normalize(hop["to"])
                if namespace < 0 or namespace % 2 != 1:
                    self.skip(sub, Problem("digest-redirect-not-talk", (title,)))
                else:
                    finals[sub.page] = (title, namespace)
        extra = sorted({t for t, _ in finals.values()} - set(snaps))
        if extra:
            snaps.update(session.read_pages(extra))
        self.report.pages_read += len(subscribers) + len(extra)
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
                self.skip(sub, Problem("subscriber-invalid-title", (title,)), title)
            elif refusal:
                self.skip(sub, Problem("digest-refused", (refusal,)), title)
            elif snap.is_redirect:
                self.skip(sub, Problem("digest-double-redirect", (title,)), title)
            elif user and user not in users:
                self.skip(sub, Problem("digest-no-user", (user,)), title)
            elif title in first_line:
                problem = Problem("digest-duplicate-target", (title, str(first_line[title])))
                self.skip(sub, problem, title)
            else:
                # Only a user's own talk page may be created, never a subpage or other talk.
                may_create = bool(user) and "/" not in _bare(title, namespace)
                if not snap.exists and not may_create:
                    self.skip(sub, Problem("digest-missing-page"), title)
                    continue
                first_line[title] = sub.line
                targets.append(Target(sub, title, namespace, snap, may_create, via))
        return targets

    def exclusion(self, target: Target, snap: PageSnapshot) -> Problem | None:
        """{{bots}}/{{nobots}} on the page (and on the redirect that led to it)."""
        for page in (target.via, snap):
            if page is None:
                continue
            found = find_exclusion(
                page.text, self.config.wiki.user,
                bots_names=self.bots_names, nobots_names=self.nobots_names,
            )
            if found:
                return Problem(f"digest-{found.code}", (found.call,))
        return None

    @staticmethod
    def already(content: DigestContent, target: Target, snap: PageSnapshot,
                done: Iterable[str] = ()) -> bool:
        """Whether the target has this digest: by the bot's contributions or the page's text."""
        return target.page in done or has_delivery_marker(snap.text, content.digest_id)

    def obstacle(self, content: DigestContent, target: Target,
                 snap: PageSnapshot) -> Problem | None:
        """Why not to post to a target, judged on a snapshot of its page; None: post.
        Asked when planning and again on a fresh read just before posting."""
        problem = self.exclusion(target, snap)
        if problem is None and snap.is_redirect:
            problem = Problem("digest-double-redirect", (target.page,))
        if problem is None and not snap.exists and not target.may_create:
            problem = Problem("digest-missing-page")
        if (problem is None and not self.config.digest.send_empty
                and not self.message(content, target.subscriber)[0].item_count):
            problem = Problem("digest-empty")
        return problem

    def message(self, content: DigestContent, sub: Subscriber) -> tuple[DigestContent, Any]:
        key = (sub.lang, sub.regions, sub.topics)
        if key not in self._rendered:
            mine = for_subscriber(content, sub.lang, sub.regions, sub.topics)
            self._rendered[key] = (mine, render_message(mine, sub.lang, self.ctx))
        return self._rendered[key]  # type: ignore[no-any-return]

    def save_archive(self, content: DigestContent, pending: Sequence[Target], *,
                     complete: bool) -> None:
        report = self.delivery_report(pending)
        text = render_archive(content, report, self.ctx, complete=complete)
        full, _ns = _archive_prefix(self.session, self.config)
        summary = self.messages.msg(
            "advocacyhub-digest-archive-summary", "en", content.digest_id,
            len(report.received), len(report.skipped),
        )
        outcome = save_page(
            self.session, f"{full}{content.digest_id}", lambda _base: text, summary,
            may_create=True, show_diff=self.options.diff, diff_out=self.options.out,
        )
        self.report.record(outcome)

    def post(self, target: Target, snap: PageSnapshot, msg: DigestMessage) -> Any:
        outcome = post_section(
            self.session, snap, msg.heading, msg.text, msg.summary,
            may_create=target.may_create, show_diff=self.options.diff,
            diff_out=self.options.out,
        )
        if isinstance(outcome, Saved | Unchanged | Skipped | Failed):
            return outcome
        # "conflict": the page was created (or deleted) since the read; look again once.
        fresh = self.session.read_pages([target.page])[target.page]
        if has_delivery_marker(fresh.text, self.digest):
            return Unchanged(target.page)
        outcome = post_section(
            self.session, fresh, msg.heading, msg.text, msg.summary,
            may_create=target.may_create,
        )
        if isinstance(outcome, Saved | Unchanged | Skipped | Failed):
            return outcome
        return Failed(target.page, "the page kept changing between read and save")

    def deliver(self, content: DigestContent, targets: Sequence[Target]) -> None:
        delivered = 0
        stop_after = getattr(self.options, "stop_after", None)
        pending = list(targets)
        for chunk in _chunks(list(targets), DELIVERY_CHUNK):
            # The on-page check, just before posting: another run may have delivered meanwhile.
            fresh = self.session.read_pages([t.page for t in chunk])
            self.report.pages_read += len(chunk)
            for target in chunk:
                pending.remove(target)
                sub = target.subscriber
                snap = fresh.get(target.page, target.snapshot)
                if self.already(content, target, snap):
                    self.received(target)
                    continue
                problem = self.obstacle(content, target, snap)
                if problem is not None:
                    self.skip(sub, problem, target.page)
                    continue
                _mine, msg = self.message(content, sub)
                outcome = self.post(target, snap, msg)
                if isinstance(outcome, Saved | Unchanged):
                    if isinstance(outcome, Saved):
                        self.report.record(outcome)
                        delivered += 1
                    self.received(target)
                else:
                    self.lines[sub.line] = DeliveryLine(
                        sub.page, sub.line, sub.lang, target.page,
                        reason=Problem("digest-save", (outcome.reason,)),
                    )
                    self.report.record(outcome)
                if stop_after is not None and delivered >= stop_after and pending:
                    raise DeliveryInterrupted(f"stopped after {delivered} deliveries (test hook)")

    def run(self) -> JobReport:
        session, config = self.session, self.config
        if getattr(self.options, "simulate", False) and not session.simulate:
            # writes obey the session's flag only; never risk a "dry run" that posts
            self.report.record(Failed(config.digest.subscriber_page,
                                      "--simulate needs a simulating session; nothing done"))
            return self.report
        try:
            subscribers = self.read_subscribers()
            period = find_period(session, config, self.report)
        except _Stop:
            return self.report
        self.digest = period.digest_id
        collector = _Collector(
            session, config, period,
            case_names=session.template_names(config.templates.case),
            known_langs=frozenset(config.translations.languages)
            | frozenset(self.messages.languages()),
            notes=self.report.notes,
        )
        content = collector.collect(sorted({s.lang for s in subscribers}))
        self.report.pages_read += collector.pages_read
        self.report.notes.append(
            f"digest {period.digest_id}: {period.start} to {period.end}"
            f"{' (resumed)' if period.resumed else ''}, {content.item_count} items"
        )
        if not content.item_count and not config.digest.send_empty and not period.resumed:
            self.report.notes.append("nothing new in the period: no digest sent, no archive")
            return self.report
        targets = self.resolve(subscribers)
        self.bots_names = session.template_names("Bots")
        self.nobots_names = session.template_names("Nobots")
        done = delivered_pages(
            session, config, {t.namespace for t in targets}, period.digest_id, period.end
        )
        todo: list[Target] = []
        already = 0
        for target in targets:
            if self.already(content, target, target.snapshot, done):
                self.received(target)
                already += 1
            elif (problem := self.obstacle(content, target, target.snapshot)) is not None:
                self.skip(target.subscriber, problem, target.page)
            else:
                todo.append(target)
        if already:
            self.report.notes.append(f"{already} targets already had digest {self.digest}")
        if todo:
            self.save_archive(content, todo, complete=False)
        self.deliver(content, todo)
        self.save_archive(content, (), complete=True)
        return self.report


def run(session: WikiSession, config: Config, options: Any) -> JobReport:
    """The job entry point (see ``bots.jobs``)."""
    return _DigestRun(session, config, options).run()


__all__ = [
    "DELIVERY_CHUNK",
    "MAX_PERIOD_DAYS",
    "DeliveryInterrupted",
    "Period",
    "delivered_pages",
    "existing_users",
    "find_period",
    "recent_changes",
    "run",
    "texts_by_revid",
    "translation_records",
]
