"""One page's input never stops the translations job (issue #11 point 2), on the local wiki.

Beside two ordinary status pages: a page of hostile markers (a superscript "number", pseudo and
misspelt language codes, thirty unknown parameters, six hundred pages, a special page) and an
ordinary table on the same page; and a page whose own text leaves no room for any table. The
hostile markers get their error boxes, the table beside them is kept current, the page without
room is not saved, the ordinary pages are updated in the same run, and the run fails (exit 1)
naming each page and why.
"""

from __future__ import annotations

import pytest

from bots.config.model import Config
from tests.support.devwiki import Devwiki, import_pages
from tests.support.mwapi import WikiClient
from tests.wiki.test_translation_support import (
    cells,
    regions,
    run_translations,
    status_page,
    translations_config,
    units_page,
)


@pytest.fixture
def tconfig(config: Config, prefix: str) -> Config:
    return translations_config(config, prefix)


def test_a_hostile_marker_page_beside_normal_ones(
    tconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient
) -> None:
    guide = f"{prefix}Guide"
    ordinary, other = f"{prefix}Status A", f"{prefix}Status C"
    hostile, crowded = f"{prefix}Status hostile", f"{prefix}Status crowded"
    unknown = "|".join(f"colour{n}=blue" for n in range(30))
    many = ", ".join(f"{prefix}P{n}" for n in range(600))
    hostile_markers = [
        f"prefix={guide}|needed=²",
        f"prefix={guide}|languages=qqq, frr-x, fra",
        f"prefix={guide}|lang=qqx",
        f"prefix={guide}|{unknown}",
        f"pages={many}",
        "prefix=Special:",
        f"prefix={guide}|languages=de",  # an ordinary table among them
    ]
    filler = ("Text of the page's own, which leaves the bot no room. " * 20 + "\n") * 1800
    import_pages(devwiki, [
        units_page(guide, 2),
        {"title": f"Translations:{guide}/1/fr", "text": "Un.", "age_days": 5},
        {"title": f"Translations:{guide}/1/de", "text": "Eins.", "age_days": 5},
        {"title": ordinary, "text": status_page(f"prefix={guide}|languages=fr"), "age_days": 1},
        {"title": hostile, "text": status_page(*hostile_markers), "age_days": 1},
        {"title": crowded, "text": filler + status_page(f"prefix={guide}|languages=fr"),
         "age_days": 1},
        {"title": other, "text": status_page(f"pages={guide}|languages=es"), "age_days": 1},
    ])  # fmt: skip
    crowded_before = admin.page_text(crowded)
    assert crowded_before is not None and len(crowded_before.encode()) > 1_900_000

    result = run_translations(tconfig)
    assert result.exit_code == 1
    report = result.report
    assert sorted(e.title for e in report.edits) == sorted([ordinary, hostile, other])
    assert cells(regions(admin.page_text(ordinary) or "")[0])[f"{guide}/fr"].startswith("50%")
    assert f"{guide}/es" in cells(regions(admin.page_text(other) or "")[0])
    assert admin.page_text(crowded) == crowded_before  # not saved, not one byte

    boxes = regions(admin.page_text(hostile) or "")
    assert len(boxes) == len(hostile_markers)
    assert "needed must be a whole number from 0 to 20, not" in boxes[0]
    assert boxes[1].count("is not the code of a language the bot knows") == 3
    assert "in <bdi>lang</bdi> is not the code of a language the bot knows" in boxes[2]
    assert boxes[3].count("* Unknown parameter") == 10 and "…and 20 more problems." in boxes[3]
    assert "pages lists more than 500 pages" in boxes[4]
    assert "is in a namespace whose pages cannot be translated" in boxes[5]
    assert cells(boxes[6])[f"{guide}/de"].startswith("50%")  # the table beside them

    assert {f.title for f in report.failures} == {hostile, crowded}
    lines = [f.reason.split(":")[0] for f in report.failures if f.title == hostile]
    assert lines == [f"the table on line {3 + 3 * n} shows an error box" for n in range(6)]
    (too_big,) = [f.reason for f in report.failures if f.title == crowded]
    assert too_big.startswith("the page would be ")
    assert too_big.endswith(" bytes, over the 1887436 the bot writes (the wiki allows 2097152); "
                            "not saved")  # fmt: skip
    assert any(n.startswith(f"{hostile}: the table on line 3 shows an error box: needed must")
               for n in report.notes)  # fmt: skip


def test_a_page_whose_save_fails_is_reported_and_the_others_are_saved(
    tconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from bots.translations import job

    guide, first, second = f"{prefix}Guide", f"{prefix}Status 1", f"{prefix}Status 2"
    import_pages(devwiki, [
        units_page(guide, 2),
        {"title": first, "text": status_page(f"pages={guide}|languages=fr"), "age_days": 1},
        {"title": second, "text": status_page(f"pages={guide}|languages=de"), "age_days": 1},
    ])  # fmt: skip
    real = job.publish

    def publish(session, update, *args, **kwargs):  # type: ignore[no-untyped-def]
        if update.page.snapshot.title == first:
            raise RuntimeError("the save of this page broke")
        return real(session, update, *args, **kwargs)

    monkeypatch.setattr(job, "publish", publish)
    result = run_translations(tconfig)
    assert result.exit_code == 1
    assert [(f.title, f.reason) for f in result.report.failures] == [
        (first, "could not be saved: RuntimeError: the save of this page broke")
    ]
    assert [e.title for e in result.report.edits] == [second]
    assert f"{guide}/de" in cells(regions(admin.page_text(second) or "")[0])
