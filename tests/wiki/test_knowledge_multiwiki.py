"""`run knowledge` with cases on two real local wikis (issue 16): the central English wiki and
the French source wiki (its own case template and parameter names). A French case's lesson,
partner and contact are shown, linked on the French wiki; a sensitive French case leaks
nothing; the French wiki stopped in the middle of a run leaves the knowledge pages alone and
fails the run (docs/knowledge.md); a wiki not on the participation page is skipped."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Iterator
from typing import Any

import pytest

import bots.knowledge.other_wikis
from bots.config.model import Config
from tests.support.devwiki import Devwiki, bring_up_second, start_server, stop_server
from tests.support.mwapi import WikiClient
from tests.wiki.test_knowledge_job import VIEWS, body, case, markers, run_knowledge
from tests.wiki.test_sources_multiwiki import FR_NS_PREFIX, fr_case, two_wiki_config

FR_SECRETS = ("Zx90FrSecretContact", "Zx91FrSecretLesson", "Zx92FrSecretPartner")


@pytest.fixture(scope="module")
def second(devwiki: Devwiki) -> Iterator[Devwiki]:
    wiki = bring_up_second(devwiki)
    yield wiki
    start_server(wiki)  # whatever a test did, leave it running for the next one


@pytest.fixture
def fr_prefix(second: Devwiki) -> Iterator[str]:
    """This test's prefix on the French wiki; its pages are deleted afterwards (they count
    toward the French wiki's ``max_pages`` in every later test)."""
    prefix = f"{FR_NS_PREFIX}K-{secrets.token_hex(3)}/"
    yield prefix
    admin = WikiClient.login_as(second, "Admin")
    for title in admin.prefix_pages(prefix.split(":", 1)[1], namespace=4):
        admin.delete(title, "test pages")


@pytest.fixture
def mconfig(config: Config, prefix: str, fr_prefix: str) -> Config:
    perms = dataclasses.replace(config.permissions, edit_prefixes=(prefix,))
    knowledge = dataclasses.replace(config.knowledge, ask_page=f"Talk:{prefix}Hub")
    base = dataclasses.replace(config, permissions=perms, knowledge=knowledge)
    return two_wiki_config(base, prefix, fr_prefix)


def _seed(devwiki: Devwiki, second: Devwiki, prefix: str, fr_prefix: str,
          listed: bool = True) -> tuple[WikiClient, WikiClient]:  # fmt: skip
    en, fr = WikiClient.login_as(devwiki, "Tester1"), WikiClient.login_as(second, "Tester1")
    en.edit(f"{prefix}Participating wikis", "* frdev — Wikimédia France\n" if listed else "* x\n")
    en.edit(f"{prefix}Case EN", case("Case EN", region="europe", status="active",
                                     contact="Tester2", lessons="English lesson."))  # fmt: skip
    fr.edit(f"{fr_prefix}Loi", fr_case("Loi [[x]]", région="europe", statut="active",
                                       contact="Tester1", partenaires="Frpartner Org",
                                       leçons="Leçon française."))  # fmt: skip
    fr.edit(f"{fr_prefix}Blocage", fr_case(
        "Blocage", région="europe", statut="active", confidentiel="oui",
        contact=FR_SECRETS[0], leçons=FR_SECRETS[1], partenaires=FR_SECRETS[2]))  # fmt: skip
    en.edit(f"{prefix}Knowledge", "\n".join(
        markers(VIEWS[v]) for v in ("lessons", "partners", "contacts")))  # fmt: skip
    return en, fr


