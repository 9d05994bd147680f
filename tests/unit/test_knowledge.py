"""The knowledge views, pure: golden pages through the production path (case parser, partner
and position records, build), and the rules each view must keep (sensitive cases, aliases,
dormant partners, reviews, escaping, markers, size)."""

from __future__ import annotations

import dataclasses
import html
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path

import pytest

from bots.cases.knowledge_pages import (
    Hidden,
    PartnerPage,
    Position,
    PositionChanges,
    parse_partner_pages,
    parse_positions,
    position_changes,
)
from bots.cases.record import Case
from bots.config.load import parse_config
from bots.config.model import ConfigError
from bots.knowledge.build import fault
from bots.knowledge.contacts import public_contacts
from bots.knowledge.guard import read_each, refusal
from bots.knowledge.partners import PartnerEntry, alias_map, build_partners, partner_key
from bots.knowledge.views import KnowledgeView, ViewKind, parse_view
from bots.wiki.records import PageSnapshot
from bots.wikitext.dates import parse_partial_date
from bots.wikitext.markers import find_marker_regions, strip_stamp
from tests.unit.golden_files import GOLDEN_ROOT, check_golden, golden_cases, read_case
from tests.unit.knowledge_support import ROOT, TODAY, content, dev_config, parse_cases, render

SUITE = "knowledge"
CORPUS = tomllib.loads((GOLDEN_ROOT / SUITE / "_corpus.toml").read_text("utf-8"))
CONFIG = dev_config()
CASES = parse_cases(CONFIG, CORPUS["cases"])


def corpus_content(**more: int) -> object:
    return content(CONFIG, CASES, CORPUS["partners"], CORPUS["positions"],
                   CORPUS["languages"], **more)  # fmt: skip


@pytest.mark.parametrize("path", golden_cases(SUITE), ids=lambda p: p.stem)
def test_golden(path: Path) -> None:
    page = read_case(path)["page"]
    built = content(CONFIG, CASES, CORPUS["partners"], CORPUS["positions"], CORPUS["languages"])
    result = render(built, page)
    assert result.text is not None
    check_golden(path.with_suffix(".wiki"), result.text)


def all_views() -> str:
    return "\n".join(
        f"{{{{{n}}}}}\n{{{{{n} end}}}}"
        for n in (
            "Advocacy lessons",
            "Advocacy partners",
            "Advocacy whom to ask",
            "Advocacy positions",
        )
    )


def test_a_sensitive_case_gives_nothing_but_what_every_list_shows() -> None:
    text = render(content(CONFIG, CASES), all_views()).text or ""
    for secret in ("Secret Person", "Secret Partner", "Secret lesson", "(hidden)"):
        assert secret not in text
    assert "A sensitive case" in text  # listed in whom to ask, without a contact


def test_whom_to_ask_never_shows_a_sensitive_contact_whatever_the_record_holds() -> None:
    # Even a record whose contacts were not replaced (an older cache, a future parser) is safe.
    leaky = Case("Advocacy/Leak", "Leak", region="europe", status="active", topics=("privacy",),
                 contacts=("Leaky Contact",), sensitive=True)  # fmt: skip
    assert public_contacts(leaky) == ()
    text = render(
        content(CONFIG, [leaky]), "{{Advocacy whom to ask}}\n{{Advocacy whom to ask end}}"
    )
    assert "Leaky Contact" not in (text.text or "")
    assert "Leak" in (text.text or "")


def test_a_region_without_contact_says_where_to_ask() -> None:
    body = strip_stamp(render(content(CONFIG, CASES),
                              "{{Advocacy whom to ask|region=global}}\n{{Advocacy whom to ask end}}"
                              ).text or "")  # fmt: skip
    assert "[[:Talk:Advocacy/Hub|Talk:Advocacy/Hub]]" in body
    assert "No contact named here yet" in body


def test_contacts_link_their_talk_pages() -> None:
    text = render(content(CONFIG, CASES), all_views()).text or ""
    assert "[[:User talk:Tester1|Tester1]]" in text
    assert "[[:User talk:Tester2|Tester2]]" in text  # "User:Tester2" on the page


