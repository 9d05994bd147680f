"""The fuzzy cache on the local wiki (issue 15): unit texts are read only for revisions the
bot has not read itself; a cache file that is not as written is ignored whole (every unit is
read again) and the table says the same; a unit marked outdated in a new revision is seen.

The expected cells are written out, not computed by the code under test.
"""

from __future__ import annotations

import json

from bots.config.model import Config
from tests.support.devwiki import Devwiki, import_pages
from tests.support.mwapi import WikiClient
from tests.support.requestlog import RequestLog, api_requests
from tests.wiki.test_translation_support import (
    cells,
    regions,
    run_translations,
    status_page,
    translations_config,
    units_page,
)


def unit_text_reads(log: RequestLog, mark: int) -> list[str]:
    """The ``titles`` of requests that read unit pages by title (their texts)."""
    return [r.params["titles"] for r in api_requests(log.since(mark))
            if "Translations:" in (r.params.get("titles") or "")]  # fmt: skip


def test_cached_revisions_are_not_read_again_and_a_bad_file_is_ignored_whole(
    config: Config, prefix: str, devwiki: Devwiki, admin: WikiClient, request_log: RequestLog
) -> None:
    cfg = translations_config(config, prefix, languages=("fr", "de"))
    guide, title = f"{prefix}Guide", f"{prefix}Status"
    import_pages(devwiki, [
        units_page(guide, 4, age_days=30),
        *({"title": f"Translations:{guide}/{n}/fr", "text": f"Paragraphe {n}.", "age_days": 10}
          for n in (1, 2, 3)),
        {"title": f"Translations:{guide}/4/fr", "text": "!!FUZZY!!Paragraphe 4.",
         "age_days": 10},
        {"title": title, "text": status_page(f"pages={guide}|languages=fr"), "age_days": 1},
    ])  # fmt: skip
    expected = {f"{guide}/fr": "75%<br /><small>1 outdated</small>"}

    assert run_translations(cfg).exit_code == 0
    (body,) = regions(admin.page_text(title) or "")
    assert {k: v for k, v in cells(body).items() if "*" not in k} == expected
    cache_file = cfg.state_path / "cache" / "translation-units-advocacydev-en.json"
    entries = json.loads(cache_file.read_text(encoding="utf-8"))["entries"]
    assert {t: fuzzy for t, (_rev, fuzzy) in entries.items()} == {
        f"Translations:{guide}/1/fr": False, f"Translations:{guide}/2/fr": False,
        f"Translations:{guide}/3/fr": False, f"Translations:{guide}/4/fr": True,
    }  # fmt: skip

    # nothing changed: no unit text is read
    mark = request_log.mark()
    assert run_translations(cfg).exit_code == 0
    assert unit_text_reads(request_log, mark) == []

    # one malformed entry: the whole file is ignored and every unit read again, same table
    data = json.loads(cache_file.read_text(encoding="utf-8"))
    data["entries"][f"Translations:{guide}/1/fr"] = ["12", True]
    cache_file.write_text(json.dumps(data), encoding="utf-8")
    mark = request_log.mark()
    result = run_translations(cfg)
    assert result.exit_code == 0 and not result.report.edits
    reads = unit_text_reads(request_log, mark)
    assert len(reads) == 1 and reads[0].count("Translations:") == 4  # one batch, all four

    # a person marks unit 2 outdated: a new revision, read; the cell changes
    WikiClient.login_as(devwiki, "Tester1").edit(
        f"Translations:{guide}/2/fr", "!!FUZZY!!Paragraphe 2.", "source changed")
    mark = request_log.mark()
    assert run_translations(cfg).exit_code == 0
    assert unit_text_reads(request_log, mark) == [f"Translations:{guide}/2/fr"]
    (body,) = regions(admin.page_text(title) or "")
    assert cells(body)[f"{guide}/fr"] == "50%<br /><small>2 outdated</small>"
