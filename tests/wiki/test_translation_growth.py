"""Status tables survive the wiki's growth (issue #17 point 2), on the local wiki.

* a prefix table counts only what it shows: hundreds of untranslated pages and the bot's own
  digest archives under the prefix neither show nor count towards the 500-row limit;
* over the limit the table shows its first rows and says how many of how many, and the edit
  summary calls the other cells "left out", never "removed";
* a marker naming a page or prefix in a namespace that cannot hold translations (Special:,
  Media:), on another wiki, or no title at all, is that region's error box, never the job's
  crash: the other table on the page and the other page are updated, the run fails (exit 1)
  naming the page.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from bots.config.model import Config
from tests.support.devwiki import Devwiki, import_pages
from tests.support.mwapi import WikiClient
from tests.support.requestlog import RequestLog, api_requests, count_writes
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
    cfg = translations_config(config, prefix)
    digest = dataclasses.replace(cfg.digest, archive_prefix=f"{prefix}Digest/Archive/")
    return dataclasses.replace(cfg, digest=digest)


def test_a_prefix_counts_what_it_shows_and_past_500_shows_what_fits(
    tconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient, request_log: RequestLog
) -> None:
    title = f"{prefix}Status"
    guides = [units_page(f"{prefix}Guide/G{n:03d}", 1, age_days=20) for n in range(490)]
    pages: list[dict[str, Any]] = [
        *guides,
        {"title": f"Translations:{prefix}Guide/G000/1/fr", "text": "Un paragraphe.",
         "age_days": 5},
        # 100 pages nobody translates, and the bot's own digest archives
        *(hand_page(f"{prefix}Plain/P{n:03d}", "Nothing to translate.") for n in range(100)),
        *(hand_page(f"{prefix}Digest/Archive/2024-W{n:02d}", "== Digest ==\nNews.",
                    user="AdvocacyBot") for n in range(1, 21)),
        {"title": title, "text": status_page(f"prefix={prefix}|languages=fr"), "age_days": 1},
    ]  # fmt: skip
    import_pages(devwiki, pages)

    mark = request_log.mark()
    first = run_translations(tconfig)
    assert first.exit_code == 0, first.error
    (body,) = regions(admin.page_text(title) or "")
    rows = row_pages(body)
    assert len(rows) == 490 and not any("Plain/" in r for r in rows) and "Digest/" not in body
    # the untranslated pages are no rows and count for nothing, but are listed under the
    # table (#14: a translator sees what has no translation at all), the first 50 of them
    assert "Not translated into any language yet (100 pages):" in body
    assert f"* [[:{prefix}Plain/P049|Plain/P049]]: [[:{prefix}Plain/P049/fr|fr]]" in body
    assert f"{prefix}Plain/P050" not in body and "…and 50 more pages." in body
    assert "Translation status of 490 pages in one language." in body
    assert "Only the first" not in body
    assert [e.summary for e in first.report.edits] == [
        "Translation status: table created (490 cells)"
    ]
    assert cells(body)[f"{prefix}Guide/G000/fr"] == "100%<br /><small>0 outdated</small>"
    # the cost of 611 pages under the prefix: listings of 5,000 titles, batched reads
    requests = api_requests(request_log.since(mark))
    assert count_writes(request_log.since(mark)) == 1
    # (besides the wiki's language data, asked once on a cold state folder: see
    # test_languageinfo.py; its parts depend on the wiki's time budget)
    language = [r for r in requests if "languageinfo" in r.params.get("meta", "")]
    assert len(requests) - len(language) <= 20, [r.params for r in requests]

    # 15 more pages, sorting before the others: 505 rows, the last 5 are left out
    import_pages(devwiki, [units_page(f"{prefix}Guide/A{n:02d}", 1, age_days=2)
                           for n in range(15)])  # fmt: skip
    second = run_translations(tconfig)
    assert second.exit_code == 0, second.error
    (body,) = regions(admin.page_text(title) or "")
    shown = row_pages(body)
    assert len(shown) == 500 and shown[:15] == [f"{prefix}Guide/A{n:02d}" for n in range(15)]
    assert shown[-1] == f"{prefix}Guide/G484"
    assert ("Only the first 500 of 505 pages are shown: the whole table would be too large."
            in body)  # fmt: skip
    assert [e.summary for e in second.report.edits] == [
        "Translation status: 15 cells added; 5 cells left out at the table's size limit"
    ]


BAD_MARKERS = {
    "prefix=Special:AllPages": 'is in a namespace whose pages cannot be translated',
    "prefix=Special:": 'is in a namespace whose pages cannot be translated',
    "pages=Media:Example.png": 'is in a namespace whose pages cannot be translated',
    "pages=Special:Version": 'is in a namespace whose pages cannot be translated',
    "prefix=wikipedia:Advocacy/": "names a page on another wiki",
    "pages=metawikimedia:Advocacy/Guide": "names a page on another wiki",
    "pages=Help:": "is not a valid page title",
}


def test_markers_naming_special_media_or_other_wikis_are_that_regions_error(
    tconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient
) -> None:
    title, other = f"{prefix}Status", f"{prefix}Other status"
    markers = [*BAD_MARKERS, f"prefix={prefix}Guide|languages=fr"]
    import_pages(devwiki, [
        units_page(f"{prefix}Guide", 2),
        {"title": f"Translations:{prefix}Guide/1/fr", "text": "Un.", "age_days": 5},
        {"title": title, "text": status_page(*markers), "age_days": 1},
        {"title": other, "text": status_page(f"pages={prefix}Guide|languages=fr, de"),
         "age_days": 1},
    ])  # fmt: skip

    result = run_translations(tconfig)
    assert result.exit_code == 1  # no traceback: the run fails, naming the page and why
    report = result.report
    assert sorted(e.title for e in report.edits) == [other, title]
    bodies = regions(admin.page_text(title) or "")
    assert len(bodies) == len(markers)
    for (marker, words), body in zip(BAD_MARKERS.items(), bodies, strict=False):
        assert body.startswith('<div class="error advocacyhub-translations-error"'), marker
        assert words in body, (marker, body)
    assert cells(bodies[-1])[f"{prefix}Guide/fr"] == "50%<br /><small>0 outdated</small>"
    (single,) = regions(admin.page_text(other) or "")
    assert cells(single)[f"{prefix}Guide/de"] == "0%<br /><small>0 outdated</small>"
    failures = [(f.title, f.reason.split(":")[0]) for f in report.failures]
    assert failures == [(title, f"the table on line {line} shows an error box")
                        for line in range(3, 3 + 3 * len(BAD_MARKERS), 3)]  # fmt: skip
