"""Redirects to the status markers (issue 15: their names come along with other reads, no
request of their own), on the local wiki: a start marker written through a redirect, an end
marker written through a redirect, both; text after an end marker written through a redirect
is never taken into the table.

The expected cells are written out, not computed by the code under test.
"""

from __future__ import annotations

import secrets

from bots.config.model import Config
from tests.support.devwiki import Devwiki, import_pages
from tests.support.mwapi import WikiClient
from tests.support.requestlog import RequestLog, api_requests
from tests.wiki.test_translation_support import (
    END,
    START,
    cells,
    hand_page,
    run_translations,
    translations_config,
)


def test_markers_written_through_redirects_are_found_without_a_request_of_their_own(
    config: Config, prefix: str, devwiki: Devwiki, admin: WikiClient, request_log: RequestLog
) -> None:
    cfg = translations_config(config, prefix, languages=("fr",))
    token = secrets.token_hex(3)
    start_alias, end_alias = f"Status start {token}", f"Status end {token}"
    handbook, title, other = f"{prefix}Handbook", f"{prefix}Status", f"{prefix}Status ends"
    plain = (  # the end marker under its own name: its redirects cost no request
        f"{{{{{start_alias}|pages={handbook}}}}}\nold\n{{{{{END}}}}}\nHuman text."
    )
    ends = (  # end markers through a redirect: the first scan misses them, the second not
        f"{{{{{start_alias}|pages={handbook}}}}}\nold one\n{{{{{end_alias}}}}}\n"
        f"Human text after the first table.\n"
        f"{{{{{START}|pages={handbook}}}}}\nold two\n{{{{{end_alias}}}}}\n"
        f"{{{{{start_alias}|pages={handbook}}}}}\nold three\n{{{{{END}}}}}\n"
        "Human text at the end."
    )
    import_pages(devwiki, [
        {"title": f"Template:{start_alias}", "text": f"#REDIRECT [[Template:{START}]]",
         "age_days": 5},
        {"title": f"Template:{end_alias}", "text": f"#REDIRECT [[Template:{END}]]",
         "age_days": 5},
        hand_page(handbook, age_days=30), hand_page(f"{handbook}/fr", "Le manuel.", age_days=2),
        {"title": title, "text": plain, "age_days": 1},
    ])  # fmt: skip

    mark = request_log.mark()
    result = run_translations(cfg)
    assert result.exit_code == 0, result.error
    requests = api_requests(request_log.since(mark))
    # the marker names came with other reads: no request asks for template redirects alone
    alone = [r for r in requests if "redirects" in r.params.get("prop", "") and all(
        t.startswith("Template:") for t in r.params.get("titles", "").split("|"))]  # fmt: skip
    assert alone == [], [r.params for r in alone]
    saved = admin.page_text(title) or ""
    assert "old" not in saved and saved.endswith(f"{{{{{END}}}}}\nHuman text.")
    assert cells(saved) == {f"{handbook}/fr": "up to date", f"{handbook}/*": (
        "100%<br /><small>0 outdated</small>")}  # fmt: skip

    import_pages(devwiki, [{"title": other, "text": ends, "age_days": 1}])
    result = run_translations(cfg)
    assert result.exit_code == 0, result.error
    saved = admin.page_text(other) or ""
    assert saved.count(f'data-cell="{handbook}/fr"') == 3, saved
    assert "old one" not in saved and "old two" not in saved and "old three" not in saved
    assert "\nHuman text after the first table.\n" in saved
    assert saved.endswith("Human text at the end.")
    assert saved.count(f"{{{{{end_alias}}}}}") == 2 and saved.count(f"{{{{{END}}}}}") == 1