def test_spellings_of_one_partner_are_merged() -> None:
    title = "Advocacy/Partners/EDRi"
    partners = parse_partner_pages(
        title, CORPUS["partners"][title], ["Advocacy partner"], CONFIG.vocabulary
    )
    entries = build_partners(CASES, partners, {}, today=TODAY, dormant_years=3,
                             active_statuses=("active",))  # fmt: skip
    edri = [e for e in entries if e.name == "European Digital Rights"]
    assert len(edri) == 1
    assert {c.page for c in edri[0].cases} == {"Advocacy/Directive", "Advocacy/Panorama"}
    assert partner_key("Wikimedia Deutschland e.V.") == partner_key("wikimedia deutschland ev")


def test_config_aliases_merge_partners_without_a_page() -> None:
    entries = build_partners(CASES, [], {"ACLU": ["American Civil Liberties Union"]}, today=TODAY,
                             dormant_years=3, active_statuses=("active",))  # fmt: skip
    assert "ACLU" in [e.name for e in entries]
    assert "American Civil Liberties Union" not in [e.name for e in entries]


def test_dormant_partners_are_marked_and_active_ones_not() -> None:
    entries = {e.name: e for e in build_partners(CASES, [], {}, today=TODAY, dormant_years=3,
                                                  active_statuses=("active",))}  # fmt: skip
    assert entries["American Civil Liberties Union"].dormant
    assert not entries["ويكيميديا"].dormant  # an active case edited last week


def test_hostile_values_are_escaped() -> None:
    text = render(corpus_content(), all_views()).text or ""
    body = "\n".join(strip_stamp(r.inner) for r in find_marker_regions(
        text, "Advocacy lessons", "Advocacy lessons end").regions)  # fmt: skip
    for raw in (
        "[[Category:",
        "{{Delete}}",
        "~~~~",
        "<script>",
        "'''Bold'''",
        "{{evil}}",
        "https://",
    ):
        assert raw not in body and raw not in text.split("{{Advocacy positions}}")[0]
    # the parser reads values as plain text; what is left is escaped: no signature expands
    assert "Bold Category:Injected &#126;&#126;&#126;&#126; x the state secrets" in body
    assert "~~~~ x the state secrets privilege" in html.unescape(body)
    assert "[[Category:Evil]]" not in text and "{{evil}}" not in text


def test_positions_show_review_state_translations_and_problems() -> None:
    body = render(corpus_content(), "{{Advocacy positions}}\n{{Advocacy positions end}}").text or ""
    assert "2 positions; one needs a review." in body  # the bad date counts as never reviewed
    assert "Last reviewed: never" in body
    assert "[[:Advocacy/Positions/Panorama/fr|français]]" in body
    assert "Not translated yet." in body
    assert "nonsense-topic" in body and "2024-13" in body  # problems shown with the position
    position = parse_positions("P", "{{Advocacy position|topic=copyright|reviewed=2026-01}}",
                               ["Advocacy position"], CONFIG.vocabulary)[0]  # fmt: skip
    assert position.title == "P" and position.topics == ("copyright",)


def test_a_second_render_changes_nothing_and_text_outside_is_kept() -> None:
    page = "Before {{x}}\n" + all_views() + "\nAfter ~~~~"
    first = render(corpus_content(), page)
    assert first.text is not None and first.text.startswith("Before {{x}}\n")
    assert first.text.endswith("\nAfter ~~~~")
    again = render(corpus_content(), first.text)
    assert again.text == first.text and not again.human_edited


def test_a_manual_edit_inside_a_region_is_named_and_replaced() -> None:
    first = render(corpus_content(), all_views()).text or ""
    edited = first.replace("What worked", "What I think worked", 1)
    again = render(corpus_content(), edited)
    assert again.human_edited and again.text == first


def test_broken_markers_leave_the_page_alone() -> None:
    result = render(corpus_content(), "{{Advocacy lessons}}\nno end marker")
    assert result.text is None and result.broken is not None
    assert fault(result, 1000) is not None


