"""`run index` with cases on two real local wikis (issue 16): the central English wiki and the
French source wiki (its own case template and parameter names). Both wikis' cases in one
index with a wiki column, links and needs-attention entries to the French pages, the
``wiki=`` filter, a sensitive French case's contact never copied, a configured wiki that is
not on the participation list skipped and reported, the French wiki stopped in the middle of
a run (its last rows kept and marked, the breaker not tripped), and a case moved from one
wiki to the other."""

from __future__ import annotations

import dataclasses
import html
import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest

import bots.index.collect_wikis
from bots.config.model import Config
from tests.support.devwiki import Devwiki, bring_up_second, start_server, stop_server
from tests.support.mwapi import WikiClient
from tests.support.requestlog import RequestLog, api_requests
from tests.wiki.test_index_support import index_config, marker, region_bodies, run_index
from tests.wiki.test_sources_multiwiki import FR_NS_PREFIX, fr_case, two_wiki_config


@pytest.fixture(scope="module")
def second(devwiki: Devwiki) -> Iterator[Devwiki]:
    wiki = bring_up_second(devwiki)
    yield wiki
    start_server(wiki)  # whatever a test did, leave it running for the next one


@pytest.fixture
def fr_prefix(second: Devwiki) -> Iterator[str]:
    """This test's prefix on the French wiki; its pages are deleted afterwards: every page
    with the French case template in the project namespace counts toward a source wiki's
    ``max_pages`` (50 in these tests), whatever its prefix."""
    prefix = f"{FR_NS_PREFIX}I-{secrets.token_hex(3)}/"
    yield prefix
    admin = WikiClient.login_as(second, "Admin")
    for title in admin.prefix_pages(prefix.split(":", 1)[1], namespace=4):
        admin.delete(title, "test pages")


@pytest.fixture
def mconfig(config: Config, prefix: str, fr_prefix: str) -> Config:
    return two_wiki_config(index_config(config, case_prefix=prefix, edit_prefix=prefix),
                           prefix, fr_prefix)  # fmt: skip


def en_case(title: str, status: str = "active", **more: str) -> str:
    extra = "".join(f"|{k}={v}" for k, v in more.items())
    return f"{{{{Advocacy case|title={title}|region=europe|status={status}{extra}}}}}"


def row_keys(body: str) -> list[str]:
    """The rows' keys as the next run reads them back (a French row: ``:frdev:<title>``)."""
    return [html.unescape(line.split('"')[1]) for line in body.splitlines()
            if line.startswith('|- data-advocacy-case="')]  # fmt: skip


def test_one_index_over_both_wikis(
    devwiki: Devwiki, second: Devwiki, mconfig: Config, prefix: str, fr_prefix: str
) -> None:
    en, fr = WikiClient.login_as(devwiki, "Tester1"), WikiClient.login_as(second, "Tester1")
    en.edit(f"{prefix}Participating wikis", "* frdev — Wikimédia France\n")
    en.edit(f"{prefix}Case EN", en_case("Case EN", contact="Tester1"))
    fr.edit(f"{fr_prefix}Loi", fr_case("Loi [[x]] {{y}}", région="europe", statut="active",
                                       contact="Tester1"))  # fmt: skip
    fr.edit(f"{fr_prefix}Blocage", fr_case("Blocage", région="europe", statut="active",
                                           contact="Tester2", confidentiel="oui"))  # fmt: skip
    fr.edit(f"{fr_prefix}Cassé", fr_case("Cassé", région="europe", statut="gagnée"))
    index = f"{prefix}Index"
    en.edit(index, marker() + "\n" + marker("wiki=FRDEV|columns=title, contact, wiki"))

    fr_log = RequestLog(second)
    first = fr_log.mark()
    result = run_index(mconfig)
    assert result.exit_code == 0, result.error
    report = result.report
    read_texts = [r for r in api_requests(fr_log.since(first))
                  if "content" in r.params.get("rvprop", "")]  # fmt: skip
    assert read_texts  # the French pages' texts, read on the French wiki
    assert [(s.title, "not listed" in s.reason) for s in report.skipped] == [("wiki ghost", True)]

    text = en.page_text(index) or ""
    every, french = region_bodies(text)
    keys = [f"{prefix}Case EN", f":frdev:{fr_prefix}Blocage", f":frdev:{fr_prefix}Cassé",
            f":frdev:{fr_prefix}Loi"]  # fmt: skip
    assert sorted(row_keys(every)) == sorted(keys)
    assert sorted(row_keys(french)) == keys[1:]  # wiki=FRDEV: the French wiki's alone
    # each row links its page on its own wiki; the value from the French page stays text
    assert f"[[:frdev:{fr_prefix}Loi|Loi " in every
    assert "[[x]]" not in text and "{{y}}" not in text
    assert f"[[:{prefix}Case EN|Case EN]]" in every
    assert "\n| frdev\n" in every and "\n| dev\n" in every  # the wiki column
    # the sensitive French case's contact is on no page, in no cache or memory; the open one's
    assert "Tester2" not in text and "Tester1" in french
    for kept in ("cache/cases-source-frdev.json", "sources/last-frdev.json"):
        stored = (mconfig.state_path / kept).read_text(encoding="utf-8")
        assert f"{fr_prefix}Blocage" in stored and "Tester2" not in stored
    # needs attention: the French page, with its edit link on the French wiki
    attention = [line for line in every.splitlines() if f"{fr_prefix}Cassé" in line
                 and line.startswith("* ")]  # fmt: skip
    assert attention and f"[[:frdev:Special:EditPage/{fr_prefix}Cassé|edit]]" in attention[0]
    assert "frdev: 3 cases on 3 pages (3 parsed, 0 from cache), 1 need attention" in report.notes
    # a second run with nothing changed on either wiki changes nothing, and parses nothing:
    # each wiki's pages are cached by wiki, title and revision
    mark = fr_log.mark()
    again = run_index(mconfig)
    assert again.exit_code == 0 and not again.report.edits
    assert "frdev: 3 cases on 3 pages (0 parsed, 3 from cache), 1 need attention" in (
        again.report.notes)
    # the French wiki: its login, the template's redirects, the listing; no page texts
    fr_api = api_requests(fr_log.since(mark))
    assert fr_api and not [r for r in fr_api if "content" in r.params.get("rvprop", "")]


