"""The index's languages column: which translations of a case exist, and which are outdated.

A hand translation (`Page/xx`) is outdated when a person edited the source after it; the
figures come from the translations job's `case_translations`, computed only when a view shows
the column.
"""

from __future__ import annotations

from bots.config.model import Config
from tests.support import Devwiki, RequestLog, WikiClient, import_pages
from tests.wiki.test_index_support import index_config, marker, region_bodies, run_index

CASE = (
    "{{{{Advocacy case|title={title}|region=europe|topic=copyright|status=active"
    "|start=2019}}}}\nSome text about the case."
)


def test_languages_column_marks_outdated_translations(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient, request_log: RequestLog
) -> None:
    source = f"{prefix}Cases/Directive"
    other = f"{prefix}Cases/Untranslated"
    import_pages(devwiki, [
        # the source was edited (by a person) after its French translation, before the Chinese
        {"title": source, "revisions": [
            {"text": CASE.format(title="Directive"), "user": "Tester1", "age_days": 30},
            {"text": CASE.format(title="Directive") + "\nMore.", "user": "Tester1",
             "age_days": 5},
        ]},
        {"title": f"{source}/fr", "revisions": [
            {"text": CASE.format(title="Directive (fr)"), "user": "Tester2", "age_days": 20},
        ]},
        {"title": f"{source}/zh", "revisions": [
            {"text": CASE.format(title="指令"), "user": "Tester2", "age_days": 1},
        ]},
        {"title": other, "revisions": [{"text": CASE.format(title="Untranslated"),
                                        "user": "Tester1", "age_days": 3}]},
    ])
    index = f"{prefix}Index"
    admin.edit(index, marker("columns=title,languages"), "test: an index with languages")
    cfg = index_config(config, case_prefix=f"{prefix}Cases/", edit_prefix=prefix)

    result = run_index(cfg)
    assert result.exit_code == 0, result.error
    [body] = region_bodies(admin.page_text(index) or "")
    rows = body.split("|- data-advocacy-case=")
    directive = next(r for r in rows if r.startswith(f'"{source}"'))
    untranslated = next(r for r in rows if r.startswith(f'"{other}"'))
    assert "français (outdated)" in directive
    assert "中文" in directive and "中文 (outdated)" not in directive
    assert "(outdated)" not in untranslated
    # the translation subpages are languages of the case, not cases of their own
    assert f'"{source}/fr"' not in body

    mark = request_log.mark()
    again = run_index(cfg)
    assert again.exit_code == 0 and not again.report.edits  # stable: no edit on a rerun
    assert not [r for r in request_log.since(mark) if r.is_write]
