"""`advocacy-hub run knowledge` against the real local MediaWiki: the four views (lessons,
partners, whom to ask, positions) written between their markers only, on change only; a
sensitive case's contacts never shown; one broken page never stops the others; views in the
page's language.

Every test reads cases and edits pages under its own prefix only; the expected texts follow the
on-wiki contract (docs/knowledge.md).
"""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date
from typing import Any

import pytest

from bots.config.model import Config
from bots.errors import EXIT_SHUTOFF, ShutoffError
from bots.i18n.messages import Messages
from bots.knowledge.build import KnowledgeContent, build_pages, page_budget
from bots.knowledge.collect import collect
from bots.knowledge.publish import publish_pages
from bots.operations.jobs import JobResult, run_job
from bots.outcomes import JobReport
from bots.run_options import RunOptions
from bots.wiki.limits import max_page_bytes
from bots.wiki.session import WikiSession
from bots.wikitext.markers import find_marker_regions, strip_stamp
from tests.support.devwiki import Devwiki, import_pages
from tests.support.mwapi import WikiClient
from tests.wiki.test_sensitive_leak import SECRETS, sensitive_case, translation

VIEWS = {
    "lessons": "Advocacy lessons",
    "partners": "Advocacy partners",
    "contacts": "Advocacy whom to ask",
    "positions": "Advocacy positions",
}


@pytest.fixture
def kconfig(config: Config, prefix: str) -> Config:
    """Cases read and edits allowed only under this test's prefix; its own hub talk page."""
    perms = dataclasses.replace(config.permissions, edit_prefixes=(prefix,))
    knowledge = dataclasses.replace(config.knowledge, ask_page=f"Talk:{prefix}Hub")
    return dataclasses.replace(config, permissions=perms, knowledge=knowledge)


def run_knowledge(config: Config, **options: Any) -> tuple[JobResult, str]:
    session = WikiSession(config)
    session.login()
    out = io.StringIO()
    result = run_job("knowledge", session, config, RunOptions(out=out, **options))
    return result, out.getvalue()


def markers(name: str, params: str = "") -> str:
    start = f"{{{{{name}|{params}}}}}" if params else f"{{{{{name}}}}}"
    return f"{start}\nThe bot will fill this in.\n{{{{{name} end}}}}"


def body(text: str, name: str, index: int = 0) -> str:
    regions = find_marker_regions(text, name, f"{name} end").regions
    return strip_stamp(regions[index].inner)


def case(title: str, **fields: str) -> str:
    return "{{Advocacy case\n|title = " + title + "\n" + "".join(
        f"|{k} = {v}\n" for k, v in fields.items()) + "}}"  # fmt: skip


def knowledge_pages(p: str) -> list[dict[str, Any]]:
    return [
        {"title": f"{p}Directive", "age_days": 30, "user": "Tester1", "text": case(
            "EU copyright directive", region="europe", status="partial", topic="copyright",
            start="2016-09", end="2019-04", methods="lobbying, blackout",
            partners="EDRi, Wikimedia Deutschland e.V.", contact="Tester1",
            lessons="Precise amendments got through.")},
        {"title": f"{p}Kenya", "age_days": 5, "user": "Tester1", "text": case(
            "Copyright reform in Kenya", region="africa", status="active",
            topic="copyright", start="2019", methods="public-consultation",
            partners="European Digital Rights", contact="Tester2")},
        {"title": f"{p}NSA", "age_days": 30, "user": "Tester2", "text": case(
            "Wikimedia Foundation v. NSA", region="north-america", status="failure",
            topic="privacy", start="2015", end="2015-10", methods="litigation",
            partners="American Civil Liberties Union", contact="Tester2",
            lessons="The state secrets privilege can stop a case.")},
        {"title": f"{p}Secret case", "age_days": 1, "user": "Tester2", "text": sensitive_case()},
        {"title": f"{p}Secret case/fr", "age_days": 1, "user": "Tester2", "text": translation()},
        {"title": f"{p}Partners/EDRi", "age_days": 20, "text": (
            "{{Advocacy partner|name=European Digital Rights|type=NGO network|region=europe"
            "|website=https://edri.org|aliases=EDRi}}")},
        {"title": f"{p}Partners/WMDE", "age_days": 20, "text": (
            "{{Advocacy partner|name=Wikimedia Deutschland|aliases=Wikimedia Deutschland e.V."
            "|type=Chapter}}")},
        {"title": f"{p}Positions/Copyright", "age_days": 20, "text": (
            "== Reform ==\n{{Advocacy position|title=Copyright reform now|topic=copyright"
            "|summary=Reform it.|reviewed=2020-01|affiliates=Wikimedia Deutschland}}")},
        {"title": f"{p}Positions/Copyright/fr", "age_days": 19, "text": (
            "{{Advocacy position|title=Réforme|topic=copyright|reviewed=2020-01}}")},
        {"title": f"{p}Knowledge", "age_days": 10, "text": "\n\n".join([
            "Intro by a person, {{PAGENAME}} [[Link]] <!-- a comment -->.",
            markers(VIEWS["lessons"]), markers(VIEWS["partners"]),
            markers(VIEWS["contacts"]), markers(VIEWS["positions"]),
            "== Outro ==\nText after.",
        ])},
    ]  # fmt: skip


