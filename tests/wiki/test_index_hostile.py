"""One page's input never stops the index job, on the real wiki: hostile marker pages (a page
whose lists cannot fit the wiki's maximum page size, adversarial parameter values) and a case
with an absurd field, beside ordinary pages. The ordinary pages are saved in the same run; the
hostile ones get their error boxes and are named in the needs-attention lists and the report;
the run exits 1 and says why."""

from __future__ import annotations

import pytest

from bots.config.model import Config
from bots.index.view_params import COLUMNS, MAX_COLUMNS
from tests.support.devwiki import Devwiki, import_pages
from tests.support.mwapi import WikiClient
from tests.wiki.test_index_support import index_config, marker, region_bodies, row_pages, run_index

ALL = ", ".join(COLUMNS)
HOSTILE_PARAMS = [
    "limit=99999999999999999999",
    "limit=١٢",
    "year=２０１９",
    "lang=qqq",
    "columns=" + ", ".join(["title"] * (MAX_COLUMNS + 1)),
    "country=" + "x" * 3000,
    "region=" + ",".join(["europe"] * 60),
]


@pytest.fixture
def iconfig(config: Config, prefix: str) -> Config:
    return index_config(config, case_prefix=prefix, edit_prefix=prefix)


def wide_case(n: int) -> str:
    countries = ", ".join(f"Land {n:02d}-{i:02d} " + "w" * 80 for i in range(50))
    return (
        f"{{{{Advocacy case|title=Wide case {n:02d}|region=europe|status=active|topic=copyright"
        f"|country={countries}|summary={'s' * 900}|lessons={'l' * 900}}}}}"
    )


def test_hostile_marker_pages_beside_ordinary_ones(
    iconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient
) -> None:
    absurd = ", ".join(f"Country number {i}" for i in range(3000))
    pages = [
        {"title": f"{prefix}Wide {n:02d}", "text": wide_case(n)} for n in range(12)
    ] + [
        {"title": f"{prefix}Absurd", "text": "{{Advocacy case|title=Absurd|region=africa"
                                              f"|status=active|country={absurd}}}}}"},
        {"title": f"{prefix}Ordinary", "text": "{{Advocacy case|title=An ordinary new case"
                                                "|region=africa|status=planned}}"},
        {"title": f"{prefix}Index A", "text": marker()},
        {"title": f"{prefix}Index C", "text": marker("columns=title, country|region=africa")},
        {"title": f"{prefix}Hostile params",
         "text": "\n".join(marker(p) for p in HOSTILE_PARAMS)},
        {"title": f"{prefix}Hostile size", "text": "\n".join(marker(f"columns={ALL}")
                                                              for _ in range(60))},
    ]  # fmt: skip
    import_pages(devwiki, [{**p, "age_days": 1, "user": "Tester1"} for p in pages])

    result = run_index(iconfig)
    report = result.report
    assert result.exit_code == 1
    failed = {f.title.removeprefix(prefix): f.reason for f in report.failures}
    assert list(failed) == ["Hostile size"]
    assert "larger than the wiki allows" in failed["Hostile size"]
    assert "Hostile size" in result.error
    saved = sorted(e.title.removeprefix(prefix) for e in report.edits)
    assert saved == ["Hostile params", "Hostile size", "Index A", "Index C"]

    # the ordinary pages: every case, the absurd one bounded, the hostile pages named
    (a,) = region_bodies(admin.page_text(f"{prefix}Index A") or "")
    assert len(row_pages(a, prefix)) == 14 and "An ordinary new case" in a
    assert "Country number 49" in a and "Country number 50" not in a
    assert "lists too many values; the lists show only the first 50" in a
    assert f"{prefix}Hostile size" in a and "larger than the wiki allows" in a
    (c,) = region_bodies(admin.page_text(f"{prefix}Index C") or "")
    assert row_pages(c, prefix) == ["Absurd", "Ordinary"]

    # the hostile pages: error boxes, each page well below the wiki's limit
    params_text = admin.page_text(f"{prefix}Hostile params") or ""
    boxes = region_bodies(params_text)
    assert len(boxes) == len(HOSTILE_PARAMS)
    assert all('class="error advocacyhub-index-error"' in b for b in boxes)
    assert "must be a whole number from 1 to 10000" in boxes[0] + boxes[1]
    assert "takes at most" in boxes[4] and "longer than 2000 characters" in boxes[5]
    size_text = admin.page_text(f"{prefix}Hostile size") or ""
    size_boxes = region_bodies(size_text)
    assert len(size_boxes) == 60
    assert all("This list is not shown: the page would be larger" in b for b in size_boxes)
    assert len(size_text.encode()) < 100_000

    # the next run changes nothing, and still says why it fails
    again = run_index(iconfig)
    assert again.exit_code == 1 and again.report.edits == []
    assert [f.title for f in again.report.failures] == [f"{prefix}Hostile size"]
