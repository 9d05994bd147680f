"""The save gate's failures, produced for real (issues 17.1 and 11.2): a text over the wiki's
maximum page size is a failure of that page, never a silent skip, and any error while saving
one page is that page's failure while the batch goes on.

The wiki's maximum page size is lowered with the devwiki toggle `maxarticlesize.txt`
(`set_max_page_size`), so "too big" needs kilobytes, not megabytes.
"""

from __future__ import annotations

from typing import Any

import pytest

from bots.config.model import Config
from bots.errors import ShutoffError
from bots.outcomes import Failed, Saved
from bots.wiki.limits import max_page_bytes
from bots.wiki.records import DEFAULT_MAX_PAGE_BYTES
from bots.wiki.saves import post_section, save_page
from tests.faults.helpers import (
    EditHook,
    bot_edits,
    bot_revisions,
    index_page,
    indexed_text,
    open_session,
    row_pages,
    run,
)
from tests.faults.test_edits import setup
from tests.support import Devwiki, RequestLog, WikiClient, import_pages, set_max_page_size

KIB = 1024


# ---------------------------------------------------------------------------------------------
# 17.1 Too big is a failure, never a silent skip


def test_max_page_bytes_is_the_wikis_own_and_costs_no_request(
    devwiki: Devwiki, fcfg: Config, admin: WikiClient, request_log: RequestLog,
) -> None:
    assert admin.siteinfo()["general"]["maxarticlesize"] == DEFAULT_MAX_PAGE_BYTES
    set_max_page_size(devwiki, 3)
    session = open_session(fcfg)
    session.preflight(write=False)  # the check before a job reads it along (run_job makes one)
    mark = request_log.mark()
    assert max_page_bytes(session) == 3 * KIB
    assert request_log.since(mark) == []


def test_text_over_the_maximum_page_size_is_refused_before_sending_and_fails(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
) -> None:
    set_max_page_size(devwiki, 2)
    import_pages(devwiki, [{"title": f"{prefix}P1", "text": "One."},
                           {"title": f"{prefix}P2", "text": "Two."}])
    session = open_session(fcfg)
    mark = request_log.mark()
    # bytes, not characters: 700 three-byte characters are 2,100 bytes
    big = save_page(session, f"{prefix}P1", lambda b: "€" * 700, "fault test")
    small = save_page(session, f"{prefix}P2", lambda b: "€" * 600, "fault test")
    assert big == Failed(f"{prefix}P1", "the new text is 2100 bytes, more than the wiki's "
                                        "maximum page size of 2048 bytes; not saved")
    assert isinstance(small, Saved)
    assert [r.params["title"] for r in bot_edits(request_log, mark)] == [f"{prefix}P2"]
    assert admin.page_text(f"{prefix}P1") == "One."


def test_wiki_refusing_a_text_as_too_big_is_a_failure_not_a_skip(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient,
) -> None:
    """The limit was lowered after the bot read it: the wiki's `contenttoobig` answer."""
    import_pages(devwiki, [{"title": f"{prefix}P", "text": "One."}])
    session = open_session(fcfg)
    assert max_page_bytes(session) == DEFAULT_MAX_PAGE_BYTES
    set_max_page_size(devwiki, 1)
    outcome = save_page(session, f"{prefix}P", lambda b: "x" * 1500, "fault test")
    assert isinstance(outcome, Failed), outcome
    assert outcome.reason.startswith("the new text is larger than the wiki allows (contenttoobig:")
    assert admin.page_text(f"{prefix}P") == "One."


def test_new_section_that_would_make_the_page_too_big_fails_before_sending(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
) -> None:
    title = f"Talk:{prefix}Digest"
    admin.edit(title, "Old talk. " * 150, "created")  # 1,500 bytes
    set_max_page_size(devwiki, 2)
    session = open_session(fcfg)
    base = session.read_pages([title])[title]
    mark = request_log.mark()
    outcome = post_section(session, base, "Digest", "News. " * 100, "digest", may_create=False)
    assert isinstance(outcome, Failed), outcome
    assert "more than the wiki's maximum page size of 2048 bytes" in outcome.reason
    assert bot_edits(request_log, mark) == []


