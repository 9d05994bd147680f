"""`advocacy-hub run translations` against the real local MediaWiki.

Scenario (under the test's own prefix): ``Guide`` has 12 translation units laid out as the
Translate extension stores them (``Translations:<page>/<n>/<lang>``): complete in French, 5 units
in Spanish, 12 in German of which 3 are fuzzy, none in Arabic (nor Chinese). ``Handbook`` is
translated by hand into subpages: ``/fr`` is older than the source's last edit, ``/zh`` newer.
The expected figures are written out below, not computed by the code under test.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.operations.jobs import run_job
from bots.outcomes import JobReport
from bots.run_options import RunOptions
from bots.translation_status.collect import case_translations, collect_statuses, translation_needs
from bots.translation_status.records import PageStatus, status_from_api
from bots.translations.table import render_status_view
from bots.translations.view import parse_status_view
from bots.wiki import translate_api
from bots.wiki.session import WikiSession
from bots.wiki.siteinfo import read_site_facts
from bots.wikitext.markers import strip_stamp
from tests.support.devwiki import Devwiki, import_pages
from tests.support.mwapi import WikiClient
from tests.support.requestlog import RequestLog, api_requests, count_writes
from tests.wiki.test_translation_support import cells as support_cells

RECORDED = Path(__file__).resolve().parents[1] / "unit" / "recorded" / "translate_api"
LANGUAGES = "fr, es, de, ar, zh"
START = "Advocacy translation status"
END = "Advocacy translation status end"


# ---------------------------------------------------------------------------------------------
# Fixtures and helpers


@pytest.fixture
def tconfig(config: Config, prefix: str) -> Config:
    """Only this test's pages may be edited: marker pages of other tests are skipped."""
    perms = dataclasses.replace(config.permissions, edit_prefixes=(prefix,))
    return dataclasses.replace(config, permissions=perms)


@pytest.fixture
def session(tconfig: Config, devwiki: Devwiki) -> WikiSession:
    s = WikiSession(tconfig)
    s.login()
    return s


def scenario(prefix: str, status_text: str) -> list[dict[str, Any]]:
    guide = f"{prefix}Guide"
    units = "\n\n".join(f"<!--T:{n}-->\nParagraph {n} of the guide." for n in range(1, 13))
    pages: list[dict[str, Any]] = [
        {"title": guide, "text": f"<languages/>\n<translate>\n{units}\n</translate>\n",
         "age_days": 40},
        {"title": f"{prefix}Handbook", "revisions": [
            {"text": "The handbook, first version.", "age_days": 30},
            {"text": "The handbook, second version.", "age_days": 5, "user": "Tester2"},
            # the bot's own later edit (e.g. a table it keeps there) outdates no translation
            {"text": "The handbook, second version.\n<!-- table -->", "age_days": 1,
             "user": "AdvocacyBot"},
        ]},
        {"title": f"{prefix}Handbook/fr", "text": "Le manuel.", "age_days": 20.5,
         "user": "Tester1"},
        {"title": f"{prefix}Handbook/zh", "text": "手册。", "age_days": 2, "user": "Tester1"},
        {"title": f"{prefix}Status", "text": status_text, "age_days": 1},
        # neither counts: a unit the source no longer has, and message documentation
        {"title": f"Translations:{guide}/13/fr", "text": "Ancien paragraphe.", "age_days": 35},
        {"title": f"Translations:{guide}/1/qqq", "text": "Documentation.", "age_days": 35},
    ]  # fmt: skip
    for n in range(1, 13):
        pages.append(
            {
                "title": f"Translations:{guide}/{n}/fr",
                "text": f"Paragraphe {n}.",
                "age_days": 10,
                "user": "Tester1",
            }
        )
        if n <= 5:
            pages.append(
                {
                    "title": f"Translations:{guide}/{n}/es",
                    "text": f"Párrafo {n}.",
                    "age_days": 9,
                    "user": "Tester2",
                }
            )
        fuzzy = "!!FUZZY!!" if n <= 3 else ""
        pages.append({"title": f"Translations:{guide}/{n}/de", "text": f"{fuzzy}Absatz {n}.",
                      "age_days": 8, "user": "Tester1"})  # fmt: skip
    return pages


def status_page(prefix: str, *markers: str) -> str:
    pairs = (f"{{{{{START}|{m}}}}}\nThe bot will fill this in.\n{{{{{END}}}}}" for m in markers)
    body = "\n".join(pairs)
    return f"Intro text that is ours.\n\n{body}\n\n[[Category:Kept]] Footer text."


def run(session: WikiSession, config: Config, **options: Any) -> JobReport:
    result = run_job("translations", session, config, RunOptions(out=io.StringIO(), **options))
    assert result.exit_code == 0, result.error
    return result.report


