"""The period a digest covers, read back from the archive pages: the bot keeps no local state.

* The period starts where the latest complete archive's period ended (else ``period_days``
  ago, and never more than :data:`MAX_PERIOD_DAYS` ago, the span recent changes cover on
  Wikimedia wikis). Its end is the server's time when the run started (the time of its first
  read, the subscriber list); the id is the end's date.
* An archive in state ``delivering`` (a run that crashed) or with today's id is resumed: same
  id, same period, so the same content, delivered only where it is missing.
* Only the bot's own records count. A page under the archive prefix that the bot did not create
  is ignored (and named in the run's notes): it never moves the period. When someone else edited
  one of the bot's archive pages since, the record is read from the bot's own latest revision of
  it (noted too); the bot's next save of it replaces the edit. A page of today's id made by
  someone else stops the run (exit 1): the bot will not write its record over another's page.

Reads: the archive pages with the authors of their latest revisions and the bot's own page
creations among them (one request), the latest usable one (one request; one more when someone
else edited it since, for the bot's own revision).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bots.config.model import Config
from bots.digest.ids import SourceMark, digest_id, parse_archive_record
from bots.digest.ledger import RunStop
from bots.outcomes import Failed, JobReport
from bots.wiki.digest_history import ArchivePage, archive_pages, own_revision_text
from bots.wiki.session import WikiSession
from bots.wikitext.titles import bare_title

MAX_PERIOD_DAYS = 30  # Wikimedia wikis keep 30 days of recent changes
_ARCHIVE_ID_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TS_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class Period:
    digest_id: str
    start: str
    end: str
    archive_page: str  # the title of this digest's archive page, as the wiki spells it
    resumed: bool = False  # the archive of this digest exists: finish what it started
    complete: bool = False  # resumed, and its archive says state=complete (a same-day rerun)
    # the source wikis' marks (``bots.digest.sources``): this digest's own when resumed, else
    # the previous digest's (a wiki marked ``wait`` there is read from its mark's start)
    marks: tuple[SourceMark, ...] = ()


def _parse_ts(ts: str) -> dt.datetime:
    return dt.datetime.strptime(ts, _TS_FORMAT).replace(tzinfo=dt.UTC)


def _format_ts(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime(_TS_FORMAT)


def archive_prefix(session: WikiSession, config: Config) -> tuple[str, int]:
    """The archive pages' title prefix as the wiki spells it, and its namespace."""
    prefix = config.digest.archive_prefix
    full, namespace = session.normalize(prefix)
    if prefix.endswith("/") and not full.endswith("/"):
        full += "/"
    return full, namespace


def _own_record(
    session: WikiSession, page: ArchivePage, bot: str, report: JobReport
) -> str | None:
    """The text of the bot's own latest revision of an archive page."""
    if page.latest_user == bot:
        return session.read_pages([page.title])[page.title].text
    report.notes.append(f"{page.title} was edited by someone else since the bot's last save; "
                        "its record is read from the bot's own revision")
    return own_revision_text(session, page.title, bot)


def find_period(session: WikiSession, config: Config, report: JobReport, now: str) -> Period:
    """The period of this run's digest, from the bot's own archive pages (no local state);
    ``now``: the server's time at the start of the run (ISO 8601, UTC)."""
    full, namespace = archive_prefix(session, config)
    bot = config.wiki.user
    pages = archive_pages(session, bare_title(full, namespace), namespace, bot)
    end_time = _parse_ts(now)
    today = now[:10]
    dated = {p.title[len(full):]: p for p in pages
             if p.title.startswith(full) and _ARCHIVE_ID_RE.fullmatch(p.title[len(full):])}
    foreign = sorted(i for i, p in dated.items() if not p.created_by)
    if foreign:
        report.notes.append("ignored archive pages the bot did not create: "
                            + ", ".join(f"{full}{i}" for i in foreign))
    if today in foreign:
        report.record(Failed(f"{full}{today}", "this digest's archive page was created by "
                             "someone else; the bot keeps its record only on its own pages. "
                             "Delete the page, then run again"))
        raise RunStop
    ids = sorted(i for i, p in dated.items() if p.created_by)
    future = [i for i in ids if i > today]
    if future:
        report.notes.append(f"ignored archive pages dated in the future: {', '.join(future)}")
    ids = [i for i in ids if i <= today]
    earliest = end_time - dt.timedelta(days=MAX_PERIOD_DAYS)
    start_time = end_time - dt.timedelta(days=config.digest.period_days)
    marks: tuple[SourceMark, ...] = ()
    if ids:
        latest = f"{full}{ids[-1]}"
        record = parse_archive_record(_own_record(session, dated[ids[-1]], bot, report))
        if record is not None and record.digest_id != ids[-1]:
            record = None  # a record moved to another date's page is no record of that date
        if record is None and ids[-1] == today:
            report.record(Failed(latest, "today's archive page lost its first-line record; "
                                 "restore it or delete the page, then run again"))
            raise RunStop
        if record is None:
            report.notes.append(f"{latest} has no record line; the period starts on its date")
            start_time = _parse_ts(f"{ids[-1]}T00:00:00Z")
        elif not record.complete or record.digest_id == today:
            return Period(record.digest_id, record.start, record.end,
                          f"{full}{record.digest_id}", resumed=True,
                          complete=record.complete, marks=record.sources)
        else:
            start_time = _parse_ts(record.end)
            marks = record.sources
    if start_time < earliest:
        report.notes.append(f"period capped to {MAX_PERIOD_DAYS} days (recent changes span)")
        start_time = earliest
    if start_time >= end_time:
        report.record(Failed(full, f"the last digest ended at {_format_ts(start_time)}, "
                             "not before now; nothing to do"))
        raise RunStop
    digest = digest_id(now)
    return Period(digest, _format_ts(start_time), now, f"{full}{digest}", marks=marks)
