"""The circuit breaker of status tables (issue #17 point 2), on the local wiki.

A table that would lose many rows at once (translations deleted, pages blanked or moved away)
is not saved until an operator passes ``--force``; the run fails naming the page, and every
other page is still updated. The breaker compares with the bot's own last rendering: rows a
person inserted by hand neither trip it nor stay, and a person's edit inside the table does not
hide a real loss from it.
"""

from __future__ import annotations

import pytest

from bots.config.model import Config
from tests.support.devwiki import Devwiki, import_pages
from tests.support.mwapi import WikiClient
from tests.wiki.test_translation_support import (
    cells,
    hand_page,
    regions,
    row_pages,
    run_translations,
    status_page,
    translations_config,
    units_page,
)


@pytest.fixture
def tconfig(config: Config, prefix: str) -> Config:
    return translations_config(config, prefix, max_removed_share=0.3, min_removed_rows=3)


def fake_rows(prefix: str, count: int) -> str:
    return "\n".join(
        f'|-\n! scope="row" | [[:{prefix}Doc/Fake{n}|Fake{n}]]\n'
        f'| data-cell="{prefix}Doc/Fake{n}/fr" data-sort-value="100" style="" | up to date'
        for n in range(count)
    )


def test_mass_loss_is_held_until_force_and_hand_inserted_rows_never_trip_it(
    tconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient, tester1: WikiClient
) -> None:
    table, other = f"{prefix}Status", f"{prefix}Guide status"
    docs = [f"{prefix}Doc/D{n}" for n in range(8)]
    import_pages(devwiki, [
        *(hand_page(doc, age_days=30) for doc in docs),
        *(hand_page(f"{doc}/fr", "Traduit.", age_days=10, user="Tester1") for doc in docs),
        units_page(f"{prefix}Guide", 2),
        {"title": table, "text": status_page(f"prefix={prefix}Doc/|languages=fr"),
         "age_days": 1},
        {"title": other, "text": status_page(f"pages={prefix}Guide|languages=fr"),
         "age_days": 1},
    ])  # fmt: skip
    first = run_translations(tconfig)
    assert first.exit_code == 0, first.error
    written = admin.page_text(table) or ""
    assert row_pages(regions(written)[0]) == docs

    # 20 rows inserted by hand: replaced by the bot's rendering, and no breaker
    vandalised = written.replace("\n|- class=\"sortbottom\"", "\n" + fake_rows(prefix, 20)
                                 + "\n|- class=\"sortbottom\"")  # fmt: skip
    tester1.edit(table, vandalised, "more rows")
    second = run_translations(tconfig)
    assert second.exit_code == 0, second.error
    assert admin.page_text(table) == written
    assert "replaced a manual edit inside the bot's table" in second.report.edits[0].summary

    # five of eight translations deleted, and someone edits inside the table meanwhile: held
    for doc in docs[:5]:
        admin.delete(f"{doc}/fr", "test: translations lost")
    touched = written.replace("All languages", "Every language")
    tester1.edit(table, touched, "wording")
    tester1.edit(f"Translations:{prefix}Guide/1/fr", "Un.", "a translation")
    held = run_translations(tconfig)
    assert held.exit_code == 1
    reason = ("circuit breaker: the table on line 3 would lose 5 of its 8 rows (more than 30%); "
              "not saved (pass --force to save anyway)")  # fmt: skip
    assert [(f.title, f.reason) for f in held.report.failures] == [(table, reason)]
    assert admin.page_text(table) == touched  # not one byte changed
    assert [e.title for e in held.report.edits] == [other]  # the other page is updated
    assert cells(regions(admin.page_text(other) or "")[0])[f"{prefix}Guide/fr"].startswith("50%")

    forced = run_translations(tconfig, force=True)
    assert forced.exit_code == 0, forced.error
    assert row_pages(regions(admin.page_text(table) or "")[0]) == docs[5:]
    assert (f"{table}: circuit breaker overridden by --force: the table on line 3 would lose "
            "5 of its 8 rows (more than 30%)") in forced.report.notes  # fmt: skip
