"""What counts as a case page, on the real wiki: pages that only transclude cases (a portal)
are neither cases nor broken ones; `[index]` narrows the case pages (excluded prefixes and
subpage names, a required category); the demo's configuration never lists the test suite's
pages nor updates their lists."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bots.config.load import load_config
from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.index.marker_pages import collect_marker_pages, marker_names
from bots.wiki.session import WikiSession
from bots.wiki.templates import template_names
from tests.support.devwiki import Devwiki, import_pages
from tests.support.mwapi import WikiClient
from tests.wiki.test_index_support import (
    collect,
    index_config,
    marker,
    region_bodies,
    row_pages,
    run_index,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def iconfig(config: Config, prefix: str) -> Config:
    return index_config(config, case_prefix=prefix, edit_prefix=prefix)


def case_text(title: str, extra: str = "") -> str:
    return f"{{{{Advocacy case|title={title}|region=africa|status=active}}}}{extra}"


def page(title: str, text: str) -> dict[str, object]:
    return {"title": title, "text": text, "age_days": 1, "user": "Tester1"}


def test_portals_sandboxes_and_drafts_are_not_case_pages(
    iconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient
) -> None:
    assert iconfig.index.exclude_subpages == ("sandbox", "draft")
    import_pages(devwiki, [
        page(f"{prefix}Kenya", case_text("Access blocks in Kenya")),
        page(f"{prefix}Ghana", case_text("Ghana")),
        # a portal that embeds cases through {{:Page}}: MediaWiki lists it with the case pages
        page(f"{prefix}Portal", f"Our cases:\n{{{{:{prefix}Kenya}}}}\n{{{{:{prefix}Ghana}}}}"),
        page(f"{prefix}Regional/Africa", f"== Africa ==\n{{{{:{prefix}Kenya}}}}"),
        page(f"{prefix}Kenya/Sandbox", case_text("Kenya, trying a new summary")),
        page(f"{prefix}Draft/Senegal", case_text("Senegal (draft)")),
        page(f"{prefix}Index", marker()),
    ])  # fmt: skip
    assert f"{prefix}Portal" in admin.embeddedin("Template:Advocacy case")
    result = run_index(iconfig)
    assert result.exit_code == 0, result.error
    (body,) = region_bodies(admin.page_text(f"{prefix}Index") or "")
    assert row_pages(body, prefix) == ["Kenya", "Ghana"]  # by title: "Access blocks in Kenya"
    for title in ("Portal", "Regional/Africa", "Sandbox", "Draft"):
        assert title not in body, title  # not listed, and not "broken" either
    notes = " ".join(result.report.notes)
    assert "2 cases on 2 pages" in notes
    assert "4 listed page(s) are not case pages" in notes


def test_required_category_narrows_the_cases_without_a_request_of_its_own(
    iconfig: Config, prefix: str, devwiki: Devwiki
) -> None:
    import_pages(devwiki, [
        page(f"{prefix}Reviewed", case_text("Reviewed", "\n[[Category:Advocacy reviewed cases]]")),
        page(f"{prefix}Unreviewed", case_text("Unreviewed")),
    ])  # fmt: skip
    uncached = dataclasses.replace(iconfig, index=dataclasses.replace(iconfig.index, cache=False))
    reviewed = dataclasses.replace(uncached, index=dataclasses.replace(
        uncached.index, required_category="Advocacy reviewed cases"))  # fmt: skip
    counts = {}
    for name, cfg in (("all", uncached), ("reviewed", reviewed)):
        session = WikiSession(cfg)
        session.login()
        before = session.counter.requests
        collected = collect(session, cfg)
        counts[name] = session.counter.requests - before
        titles = [c.page.removeprefix(prefix) for c in collected.cases]
        assert titles == (["Reviewed", "Unreviewed"] if name == "all" else ["Reviewed"])
    assert counts["reviewed"] == counts["all"]


def test_the_demo_config_lists_no_test_pages(
    config: Config, prefix: str, devwiki: Devwiki, tmp_path: Path
) -> None:
    import_pages(devwiki, [
        page(f"{prefix}A test case", case_text("A test case")),
        page(f"{prefix}Test index", marker()),
    ])  # fmt: skip
    demo = load_config(REPO / "config" / "devwiki.toml")
    demo = dataclasses.replace(
        demo, runtime=dataclasses.replace(demo.runtime, state_dir=str(tmp_path / "state"))
    )
    session = WikiSession(demo)
    session.login()
    cases = [c.page for c in collect(session, demo).cases]
    assert cases, "the demo's own cases are listed"
    assert not [t for t in cases if t.startswith("Advocacy/T-")]
    names = template_names(session, [demo.templates.index_start, demo.templates.index_end])
    markers = collect_marker_pages(session, demo, Messages.load(), marker_names(demo, names))
    assert f"{prefix}Test index" in markers.ignored
    assert not [p.title for p in markers.pages if p.title.startswith("Advocacy/T-")]
    # the test's own configuration (its prefix inside the excluded one) still sees its pages
    own = [c.page for c in collect(session, config).cases]
    assert own == [f"{prefix}A test case"]