def test_every_view_is_written_between_its_markers_and_a_rerun_edits_nothing(
    devwiki: Devwiki, prefix: str, kconfig: Config, admin: WikiClient
) -> None:
    p = prefix
    outsider = f"Outside the area {p.rstrip('/').rsplit('-', 1)[1]}"
    import_pages(devwiki, [*knowledge_pages(p), {"title": outsider, "age_days": 5, "text": (
        "{{Advocacy partner|name=Outsider Org|aliases=EDRi}}\n"
        "{{Advocacy position|title=Outsider position|topic=copyright}}")}])  # fmt: skip
    before = admin.page_text(f"{p}Knowledge") or ""
    result, _ = run_knowledge(kconfig)
    assert result.exit_code == 0, result.error
    assert [e.title for e in result.report.edits] == [f"{p}Knowledge"]
    text = admin.page_text(f"{p}Knowledge") or ""
    outside = re.compile(r"\{\{(Advocacy [a-z ]+?)(\|[^}]*)?\}\}.*?\{\{\1 end\}\}", re.S)
    assert outside.sub("", text) == outside.sub("", before)  # nothing changed outside

    lessons = body(text, VIEWS["lessons"])
    # the sensitive case counts as every list shows it: its method codes and status
    assert "| Meetings with policymakers || 2 || Partial success: 1<br />Active: 1\n" in lessons
    assert "(Failure): <bdi>The state secrets privilege can stop a case.</bdi>" in lessons
    partners = body(text, VIEWS["partners"])
    assert partners.count("European Digital Rights") == 1  # EDRi and the full name merged
    assert f"[[:{p}Partners/EDRi|European Digital Rights]]" in partners
    assert "2 cases" in partners and "Website: <bdi>edri.org</bdi>" in partners
    assert "Wikimedia Deutschland e.V." not in partners  # merged by the page's aliases
    assert "''No case in the last 3 years.''" in partners  # the ACLU's case ended in 2015
    contacts = body(text, VIEWS["contacts"])
    assert "[[:User talk:Tester2|Tester2]]" in contacts  # Kenya's contact, linked
    assert f"ask on [[:Talk:{p}Hub|Talk:{p}Hub]]" in contacts  # regions without contacts
    positions = body(text, VIEWS["positions"])
    assert "Copyright reform now" in positions and "please review this position" in positions
    assert f"[[:{p}Positions/Copyright/fr|français]]" in positions
    assert "Réforme" not in positions  # a translation is not a position of its own
    # partner and position pages count only inside the bot's area
    assert "Outsider" not in text

    again, _ = run_knowledge(kconfig)
    assert again.exit_code == 0 and not again.report.edits
    assert [u.title for u in again.report.unchanged] == [f"{p}Knowledge"]


