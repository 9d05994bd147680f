"""A status table a translator can act on (issue #14 point 4), on the local wiki.

* every page's cell links to where the work is done: a hand translation's subpage (a red link to
  create it when missing); an outdated hand translation the source's changes since the revision
  it was made from (the bot looks that revision up, and the wiki's own diff shows the change);
  a page with translation units its translation page (the local wiki has no Translate);
* a page under the prefix with no translation at all is listed under the table, with a link per
  language to start it, and counts for no row;
* the wiki renders those links as links to the intended pages.

The expected revision ids and texts are read from the wiki, not from the code under test.
"""

from __future__ import annotations

from typing import Any

from bots.config.model import Config
from tests.support.devwiki import Devwiki, import_pages
from tests.support.mwapi import WikiClient
from tests.wiki.test_translation_support import (
    cell_lines,
    cell_links,
    cells,
    regions,
    row_pages,
    run_translations,
    status_page,
    translations_config,
    units_page,
)


def test_cells_link_to_the_work_and_untranslated_pages_are_listed(
    config: Config, prefix: str, devwiki: Devwiki, admin: WikiClient
) -> None:
    manual, guide, lonely = f"{prefix}Manual", f"{prefix}Guide", f"{prefix}Lonely"
    title = f"{prefix}Status"
    pages: list[dict[str, Any]] = [
        {"title": manual, "revisions": [
            {"text": "The manual, first version.", "age_days": 30, "user": "Tester2"},
            {"text": "The manual, second version.", "age_days": 5, "user": "Tester2"},
        ]},
        {"title": f"{manual}/fr", "text": "Le manuel, première version.", "age_days": 20,
         "user": "Tester1"},
        {"title": f"{manual}/de", "text": "Das Handbuch, zweite Fassung.", "age_days": 2,
         "user": "Tester1"},
        units_page(guide, 2, age_days=30),
        {"title": f"Translations:{guide}/1/fr", "text": "Paragraphe 1.", "age_days": 3},
        {"title": lonely, "text": "Nobody has translated this yet.", "age_days": 10},
        {"title": title, "text": status_page(f"prefix={prefix}|languages=fr, de, es"),
         "age_days": 1},
    ]  # fmt: skip
    import_pages(devwiki, pages)

    result = run_translations(translations_config(config, prefix))
    assert result.exit_code == 0, result.error
    (body,) = regions(admin.page_text(title) or "")

    # the source revision the French translation was made from: the one current 20 days ago
    first, second = sorted(admin.revisions(manual, props="ids"), key=lambda r: r["revid"])
    links = cell_links(body)
    assert links == {
        f"{manual}/fr": f"Special:Diff/{first['revid']}/cur",  # outdated: what changed since
        f"{manual}/de": f"{manual}/de",  # up to date: the translation
        f"{manual}/es": f"{manual}/es",  # missing: the page to create
        f"{guide}/fr": f"{guide}/fr",
        f"{guide}/de": f"{guide}/de",
        f"{guide}/es": f"{guide}/es",
    }
    # the diff the cell opens is the source's change since the translation
    compare = admin.get(action="compare", fromrev=first["revid"], torelative="cur")["compare"]
    assert compare["torevid"] == second["revid"]
    assert ">first</del>" in compare["body"] and ">second</ins>" in compare["body"]

    # figures and state symbols in every cell: colour is never the only cue
    shown = cells(body)
    assert shown[f"{manual}/fr"].startswith("outdated: ")
    assert shown[f"{manual}/de"] == "up to date" and shown[f"{manual}/es"] == "missing"
    assert shown[f"{guide}/fr"] == "50%<br /><small>0 outdated</small>"
    lines = cell_lines(body)
    assert lines[f"{manual}/fr"].startswith("↻ ") and lines[f"{manual}/de"].startswith("✓ ")
    assert lines[f"{manual}/es"].startswith("○ ") and lines[f"{guide}/fr"].startswith("◐ ")

    # the page without any translation: no row, but listed with links to start it
    assert sorted(row_pages(body)) == [guide, manual]
    assert "Not translated into any language yet (one page):" in body
    assert (
        f"* [[:{lonely}|Lonely]]: [[:{lonely}/fr|fr]] · [[:{lonely}/de|de]] · [[:{lonely}/es|es]]"
    ) in body

    # the wiki renders them as links to those pages (red links where the page is missing)
    html = admin.parse_html(title)
    assert f"Special:Diff/{first['revid']}/cur" in html
    assert "Lonely/fr&amp;action=edit&amp;redlink=1" in html
    assert "Manual/de" in html and 'class="new"' in html