def regions(text: str) -> list[str]:
    """Bodies (stamp removed) between each pair of markers."""
    pattern = re.compile(r"\{\{" + START + r"\|[^}]*\}\}(.*?)\{\{" + END + r"\}\}", re.S)
    return [strip_stamp(m.group(1)) for m in pattern.finditer(text)]


def cells(body: str) -> dict[str, str]:
    return support_cells(body)  # the figures, without state symbols and links


def expected_cells(prefix: str) -> dict[str, str]:
    g, h = f"{prefix}Guide", f"{prefix}Handbook"

    def units(percent: int, outdated: int) -> str:
        return f"{percent}%<br /><small>{outdated} outdated</small>"

    return {
        f"{g}/fr": units(100, 0),
        f"{g}/es": units(41, 0),  # 5 of 12, rounded down
        f"{g}/de": units(75, 3),  # 9 current of 12, 3 fuzzy
        f"{g}/ar": units(0, 0),
        f"{g}/zh": units(0, 0),
        f"{g}/*": units(43, 3),  # 26 of 60
        f"{h}/fr": "outdated: 15 days behind the source",
        f"{h}/es": "missing",
        f"{h}/de": "missing",
        f"{h}/ar": "missing",
        f"{h}/zh": "up to date",
        f"{h}/*": units(20, 1),  # 1 of 5
        "*/fr": units(92, 1),  # 12 of 13
        "*/es": units(38, 0),  # 5 of 13
        "*/de": units(69, 3),  # 9 of 13
        "*/ar": units(0, 0),
        "*/zh": units(7, 0),  # 1 of 13
        "*/*": units(41, 4),  # 27 of 65
    }


# ---------------------------------------------------------------------------------------------
# Tests


def test_table_figures_second_run_and_one_more_fuzzy_unit(
    session: WikiSession, tconfig: Config, prefix: str, devwiki: Devwiki,
    admin: WikiClient, tester1: WikiClient, request_log: RequestLog,
) -> None:  # fmt: skip
    title = f"{prefix}Status"
    marker = f"prefix={prefix}|languages={LANGUAGES}"
    import_pages(devwiki, scenario(prefix, status_page(prefix, marker)))

    mark = request_log.mark()
    report = run(session, tconfig)
    requests_first = api_requests(request_log.since(mark))
    assert [e.title for e in report.edits] == [title]
    assert report.edits[0].summary == "Translation status: table created (10 cells)"
    assert not report.failures
    text = admin.page_text(title) or ""
    assert text.startswith(f"Intro text that is ours.\n\n{{{{{START}|prefix={prefix}|")
    assert text.endswith(f"{{{{{END}}}}}\n\n[[Category:Kept]] Footer text.")
    (body,) = regions(text)
    assert cells(body) == expected_cells(prefix)
    assert f"[[:{prefix}Guide|Guide]]" in body and f"[[:{prefix}Handbook|Handbook]]" in body
    assert body.count("\n|-") == 3  # two page rows and the totals row
    assert f"{prefix}Status" not in body  # the status page itself is not a source page

    # batched: the 29 unit pages of the wanted languages come in one request, not one each
    unit_reads = [r for r in requests_first if "Translations:" in (r.params.get("titles") or "")]
    assert len(unit_reads) == 1  # (the log shortens long values, so the 29 titles are not counted)
    # the prefix in the main namespace rides along with the titles' resolution; the unit pages
    # are listed with their revision ids (the fuzzy cache's key)
    (listing,) = [r for r in requests_first if r.params.get("list") == "allpages"]
    assert listing.params.get("titles")
    (units,) = [r for r in requests_first if r.params.get("generator") == "allpages"]
    assert "ids" in units.params.get("rvprop", "")
    assert count_writes(requests_first) == 1
    # besides the wiki's language data (meta=languageinfo: asked on a cold state folder, then
    # kept for a week; its parts depend on the wiki's time budget per request)
    language = [r for r in requests_first if "languageinfo" in r.params.get("meta", "")]
    assert 1 <= len(language) <= 5
    assert len(requests_first) - len(language) <= 16, [r.params for r in requests_first]

    # a second run changes nothing and writes nothing; no unit text is read again (cached by
    # revision id)
    mark = request_log.mark()
    report = run(session, tconfig)
    assert report.edits == [] and [u.title for u in report.unchanged] == [title]
    requests_second = api_requests(request_log.since(mark))
    assert count_writes(requests_second) == 0
    assert not [r for r in requests_second if "Translations:" in (r.params.get("titles") or "")]

    # one more fuzzy unit changes exactly that cell (and the totals that include it)
    unit = f"Translations:{prefix}Guide/3/fr"
    tester1.edit(unit, "!!FUZZY!!Paragraphe 3.", "source changed")
    mark = request_log.mark()
    report = run(session, tconfig)
    assert [e.summary for e in report.edits] == [
        f"Translation status: one cell changed: {prefix}Guide (fr) 100% → 91%"
    ]
    unit_reads = [r for r in api_requests(request_log.since(mark))
                  if "Translations:" in (r.params.get("titles") or "")]  # fmt: skip
    assert [r.params["titles"] for r in unit_reads] == [unit]  # the one changed revision only
    (after,) = regions(admin.page_text(title) or "")
    before_cells, after_cells = cells(body), cells(after)
    changed = {k for k in before_cells if before_cells[k] != after_cells[k]}
    g = f"{prefix}Guide"
    assert changed == {f"{g}/fr", f"{g}/*", "*/fr", "*/*"}
    assert after_cells[f"{g}/fr"] == "91%<br /><small>1 outdated</small>"
    assert after_cells[f"{g}/*"] == "41%<br /><small>4 outdated</small>"  # 25 of 60
    assert after_cells["*/fr"] == "84%<br /><small>2 outdated</small>"  # 11 of 13
    assert after_cells["*/*"] == "40%<br /><small>5 outdated</small>"  # 26 of 65
    table_lines = [line for line in body.splitlines() if line.startswith("| data-cell=")]
    after_lines = [line for line in after.splitlines() if line.startswith("| data-cell=")]
    assert len(table_lines) == len(after_lines)
    assert sum(a != b for a, b in zip(table_lines, after_lines, strict=True)) == 4