def test_a_wiki_stopped_mid_run_keeps_its_rows_marked_and_the_breaker_quiet(
    devwiki: Devwiki, second: Devwiki, mconfig: Config, prefix: str, fr_prefix: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    en, fr = WikiClient.login_as(devwiki, "Tester1"), WikiClient.login_as(second, "Tester1")
    en.edit(f"{prefix}Participating wikis", "* frdev\n")
    en.edit(f"{prefix}Case EN", en_case("Case EN"))
    for n in range(4):  # four of five rows: their loss would trip the breaker (30%)
        fr.edit(f"{fr_prefix}Cas {n}", fr_case(f"Cas {n}", région="europe", statut="active"))
    index = f"{prefix}Index"
    en.edit(index, marker())
    assert run_index(mconfig).exit_code == 0
    (before,) = region_bodies(en.page_text(index) or "")
    assert len(row_keys(before)) == 5 and "not refreshed" not in before

    # The next run logs in to both wikis; then the French wiki's server stops.
    opened = bots.index.collect_wikis.open_sources

    def open_then_stop(*args: Any, **kwargs: Any) -> Any:
        sessions = opened(*args, **kwargs)
        stop_server(second)
        return sessions

    monkeypatch.setattr(bots.index.collect_wikis, "open_sources", open_then_stop)
    try:
        down = run_index(mconfig)
    finally:
        start_server(second)
    monkeypatch.undo()
    assert down.exit_code == 0, down.error  # not held by the breaker
    assert any(n.startswith("frdev: not refreshed") for n in down.report.notes)
    (during,) = region_bodies(en.page_text(index) or "")
    assert row_keys(during) == row_keys(before)  # nothing removed
    assert during.count("not refreshed since ") == 4  # each French row, marked
    assert "The wiki frdev could not be read in this run" in during
    assert "advocacyhub-index-not-refreshed-notice" in during

    # Back up: read again, the marks go, the rows are those of the French wiki now.
    fr.edit(f"{fr_prefix}Cas 4", fr_case("Cas 4", région="europe", statut="active"))
    assert run_index(mconfig).exit_code == 0
    (after,) = region_bodies(en.page_text(index) or "")
    assert len(row_keys(after)) == 6 and "not refreshed" not in after


def test_a_case_moved_between_wikis_shows_once_on_its_new_wiki(
    devwiki: Devwiki, second: Devwiki, mconfig: Config, prefix: str, fr_prefix: str
) -> None:
    en, fr = WikiClient.login_as(devwiki, "Tester1"), WikiClient.login_as(second, "Tester1")
    en.edit(f"{prefix}Participating wikis", "* frdev\n")
    en.edit(f"{prefix}Case EN", en_case("Case EN"))
    fr.edit(f"{fr_prefix}Cas mobile", fr_case("Cas mobile", région="europe", statut="active"))
    index = f"{prefix}Index"
    en.edit(index, marker("columns=title, wiki"))
    assert run_index(mconfig).exit_code == 0
    (before,) = region_bodies(en.page_text(index) or "")
    # sorted by title: "Cas mobile" before "Case EN"
    assert row_keys(before) == [f":frdev:{fr_prefix}Cas mobile", f"{prefix}Case EN"]

    # The community moves the case home to the central wiki: created there, deleted here.
    en.edit(f"{prefix}Moved case", en_case("Cas mobile"))
    WikiClient.login_as(second, "Admin").delete(f"{fr_prefix}Cas mobile", "déplacé")
    moved = run_index(mconfig)
    assert moved.exit_code == 0, moved.error
    (after,) = region_bodies(en.page_text(index) or "")
    assert row_keys(after) == [f"{prefix}Moved case", f"{prefix}Case EN"]
    assert after.count("Cas mobile") == 1 and "\n| dev\n" in after and "frdev" not in after


def test_without_the_participation_line_the_wiki_is_skipped(
    devwiki: Devwiki, second: Devwiki, mconfig: Config, prefix: str, fr_prefix: str
) -> None:
    en, fr = WikiClient.login_as(devwiki, "Tester1"), WikiClient.login_as(second, "Tester1")
    en.edit(f"{prefix}Participating wikis", "* frdev\n")
    en.edit(f"{prefix}Case EN", en_case("Case EN"))
    fr.edit(f"{fr_prefix}Loi", fr_case("Loi", région="europe", statut="active"))
    index = f"{prefix}Index"
    en.edit(index, marker())
    assert run_index(mconfig).exit_code == 0
    # The community takes the French wiki off the list: its rows go (an editor's decision,
    # not a missing wiki), and the run says why.
    en.edit(f"{prefix}Participating wikis", "Nobody yet.\n")
    off = run_index(mconfig)
    assert off.exit_code == 0, off.error
    assert ("wiki frdev", True) in [(s.title, "not listed" in s.reason)
                                     for s in off.report.skipped]  # fmt: skip
    (body,) = region_bodies(en.page_text(index) or "")
    assert row_keys(body) == [f"{prefix}Case EN"]


def test_a_wiki_read_up_to_its_bound_loses_no_rows_to_the_breaker(
    devwiki: Devwiki, second: Devwiki, mconfig: Config, prefix: str, fr_prefix: str
) -> None:
    en, fr = WikiClient.login_as(devwiki, "Tester1"), WikiClient.login_as(second, "Tester1")
    en.edit(f"{prefix}Participating wikis", "* frdev\n")
    en.edit(f"{prefix}Case EN", en_case("Case EN"))
    for n in range(5):
        fr.edit(f"{fr_prefix}Cas {n}", fr_case(f"Cas {n}", région="europe", statut="active"))
    index = f"{prefix}Index"
    en.edit(index, marker())
    assert run_index(mconfig).exit_code == 0
    (before,) = region_bodies(en.page_text(index) or "")
    assert len(row_keys(before)) == 6

    french = dataclasses.replace(mconfig.sources.wikis[1], max_pages=1)
    bounded = dataclasses.replace(mconfig, sources=dataclasses.replace(
        mconfig.sources, wikis=(mconfig.sources.wikis[0], french, mconfig.sources.wikis[2])))
    result = run_index(bounded)
    # four of six rows are not read: not removed cases, so the breaker does not hold the save
    assert result.exit_code == 0, result.error
    assert any(n.startswith("frdev: ") and "more than 1 case pages (max_pages)" in n
               for n in result.report.notes)  # fmt: skip
    (after,) = region_bodies(en.page_text(index) or "")
    assert row_keys(after) == [f":frdev:{fr_prefix}Cas 0", f"{prefix}Case EN"]


def test_rows_link_the_french_wiki_by_its_page_url(
    devwiki: Devwiki, second: Devwiki, mconfig: Config, prefix: str, fr_prefix: str
) -> None:
    # a wiki without an interwiki prefix on the central wiki: external links to its pages
    french = dataclasses.replace(mconfig.sources.wikis[1], interwiki="",
                                 page_url=f"{second.index_url}?title=$1")  # fmt: skip
    cfg = dataclasses.replace(mconfig, sources=dataclasses.replace(
        mconfig.sources, wikis=(mconfig.sources.wikis[0], french)))  # fmt: skip
    en, fr = WikiClient.login_as(devwiki, "Tester1"), WikiClient.login_as(second, "Tester1")
    en.edit(f"{prefix}Participating wikis", "* frdev\n")
    title = f"{fr_prefix}L'affaire « Cas » & co"
    fr.edit(title, fr_case("L'affaire '''Cas''' http://evil.example",
                           région="europe", statut="gagnée"))  # fmt: skip
    index = f"{prefix}Index"
    en.edit(index, marker())
    assert run_index(cfg).exit_code == 0

    page = en.parse(index, prop="text|externallinks|templates")
    hrefs = [h for h in page["externallinks"] if h.startswith(second.index_url)]
    # the row and the needs-attention entry link the page, the edit link its edit form, all on
    # the French wiki; the URL in the label stays text (no other external link)
    here = f"Advocacy_Dev_Wiki:Tests/{fr_prefix.split('/')[1]}/L'affaire_«_Cas_»_&_co"
    assert {unquote(h) for h in hrefs} == {f"{second.index_url}?title={here}",
                                           f"{second.index_url}?title=Special:EditPage/{here}"}
    assert all(h.endswith("%26_co") for h in hrefs)  # "&" encoded: the title is whole
    assert not [h for h in page["externallinks"] if "evil" in h]
    text = en.page_text(index) or ""
    assert "http&#58;//evil.example]" in text and "http://evil" not in text
