"""Any failure while building or saving one index page is that page's: on the real wiki, the
other pages are still saved in the same run, the failed page is named in the report, the run
log, and (when known before saving) the other pages' needs-attention lists; the run exits 1.

The failures are stand-ins (an error raised while rendering or saving one named page), for the
errors nobody can plan for; the real hostile pages are in tests/wiki/test_index_hostile.py.
"""

from __future__ import annotations

from typing import Any

import pytest

import bots.index.build
import bots.index.publish
from bots.config.model import Config
from bots.operations.runlog import run_log_path
from tests.faults.helpers import case, index_page, run
from tests.support import Devwiki, WikiClient, import_pages
from tests.wiki.test_index_support import region_bodies, row_pages

PAGES = ("Index A", "Index B", "Index C")


@pytest.fixture
def pages(fcfg: Config, prefix: str, devwiki: Devwiki) -> list[str]:
    import_pages(devwiki, [
        {"title": f"{prefix}Kenya", "text": case("Kenya", "africa", "censorship", "active"),
         "age_days": 2},
        *({"title": f"{prefix}{p}", "text": index_page(before=f"{p}."), "age_days": 1}
          for p in PAGES),
    ])  # fmt: skip
    return [f"{prefix}{p}" for p in PAGES]


def test_a_page_whose_rendering_fails_is_named_and_the_others_are_saved(
    fcfg: Config, prefix: str, pages: list[str], admin: WikiClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    real = bots.index.build.render_marker_page
    broken = pages[1]

    def render(text: str, names: Any, cases: Any, attention: Any, messages: Any, lang: str,
               config: Config, **kw: Any) -> Any:  # fmt: skip
        if admin_text[broken] == text:
            raise MemoryError("stand-in for any error while rendering one page")
        return real(text, names, cases, attention, messages, lang, config, **kw)

    admin_text = {broken: admin.page_text(broken)}
    monkeypatch.setattr(bots.index.build, "render_marker_page", render)
    result = run("index", fcfg)
    assert result.exit_code == 1
    assert [f.title for f in result.report.failures] == [broken]
    assert "MemoryError" in result.report.failures[0].reason
    assert sorted(e.title for e in result.report.edits) == [pages[0], pages[2]]
    for title in (pages[0], pages[2]):
        (body,) = region_bodies(admin.page_text(title) or "")
        assert row_pages(body, prefix) == ["Kenya"]
        assert "The bot could not update this page (<bdi>MemoryError</bdi>)" in body
        assert f"[[:{broken}|" in body
    assert admin.page_text(broken) == admin_text[broken]  # untouched
    log = run_log_path(fcfg).read_text("utf-8")
    assert "MemoryError" in log and broken in log


def test_a_page_whose_save_fails_is_named_and_the_others_are_saved(
    fcfg: Config, pages: list[str], admin: WikiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = bots.index.publish.save_page
    broken = pages[0]

    def save(session: Any, title: str, *args: Any, **kwargs: Any) -> Any:
        if title == broken:
            raise KeyError("stand-in for an unexpected answer while saving one page")
        return real(session, title, *args, **kwargs)

    monkeypatch.setattr(bots.index.publish, "save_page", save)
    result = run("index", fcfg)
    assert result.exit_code == 1
    assert [f.title for f in result.report.failures] == [broken]
    assert "the save failed: KeyError" in result.report.failures[0].reason
    assert sorted(e.title for e in result.report.edits) == [pages[1], pages[2]]
    assert "Kenya" in (admin.page_text(pages[2]) or "")
    # the next run saves the page that failed, and only it
    monkeypatch.setattr(bots.index.publish, "save_page", real)
    again = run("index", fcfg)
    assert again.exit_code == 0 and [e.title for e in again.report.edits] == [broken]