def test_recorded_translate_api_gives_the_same_table(
    session: WikiSession, tconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient
) -> None:
    title = f"{prefix}Status"
    params = f"prefix={prefix}|languages={LANGUAGES}"
    import_pages(devwiki, scenario(prefix, status_page(prefix, params)))
    run(session, tconfig)
    (body,) = regions(admin.page_text(title) or "")

    guide, handbook = f"{prefix}Guide", f"{prefix}Handbook"
    api = _recorded_api(guide, "messagegroupstats-guide-1.json", "messagegroupstats-guide-2.json")
    from_api = status_from_api(guide, translate_api.group_stats(api, guide), source_language="en")
    computed = collect_statuses(session, tconfig, [guide, handbook])
    assert _figures(from_api) == _figures(computed[guide])

    view = parse_status_view({"prefix": prefix, "languages": LANGUAGES})
    assert not isinstance(view, list)
    facts = read_site_facts(session)
    rendered = render_status_view(
        view,
        [from_api, computed[handbook]],
        Messages.load(),
        "en",
        content_language=facts.content_language,
        language_names=facts.language_names,
    )
    assert rendered == body


def test_single_page_rtl_view_error_box_and_text_around(
    session: WikiSession, tconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient
) -> None:
    title = f"{prefix}Status"
    text = status_page(
        prefix,
        f"pages=[[{prefix}Guide]]|languages=ar, fr|lang=ar",
        f"prefix={prefix}|sort=newest|colour=blue",
    )
    import_pages(devwiki, scenario(prefix, text))
    result = run_job("translations", session, tconfig, RunOptions(out=io.StringIO()))
    # the error box is saved with the other table, and the run fails naming the page and why
    assert result.exit_code == 1
    report = result.report
    assert [e.summary for e in report.edits] == [
        "حالة الترجمة: إنشاء الجدول (خانتان)؛ وسائط العلامة تحتاج إلى تصحيح (انظر الصفحة)"
    ]
    reason = (
        'the table on line 6 shows an error box: Unknown parameter "colour" (did you mean '
        '"sort"?). Unknown sort "newest"; use one of: page, language, complete, outdated.'
    )
    assert [(f.title, f.reason) for f in report.failures] == [(title, reason)]
    assert f"{title}: {reason}" in report.notes
    saved = admin.page_text(title) or ""
    single, errors = regions(saved)
    assert single.startswith('<div class="advocacyhub-translations" lang="ar" dir="rtl" ')
    assert cells(single) == {
        f"{prefix}Guide/ar": "0٪<br /><small>لا وحدات قديمة</small>",
        f"{prefix}Guide/fr": "100٪<br /><small>لا وحدات قديمة</small>",
        f"{prefix}Guide/*": "50٪<br /><small>لا وحدات قديمة</small>",
    }
    assert '! scope="row" | <bdi><bdi dir="rtl" lang="ar">العربية</bdi> (ar)</bdi>' in single
    assert errors.splitlines() == [
        '<div class="error advocacyhub-translations-error" lang="en" dir="ltr">',
        "This translation status table cannot be updated until its parameters are fixed:",
        '* Unknown parameter "<bdi>colour</bdi>" (did you mean "<bdi>sort</bdi>"?).',
        '* Unknown sort "<bdi>newest</bdi>"; use one of: '
        "<bdi>page, language, complete, outdated</bdi>.",
        "</div>",
    ]
    # outside the regions every byte is as it was
    between = re.compile(r"(\{\{" + START + r"\|[^}]*\}\}).*?(\{\{" + END + r"\}\})", re.S)
    assert between.sub(r"\1\2", saved) == between.sub(r"\1\2", text)
    assert admin.categories(title) == ["Category:Kept"]


