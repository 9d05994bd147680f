"""The digest over two real local wikis (issue 16): the central English wiki and the French
source wiki (its own case template and parameter names). A wiki that waited since an earlier
digest is read from where it waited (nothing lost) and not before (nothing twice); a stopped
wiki waits for the next digest, the digest says so, and a resumed digest keeps it waiting;
a sensitive case on the source wiki never leaks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import secrets
from collections.abc import Iterator
from typing import Any

import pytest

from bots.config.model import Config
from bots.config.source_model import SourcesConfig, SourceWiki
from bots.digest.content import DigestContent
from bots.digest.ids import SourceMark, parse_archive_record
from bots.digest.period import Period
from bots.digest.sources import with_sources
from bots.operations.jobs import JobResult, run_job
from bots.outcomes import JobReport
from bots.run_options import RunOptions
from bots.wiki.session import WikiSession
from bots.wiki.sites import open_source_session
from tests.support import Devwiki, WikiClient, import_pages
from tests.support.devwiki import bring_up_second, start_server, stop_server

BOT = "AdvocacyBot"
FR_NS_PREFIX = "Advocacy Dev Wiki:Tests/"  # the French wiki's project namespace (4)


@pytest.fixture(scope="module")
def second(devwiki: Devwiki) -> Iterator[Devwiki]:
    wiki = bring_up_second(devwiki)
    yield wiki
    start_server(wiki)  # whatever a test did, leave it running for the next one


@pytest.fixture
def fr_prefix() -> str:
    return f"{FR_NS_PREFIX}D-{secrets.token_hex(3)}/"


def iso(days_ago: float) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def today() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")


def two_wiki_digest(config: Config, prefix: str, fr_prefix: str) -> Config:
    french = SourceWiki(id="frdev", language="fr", family="advocacydevfr", code="fr",
                        case_namespaces=(4,), case_prefixes=(fr_prefix,),
                        case_template="Cas de plaidoyer", interwiki="frdev",
                        case_aliases={"sensitive": ("confidentiel",)}, max_pages=50)
    return dataclasses.replace(
        config,
        sources=SourcesConfig(wikis=(french,),
                              participation_page=f"{prefix}Participating wikis"),
        digest=dataclasses.replace(
            config.digest, subscriber_page=f"{prefix}Digest/Subscribers",
            archive_prefix=f"{prefix}Digest/Archive/", hub_pages=(f"{prefix}Hub",),
            unsubscribe_page=f"{prefix}Digest/Subscribers", require_self_subscription=False))


def en_case(title: str) -> str:
    return f"{{{{Advocacy case\n|title={title}\n|region=europe\n|status=active\n}}}}"


def fr_case(title: str, **fields: str) -> str:
    body = "".join(f"\n|{name} = {value}" for name, value in fields.items())
    return f"{{{{Cas de plaidoyer\n|titre = {title}\n|région = europe\n|statut = active{body}\n}}}}"


def central_world(devwiki: Devwiki, prefix: str, reader: str, *more: dict[str, Any],
                  others: tuple[str, ...] = ()) -> None:
    readers = (reader, *others)
    import_pages(devwiki, [
        *more,
        {"title": f"{prefix}News", "text": en_case("Central news"), "age_days": 1},
        {"title": f"{prefix}Participating wikis", "text": "* frdev — Wikimédia France\n",
         "age_days": 20},
        {"title": f"{prefix}Digest/Subscribers", "age_days": 20,
         "text": "\n".join(f"{{{{Target|page=User talk:{r}}}}}" for r in readers)},
        *({"title": f"User talk:{r}", "revisions": [
            {"text": "Hello.", "user": r, "age_days": 40}]} for r in readers),
    ])


def run_digest(cfg: Config, **options: Any) -> JobResult:
    session = WikiSession(cfg)
    session.login()
    return run_job("digest", session, cfg, RunOptions(out=io.StringIO(), **options))


def test_a_waiting_wiki_is_read_from_where_it_waited_and_nothing_comes_twice(
    devwiki: Devwiki, second: Devwiki, config: Config, prefix: str, fr_prefix: str,
    admin: WikiClient,
) -> None:
    reader = f"MReader-{secrets.token_hex(3)}"
    last_end, waited_since = iso(3), iso(8)
    last_id = last_end[:10]
    last = (f"<!-- advocacy-hub-digest-archive: id={last_id} start={iso(10)} end={last_end} "
            f"state=complete wiki=frdev:wait:{waited_since} -->\nA digest.")
    central_world(
        devwiki, prefix, reader,
        {"title": f"{prefix}Digest/Archive/{last_id}", "text": last, "user": BOT,
         "age_days": 3},
        {"title": f"{prefix}Old", "text": en_case("Central old"), "age_days": 5},  # sent then
    )
    import_pages(second, [
        {"title": f"{fr_prefix}Ancien", "text": fr_case("Cas ancien"), "age_days": 9},
        {"title": f"{fr_prefix}Attente", "text": fr_case("Cas en attente"), "age_days": 5},
        {"title": f"{fr_prefix}Récent", "text": fr_case("Cas récent"), "age_days": 1},
        {"title": f"{fr_prefix}Secret", "age_days": 2, "text": fr_case(
            "Cas secret", résumé="Rencontre avec Tester2 le 3 mai", contact="Tester2",
            partenaires="Association discrète", confidentiel="oui")},
        {"title": f"Project talk:{fr_prefix.split(':', 1)[1]}Récent", "age_days": 1,
         "text": "== Prochaines étapes ==\nOn en parle. ~~~~"},
    ])
    cfg = two_wiki_digest(config, prefix, fr_prefix)
    result = run_digest(cfg)
    assert result.exit_code == 0, (result.error, result.report.notes)

    post = admin.page_text(f"User talk:{reader}") or ""
    archive = admin.page_text(f"{cfg.digest.archive_prefix}{today()}") or ""
    for text in (post, archive):
        assert "Central news" in text and "Central old" not in text  # central: once
        assert "Cas en attente" in text  # waited since the last digest: not lost
        assert "Cas ancien" not in text  # before it waited: was in an earlier digest
        assert f"[[:frdev:{fr_prefix}Récent|Cas récent]] <small>(frdev)</small>" in text
        assert "Prochaines étapes" in text  # a discussion on the French case's talk page
        assert "Cas secret" in text
        assert "Rencontre" not in text and "Tester2" not in text and "discrète" not in text
        assert "could not be read" not in text
    record = parse_archive_record(archive)
    assert record is not None and record.start == last_end
    assert record.sources == (SourceMark("frdev", waited_since, True),)


def test_a_stopped_wiki_waits_for_the_next_digest_and_the_digest_says_so(
    devwiki: Devwiki, second: Devwiki, config: Config, prefix: str, fr_prefix: str,
    admin: WikiClient,
) -> None:
    reader = f"MReader-{secrets.token_hex(3)}"
    central_world(devwiki, prefix, reader)
    import_pages(second, [
        {"title": f"{fr_prefix}Pendant", "text": fr_case("Cas pendant la panne"), "age_days": 1},
    ])
    cfg = two_wiki_digest(config, prefix, fr_prefix)
    stop_server(second)
    try:
        result = run_digest(cfg)
    finally:
        start_server(second)
    assert result.exit_code == 0, (result.error, result.report.notes)
    assert any(n.startswith("frdev: not refreshed") for n in result.report.notes)

    post = admin.page_text(f"User talk:{reader}") or ""
    archive_title = f"{cfg.digest.archive_prefix}{today()}"
    archive = admin.page_text(archive_title) or ""
    for text in (post, archive):
        assert "Central news" in text and "Cas pendant la panne" not in text
        assert "Changes on the wiki frdev could not be read this time" in text
    record = parse_archive_record(archive)
    assert record is not None
    # the next digest reads the French wiki from this digest's start: nothing lost
    assert record.sources == (SourceMark("frdev", record.start, False),)

    # The French wiki is back; a second run today resumes the same digest: it keeps the
    # French wiki waiting (every reader of one digest gets the same) and posts nothing again.
    again = run_digest(cfg)
    assert again.exit_code == 0, (again.error, again.report.notes)
    assert (admin.page_text(f"User talk:{reader}") or "").count(
        f"<!-- advocacy-hub-digest: {today()} -->") == 1
    after = admin.page_text(archive_title) or ""
    assert "Cas pendant la panne" not in after
    resumed = parse_archive_record(after)
    assert resumed is not None and resumed.sources == record.sources


def test_a_resumed_digest_that_cannot_read_a_wiki_it_read_makes_its_deliveries_wait(
    devwiki: Devwiki, second: Devwiki, config: Config, prefix: str, fr_prefix: str,
    admin: WikiClient,
) -> None:
    tag = secrets.token_hex(3)
    readers = (f"MFirst-{tag}", f"MSecond-{tag}")
    central_world(devwiki, prefix, readers[0], others=readers[1:])
    import_pages(second, [
        {"title": f"{fr_prefix}Lu", "text": fr_case("Cas lu"), "age_days": 1},
    ])
    cfg = two_wiki_digest(config, prefix, fr_prefix)

    def copies() -> list[int]:
        return [(admin.page_text(f"User talk:{r}") or "").count(
            f"<!-- advocacy-hub-digest: {today()} -->") for r in readers]

    first = run_digest(cfg, stop_after=1)  # one reader has it; the archive says delivering
    assert first.exit_code == 1
    assert sorted(copies()) == [0, 1]
    waiting = readers[copies().index(0)]
    archive_title = f"{cfg.digest.archive_prefix}{today()}"
    record = parse_archive_record(admin.page_text(archive_title))
    assert record is not None and not record.complete
    assert record.sources == (SourceMark("frdev", record.start, True),)

    stop_server(second)
    try:
        resumed = run_digest(cfg)
    finally:
        start_server(second)
    # the French wiki's changes are part of this digest: no reader gets it without them
    assert resumed.exit_code == 1
    assert any("frdev cannot be read again" in f.reason for f in resumed.report.failures)
    assert sorted(copies()) == [0, 1]
    assert parse_archive_record(admin.page_text(archive_title)) == record

    done = run_digest(cfg)  # back again: the digest is delivered, with the French case
    assert done.exit_code == 0, (done.error, done.report.notes)
    assert copies() == [1, 1]
    assert "Cas lu" in (admin.page_text(f"User talk:{waiting}") or "")


def test_a_wiki_that_goes_away_in_the_middle_of_its_reads_waits(
    devwiki: Devwiki, second: Devwiki, config: Config, prefix: str, fr_prefix: str,
) -> None:
    central_world(devwiki, prefix, f"MReader-{secrets.token_hex(3)}")
    import_pages(second, [
        {"title": f"{fr_prefix}Milieu", "text": fr_case("Cas du milieu"), "age_days": 1},
    ])
    cfg = two_wiki_digest(config, prefix, fr_prefix)

    def open_then_stop(central: WikiSession, source: SourceWiki) -> WikiSession:
        session = open_source_session(central, source)  # logged in ...
        stop_server(second)  # ... and now the French wiki goes away, before its reads
        return session

    central = WikiSession(cfg)
    central.login()
    period = Period(today(), iso(7), iso(0), f"{cfg.digest.archive_prefix}{today()}")
    empty = DigestContent(period.digest_id, period.start, period.end)
    report = JobReport(job="digest")
    try:
        content = with_sources(central, cfg, period, report, empty, opener=open_then_stop)
    finally:
        start_server(second)
    assert content.marks == (SourceMark("frdev", period.start, False),)
    assert content.new_cases == () and content.waiting == ("frdev",)
    assert any(n.startswith("frdev: not refreshed") for n in report.notes), report.notes
    assert report.ok  # the digest goes out; the wiki's changes wait for the next one

    # the wiki is back: the same period, read again, has its change
    again = with_sources(central, cfg, period, JobReport(job="digest"), empty)
    assert [c.case.title for c in again.new_cases] == ["Cas du milieu"]
    assert again.marks == (SourceMark("frdev", period.start, True),)
