"""The period a digest covers, read back from the archive pages: the bot keeps no local state.

* The period starts where the latest complete archive's period ended (else ``period_days``
  ago, and never more than :data:`MAX_PERIOD_DAYS` ago, the span recent changes cover on
  Wikimedia wikis). Its end is the server's time when the run started (the time of its first
  read, the subscriber list); the id is the end's date.
* An archive in state ``delivering`` (a run that crashed) or with today's id is resumed: same
  id, same period, so the same content, delivered only where it is missing.

Reads: the archive pages' titles (one prefix listing) and the latest one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bots.config.model import Config
from bots.digest.ids import digest_id, parse_archive_record
from bots.digest.ledger import RunStop
from bots.outcomes import Failed, JobReport
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


def find_period(session: WikiSession, config: Config, report: JobReport, now: str) -> Period:
    """The period of this run's digest, from the archive pages (no local state); ``now``: the
    server's time at the start of the run (ISO 8601, UTC)."""
    full, namespace = archive_prefix(session, config)
    titles = list(session.all_pages(bare_title(full, namespace), namespace))
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
            raise RunStop
        if record is None:
            report.notes.append(f"{latest} has no record line; the period starts on its date")
            start_time = _parse_ts(f"{ids[-1]}T00:00:00Z")
        elif not record.complete or record.digest_id == today:
            return Period(record.digest_id, record.start, record.end,
                          f"{full}{record.digest_id}", resumed=True)
        else:
            start_time = _parse_ts(record.end)
    if start_time < earliest:
        report.notes.append(f"period capped to {MAX_PERIOD_DAYS} days (recent changes span)")
        start_time = earliest
    if start_time >= end_time:
        report.record(Failed(full, f"the last digest ended at {_format_ts(start_time)}, "
                             "not before now; nothing to do"))
        raise RunStop
    digest = digest_id(now)
    return Period(digest, _format_ts(start_time), now, f"{full}{digest}")