def test_a_page_over_the_budget_is_shortened_then_boxed() -> None:
    many = [dataclasses.replace(CASES[0], page=f"Advocacy/C{i:04}", title=f"Case {i:04}")
            for i in range(400)]  # fmt: skip
    page = "{{Advocacy lessons}}\n{{Advocacy lessons end}}"
    full = render(content(CONFIG, many), page).text or ""
    short = render(content(CONFIG, many, budget=len(full.encode()) // 3), page)
    assert short.shortened is not None and short.text is not None
    assert len(short.text.encode()) <= len(full.encode()) // 3
    assert "each list shows at most" in short.text
    boxed = render(content(CONFIG, many, budget=1500), page)
    assert boxed.too_big and boxed.text is not None and "larger than the wiki allows" in boxed.text
    assert fault(boxed, 1500) is not None
    nothing = render(content(CONFIG, many, budget=10), page)
    assert nothing.text is None and nothing.too_big


def test_view_parameters_are_checked() -> None:
    problems = parse_view(ViewKind.LESSONS, {"regoin": "x", "group": "y", "lang": "zz-zz-zz"},
                          CONFIG)  # fmt: skip
    assert isinstance(problems, list)
    assert [p.code for p in problems] == ["unknown-view-param", "bad-lang", "bad-view-value"]
    view = parse_view(
        ViewKind.PARTNERS, {"Region": "Europe", "topic": "copyright, privacy"}, CONFIG
    )
    assert view == KnowledgeView(ViewKind.PARTNERS, None, ("europe",), ("copyright", "privacy"))
    assert isinstance(parse_view(ViewKind.POSITIONS, {"region": "europe"}, CONFIG), list)


def test_what_worked_counts_every_outcome() -> None:
    text = render(content(CONFIG, CASES), "{{Advocacy lessons}}\n{{Advocacy lessons end}}").text
    assert "| Meetings with policymakers || 1 || Partial success: 1\n" in (text or "")
    assert "| Litigation || 1 || Failure: 1\n" in (text or "")
    assert "| Research and reports || 1 || Active: 1\n" in (text or "")  # sensitive counted


def test_knowledge_configuration_is_read_and_checked() -> None:
    assert CONFIG.knowledge.partner_aliases == {
        "Free Knowledge Advocacy Group EU": ("FKAGEU", "FKAG EU")
    }
    assert CONFIG.knowledge.ask_page == "Talk:Advocacy/Hub"
    assert CONFIG.schedule.knowledge == "30 * * * *"
    data = tomllib.loads((ROOT / "config" / "devwiki.toml").read_text("utf-8"))
    for key, value, reason in (
        ("dormant_years", 0, "at least 1"),
        ("partner_aliases", {"X": "not a list"}, "list of strings"),
        ("review_dayz", 3, "unknown key"),
    ):
        broken = {**data, "knowledge": {**data["knowledge"], key: value}}
        with pytest.raises(ConfigError, match=reason):
            parse_config(broken, "test.toml")


def test_new_and_changed_positions_for_the_digest() -> None:
    def positions(text: str) -> list[Position]:
        return parse_positions("Advocacy/P", text, ["Advocacy position"], CONFIG.vocabulary)

    before = positions(
        "{{Advocacy position|title=A|topic=copyright|reviewed=2025}}"
        "{{Advocacy position|title=B|topic=privacy|summary=Old.}}"
    )
    after = positions(
        "{{Advocacy position|title=A|topic=copyright|reviewed=2025}}"
        "{{Advocacy position|title=B|topic=privacy|summary=New.}}"
        "{{Advocacy position|title=C|topic=censorship}}"
    )
    changes = position_changes(before, after)
    assert [p.title for p in changes.new] == ["C"]
    assert [(p.title, p.summary) for p in changes.changed] == [("B", "New.")]
    assert position_changes(after, after) == PositionChanges()


# --- hostile and careless editors (issues 11 and 17, tried on the knowledge views) ----------

SENSITIVE = parse_cases(CONFIG, {"Advocacy/Secret case": (
    "{{Advocacy case|title=Blocked in Somewhere|region=europe|status=active|sensitive=yes"
    "|partners=Zx05LeakedPartner|contact=Zx06LeakedContact|lessons=Zx07LeakedLesson}}")})[0]
HIDDEN = Hidden.of([SENSITIVE.page], [SENSITIVE.title])
CASE_TEMPLATES = frozenset({"Advocacy case"})


def snap(title: str, text: str, *, redirect: bool = False) -> PageSnapshot:
    return PageSnapshot(title, 0, True, text, revid=1, is_redirect=redirect)


@pytest.mark.parametrize(("title", "text", "reason"), [
    # the sensitive case page itself carries a partner and a position
    ("Advocacy/Secret case", "{{Advocacy partner|name=Zx05LeakedPartner}}", "below a sensitive"),
    ("advocacy/Secret_case/Partners", "{{Advocacy partner|name=X}}", "below a sensitive"),
    ("Advocacy/Other case", "{{Advocacy case|title=Other}}{{Advocacy partner|name=X}}",
     "case template"),
    ("Advocacy/Partners/X", "{{Advocacy partner|name=X|type=works on [[Advocacy/Secret_case]]}}",
     "names a sensitive case"),
    ("Advocacy/Partners/Y", "{{Advocacy partner|name=Y|type=see advocacy/secret%20CASE}}",
     "names a sensitive case"),
    ("Advocacy/Positions/Z", "{{Advocacy position|summary=As in blocked\u200e in_SOMEWHERE.}}",
     "names a sensitive case"),
    ("Advocacy/Partners/R", "#REDIRECT [[Advocacy/Partners/X]]{{Advocacy partner|name=R}}",
     "redirect"),
])  # fmt: skip
def test_partner_and_position_pages_tied_to_a_sensitive_case_are_refused(
    title: str, text: str, reason: str
) -> None:
    page = snap(title, text, redirect="#REDIRECT" in text)
    refused = refusal(page, CASE_TEMPLATES, HIDDEN)
    assert refused is not None and reason in refused
    assert "Zx" not in refused and "omewhere" not in refused  # the reason quotes nothing


def test_pages_that_only_look_like_a_sensitive_case_are_used() -> None:
    hidden = Hidden.of(["Advocacy/EU"], ["EU"])  # a short title matches whole words only
    page = snap("Advocacy/Partners/WMDE", "{{Advocacy partner|name=Wikimedia Deutschland}}")
    assert refusal(page, CASE_TEMPLATES, hidden) is None
    assert refusal(snap("Advocacy/EUR", "x"), CASE_TEMPLATES, hidden) is None


def test_one_page_whose_reading_raises_never_stops_the_others(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def read(page: PageSnapshot) -> list[str]:
        if "bad" in page.title:
            raise ValueError(f"cannot read {page.text}")  # a message quoting the page
        return [page.title]

    pages = [snap("A", "a"), snap("B bad", "Zx06LeakedContact"), snap("C", "c")]
    with caplog.at_level("DEBUG"):
        records, refused = read_each(pages, read, "partner page")
    assert records == ["A", "C"]
    assert refused == [("B bad", "partner page not used: it could not be read (ValueError)")]
    assert "Zx06" not in caplog.text


@pytest.mark.parametrize(("written", "shown"), [
    ("https://edri.org", "edri.org"),
    ("http://www.wikimedia.de/wiki/Start?x=1", "www.wikimedia.de/wiki/Start?x=1"),
    ("edri.org", "edri.org"),
    ("[https://edri.org/ Official site]", "edri.org/"),
    ("ويكيميديا.example", "ويكيميديا.example"),
    ("javascript:alert(1)", ""),
    ("JavaScript://edri.org/%0Aalert(1)", ""),
    ("//evil.example/x", ""),
    ("data:text/html,<script>", ""),
    ("[//evil.example click]", ""),
    ("mailto:a@edri.org", ""),
    ("https://edri.org click here", "edri.org"),  # a free link and text: its address
    ("Official site", ""),
    ("https://" + "a" * 300 + ".org", ""),
])  # fmt: skip
def test_a_website_is_shown_only_as_a_web_address(written: str, shown: str) -> None:
    page = parse_partner_pages("Advocacy/Partners/X", f"{{{{Advocacy partner|website={written}}}}}",
                               ["Advocacy partner"], CONFIG.vocabulary)[0]  # fmt: skip
    assert page.website == shown
    assert [p.code for p in page.problems] == ([] if shown else ["bad-website"])
    entries = build_partners([], [page], {}, today=TODAY, dormant_years=3,
                             active_statuses=("active",))  # fmt: skip
    built = dataclasses.replace(content(CONFIG, []), partners=tuple(entries))
    text = render(built, "{{Advocacy partners}}\n{{Advocacy partners end}}").text or ""
    # a bad value is named in the problem, as text: never a link, never markup
    assert "[javascript" not in text.casefold() and "[//" not in text and "<script" not in text
    assert ("Website:" in text) == bool(shown)


def test_absurd_partner_and_position_values_are_bounded_and_reported() -> None:
    aliases = ", ".join(f"Alias {i}" for i in range(5000))
    text = (f"{{{{Advocacy partner|name={'N' * 1000}|aliases={aliases}}}}}"
            + "{{Advocacy partner|name=Another}}" * 60)  # fmt: skip
    partners = parse_partner_pages("Advocacy/Partners/X", text, ["Advocacy partner"],
                                   CONFIG.vocabulary)  # fmt: skip
    assert len(partners) == 50 and len(partners[0].aliases) == 30
    assert {p.code for p in partners[0].problems} == {
        "too-many-templates", "value-truncated", "too-many-values"}
    position = parse_positions("Advocacy/P", "{{Advocacy position|summary=" + "s" * 10_000
                               + "|affiliates=" + ",".join(map(str, range(999))) + "}}",
                               ["Advocacy position"], CONFIG.vocabulary)[0]  # fmt: skip
    assert len(position.summary) == 500 and len(position.affiliates) == 30
    assert [p.code for p in position.problems] == ["value-truncated", "too-many-values"]


def test_thousands_of_partner_pages_stay_within_the_page_size() -> None:
    pages = {
        f"Advocacy/Partners/P{i:04}": "{{Advocacy partner|name=Partner " + str(i)
        + "|type=" + "t" * 90 + "|aliases=" + ", ".join(f"P{i} alias {j}" for j in range(40))
        + "}}"
        for i in range(3000)
    }  # fmt: skip
    budget = 200_000
    built = content(CONFIG, CASES, pages, budget=budget)
    assert len(built.partners) >= 3000
    result = render(built, "{{Advocacy partners}}\n{{Advocacy partners end}}")
    assert result.text is not None and len(result.text.encode()) <= budget
    assert result.shortened is not None and fault(result, budget) is not None


def _names(entries: Sequence[PartnerEntry]) -> list[tuple[str, tuple[str, ...]]]:
    return [(e.name, tuple(c.page for c in e.cases)) for e in entries]


def test_alias_cycles_duplicates_and_contested_aliases_merge_the_same_in_any_order() -> None:
    def page(title: str, name: str, aliases: tuple[str, ...]) -> PartnerPage:
        return PartnerPage(title, name, aliases=aliases)

    pages = [
        page("P/A", "Alpha", ("Beta", "Alpha", "alpha", "ALPHA ")),  # cycle with B, self, dups
        page("P/B", "Beta", ("Alpha",)),
        page("P/C", "Gamma", ("Shared", "Gamma ltd")),  # "Shared" claimed by two pages
        page("P/D", "Delta", ("Shared",)),
        page("P/E", "Gamma", ("Epsilon",)),  # a second page with one partner's name
    ]
    config = {"Zeta": ("Eta",), "Eta": ("Theta",), "Theta": ("Zeta",), "Gamma": ("Delta",)}
    cases = [Case(f"Advocacy/{n}", n, partners=(n,), status="active")
             for n in ("Alpha", "Beta", "Shared", "Gamma ltd", "Theta", "Eta")]  # fmt: skip
    results = []
    for order in (pages, pages[::-1], pages[2:] + pages[:2]):
        merged = alias_map(dict(reversed(list(config.items()))), order)
        entries = build_partners(cases, order, merged, today=TODAY, dormant_years=3,
                                 active_statuses=("active",))  # fmt: skip
        results.append((_names(entries), sorted(merged.conflicts)))
    assert results[0] == results[1] == results[2]
    entries, conflicts = results[0]
    assert ("Alpha", ("Advocacy/Alpha",)) in entries and ("Beta", ("Advocacy/Beta",)) in entries
    assert ("Gamma", ("Advocacy/Gamma ltd",)) in entries  # its own alias merged
    assert ("Shared", ("Advocacy/Shared",)) in entries  # contested: a partner of its own
    assert ("Eta", ("Advocacy/Eta", "Advocacy/Theta")) in entries  # a cycle is one partner
    assert {title for title, _ in conflicts} == {
        "P/A", "P/B", "P/C", "P/D", "P/E", "[knowledge] partner_aliases"}


def test_a_review_date_still_to_come_counts_as_not_reviewed() -> None:
    built = content(CONFIG, CASES, position_pages={"Advocacy/Positions/Future": (
        "{{Advocacy position|title=Future|topic=copyright|reviewed=2099-01-01}}")})  # fmt: skip
    text = render(built, "{{Advocacy positions}}\n{{Advocacy positions end}}").text or ""
    assert "One position; one needs a review." in text
    assert "The review date <bdi>2099-01-01</bdi> lies in the future" in text


def test_partner_activity_is_never_a_date_still_to_come() -> None:
    old = Case("Advocacy/Plan", "Plan", partners=("Planner",), status="success",
               start=parse_partial_date("2015"), end=parse_partial_date("2099"))  # fmt: skip
    entry = build_partners([old], [], {}, today=TODAY, dormant_years=3,
                           active_statuses=("active",))[0]  # fmt: skip
    assert str(entry.last_activity) == "2015" and entry.dormant


def test_invisible_marks_pasted_into_view_parameters_are_no_part_of_them() -> None:
    view = parse_view(ViewKind.CONTACTS, {"\u200eregion": "Europe\u200f", "topic": "\u202bprivacy",
                                          "lang": "fr\u200e"}, CONFIG)  # fmt: skip
    assert view == KnowledgeView(ViewKind.CONTACTS, "fr", ("europe",), ("privacy",))


def test_a_page_of_a_thousand_markers_keeps_twenty_views_and_costs_little() -> None:
    many = [dataclasses.replace(CASES[0], page=f"Advocacy/C{i:04}", title=f"Case {i:04}")
            for i in range(300)]  # fmt: skip
    page = "\n".join(f"{{{{Advocacy lessons|topic={t}}}}}\n{{{{Advocacy lessons end}}}}"
                     for t in ["copyright", "privacy"] * 500)  # fmt: skip
    started = time.monotonic()
    result = render(content(CONFIG, many), page)
    assert time.monotonic() - started < 20
    assert result.text is not None and result.views == 1000
    regions = find_marker_regions(result.text, "Advocacy lessons", "Advocacy lessons end").regions
    assert sum("What worked" in r.inner for r in regions) == 20
    assert sum("more than 20 knowledge views" in r.inner for r in regions) == 980
    assert len(result.view_errors) == 980


def test_many_sensitive_cases_keep_the_partner_check_fast() -> None:
    hidden = Hidden.of([f"Advocacy/Secret {i}" for i in range(2000)],
                       [f"Hidden case number {i}" for i in range(2000)])  # fmt: skip
    text = "{{Advocacy partner|name=X|type=" + "word " * 2000 + "}}"
    started = time.monotonic()
    for i in range(200):
        assert refusal(snap(f"Advocacy/Partners/{i}", text), CASE_TEMPLATES, hidden) is None
    assert time.monotonic() - started < 10
    named = snap("Advocacy/Partners/N", text + " with hidden case number 1999.")
    assert refusal(named, CASE_TEMPLATES, hidden) == "it names a sensitive case"
