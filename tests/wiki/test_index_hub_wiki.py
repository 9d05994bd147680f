"""The hub on the real wiki (issue 13, "The hub itself" and the editors' path; issue 14, links
and language bars): an "active now" list with a create-a-case box (InputBox, which the bot
finds in the wiki's siteinfo), the needs-attention list first with working edit links, broken
rows marked, a Chinese hub whose list links Chinese translations and whose page is in
Chinese, and a changed-note that stays put when nothing changed."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bots.config.model import Config
from tests.support.devwiki import Devwiki, import_pages
from tests.support.mwapi import WikiClient
from tests.wiki.test_index_support import index_config, marker, region_bodies, run_index


@pytest.fixture
def iconfig(config: Config, prefix: str) -> Config:
    return index_config(config, case_prefix=prefix, edit_prefix=prefix)


def case(title: str, region: str, status: str, start: str, **more: str) -> str:
    lines = [f"|title = {title}", f"|region = {region}", f"|status = {status}",
             f"|start = {start}", *(f"|{k} = {v}" for k, v in more.items())]  # fmt: skip
    return "{{Advocacy case\n" + "\n".join(lines) + "\n}}"


@pytest.fixture
def hub(devwiki: Devwiki, admin: WikiClient, iconfig: Config, prefix: str) -> Iterator[str]:
    english, chinese = f"{prefix}Hub", f"{prefix}Hub/zh"
    active = "status=active|sort=-start|columns=title, status, country, topic, start|create=yes"
    import_pages(devwiki, [
        {"title": f"{prefix}Kenya", "text": case("Access blocks in Kenya", "africa", "active",
                                                 "2021", country="Kenya", topic="censorship")},
        {"title": f"{prefix}Kenya/zh", "text": case("肯尼亚的访问封锁", "africa", "active",
                                                    "2021", country="肯尼亚")},
        {"title": f"{prefix}India", "text": case("IT Rules in India", "asia-pacific", "actve",
                                                 "2021-02", topic="privacy, censorship")},
        {"title": f"{prefix}France", "text": case("Panorama in France", "europe", "partial",
                                                  "2015-06", end="2016-10-07")},
        {"title": english, "text": "{{Advocacy language bar}}\n== Active now ==\n"
         + marker(active) + "\n== Cases by region ==\n" + marker("group=region")},
        {"title": chinese, "text": "{{Advocacy language bar|wrap=yes}}\n== 当前进行中 ==\n"
         + marker(active + "|lang=zh") + "\n中文说明。"},
    ])  # fmt: skip
    result = run_index(iconfig)
    assert result.exit_code == 0, result.error
    admin.post(action="purge", titles=f"{english}|{chinese}")
    yield english


def test_active_now_comes_first_with_a_create_box_and_title_and_status(
    admin: WikiClient, hub: str, prefix: str
) -> None:
    active, grouped = region_bodies(admin.page_text(hub) or "")
    assert f'data-advocacy-case="{prefix}Kenya"' in active
    assert f'data-advocacy-case="{prefix}France"' not in active  # not active
    header = next(line for line in active.splitlines() if line.startswith("! "))
    assert header.startswith("! Title !! Status !!")
    assert "! Title !! Status !! Country !!" in grouped  # grouped by region: no region column
    html = admin.parse_html(hub)
    # InputBox: a form that creates a page under the case prefix, pre-filled in English
    form = re.search(r'<form[^>]*class="[^"]*createbox[^"]*".*?</form>', html, re.S)
    assert form is not None, "no InputBox form"
    assert 'value="Template:Advocacy case/preload/en"' in form.group(0)
    assert f'value="{prefix}"' in form.group(0)  # the case prefix (this test's own)
    assert "Create case page" in form.group(0)


def test_needs_attention_first_with_edit_links_and_broken_rows_marked(
    admin: WikiClient, hub: str, prefix: str
) -> None:
    _active, grouped = region_bodies(admin.page_text(hub) or "")
    lines = grouped.splitlines()
    first_row = next(i for i, x in enumerate(lines) if x.startswith("|- data-advocacy-case"))
    assert lines.index("=== Needs attention ===") < first_row
    row = next(x for x in lines if f'data-advocacy-case="{prefix}India"' in x)
    assert "advocacyhub-index-invalid" in row
    html = admin.parse_html(hub)
    assert f'href="/index.php/Special:EditPage/{prefix}India"'.replace(" ", "_") in html
    assert 'href="/index.php/Template:Advocacy_case#Codes"' in html
    assert 'class="advocacyhub-index-row-problem"' in html


def test_the_chinese_hub_links_chinese_translations_and_is_in_chinese(
    admin: WikiClient, hub: str, prefix: str
) -> None:
    chinese = f"{hub}/zh"
    (body,) = region_bodies(admin.page_text(chinese) or "")
    assert f"[[:{prefix}Kenya/zh|Access blocks in Kenya]]" in body
    html = admin.parse_html(chinese)
    assert '<div class="advocacyhub-hub-page" lang="zh" dir="ltr">' in html
    assert 'value="Template:Advocacy case/preload/zh"' in html
    bar = re.search(r'<div class="advocacyhub-language-bar".*?</div>', html, re.S)
    assert bar is not None and '<b><span lang="zh" dir="ltr">中文</span></b>' in bar.group(0)
    english_bar = re.search(r'<div class="advocacyhub-language-bar".*?</div>',
                            admin.parse_html(hub), re.S)  # fmt: skip
    assert english_bar is not None and "中文" in english_bar.group(0)


def test_the_changed_note_stays_when_nothing_changed_and_moves_when_a_case_does(
    admin: WikiClient, devwiki: Devwiki, hub: str, iconfig: Config, prefix: str
) -> None:
    before = admin.page_text(hub) or ""
    dates = re.findall(r'data-changed="([0-9-]+)"', before)
    assert len(dates) == 2
    # a later run with nothing changed: no edit at all, so the note cannot move
    assert run_index(iconfig).report.edits == []
    # an old date (as if the view last changed long ago) survives a run without change...
    aged = before.replace(f'data-changed="{dates[0]}"', 'data-changed="2020-01-01"', 1).replace(
        f"last changed on {dates[0]}.", "last changed on 2020-01-01.", 1
    )
    admin.edit(hub, aged, "as if written long ago")  # a manual edit inside the region...
    run_index(iconfig)  # ...is replaced by the bot's own last rendering: its date
    kept = admin.page_text(hub) or ""
    assert re.findall(r'data-changed="([0-9-]+)"', kept) == dates
    # ...and a changed case moves the note of the lists that show it
    import_pages(
        devwiki,
        [
            {
                "title": f"{prefix}France",
                "text": case("Panorama in France", "europe", "active", "2015-06"),
            }
        ],
    )
    edits = run_index(iconfig).report.edits
    assert [e.title for e in edits] == [hub, f"{hub}/zh"]  # both show France now
    assert "updated: Panorama in France" in edits[0].summary