def test_manual_edit_inside_the_table_is_replaced_and_named(
    session: WikiSession, tconfig: Config, prefix: str, devwiki: Devwiki,
    admin: WikiClient, tester2: WikiClient,
) -> None:  # fmt: skip
    title = f"{prefix}Status"
    import_pages(devwiki, scenario(prefix, status_page(prefix, f"prefix={prefix}|languages=fr")))
    run(session, tconfig)
    good = admin.page_text(title) or ""
    edited = good.replace("All languages", "All the languages (fixed by hand)")
    revid = tester2.edit(title, edited, "fixing the table")["newrevid"]
    report = run(session, tconfig)
    assert [e.summary for e in report.edits] == [
        "Translation status: layout updated; replaced a manual edit inside the bot's table "
        f"([[Special:Diff/{revid}]])"
    ]
    assert admin.page_text(title) == good
    assert any("replaced a manual edit" in n for n in report.notes)


def test_simulate_writes_nothing(
    tconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient, request_log: RequestLog
) -> None:
    title = f"{prefix}Status"
    import_pages(devwiki, scenario(prefix, status_page(prefix, f"prefix={prefix}")))
    session = WikiSession(tconfig, simulate=True)
    session.login()
    out = io.StringIO()
    mark = request_log.mark()
    options = RunOptions(simulate=True, diff=True, out=out)
    result = run_job("translations", session, tconfig, options)
    assert result.exit_code == 0
    assert [(e.title, e.simulated) for e in result.report.edits] == [(title, True)]
    assert count_writes(request_log.since(mark)) == 0
    assert "The bot will fill this in." in (admin.page_text(title) or "")
    assert f"+++ {title} (bot)" in out.getvalue()


def test_functions_for_the_digest_and_the_case_index(
    session: WikiSession, tconfig: Config, prefix: str, devwiki: Devwiki
) -> None:
    import_pages(devwiki, scenario(prefix, status_page(prefix, f"prefix={prefix}")))
    guide, handbook = f"{prefix}Guide", f"{prefix}Handbook"
    needs = translation_needs(session, tconfig, [handbook, guide], ["fr", "es", "de", "ar", "zh"])
    assert [(r.page, r.language, r.translated, r.outdated, r.total) for r in needs] == [
        (guide, "es", 5, 0, 12),
        (guide, "de", 9, 3, 12),
        (guide, "ar", 0, 0, 12),
        (guide, "zh", 0, 0, 12),
        (handbook, "fr", 0, 1, 1),
        (handbook, "es", 0, 0, 1),
        (handbook, "de", 0, 0, 1),
        (handbook, "ar", 0, 0, 1),
    ]
    fr = next(r for r in needs if r.page == handbook and r.language == "fr")
    assert fr.behind_days == 15 and fr.last_change  # the subpage's revision time
    langs = case_translations(session, tconfig, [guide, handbook])
    assert (langs[guide].existing, langs[guide].outdated) == (("de", "es", "fr"), ("de",))
    assert (langs[handbook].existing, langs[handbook].outdated) == (("fr", "zh"), ("fr",))


# ---------------------------------------------------------------------------------------------


def _recorded_api(title: str, *names: str) -> Any:
    """Recorded Translate responses (see tests/unit/test_translate_api.py), for ``title``."""
    answers = {}
    for name in names:
        data = json.loads((RECORDED / name).read_text(encoding="utf-8"))
        request = {**data["request"], "mgsgroup": translate_api.page_group(title)}
        answers[frozenset(request.items())] = data["response"]

    def api(**params: Any) -> dict[str, Any]:
        return answers[frozenset((k, str(v)) for k, v in params.items())]

    return api


def _figures(status: PageStatus) -> dict[str, tuple[int, int, int]]:
    """Figures per translation; Translate also reports the source language (as complete)."""
    return {
        r.language: (r.total, r.translated, r.outdated)
        for r in status.records
        if r.language != status.source_language
    }