def test_french_cases_show_linked_on_the_french_wiki_and_a_sensitive_one_leaks_nothing(
    devwiki: Devwiki, second: Devwiki, mconfig: Config, prefix: str, fr_prefix: str,
    admin: WikiClient,
) -> None:
    _seed(devwiki, second, prefix, fr_prefix)
    result, diff = run_knowledge(mconfig, diff=True)
    assert result.exit_code == 0, (result.error, result.report.failures)
    assert any(n.startswith("frdev: 2 case pages read") for n in result.report.notes)
    text = admin.page_text(f"{prefix}Knowledge") or ""
    lessons, partners = body(text, VIEWS["lessons"]), body(text, VIEWS["partners"])
    contacts = body(text, VIEWS["contacts"])
    french = f"[[:frdev:{fr_prefix}Loi|Loi x]]"  # the title as the parser reads it, escaped
    assert french in lessons and "Leçon française." in lessons
    assert "English lesson." in lessons and f"[[:{prefix}Case EN|Case EN]]" in lessons
    assert "Frpartner Org" in partners and french in partners
    assert french in contacts
    assert "[[:frdev:User talk:Tester1|Tester1]]" in contacts  # the French wiki's user
    assert "[[:User talk:Tester1|" not in contacts  # not the central wiki's
    assert "[[:User talk:Tester2|Tester2]]" in contacts  # the English case's, as before
    shown = admin.parse_html(f"{prefix}Knowledge")
    for where, value in (("wikitext", text), ("as shown", shown), ("--diff", diff),
                         ("notes", "\n".join(result.report.notes))):  # fmt: skip
        leaked = [s for s in FR_SECRETS if s in value]
        assert not leaked, f"{where}: {leaked}"


def test_the_french_wiki_stopped_mid_run_leaves_the_pages_alone(
    devwiki: Devwiki, second: Devwiki, mconfig: Config, prefix: str, fr_prefix: str,
    admin: WikiClient, monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, fr = _seed(devwiki, second, prefix, fr_prefix)
    assert run_knowledge(mconfig)[0].exit_code == 0
    before = admin.page_text(f"{prefix}Knowledge") or ""
    assert "Leçon française." in before
    fr.edit(f"{fr_prefix}Nouveau", fr_case("Nouveau", région="europe", statut="active",
                                           leçons="Nouvelle leçon."))  # fmt: skip
    opened = bots.knowledge.other_wikis.open_sources

    def open_then_stop(*args: Any, **kwargs: Any) -> Any:
        sessions = opened(*args, **kwargs)
        stop_server(second)
        return sessions

    monkeypatch.setattr(bots.knowledge.other_wikis, "open_sources", open_then_stop)
    try:
        down, _ = run_knowledge(mconfig)
    finally:
        start_server(second)
    monkeypatch.undo()
    assert down.exit_code == 1
    assert [f.title for f in down.report.failures] == ["wiki frdev"]
    assert "left alone" in down.report.failures[0].reason
    assert not down.report.edits
    assert admin.page_text(f"{prefix}Knowledge") == before  # no French case vanished

    again, _ = run_knowledge(mconfig)  # back up: read again, the new case shows
    assert again.exit_code == 0, again.report.failures
    assert "Nouvelle leçon." in (admin.page_text(f"{prefix}Knowledge") or "")


def test_a_wiki_not_on_the_participation_page_is_skipped(
    devwiki: Devwiki, second: Devwiki, mconfig: Config, prefix: str, fr_prefix: str,
    admin: WikiClient,
) -> None:
    _seed(devwiki, second, prefix, fr_prefix, listed=False)
    result, _ = run_knowledge(mconfig)
    assert result.exit_code == 0, result.report.failures
    assert "wiki frdev" in [s.title for s in result.report.skipped]
    text = admin.page_text(f"{prefix}Knowledge") or ""
    assert "English lesson." in text and "Leçon française." not in text and "frdev" not in text


def test_a_partner_page_naming_a_sensitive_french_case_is_refused(
    devwiki: Devwiki, second: Devwiki, mconfig: Config, prefix: str, fr_prefix: str,
    admin: WikiClient,
) -> None:
    en, _ = _seed(devwiki, second, prefix, fr_prefix)
    tied = f"{prefix}Partners/Tied"
    en.edit(tied, "{{Advocacy partner|name=Tied Org|type=works on Blocage}}")
    result, _ = run_knowledge(mconfig)
    assert result.exit_code == 1
    assert [f.title for f in result.report.failures] == [tied]
    assert "sensitive" in result.report.failures[0].reason, result.report.failures
    text = admin.page_text(f"{prefix}Knowledge") or ""
    assert "Leçon française." in text and "Tied Org" not in text  # the others still written
    assert not [s for s in FR_SECRETS if s in text]
