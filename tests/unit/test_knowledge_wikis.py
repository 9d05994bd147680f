"""The knowledge views over cases from several wikis (issue 16), pure: a case on another wiki
is linked there, and so are its contacts (plain escaped text when the central wiki cannot
reach the wiki); a sensitive case's contacts never shown; translation subpages are no cases;
a wiki not refreshed leaves the pages alone."""

from __future__ import annotations

import dataclasses

from bots.cases.record import Case
from bots.i18n.messages import Messages
from bots.knowledge.other_wikis import OtherWikis, not_translations
from bots.outcomes import JobReport
from bots.sources.keys import WikiKeys
from bots.sources.records import NotRefreshed, Refreshed, Skipped, SourcesReading, WikiTag
from bots.wikitext.markers import strip_stamp
from tests.unit.knowledge_support import content, parse_cases, render
from tests.unit.test_sources import multi_config

CONFIG = multi_config()
WIKIS = WikiKeys.from_config(CONFIG)
VIEWS = "\n".join(f"{{{{{v}}}}}\n{{{{{v} end}}}}" for v in (
    "Advocacy lessons", "Advocacy partners", "Advocacy whom to ask"))  # fmt: skip


def _case(key: str, title: str, contact: str, **more: str) -> Case:
    extra = "".join(f"|{k}={v}\n" for k, v in more.items())
    text = (f"{{{{Advocacy case\n|title={title}\n|region=europe\n|status=active\n"
            f"|contact={contact}\n|lessons=Lesson of {title}.\n|partners=Shared Org\n{extra}}}}}")
    (case,) = parse_cases(CONFIG, {"Advocacy/X": text})
    return dataclasses.replace(case, page=key)


def _views(*cases: Case) -> str:
    built = dataclasses.replace(content(CONFIG, cases), wikis=WIKIS)
    return strip_stamp(render(built, VIEWS).text or "")


def test_cases_and_contacts_link_to_their_own_wiki() -> None:
    text = _views(
        _case("Advocacy/Home", "Home", "Tester1"),
        _case(":frdev:Advocacy Dev Wiki:Plaidoyer/Loi", "Loi", "Alice"),
        _case(":dewiki:Projekt:Fall", "Fall", "Bob"),
    )
    assert "[[:Advocacy/Home|Home]]" in text and "[[:User talk:Tester1|Tester1]]" in text
    assert "[[:frdev:Advocacy Dev Wiki:Plaidoyer/Loi|Loi]]" in text
    assert "[[:frdev:User talk:Alice|Alice]]" in text
    assert "[https://de.example.org/wiki/Projekt:Fall Fall]" in text  # page_url only
    assert "[https://de.example.org/wiki/User_talk:Bob Bob]" in text
    assert "[[:User talk:Alice" not in text and "[[:User talk:Bob" not in text


def test_a_wiki_the_central_wiki_cannot_reach_gives_plain_escaped_text() -> None:
    text = _views(_case(":nowhere:Page", "Lost [x] ~~~~ y", "Carol"))
    assert "<bdi>Lost &#91;x&#93; &#126;&#126;&#126;&#126; y</bdi> (Active)" in text
    assert "— ask <bdi>Carol</bdi>" in text
    assert "nowhere" not in text and "[[:User talk:Carol" not in text


def test_a_sensitive_case_on_another_wiki_shows_no_contact() -> None:
    text = _views(_case(":frdev:Advocacy Dev Wiki:Plaidoyer/S", "Secret", "Zx77Hidden",
                        sensitive="yes"))  # fmt: skip
    assert "Zx77Hidden" not in text and "Lesson of Secret" not in text


def test_translation_subpages_are_no_cases() -> None:
    titles = ["P:Cas", "P:Cas/fr", "P:Cas/Annexe", "P:Autre/de"]
    assert not_translations(titles, CONFIG, Messages.load()) == {
        "P:Cas", "P:Cas/Annexe", "P:Autre/de"}  # fmt: skip


def test_a_wiki_not_refreshed_leaves_the_pages_alone_and_a_skipped_one_is_reported() -> None:
    fr, de = WikiTag("frdev", "fr"), WikiTag("dewiki", "de")
    report = JobReport(job="knowledge")
    ok = OtherWikis(reading=SourcesReading((Refreshed(fr, (), listed=0),
                                            Skipped(de, "not listed"))))  # fmt: skip
    assert ok.report(report)
    assert [s.title for s in report.skipped] == ["wiki dewiki"] and not report.failures
    report = JobReport(job="knowledge")
    down = OtherWikis(reading=SourcesReading((NotRefreshed(fr, "timed out"),)))
    assert not down.report(report)
    assert [f.title for f in report.failures] == ["wiki frdev"]
    assert "frdev: not refreshed: timed out" in report.notes