def test_a_sensitive_case_contact_never_appears_in_whom_to_ask(
    devwiki: Devwiki, prefix: str, kconfig: Config, admin: WikiClient
) -> None:
    p = prefix
    import_pages(devwiki, knowledge_pages(p))
    result, diff = run_knowledge(kconfig, diff=True)
    assert result.exit_code == 0, result.error
    text = admin.page_text(f"{p}Knowledge") or ""
    shown = admin.parse_html(f"{p}Knowledge")
    contacts = body(text, VIEWS["contacts"])
    assert "Blocked in Somewhere 2024" in contacts  # listed as every list shows any case
    assert re.search(r"Blocked in Somewhere 2024\]\]</bdi> \(Active\) — no contact named", contacts)
    for where, value in (("wikitext", text), ("as shown", shown), ("--diff", diff),
                         ("notes", "\n".join(result.report.notes))):  # fmt: skip
        leaked = [s for s in SECRETS if s in value]
        assert not leaked, f"{where}: {leaked}"
    assert "(hidden)" not in text


def test_one_broken_page_never_stops_the_others(
    devwiki: Devwiki, prefix: str, kconfig: Config, admin: WikiClient
) -> None:
    p = prefix
    broken = "Intro.\n{{Advocacy lessons}}\nno end marker here"
    import_pages(devwiki, [
        *knowledge_pages(p)[:3],
        {"title": f"{p}A broken", "age_days": 3, "text": broken},
        {"title": f"{p}B wrong parameters", "age_days": 3,
         "text": markers(VIEWS["partners"], "regoin=europe")},
        {"title": f"{p}C good", "age_days": 3, "text": markers(VIEWS["lessons"])},
    ])  # fmt: skip
    result, _ = run_knowledge(kconfig)
    assert result.exit_code == 1
    assert [f.title for f in result.report.failures] == [f"{p}A broken"]
    assert admin.page_text(f"{p}A broken") == broken  # left alone
    wrong = admin.page_text(f"{p}B wrong parameters") or ""
    assert "advocacyhub-knowledge-error" in wrong and "regoin" in wrong
    assert "What worked" in (admin.page_text(f"{p}C good") or "")


def test_a_view_speaks_its_language(
    devwiki: Devwiki, prefix: str, kconfig: Config, admin: WikiClient
) -> None:
    p = prefix
    import_pages(devwiki, [
        *knowledge_pages(p)[:3],
        {"title": f"{p}Knowledge/fr", "age_days": 3, "text": markers(VIEWS["lessons"])},
        {"title": f"{p}Zh", "age_days": 3, "text": markers(VIEWS["contacts"], "lang=fr")},
    ])  # fmt: skip
    result, _ = run_knowledge(kconfig)
    assert result.exit_code == 0, result.error
    fr = body(admin.page_text(f"{p}Knowledge/fr") or "", VIEWS["lessons"])
    assert "=== Ce qui a marché ===" in fr and "Réussite partielle" in fr
    marker_fr = body(admin.page_text(f"{p}Zh") or "", VIEWS["contacts"])
    assert "Les cas en cours" in marker_fr
    summaries = [e.summary for e in result.report.edits if e.title == f"{p}Knowledge/fr"]
    assert summaries and summaries[0].startswith("Advocacy Hub : vue de connaissances")


