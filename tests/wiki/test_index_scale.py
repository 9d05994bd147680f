"""The index job with case pages too big to come back in one API response.

MediaWiki caps one API result at 8 MB ($wgAPIMaxResultSize) and continues the rest in further
responses. 45 case pages of about 200 KB each are read in one batch (about 9 MB of text): every
one of them must still be read, parsed and listed.
"""

from __future__ import annotations

from bots.config.model import Config
from tests.support.devwiki import Devwiki, import_pages
from tests.support.mwapi import WikiClient
from tests.wiki.test_index_support import index_config, marker, region_bodies, row_pages, run_index

FILLER = ("Background paragraph of a long case page. " * 24 + "\n\n") * 200  # 202,000 bytes


def test_case_texts_beyond_the_api_result_limit_are_all_read(
    config: Config, prefix: str, devwiki: Devwiki, admin: WikiClient
) -> None:
    cfg = index_config(config, case_prefix=prefix, edit_prefix=prefix)
    cases = [
        {"title": f"{prefix}Case {n:02d}", "age_days": 2,
         "text": f"{{{{Advocacy case|title=Big case {n:02d}|region=europe|status=active}}}}\n"
                 + FILLER}
        for n in range(45)
    ]  # fmt: skip
    title = f"{prefix}Index"
    import_pages(devwiki, [*cases, {"title": title, "text": marker("columns=title")}])
    assert len(FILLER) * 45 > 8 * 1024 * 1024

    result = run_index(cfg)
    assert result.exit_code == 0, result.error
    assert result.report.notes[0] == (
        "45 cases on 45 pages (45 parsed, 0 from cache), 0 need attention"
    )
    (body,) = region_bodies(admin.page_text(title) or "")
    assert row_pages(body, prefix) == [f"Case {n:02d}" for n in range(45)]