def test_index_page_over_the_maximum_size_fails_the_run_and_the_others_are_saved(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient,
) -> None:
    """One page's output too big: exit 1 naming it, every other page still updated."""
    rows = setup(devwiki, prefix, "Index1")
    padded = index_page(before="Long intro. " * 160)  # ~1.9 KiB before the bot's table
    import_pages(devwiki, [{"title": f"{prefix}Index2", "text": padded}])
    set_max_page_size(devwiki, 2)
    result = run("index", fcfg)
    assert result.exit_code == 1
    [failed] = result.report.failures
    assert failed.title == f"{prefix}Index2"
    # the index keeps its pages below the limit itself (bots/index/page_size.py), before the
    # save gate would refuse the text: the page fails with the index's reason
    assert "larger than the bot may write" in failed.reason and "untouched" in failed.reason
    assert f"{prefix}Index2" not in [s.title for s in result.report.skipped]
    assert admin.page_text(f"{prefix}Index2") == padded
    # the other page is still saved in the same run, kept below the limit by the index itself
    assert f"{prefix}Index1" in [e.title for e in result.report.edits]
    saved = admin.page_text(f"{prefix}Index1") or ""
    assert saved.startswith("Index1 page.") and len(saved.encode()) <= 2048
    assert row_pages(saved) == row_pages(indexed_text(rows))[: len(row_pages(saved))]


# ---------------------------------------------------------------------------------------------
# 11.2 A failure while saving one page is that page's failure; the batch goes on


def test_error_while_saving_one_page_fails_that_page_and_the_batch_goes_on(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, before_edit: EditHook,
) -> None:
    """Any exception out of the wiki layer that is not a stop of the whole run (shutoff,
    block, wrong account, wiki down) is that page's failure. Raised here just before the
    edit of the second page is sent (a stand-in for an unexpected library or network error
    on that one request)."""
    rows = setup(devwiki, prefix, "Index1", "Index2", "Index3")

    def explode(_title: str) -> None:
        raise RuntimeError("unexpected answer for this page")

    before_edit.on(f"{prefix}Index2", explode)
    result = run("index", fcfg)
    assert result.exit_code == 1
    assert [(f.title, f.reason) for f in result.report.failures] == [
        (f"{prefix}Index2", "the save failed: RuntimeError: unexpected answer for this page")]
    assert sorted(s.title for s in result.report.edits) == [f"{prefix}Index1", f"{prefix}Index3"]
    for name in ("Index1", "Index3"):
        assert admin.page_text(f"{prefix}{name}") == indexed_text(rows, before=f"{name} page.")
    assert bot_revisions(admin, f"{prefix}Index2") == []


def test_invalid_title_or_failing_builder_fails_that_page_only(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient,
) -> None:
    import_pages(devwiki, [{"title": f"{prefix}P1", "text": "One."},
                           {"title": f"{prefix}P2", "text": "Two."}])
    session = open_session(fcfg)

    def broken(_base: Any) -> str:
        raise ValueError("a value the builder cannot handle")

    invalid = save_page(session, f"{prefix}Bad<title>", lambda b: "x", "fault test")
    failing = save_page(session, f"{prefix}P1", broken, "fault test")
    good = save_page(session, f"{prefix}P2", lambda b: f"{b.text} Fine.", "fault test")
    assert isinstance(invalid, Failed) and invalid.reason.startswith("the save failed: ")
    assert failing == Failed(f"{prefix}P1",
                             "the save failed: ValueError: a value the builder cannot handle")
    assert isinstance(good, Saved)
    assert admin.page_text(f"{prefix}P1") == "One."
    assert admin.page_text(f"{prefix}P2") == "Two. Fine."


def test_a_stop_of_the_whole_run_is_not_turned_into_a_page_failure(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient,
) -> None:
    import_pages(devwiki, [{"title": f"{prefix}P", "text": "One."}])
    session = open_session(fcfg)
    admin.edit("User:AdvocacyBot/Run", "stop: fault test", "fault test")
    try:
        with pytest.raises(ShutoffError):
            save_page(session, f"{prefix}P", lambda b: "Two.", "fault test")
    finally:
        admin.edit("User:AdvocacyBot/Run", "run", "fault test over")
    assert admin.page_text(f"{prefix}P") == "One."