def test_a_persons_edit_between_read_and_save_is_kept(
    devwiki: Devwiki, prefix: str, kconfig: Config, tester1: WikiClient, admin: WikiClient
) -> None:
    p = prefix
    import_pages(devwiki, [
        *knowledge_pages(p)[:3],
        {"title": f"{p}Busy", "age_days": 3, "text": "Top.\n\n" + markers(VIEWS["lessons"])},
    ])  # fmt: skip
    session = WikiSession(kconfig)
    session.login()
    messages = Messages.load()
    collected = collect(session, kconfig, messages)
    content = KnowledgeContent(
        config=kconfig, messages=messages, markers=collected.markers, cases=collected.cases,
        partners=(), positions=collected.positions, today=date.today(),
        ask_page=f"Talk:{p}Hub", budget=page_budget(max_page_bytes(session)),
    )  # fmt: skip
    builds = build_pages(content, collected.pages)
    # someone edits above the markers after the bot read the page, before it saves
    current = admin.page_text(f"{p}Busy") or ""
    tester1.edit(f"{p}Busy", current.replace("Top.", "Top, edited by a person."))
    report = JobReport("knowledge")
    publish_pages(session, RunOptions(out=io.StringIO()), content, collected.pages, builds, report)
    assert report.ok and [e.title for e in report.edits] == [f"{p}Busy"]
    text = admin.page_text(f"{p}Busy") or ""
    assert text.startswith("Top, edited by a person.\n")
    assert "=== What worked ===" in body(text, VIEWS["lessons"])


