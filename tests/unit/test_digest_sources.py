"""The digest over several wikis (issue 16), pure parts: each wiki's period in the archive
record, where the next digest reads a wiki from, the merged content tagged with its wikis,
escaped interwiki links, the line naming a wiki not refreshed, and sensitive cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.cases.parser import parse_case_page
from bots.config.load import load_config
from bots.config.source_model import SourceWiki
from bots.digest.content import (
    CaseFacts,
    DigestContent,
    Discussion,
    build_content,
    case_facts,
    compare_case,
    for_subscriber,
    with_source_parts,
)
from bots.digest.ids import ArchiveRecord, SourceMark, parse_archive_record
from bots.digest.message import RenderContext, Writer, digest_body, wiki_link
from bots.digest.period import Period
from bots.digest.sources import source_config, source_starts
from bots.i18n.messages import Messages
from bots.sources.records import WikiTag

DIGEST, START, END = "2026-11-30", "2026-11-23T07:00:00Z", "2026-11-30T07:00:00Z"
DEVWIKI_CONFIG = Path(__file__).resolve().parents[2] / "config" / "devwiki.toml"
FR = WikiTag("frdev", "fr", interwiki="frdev")
URL_ONLY = WikiTag("dewiki", "de", page_url="https://de.example.org/wiki/$1")
NO_LINK = WikiTag("ghost", "de")


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


def new_case(page: str, title: str, **more: str | bool) -> DigestContent:
    change = compare_case(None, CaseFacts(page, title, region="europe", status="active",
                                          **more))  # type: ignore[arg-type]
    assert change is not None
    return build_content(DIGEST, START, END, [change])


def render(messages: Messages, content: DigestContent, lang: str = "en") -> str:
    return "\n".join(digest_body(Writer(RenderContext(messages, "Subs"), lang), content))


# ---------------------------------------------------------------------------------------------
# Each wiki's period, in the archive record


def test_the_record_keeps_each_wikis_mark_and_a_single_wiki_record_is_unchanged() -> None:
    plain = ArchiveRecord(DIGEST, START, END, True)
    assert "wiki=" not in plain.marker()
    assert parse_archive_record(plain.marker()) == plain
    marks = (SourceMark("frdev", START, True), SourceMark("dewiki", "2026-11-16T07:00:00Z", False))
    record = ArchiveRecord(DIGEST, START, END, False, marks)
    assert "wiki=frdev:read:2026-11-23T07:00:00Z wiki=dewiki:wait:2026-11-16T07:00:00Z" \
        in record.marker()
    assert parse_archive_record("x\n" + record.marker()) == record


@pytest.mark.parametrize("mark", [
    " wiki=Fr:read:2026-11-23T07:00:00Z",  # not an id
    " wiki=frdev:maybe:2026-11-23T07:00:00Z",
    " wiki=frdev:read:2026-11-23",
])
def test_a_damaged_mark_makes_no_record(mark: str) -> None:
    text = ArchiveRecord(DIGEST, START, END, True).marker().replace(" -->", f"{mark} -->")
    assert parse_archive_record(text) is None


def test_a_mark_not_before_the_end_is_dropped() -> None:
    record = ArchiveRecord(DIGEST, START, END, True, (SourceMark("frdev", END, False),))
    parsed = parse_archive_record(record.marker())
    assert parsed is not None and parsed.sources == ()


# ---------------------------------------------------------------------------------------------
# Where each wiki is read from: nothing lost, nothing twice


def period(marks: tuple[SourceMark, ...], resumed: bool = False) -> Period:
    return Period(DIGEST, START, END, f"Archive/{DIGEST}", resumed=resumed, marks=marks)


def test_a_wiki_read_last_time_starts_where_that_digest_ended_and_a_waiting_one_earlier() -> None:
    notes: list[str] = []
    before = (SourceMark("frdev", "2026-11-16T07:00:00Z", True),
              SourceMark("dewiki", "2026-11-09T07:00:00Z", False))
    starts = source_starts(period(before), ["frdev", "dewiki", "newwiki"], notes)
    assert starts == {
        "frdev": SourceMark("frdev", START, True),  # read up to the last digest's end = START
        "dewiki": SourceMark("dewiki", "2026-11-09T07:00:00Z", True),  # waited since then
        "newwiki": SourceMark("newwiki", START, True),
    }
    assert notes == []


def test_a_wiki_waiting_longer_than_recent_changes_keep_is_capped_with_a_note() -> None:
    notes: list[str] = []
    starts = source_starts(period((SourceMark("dewiki", "2026-09-01T00:00:00Z", False),)),
                           ["dewiki"], notes)
    assert starts["dewiki"].start == "2026-10-31T07:00:00Z"
    assert notes and "dewiki" in notes[0]


def test_a_resumed_digest_keeps_its_own_marks() -> None:
    own = (SourceMark("frdev", START, True), SourceMark("dewiki", "2026-11-09T07:00:00Z", False))
    starts = source_starts(period(own, resumed=True), ["frdev", "dewiki", "newwiki"], [])
    assert starts["frdev"] == own[0] and starts["dewiki"] == own[1]
    # a wiki configured since: not read into a digest some already received; it waits
    assert starts["newwiki"] == SourceMark("newwiki", START, False)


# ---------------------------------------------------------------------------------------------
# The merged content


def test_source_cases_are_tagged_with_their_wiki_and_sorted_with_the_central_ones() -> None:
    central = new_case("Advocacy/B", "B case")
    fr = new_case("Wikipédia:Plaidoyer/A", "A case")
    talk = Discussion("Discussion Wikipédia:Plaidoyer/A", "Suite", "Wikipédia:Plaidoyer/A",
                      fr.new_cases[0].case)
    fr = build_content(DIGEST, START, END, fr.new_cases, [talk])
    marks = (SourceMark("frdev", START, True), SourceMark("dewiki", START, False))
    merged = with_source_parts(central, [(FR, fr)], marks)
    assert [c.case.title for c in merged.new_cases] == ["A case", "B case"]
    assert [c.case.wiki for c in merged.new_cases] == [FR, None]
    (d,) = merged.discussions
    assert d.wiki == FR and d.case is not None and d.case.wiki == FR
    assert merged.marks == marks and merged.waiting == ("dewiki",)
    assert merged.item_count == 3
    # the same title on two wikis: two items, in one order whatever the input order
    same = with_source_parts(new_case("Advocacy/A", "A case"), [(FR, fr)], ())
    assert [c.case.wiki for c in same.new_cases] == [None, FR]


def test_a_change_in_two_sections_stays_once_in_each() -> None:
    before = CaseFacts("P", "T", status="active")
    after = CaseFacts("P", "T", status="closed", partners=("X",))
    change = compare_case(before, after)
    assert change is not None
    central = build_content(DIGEST, START, END, [change])
    merged = with_source_parts(central, [(FR, central)], ())
    assert len(merged.status_changes) == 2 and len(merged.updates) == 2  # central + frdev


def test_filters_apply_to_source_cases_as_to_central_ones() -> None:
    fr = new_case("Wikipédia:Plaidoyer/A", "A case")
    merged = with_source_parts(new_case("Advocacy/B", "B"), [(FR, fr)], ())
    assert len(for_subscriber(merged, "en", regions=("europe",)).new_cases) == 2
    assert for_subscriber(merged, "en", regions=("africa",)).new_cases == ()


# ---------------------------------------------------------------------------------------------
# Links, the waiting line, sensitive cases


def test_links_to_a_source_wiki_are_interwiki_external_or_text_and_escaped() -> None:
    assert wiki_link(FR, "Wikipédia:Plaidoyer/A", "A") \
        == "[[:frdev:Wikipédia:Plaidoyer/A|A]] <small>(frdev)</small>"
    assert wiki_link(None, "Advocacy/A", "A") == "[[:Advocacy/A|A]]"
    external = wiki_link(URL_ONLY, "Projekt:A b", "A")
    assert external.startswith("[https://de.example.org/wiki/Projekt:A_b A]")
    assert wiki_link(NO_LINK, "Projekt:A", "A") == "A <small>(ghost)</small>"
    hostile = wiki_link(FR, "Wikipédia:Plaidoyer/X", "]] [[Category:Spam]] {{nobots}} ~~~~")
    assert "[[Category" not in hostile and "{{" not in hostile and "~~~~" not in hostile
    assert hostile.count("[[") == 1 and hostile.count("]]") == 1


def test_the_digest_names_the_wikis_not_refreshed(messages: Messages) -> None:
    merged = with_source_parts(new_case("Advocacy/B", "B"), [],
                               (SourceMark("frdev", START, False),))
    text = render(messages, merged)
    assert "frdev" in text and "next digest" in text
    for lang in ("fr", "zh", "ar"):
        assert "frdev" in render(messages, merged, lang)
    assert "next digest" not in render(messages, with_source_parts(
        new_case("Advocacy/B", "B"), [], (SourceMark("frdev", START, True),)))


def test_a_source_wikis_sensitive_case_is_read_with_its_own_names_and_withheld(
    messages: Messages,
) -> None:
    config = load_config(DEVWIKI_CONFIG)
    source = SourceWiki(id="frdev", language="fr", family="advocacydevfr", code="fr",
                        case_namespaces=(4,), case_prefixes=("Projet:Plaidoyer/",),
                        case_template="Cas de plaidoyer", interwiki="frdev",
                        case_aliases={"sensitive": ("confidentiel",), "title": ("titre",),
                                      "summary": ("résumé",)})
    local = source_config(config, source)
    assert local.digest.hub_pages == ()  # hubs are the central wiki's
    text = ("{{Cas de plaidoyer|titre=Secret|résumé=Rencontre avec X le 3 mai|"
            "contact=Tester2|region=europe|confidentiel=oui}}")
    before = parse_case_page("Projet:Plaidoyer/S", text.replace("oui", "peut-être"), local,
                             template_names=frozenset({"Cas de plaidoyer"})).case
    case = parse_case_page("Projet:Plaidoyer/S", text, local,
                           template_names=frozenset({"Cas de plaidoyer"})).case
    assert case is not None and before is not None and case.sensitive and before.sensitive
    change = compare_case(None, case_facts(case))
    assert change is not None
    merged = with_source_parts(build_content(DIGEST, START, END, []),
                               [(FR, build_content(DIGEST, START, END, [change]))], ())
    shown = merged.new_cases[0].case
    assert shown.sensitive and shown.wiki == FR and merged.version(shown, "fr") is None
    for lang in ("en", "fr"):
        text_out = render(messages, merged, lang)
        assert "[[:frdev:Projet:Plaidoyer/S|Secret]]" in text_out
        assert "Rencontre" not in text_out and "Tester2" not in text_out
