"""The knowledge views, pure: golden pages through the production path (case parser, partner
and position records, build), and the rules each view must keep (sensitive cases, aliases,
dormant partners, reviews, escaping, markers, size)."""

from __future__ import annotations

import dataclasses
import html
import tomllib
from pathlib import Path

import pytest

from bots.cases.knowledge_pages import (
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
from bots.knowledge.partners import build_partners, partner_key
from bots.knowledge.views import KnowledgeView, ViewKind, parse_view
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