def test_partner_and_position_pages_tied_to_a_sensitive_case_leak_nothing_and_stop_nothing(
    devwiki: Devwiki, prefix: str, kconfig: Config, admin: WikiClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    p = prefix
    secret = SECRETS
    tied = {
        # below the sensitive case page: its partner, named by a careless editor
        f"{p}Secret case/Partners": f"{{{{Advocacy partner|name={secret[4]}|type=partner}}}}",
        # naming the sensitive case (as a link with underscores, and by its display title)
        f"{p}Partners/Tied": (f"{{{{Advocacy partner|name=Tied Org|type=works with {secret[5]}"
                              f" on [[{p}Secret_case]]}}}}"),
        f"{p}Positions/Tied": ("{{Advocacy position|title=Tied position|topic=censorship"
                               f"|summary=As in blocked in Somewhere 2024: ask {secret[5]}.}}}}"),
        # a second sensitive case page that carries a partner and a position itself
        f"{p}Secret two": sensitive_case() + (
            f"\n{{{{Advocacy partner|name={secret[4]} Org|website={secret[6]}.example}}}}"
            f"\n{{{{Advocacy position|title={secret[7]}|topic=censorship}}}}"),
        # a redirect is no partner page
        f"{p}Partners/Moved": (f"#REDIRECT [[{p}Partners/EDRi]]\n"
                               "{{Advocacy partner|name=Redirected Org}}"),
    }  # fmt: skip
    import_pages(devwiki, [
        *knowledge_pages(p),
        *({"title": t, "age_days": 2, "text": text} for t, text in tied.items()),
        {"title": f"{p}Partners/Evil", "age_days": 2,
         "text": "{{Advocacy partner|name=Evil Org|website=javascript:alert(1)}}"},
        {"title": f"{p}Variants", "age_days": 2, "text": case(
            "Contact spelt four ways", region="africa", status="active", topic="copyright",
            contact="tester2, Tester2\u200f, User:Tester2, Bad#Name")},
    ])  # fmt: skip
    with caplog.at_level("DEBUG"):
        result, diff = run_knowledge(kconfig, diff=True)
    text = admin.page_text(f"{p}Knowledge") or ""
    shown = admin.parse_html(f"{p}Knowledge")
    reasons = "\n".join(f"{f.title}: {f.reason}" for f in result.report.failures)
    for where, value in (("wikitext", text), ("as shown", shown), ("--diff", diff),
                         ("notes", "\n".join(result.report.notes)), ("failures", reasons),
                         ("log", caplog.text)):  # fmt: skip
        leaked = [s for s in secret if s in value]
        assert not leaked, f"{where}: {leaked}"
    for name in ("Tied Org", "Tied position", "Redirected Org"):
        assert name not in text
    assert result.exit_code == 1  # the bad pages fail the run ...
    assert {f.title for f in result.report.failures} == set(tied)
    assert [e.title for e in result.report.edits] == [f"{p}Knowledge"]  # ... and stop nothing
    partners = body(text, VIEWS["partners"])
    assert "Evil Org" in partners and "Website:" not in partners.split("Evil Org")[1][:300]
    assert "is not a web address" in partners and "[javascript" not in partners
    contacts = body(text, VIEWS["contacts"])
    line = next(x for x in contacts.splitlines() if "Contact spelt four ways" in x)
    assert line.count("User talk:") == 1 and "[[:User talk:Tester2|Tester2]]" in line
    assert "Bad" not in line


def test_the_shutoff_page_stops_the_knowledge_job_before_its_next_save(
    devwiki: Devwiki, prefix: str, kconfig: Config, tester1: WikiClient, admin: WikiClient
) -> None:
    p = prefix
    import_pages(devwiki, [
        *knowledge_pages(p)[:3],
        {"title": f"{p}First", "age_days": 3, "text": markers(VIEWS["lessons"])},
        {"title": f"{p}Second", "age_days": 3, "text": markers(VIEWS["lessons"])},
    ])  # fmt: skip
    shutoff = "User:AdvocacyBot/Run"
    session = WikiSession(kconfig)
    session.login()
    messages = Messages.load()
    collected = collect(session, kconfig, messages)
    content = KnowledgeContent(
        config=kconfig, messages=messages, markers=collected.markers, cases=collected.cases,
        partners=(), positions=collected.positions, today=date.today(),
        ask_page=f"Talk:{p}Hub", budget=page_budget(max_page_bytes(session)),
    )  # fmt: skip
    builds = build_pages(content, collected.pages)
    try:
        # the community stops the bot after it read and built its pages, before any save
        tester1.edit(shutoff, "stop: knowledge test", "knowledge test: stop")
        report = JobReport("knowledge")
        with pytest.raises(ShutoffError):
            publish_pages(session, RunOptions(out=io.StringIO()), content, collected.pages,
                          builds, report)  # fmt: skip
        assert not report.edits
        result, _ = run_knowledge(kconfig)
        assert result.exit_code == EXIT_SHUTOFF and not result.report.edits
    finally:
        admin.edit(shutoff, "run", "knowledge test: run again")
    for title in (f"{p}First", f"{p}Second"):
        assert "What worked" not in (admin.page_text(title) or "")


def test_position_translations_are_listed_once_per_prefix_and_never_guessed_past_the_limit(
    devwiki: Devwiki, prefix: str, kconfig: Config, admin: WikiClient
) -> None:
    p = prefix
    position = "{{{{Advocacy position|title={}|topic=copyright|reviewed=2026-06}}}}"
    import_pages(devwiki, [
        *knowledge_pages(p)[:3],
        {"title": f"{p}Pos", "age_days": 3, "text": position.format("Parent")},
        *({"title": f"{p}Pos/N{i:02}", "age_days": 3, "text": position.format(f"N{i:02}")}
          for i in range(52)),
        {"title": f"{p}Pos/N00/de", "age_days": 3, "text": "Übersetzung"},
        {"title": f"{p}Pos/N51/de", "age_days": 3, "text": "Übersetzung"},
        {"title": f"{p}Positions", "age_days": 3, "text": markers(VIEWS["positions"])},
    ])  # fmt: skip
    session = WikiSession(kconfig)
    session.login()
    before = session.counter.by_action.get("query", 0)
    collected = collect(session, kconfig, Messages.load())
    queries = session.counter.by_action.get("query", 0) - before
    by_title = {pos.title: pos for pos in collected.positions}
    assert by_title["N00"].languages == ("de",)  # answered from the listing of Pos
    assert by_title["N01"].languages == ()
    assert by_title["N51"].languages is None  # past the limit: not known, not "untranslated"
    assert any("translations listed for the first 50 of 53" in n for n in collected.notes)
    assert queries < 20, queries  # not one listing per position page
    result, _ = run_knowledge(kconfig)
    assert result.exit_code == 0, result.error
    view = body(admin.page_text(f"{p}Positions") or "", VIEWS["positions"])
    n51 = view.split("=== N51 ===")[1]
    assert "Not translated yet" not in n51 and "Deutsch" not in n51
    assert "Deutsch" in view.split("=== N00 ===")[1].split("===")[0]
