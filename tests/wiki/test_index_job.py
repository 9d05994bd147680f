"""`advocacy-hub run index` against the real local MediaWiki: how the job treats the pages it
writes (exact text, markers, languages, summaries, edit conflicts, manual edits, the circuit
breaker). The 45-case corpus is in test_index_corpus.py; hostile values in
test_index_injection.py.

Every test reads cases and edits pages under its own prefix only (`iconfig`); the expected
texts are written out by hand from the on-wiki contract (docs/index.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

import bots.index.build
from bots.config.model import Config
from bots.operations.runlog import run_log_path
from tests.support.devwiki import Devwiki, import_pages
from tests.support.mwapi import WikiClient
from tests.support.requestlog import RequestLog, by_action, write_requests
from tests.wiki.test_index_support import (
    END,
    PLACEHOLDER,
    START,
    index_config,
    marker,
    outside_regions,
    region_bodies,
    row_pages,
    run_index,
    without_hash,
)

STAMP = "<!-- advocacy-hub: generated content, edits here are overwritten; hash=HASH -->"
DOCS = " ([[Advocacy Hub/Bot documentation|about this bot]])"
ZH_DOCS = "（[[Advocacy Hub/Bot documentation|关于此机器人]]）"
INDEX_HELP = "[[:Template:Advocacy case index#Parameters|allowed codes]]"


def changed_note() -> str:
    """The last line of a view the bot changed today (docs/index.md)."""
    today = datetime.now(UTC).date().isoformat()
    return (f'<div class="advocacyhub-index-changed" data-changed="{today}" '
            f'style="font-size:85%;">This list last changed on {today}.</div>')  # fmt: skip


@pytest.fixture
def iconfig(config: Config, prefix: str) -> Config:
    return index_config(config, case_prefix=prefix, edit_prefix=prefix)


def case_text(title: str, region: str, status: str, start: str = "", **more: str) -> str:
    lines = [f"|title = {title}", f"|region = {region}", f"|status = {status}"]
    if start:
        lines.append(f"|start = {start}")
    lines += [f"|{k} = {v}" for k, v in more.items()]
    return "{{Advocacy case\n" + "\n".join(lines) + "\n}}"


def three_cases(prefix: str) -> list[dict[str, Any]]:
    return [
        {"title": f"{prefix}Kenya", "age_days": 10,
         "text": case_text("Access blocks in Kenya", "africa", "active", "2021",
                           country="Kenya", topic="censorship")},
        {"title": f"{prefix}France", "age_days": 11,
         "text": case_text("Freedom of panorama in France", "europe", "partial", "2015-06",
                           end="2016-10-07", country="France",
                           topic="freedom-of-panorama, copyright")},
        {"title": f"{prefix}Directive", "age_days": 12,
         "text": case_text("EU copyright directive", "europe", "failure", "2016-09",
                           end="2019-04", country="Belgium; Germany", topic="copyright")},
    ]  # fmt: skip


def page_record(title: str, text: str, age_days: float = 1) -> dict[str, Any]:
    return {"title": title, "text": text, "age_days": age_days, "user": "Tester1"}


def revision_ids(client: WikiClient, title: str) -> list[int]:
    return [r["revid"] for r in client.revisions(title, props="ids")]


# ---------------------------------------------------------------------------------------------
# Exact text, several markers, text around them, second run


AROUND_BEFORE = (
    "Intro with  two spaces, a tab\there and trailing spaces   \n"
    "ünïcödé — “quotes”, 中文, العربية.\n"
    "<!-- {{Advocacy case index}} in a comment is not a marker -->\n"
    "<nowiki>{{Advocacy case index end}}</nowiki> is not one either.\n"
    "\n"
    "== Europe ==\n"
)


def test_exact_text_two_markers_and_the_text_around_them(
    iconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient, request_log: RequestLog
) -> None:
    title = f"{prefix}Index"
    text = (
        AROUND_BEFORE
        + f"{{{{{START}|region=europe|columns=title, status, start, end}}}}\n{PLACEHOLDER}\n"
        f"{{{{{END}}}}}\n"
        "Between the lists.\n"
        f"{{{{advocacy case index |status=active|group=region|chart=no}}}}{{{{{END}}}}}\n"
        "\n"
        "[[Category:Kept]] Footer."
    )
    import_pages(devwiki, [*three_cases(prefix), page_record(title, text)])

    result = run_index(iconfig)
    assert result.exit_code == 0, result.error
    (saved,) = result.report.edits
    assert saved.summary == (
        "Advocacy Hub: case index updated: 3 added, 0 updated, 0 removed; 3 cases in all; "
        "added: EU copyright directive, Freedom of panorama in France, Access blocks in Kenya"
        + DOCS
    )
    expected = (
        AROUND_BEFORE + f"{{{{{START}|region=europe|columns=title, status, start, end}}}}\n"
        f"{STAMP}\n"
        '<!-- advocacy-hub view: [["columns", "title, status, start, end"], '
        '["region", "europe"]] -->\n'
        '<div class="advocacyhub-index" lang="en" dir="ltr">\n'
        "Total: 2 cases.\n"
        '<div class="advocacyhub-index-scroll" style="overflow-x:auto;">\n'
        '{| class="wikitable sortable advocacyhub-index-table"\n'
        "! Title !! Status !! Start !! End\n"
        f'|- data-advocacy-case="{prefix}Directive"\n'
        f"| [[:{prefix}Directive|EU copyright directive]]\n"
        '| style="white-space:nowrap;" | Failure\n'
        '| style="white-space:nowrap;" | 2016-09\n'
        '| style="white-space:nowrap;" | 2019-04\n'
        f'|- data-advocacy-case="{prefix}France"\n'
        f"| [[:{prefix}France|Freedom of panorama in France]]\n"
        '| style="white-space:nowrap;" | Partial success\n'
        '| style="white-space:nowrap;" | 2015-06\n'
        '| style="white-space:nowrap;" | 2016-10-07\n'
        "|}\n"
        "</div>\n"
        "</div>\n"
        f"{changed_note()}\n"
        f"{{{{{END}}}}}\n"
        "Between the lists.\n"
        "{{advocacy case index |status=active|group=region|chart=no}}\n"
        f"{STAMP}\n"
        '<!-- advocacy-hub view: [["chart", "no"], ["group", "region"], '
        '["status", "active"]] -->\n'
        '<div class="advocacyhub-index" lang="en" dir="ltr">\n'
        "Total: 1 case.\n"
        "=== Africa ===\n"
        "1 case\n"
        '<div class="advocacyhub-index-scroll" style="overflow-x:auto;">\n'
        '{| class="wikitable sortable advocacyhub-index-table"\n'
        "! Title !! Status !! Country !! Topic !! Start !! End\n"
        f'|- data-advocacy-case="{prefix}Kenya"\n'
        f"| [[:{prefix}Kenya|Access blocks in Kenya]]\n"
        '| style="white-space:nowrap;" | Active\n'
        "| Kenya\n"
        "| Censorship and access blocks\n"
        '| style="white-space:nowrap;" | 2021\n'
        "|\n"
        "|}\n"
        "</div>\n"
        "</div>\n"
        f"{changed_note()}\n"
        f"{{{{{END}}}}}\n"
        "\n"
        "[[Category:Kept]] Footer."
    )
    page = admin.page_text(title) or ""
    assert without_hash(page) == expected
    assert admin.categories(title) == ["Category:Kept"]
    assert sorted(admin.templates(title)) == [f"Template:{START}", f"Template:{END}"]

    # a second run with no change on the wiki makes no edit: not even an attempt
    revisions = revision_ids(admin, title)
    mark = request_log.mark()
    again = run_index(iconfig)
    records = request_log.since(mark)
    assert again.exit_code == 0, again.error
    assert again.report.edits == [] and [u.title for u in again.report.unchanged] == [title]
    assert by_action(write_requests(records), "edit") == []
    assert write_requests(records) == []
    assert revision_ids(admin, title) == revisions


def test_lang_parameter_and_page_languages(
    iconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient
) -> None:
    english, chinese, arabic = f"{prefix}Hub", f"{prefix}Hub/zh", f"{prefix}Hub/ar"
    columns = "columns=title, region, topic, status"
    import_pages(devwiki, [
        *three_cases(prefix),
        page_record(english, marker(f"lang=zh|region=africa|{columns}")),
        page_record(chinese, marker(f"region=africa|{columns}")),
        page_record(arabic, marker("region=africa|columns=title, status")),
    ])  # fmt: skip
    result = run_index(iconfig)
    assert result.exit_code == 0, result.error
    summaries = {e.title: e.summary for e in result.report.edits}
    # the summary speaks the page's language; `lang=` sets the language of the view only
    assert summaries == {
        english: "Advocacy Hub: case index updated: 1 added, 0 updated, 0 removed; 3 cases in all"
        "; added: Access blocks in Kenya" + DOCS,
        chinese: "Advocacy Hub：案例索引已更新：新增1个，更新0个，移除0个；共3个案例"
        "；新增：Access blocks in Kenya（[[Advocacy Hub/Bot documentation|关于此机器人]]）",
        arabic: "Advocacy Hub: تحديث فهرس الحالات: أضيفت 1، وحُدّثت 0، وأزيلت 0؛ المجموع 3 حالات"
        "؛ أضيفت: Access blocks in Kenya ([[Advocacy Hub/Bot documentation|عن هذا البوت]])",
    }
    chinese_view = [
        '<div class="advocacyhub-index" lang="zh" dir="ltr">',
        "共 1 个案例。",
        '<div class="advocacyhub-index-scroll" style="overflow-x:auto;">',
        '{| class="wikitable sortable advocacyhub-index-table"',
        "! 标题 !! 地区 !! 主题 !! 状态",
        f'|- data-advocacy-case="{prefix}Kenya"',
        f"| [[:{prefix}Kenya|Access blocks in Kenya]]",
        "| 非洲",
        "| 审查与访问封锁",
        '| style="white-space:nowrap;" | 进行中',
        "|}",
        "</div>",
        "</div>",
        changed_note().replace("This list last changed on ", "此列表最后更改于")
        .replace(".</div>", "。</div>"),
    ]
    for title in (english, chinese):
        (body,) = region_bodies(admin.page_text(title) or "")
        assert body.splitlines()[1:] == chinese_view, title
    (body,) = region_bodies(admin.page_text(arabic) or "")
    assert body.splitlines()[1:4] == [
        '<div class="advocacyhub-index" lang="ar" dir="rtl">',
        "المجموع: قضية واحدة.",
        '<div class="advocacyhub-index-scroll" style="overflow-x:auto;">',
    ]
    assert row_pages(body, prefix) == ["Kenya"]


def test_markers_through_template_redirects(
    iconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient
) -> None:
    for redirect, target in (("Template:Advocacy case list", START),
                             ("Template:Advocacy case list end", END)):  # fmt: skip
        if admin.page_text(redirect) is None:
            admin.edit(redirect, f"#REDIRECT [[Template:{target}]]", "a shorter name")
    title = f"{prefix}Index"
    text = (
        f"Before.\n{{{{Advocacy case list|region=africa}}}}\n{PLACEHOLDER}\n"
        "{{advocacy case list end}}\nAfter."
    )
    import_pages(devwiki, [*three_cases(prefix), page_record(title, text)])
    result = run_index(iconfig)
    assert result.exit_code == 0, result.error
    assert [e.title for e in result.report.edits] == [title]
    saved = admin.page_text(title) or ""
    assert saved.startswith("Before.\n{{Advocacy case list|region=africa}}\n<!-- advocacy-hub")
    assert saved.endswith("</div>\n{{advocacy case list end}}\nAfter.")
    assert f'|- data-advocacy-case="{prefix}Kenya"' in saved and PLACEHOLDER not in saved
    assert run_index(iconfig).report.edits == []


def test_invalid_parameter_shows_an_error_inside_its_own_region(
    iconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient
) -> None:
    title = f"{prefix}Index"
    text = "Top.\n" + marker("region=africa") + "\nMiddle.\n" + marker(
        "region=atlantis|columns=title, colour|sort=newest|limit=0"
    ) + "\nBottom."  # fmt: skip
    import_pages(devwiki, [*three_cases(prefix), page_record(title, text)])
    result = run_index(iconfig)
    assert result.exit_code == 0, result.error
    saved = admin.page_text(title) or ""
    good, bad = region_bodies(saved)
    assert row_pages(good, prefix) == ["Kenya"]
    assert bad.splitlines()[1:] == [
        '<div class="error advocacyhub-index-error">',
        "The bot could not update this case index because of problems with its parameters. "
        "Please correct them in the start marker template:",
        "* The region “<bdi>atlantis</bdi>” is not in the list of regions (the closest is "
        "“<bdi>latin-america</bdi>”).",
        "* The parameter “<bdi>sort</bdi>” cannot be “<bdi>newest</bdi>”. Allowed values: "
        "<bdi>title, start, end, status, region, updated</bdi>.",
        "* The column “<bdi>colour</bdi>” is unknown (the closest known column is "
        "“<bdi>country</bdi>”).",
        "* The limit “0” must be a whole number from 1 to 10000.",
        "</div>",
        changed_note(),
    ]
    assert outside_regions(saved) == outside_regions(text)
    # the editor sees the error where the list should be
    page_html = admin.parse_html(title)
    assert page_html.count('class="error advocacyhub-index-error"') == 1
    assert "The region “atlantis” is not in the list of regions" in page_html.replace(
        "<bdi>", ""
    ).replace("</bdi>", "")


def test_broken_markers_leave_the_page_untouched_and_are_reported(
    iconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient
) -> None:
    unclosed, nested, listing = f"{prefix}Unclosed", f"{prefix}Nested", f"{prefix}Index"
    unclosed_text = f"Text.\n{{{{{START}|region=africa}}}}\n{PLACEHOLDER}\nNo end marker."
    nested_text = (
        f"{{{{{START}}}}}\n{PLACEHOLDER}\n"  # line 1
        f"{{{{{START}|region=europe}}}}\n"  # line 3: opens another region inside
        f"{PLACEHOLDER}\n{{{{{END}}}}}\n{{{{{END}}}}}"
    )
    import_pages(devwiki, [
        *three_cases(prefix),
        page_record(unclosed, unclosed_text),
        page_record(nested, nested_text),
        page_record(listing, marker("columns=title")),
    ])  # fmt: skip
    before = {t: revision_ids(admin, t) for t in (unclosed, nested)}
    result = run_index(iconfig)
    assert result.exit_code == 0, result.error
    report = result.report
    assert [e.title for e in report.edits] == [listing]
    assert {s.title: s.reason for s in report.skipped} == {
        unclosed: "broken index markers: the start marker {{Advocacy case index}} on line 2 "
        "has no end marker {{Advocacy case index end}} after it",
        nested: "broken index markers: the start marker {{Advocacy case index}} on line 3 "
        "comes before the region opened on line 1 was closed with {{Advocacy case index end}}",
    }
    for t, revs in before.items():
        assert revision_ids(admin, t) == revs, t  # untouched
    assert admin.page_text(unclosed) == unclosed_text
    for t in (unclosed, nested):
        assert any(n.startswith(f"{t}: index markers broken, page left untouched: ")
                   for n in report.notes), t  # fmt: skip
    # the run log has the same notes
    record = json.loads(run_log_path(iconfig).read_text("utf-8").splitlines()[-1])
    assert record["notes"] == report.notes and record["skipped"] == 2

    # the needs-attention list of another page names both pages, in plain words
    (body,) = region_bodies(admin.page_text(listing) or "")
    items = [line for line in body.splitlines() if line.startswith("* ")]
    assert items == [
        f"* <bdi>[[:{nested}|{nested}]]</bdi>: The index start marker on line 3 comes before "
        "the list started on line 1 is closed with an end marker, so the bot left this page "
        f"untouched. ([[:Special:EditPage/{nested}|edit]] · {INDEX_HELP})",
        f"* <bdi>[[:{unclosed}|{unclosed}]]</bdi>: The index start marker on line 2 has no end "
        f"marker after it, so the bot left this page untouched. "
        f"([[:Special:EditPage/{unclosed}|edit]] · {INDEX_HELP})",
    ]


# ---------------------------------------------------------------------------------------------
# Edits by people: between the bot's read and its save, and inside the bot's region


def _edit_during_build(
    monkeypatch: pytest.MonkeyPatch, tag: str, edit: Callable[[], None]
) -> list[int]:
    """Run `edit` while the bot renders the page containing `tag` (after it read the page,
    before it saves): the window in which a human's edit must not be lost. Returns the number
    of times the page was rendered (a list, updated as the job runs)."""
    calls = [0]
    original = bots.index.build.render_marker_page

    def wrapper(text: str, *args: Any, **kwargs: Any) -> Any:
        if tag in text:
            calls[0] += 1
            if calls[0] == 1:  # the build: the text it renders is the text the save sends
                edit()
        return original(text, *args, **kwargs)

    monkeypatch.setattr(bots.index.build, "render_marker_page", wrapper)
    return calls


@pytest.mark.parametrize("where", ["far from the markers", "on the start marker's line"])
def test_human_edit_between_read_and_save_survives(
    iconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient, tester1: WikiClient,
    request_log: RequestLog, monkeypatch: pytest.MonkeyPatch, where: str,
) -> None:  # fmt: skip
    title = f"{prefix}Index"
    text = f"<!-- page: {title} -->\nIntro.\n{marker('region=europe')}\nOutro."
    import_pages(devwiki, [*three_cases(prefix), page_record(title, text, age_days=2)])
    if where == "far from the markers":
        human_text = text.replace("Outro.", "Outro.\n\nA paragraph added by Tester1.")
    else:  # the human changes the view itself: the bot's text, computed before, is stale
        human_text = text.replace("region=europe", "region=africa")
    calls = _edit_during_build(
        monkeypatch, f"<!-- page: {title} -->", lambda: tester1.edit(title, human_text, "my edit")
    )

    mark = request_log.mark()
    result = run_index(iconfig)
    assert result.exit_code == 0, result.error
    assert [e.title for e in result.report.edits] == [title]
    final = admin.page_text(title) or ""
    # the human's edit survives, and the bot's list is there, made for the final page
    assert outside_regions(final) == outside_regions(human_text)
    (body,) = region_bodies(final)
    expected_rows = ["Directive", "France"] if where == "far from the markers" else ["Kenya"]
    assert row_pages(body, prefix) == expected_rows
    assert [r["user"] for r in admin.revisions(title, props="user")][:2] == [
        "AdvocacyBot", "Tester1",
    ]  # fmt: skip
    bot_edits = [r for r in by_action(write_requests(request_log.since(mark)), "edit")
                 if r.user == "AdvocacyBot"]  # fmt: skip
    if where == "on the start marker's line":
        # MediaWiki could not merge: edit conflict, the bot read the page again and rendered
        # it again on that text
        assert len(bot_edits) == 2 and calls[0] == 2
    else:
        # MediaWiki merged the two edits (they touch different lines): one save; the bot then
        # renders the merged page once (nothing of the person's is inside its region)
        assert len(bot_edits) == 1 and calls[0] == 2


@pytest.mark.parametrize("how", ["merged", "conflict"])
def test_human_edit_inside_the_region_between_read_and_save_is_named(
    iconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient, tester1: WikiClient,
    monkeypatch: pytest.MonkeyPatch, how: str,
) -> None:  # fmt: skip
    title = f"{prefix}Index"
    kenya, france, directive = three_cases(prefix)
    # The person fixes Kenya's status line (the first row) while the bot adds a case. Added at
    # the end (France), the bot's change is apart from the person's and MediaWiki merges the
    # two; added right under Kenya (Directive), they touch and MediaWiki reports a conflict.
    first_cases, new_case = ([kenya, directive], france) if how == "merged" else (
        [kenya, france], directive)  # fmt: skip
    text = f"<!-- page: {title} -->\n{marker('columns=title, status')}"
    import_pages(devwiki, [*first_cases, page_record(title, text, age_days=2)])
    first = run_index(iconfig)
    assert first.exit_code == 0, first.error
    bot_revid = first.report.edits[0].revid
    import_pages(devwiki, [new_case])
    human_revid: list[int] = []

    def human() -> None:
        fixed = (admin.page_text(title) or "").replace("| Active", "| Active (fixed by hand)")
        human_revid.append(tester1.edit(title, fixed, "fixing the list")["newrevid"])

    _edit_during_build(monkeypatch, f"<!-- page: {title} -->", human)
    result = run_index(iconfig)
    assert result.exit_code == 0, result.error
    diff = f"Special:Diff/{bot_revid}/{human_revid[0]}"
    replaced = f"; replaced a manual edit inside the bot's section ([[{diff}]])"
    summaries = [e.summary for e in result.report.edits]
    if how == "merged":
        # MediaWiki merged the bot's save with the person's edit; the save layer sees that it
        # landed on a revision it never read and redoes the bot's change on top, naming it
        assert summaries == [
            "Advocacy Hub: case index updated: 1 added, 0 updated, 0 removed; 3 cases in all"
            "; added: Freedom of panorama in France" + DOCS +
            f"; redone on top of a manual edit by Tester1 made during the bot's save ([[{diff}]])"
        ]
        assert any("an edit by Tester1" in n and "redone on top of it" in n
                   for n in result.report.notes), result.report.notes
    else:
        # the bot read the page again after the conflict, and found the person's edit there
        # (the person's row is replaced, but no case changed since the bot's own rendering)
        assert summaries == [
            "Advocacy Hub: case index updated: 1 added, 0 updated, 0 removed; 3 cases in all"
            "; added: EU copyright directive" + replaced + DOCS
        ]
    if how != "merged":
        note = f"{title}: manual edit inside the bot's region by Tester1 ({diff}); replaced"
        assert note in result.report.notes
    final = admin.page_text(title) or ""
    assert "(fixed by hand)" not in final
    (body,) = region_bodies(final)
    assert row_pages(body, prefix) == ["Kenya", "Directive", "France"]
    assert run_index(iconfig).report.edits == []


def test_human_edit_inside_the_region_is_replaced_and_reported(
    iconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient, tester2: WikiClient
) -> None:
    title = f"{prefix}Index"
    text = f"Intro.\n{marker('columns=title, status')}\nOutro."
    import_pages(devwiki, [*three_cases(prefix), page_record(title, text)])
    first = run_index(iconfig)
    assert first.exit_code == 0, first.error
    bot_revid = first.report.edits[0].revid
    good = admin.page_text(title) or ""

    edited = good.replace("| Partial success", "| Partial success (fixed by hand)")
    human_revid = tester2.edit(title, edited, "fixing the table")["newrevid"]
    second = run_index(iconfig)
    assert second.exit_code == 0, second.error
    (saved,) = second.report.edits
    diff = f"[[Special:Diff/{bot_revid}/{human_revid}]]"
    assert saved.summary == (  # no case changed since the bot's own rendering
        "Advocacy Hub: case index updated (no case added, updated or removed: needs-attention "
        f"list or layout); 3 cases in all; replaced a manual edit inside the bot's section ({diff})"
        + DOCS
    )
    assert any(n.startswith(f"{title}: manual edit inside the bot's region by Tester2 ")
               for n in second.report.notes)  # fmt: skip
    after = admin.page_text(title) or ""
    assert "(fixed by hand)" not in after
    (body,) = region_bodies(after)
    note = (
        f"* <bdi>[[:{title}|{title}]]</bdi>: Someone (<bdi>Tester2</bdi>) edited inside the "
        f"bot's list ([[Special:Diff/{bot_revid}/{human_revid}|see the changes]]); the bot "
        "replaced that text, so please move lasting content outside the markers. "
        f"([[:Special:EditPage/{title}|edit]] · {INDEX_HELP})"
    )
    lines = body.splitlines()
    assert note in lines
    # the list comes first in the view; apart from it, the view is as it should be
    assert lines.index("=== Needs attention ===") < lines.index('|- data-advocacy-case="'
                                                                  f'{prefix}Directive"')
    start = body.index('<div class="advocacyhub-index-attention">')
    end = body.index("</div>\n", start) + len("</div>\n")
    (good_body,) = region_bodies(good)
    assert body[:start] + body[end:] == good_body
    # the link points at the human's change
    page_html = admin.parse_html(title)
    assert f'title="Special:Diff/{bot_revid}/{human_revid}">see the changes</a>' in page_html

    # the note stays until the next run, which takes it out again; then nothing changes
    third = run_index(iconfig)
    assert [e.summary for e in third.report.edits] == [
        "Advocacy Hub: case index updated (no case added, updated or removed: needs-attention "
        "list or layout); 3 cases in all" + DOCS
    ]
    assert admin.page_text(title) == good
    assert run_index(iconfig).report.edits == []


# ---------------------------------------------------------------------------------------------
# Summaries


def test_summaries_say_what_changed(
    iconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient, tester1: WikiClient
) -> None:
    english, chinese = f"{prefix}Index", f"{prefix}Index/zh"
    cases = [
        {"title": f"{prefix}Case {n}", "age_days": 5,
         "text": case_text(f"Case {n}", "europe", "active", f"201{n}")}
        for n in range(1, 6)
    ]  # fmt: skip
    import_pages(devwiki, [
        *cases, page_record(english, marker()), page_record(chinese, marker()),
    ])  # fmt: skip
    first = run_index(iconfig)
    assert {e.title: e.summary for e in first.report.edits} == {
        # the first three cases are named, then how many more
        english: "Advocacy Hub: case index updated: 5 added, 0 updated, 0 removed; 5 cases in all"
        "; added: Case 1, Case 2, Case 3, 2 more" + DOCS,
        chinese: "Advocacy Hub：案例索引已更新：新增5个，更新0个，移除0个；共5个案例"
        "；新增：Case 1, Case 2, Case 3, 另外2个" + ZH_DOCS,
    }
    tester1.edit(f"{prefix}Case 6", case_text("Case 6", "africa", "planned", "2024"), "new")
    tester1.edit(f"{prefix}Case 2", case_text("Case 2", "europe", "success", "2012"), "won")
    tester1.edit(f"{prefix}Case 3", "Not a case any more.", "merged elsewhere")
    second = run_index(iconfig)
    assert second.exit_code == 0, second.error
    assert {e.title: e.summary for e in second.report.edits} == {
        english: "Advocacy Hub: case index updated: 1 added, 1 updated, 1 removed; 5 cases in all"
        "; added: Case 6; updated: Case 2; removed: Case 3" + DOCS,
        chinese: "Advocacy Hub：案例索引已更新：新增1个，更新1个，移除1个；共5个案例"
        "；新增：Case 6；更新：Case 2；移除：Case 3" + ZH_DOCS,
    }
    (body,) = region_bodies(admin.page_text(english) or "")
    assert row_pages(body, prefix) == ["Case 1", "Case 2", "Case 4", "Case 5", "Case 6"]


# ---------------------------------------------------------------------------------------------
# Circuit breaker


def test_circuit_breaker_holds_and_force_overrides_it(
    iconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient, tester1: WikiClient
) -> None:
    title = f"{prefix}Index"
    cases = [
        {"title": f"{prefix}Case {n:02d}", "age_days": 5,
         "text": case_text(f"Case {n:02d}", "europe", "active", "2020")}
        for n in range(1, 11)
    ]  # fmt: skip
    import_pages(devwiki, [*cases, page_record(title, marker("columns=title"))])
    assert run_index(iconfig).exit_code == 0
    full = admin.page_text(title) or ""
    assert len(row_pages(region_bodies(full)[0], prefix)) == 10

    # a vandal blanks half of the case pages, and also touches the bot's region
    for n in range(1, 6):
        tester1.edit(f"{prefix}Case {n:02d}", "", "blanking")
    tester1.edit(title, full.replace("advocacy-hub view", "advocacy-hub view (edited)"), "hm")
    vandalised = admin.page_text(title)
    revisions = revision_ids(admin, title)

    result = run_index(iconfig)
    assert result.exit_code == 1
    (failure,) = result.report.failures
    assert failure.title == title
    assert failure.reason == (
        "circuit breaker: the view on line 1 would lose 5 of its 10 rows (more than 30%); "
        "not saved (pass --force to save anyway)"
    )
    assert title in result.error
    assert revision_ids(admin, title) == revisions and admin.page_text(title) == vandalised

    forced = run_index(iconfig, force=True)
    assert forced.exit_code == 0, forced.error
    assert [e.title for e in forced.report.edits] == [title]
    assert (
        f"{title}: circuit breaker overridden by --force: the view on line 1 would lose "
        "5 of its 10 rows (more than 30%)" in forced.report.notes
    )
    (body,) = region_bodies(admin.page_text(title) or "")
    assert row_pages(body, prefix) == [f"Case {n:02d}" for n in range(6, 11)]


def test_changed_filters_and_small_changes_do_not_trip_the_breaker(
    iconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient, tester1: WikiClient
) -> None:
    title = f"{prefix}Index"
    regions = ["europe"] * 7 + ["africa"] * 3
    cases = [
        {"title": f"{prefix}Case {n}", "age_days": 5,
         "text": case_text(f"Case {n}", region, "active", "2020")}
        for n, region in enumerate(regions)
    ]  # fmt: skip
    text = "\n".join([
        marker("region=europe|columns=title"),
        marker("region=africa|status=active"),
        marker("limit=3|sort=-start|columns=title"),
    ])  # fmt: skip
    import_pages(devwiki, [*cases, page_record(title, text)])
    assert run_index(iconfig).exit_code == 0
    europe, active, latest = region_bodies(admin.page_text(title) or "")
    assert len(row_pages(europe, prefix)) == 7 and len(row_pages(active, prefix)) == 3
    assert row_pages(latest, prefix) == ["Case 0", "Case 1", "Case 2"]  # all start in 2020

    # an editor turns the Europe list into an Africa list: all 7 rows go, as asked
    tester1.edit(title, (admin.page_text(title) or "").replace("region=europe", "region=africa"),
                 "show Africa instead")  # fmt: skip
    # and one of three active African cases succeeded: a third of that view goes, rightly
    tester1.edit(f"{prefix}Case 7", case_text("Case 7", "africa", "success", "2020"), "won")
    # three newer cases push all three rows out of the "latest 3" list: nothing vanished
    for n in (10, 11, 12):
        tester1.edit(f"{prefix}Case {n}", case_text(f"Case {n}", "europe", "planned", "2024"),
                     "new case")  # fmt: skip
    result = run_index(iconfig)
    assert result.exit_code == 0, result.error
    assert [e.title for e in result.report.edits] == [title]
    africa, active, latest = region_bodies(admin.page_text(title) or "")
    assert row_pages(africa, prefix) == ["Case 7", "Case 8", "Case 9"]
    assert row_pages(active, prefix) == ["Case 8", "Case 9"]
    assert row_pages(latest, prefix) == ["Case 10", "Case 11", "Case 12"]
