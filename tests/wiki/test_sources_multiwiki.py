"""The sources service on two real local wikis (issue 16): the central English wiki and a
French source wiki with its own case template and parameter names. One wiki stopped in the
middle of a run, a case moved from one wiki to the other, a wiki not on the participation
list."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Iterator

import pytest

from bots.config.model import Config
from bots.config.source_model import SourcesConfig, SourceWiki
from bots.sources.collect import collect_sources, open_sources, read_sources
from bots.sources.memory import LastRows
from bots.sources.participation import read_participation
from bots.sources.records import NotRefreshed, Refreshed, Skipped
from bots.wiki.connect import open_session
from tests.support.devwiki import Devwiki, bring_up_second, maxlag, start_server, stop_server
from tests.support.mwapi import WikiClient
from tests.support.requestlog import RequestLog, count_api

SEED_PREFIX = "Advocacy Dev Wiki:Plaidoyer/"  # the French seed's cases (config/seed/fr)
FR_NS_PREFIX = "Advocacy Dev Wiki:Tests/"  # test pages, apart from the seed


@pytest.fixture(scope="module")
def second(devwiki: Devwiki) -> Iterator[Devwiki]:
    wiki = bring_up_second(devwiki)
    yield wiki
    start_server(wiki)  # whatever a test did, leave it running for the next one


@pytest.fixture
def fr_prefix() -> str:
    return f"{FR_NS_PREFIX}T-{secrets.token_hex(3)}/"


def two_wiki_config(config: Config, prefix: str, fr_prefix: str) -> Config:
    central = SourceWiki(id="dev", language="en", family="advocacydev", code="en",
                         case_namespaces=(0,), case_prefixes=(prefix,))
    french = SourceWiki(id="frdev", language="fr", family="advocacydevfr", code="fr",
                        case_namespaces=(4,), case_prefixes=(fr_prefix,),
                        case_template="Cas de plaidoyer", interwiki="frdev",
                        case_aliases={"sensitive": ("confidentiel",)}, max_pages=50)
    # configured, but the community has not listed it: never contacted (nothing listens there)
    ghost = SourceWiki(id="ghost", language="de", api_url="http://127.0.0.1:9/api.php",
                       case_namespaces=(4,))
    return dataclasses.replace(config, sources=SourcesConfig(
        wikis=(central, french, ghost), participation_page=f"{prefix}Participating wikis"))


def fr_case(title: str, **fields: str) -> str:
    body = "".join(f"\n|{name} = {value}" for name, value in fields.items())
    return f"{{{{Cas de plaidoyer\n|titre = {title}{body}\n}}}}\nTexte."


def test_cases_from_both_wikis_each_with_its_own_names_and_the_sensitive_rule(
    devwiki: Devwiki, second: Devwiki, config: Config, prefix: str, fr_prefix: str
) -> None:
    cfg = two_wiki_config(config, prefix, fr_prefix)
    en, fr = WikiClient.login_as(devwiki, "Tester1"), WikiClient.login_as(second, "Tester1")
    en.edit(f"{prefix}Participating wikis", "* frdev — Wikimédia France\n* unknownwiki\n")
    en.edit(f"{prefix}Case EN", "{{Advocacy case|title=Case EN|region=europe|status=active}}")
    fr.edit(f"{fr_prefix}Blocage", fr_case("Blocage", région="europe", statut="active",
                                           contact="Tester2", confidentiel="oui"))
    fr.edit(f"{fr_prefix}Loi", fr_case("Loi", région="europe", statut="gagnée"))
    fr.edit(f"{fr_prefix}Ailleurs", "Sans fiche : {{Advocacy case|title=Pas ici}}")

    central = open_session(cfg, simulate=True)  # a dry run: reads only, and it stays one
    log = RequestLog(second)
    mark = log.mark()
    counted = central.counter.requests
    reading = collect_sources(central, cfg)
    fr_requests = count_api(log.since(mark))
    from pywikibot import config as pwb_config

    assert pwb_config.simulate and central.simulate  # opening the French session kept it
    # the run's counter covers both wikis (the French wiki's requests counted by its server)
    assert central.counter.requests - counted >= fr_requests + 3  # + list page, dev wiki

    dev, frdev, ghost = reading.states
    assert isinstance(dev, Refreshed) and dev.wiki.central
    assert [c.result.page for c in dev.cases] == [f"{prefix}Case EN"]
    assert isinstance(frdev, Refreshed) and not frdev.truncated
    assert [c.result.page for c in frdev.cases] == [f"{fr_prefix}Blocage", f"{fr_prefix}Loi"]
    assert {c.wiki.id for c in frdev.cases} == {"frdev"}
    assert frdev.wiki.link_target(f"{fr_prefix}Loi") == f":frdev:{fr_prefix}Loi"
    blocage, loi = (c.result for c in frdev.cases)
    assert blocage.case is not None and blocage.case.sensitive
    assert "Tester2" not in repr(blocage)  # the contact never leaves the French page
    assert blocage.case.revid > 0 and blocage.case.last_edit
    assert loi.case is not None and loi.case.status == "gagnée"
    assert [p.code for p in loi.problems] == ["unknown-status"]  # points to the French page
    assert isinstance(ghost, Skipped) and "not listed" in ghost.reason
    # login, the template's redirects and one batched listing with texts: no per-page reads
    assert fr_requests <= 8, fr_requests


def test_a_wiki_stopped_mid_run_is_not_refreshed_and_the_other_is_read(
    devwiki: Devwiki, second: Devwiki, config: Config, prefix: str, fr_prefix: str
) -> None:
    cfg = two_wiki_config(config, prefix, fr_prefix)
    WikiClient.login_as(devwiki, "Tester1").edit(f"{prefix}Participating wikis", "* frdev\n")
    WikiClient.login_as(devwiki, "Tester1").edit(
        f"{prefix}Case EN", "{{Advocacy case|title=Case EN|region=europe|status=active}}")
    WikiClient.login_as(second, "Tester1").edit(
        f"{fr_prefix}Cas", fr_case("Cas", région="europe", statut="active"))
    memory = LastRows.for_config(cfg)
    earlier = collect_sources(open_session(cfg), cfg)
    memory.remember(earlier, "2026-12-07T05:00:00Z")
    central = open_session(cfg)
    participation = read_participation(central, cfg)
    sessions = open_sources(central, cfg, participation)  # both logged in
    stop_server(second)  # ... and now the French wiki goes away
    try:
        reading = read_sources(sessions, cfg, participation)
        dev, frdev, _ghost = reading.states
        assert isinstance(dev, Refreshed) and len(dev.cases) == 1
        assert isinstance(frdev, NotRefreshed)  # a state of its own, not an empty list
        assert "did not answer" in frdev.reason
        assert reading.cases == dev.cases
        # its last rows are still there for the consumer, marked as not refreshed
        kept, last = memory.kept(frdev), earlier.by_wiki["frdev"]
        assert isinstance(last, Refreshed) and kept.cases == last.cases
        assert [c.result.page for c in kept.cases] == [f"{fr_prefix}Cas"]
        assert kept.refreshed_at == "2026-12-07T05:00:00Z"
        # the next run starts while it is still down: the login fails, same state
        again = collect_sources(open_session(cfg), cfg)
        assert isinstance(again.by_wiki["frdev"], NotRefreshed)
        assert isinstance(again.by_wiki["dev"], Refreshed)
    finally:
        start_server(second)
    back = collect_sources(open_session(cfg), cfg).by_wiki["frdev"]
    assert isinstance(back, Refreshed) and [c.result.page for c in back.cases] == [
        f"{fr_prefix}Cas"
    ]


def test_a_case_moved_between_wikis_is_found_once_on_its_new_wiki(
    devwiki: Devwiki, second: Devwiki, config: Config, prefix: str, fr_prefix: str
) -> None:
    cfg = two_wiki_config(config, prefix, fr_prefix)
    WikiClient.login_as(devwiki, "Tester1").edit(f"{prefix}Participating wikis", "* frdev\n")
    fr_title, en_title = f"{fr_prefix}Cas mobile", f"{prefix}Moved case"
    WikiClient.login_as(second, "Tester1").edit(
        fr_title, fr_case("Cas mobile", région="europe", statut="active"))

    before = collect_sources(open_session(cfg), cfg)
    assert [(c.wiki.id, c.result.page) for c in before.cases] == [("frdev", fr_title)]

    # The community moves the case home to the central wiki: created there, deleted here.
    WikiClient.login_as(devwiki, "Tester1").edit(
        en_title, "{{Advocacy case|title=Cas mobile|region=europe|status=active}}")
    WikiClient.login_as(second, "Admin").delete(fr_title, "déplacé vers le wiki central")

    after = collect_sources(open_session(cfg), cfg)
    moved = [c for c in after.cases if c.result.case and c.result.case.title == "Cas mobile"]
    assert [(c.wiki.id, c.result.page) for c in moved] == [("dev", en_title)]
    frdev = after.by_wiki["frdev"]
    assert isinstance(frdev, Refreshed) and frdev.cases == ()  # read, and really empty now


def test_a_lagged_wiki_is_not_refreshed(
    devwiki: Devwiki, second: Devwiki, config: Config, prefix: str, fr_prefix: str
) -> None:
    cfg = two_wiki_config(config, prefix, fr_prefix)
    # a small retry budget, as the fault suite uses: the wiki stays lagged past it
    cfg = dataclasses.replace(cfg, wiki=dataclasses.replace(
        cfg.wiki, max_retries=1, retry_wait=0.2, retry_max_wait=1.0))  # fmt: skip
    WikiClient.login_as(devwiki, "Tester1").edit(f"{prefix}Participating wikis", "* frdev\n")
    WikiClient.login_as(second, "Tester1").edit(
        f"{fr_prefix}Cas", fr_case("Cas", région="europe", statut="active"))
    central = open_session(cfg)
    participation = read_participation(central, cfg)
    sessions = open_sources(central, cfg, participation)
    with maxlag(second, 31):  # past the maxlag reads send: every request to it is refused
        reading = read_sources(sessions, cfg, participation)
    frdev = reading.by_wiki["frdev"]
    assert isinstance(frdev, NotRefreshed) and "lag" in frdev.reason
    assert isinstance(reading.by_wiki["dev"], Refreshed)


def test_the_french_seed_reads_as_a_source_wiki(
    devwiki: Devwiki, second: Devwiki, config: Config, prefix: str
) -> None:
    cfg = two_wiki_config(config, prefix, SEED_PREFIX)
    WikiClient.login_as(devwiki, "Tester1").edit(f"{prefix}Participating wikis", "* frdev\n")
    frdev = collect_sources(open_session(cfg), cfg).by_wiki["frdev"]
    assert isinstance(frdev, Refreshed)
    by_title = {c.result.page.removeprefix(SEED_PREFIX): c.result for c in frdev.cases}
    assert sorted(by_title) == ["Blocage de Wikipédia en Turquie",
                                "Liberté de panorama en France",
                                "Loi pour une République numérique"]  # fmt: skip
    panorama = by_title["Liberté de panorama en France"].case
    assert panorama is not None
    assert (panorama.region, panorama.status, panorama.topics) == (
        "europe", "partial", ("freedom-of-panorama",))
    assert panorama.contacts == ("Tester1",) and not panorama.sensitive
    blocage = by_title["Blocage de Wikipédia en Turquie"]
    assert blocage.case is not None and blocage.case.sensitive
    assert "Tester2" not in repr(blocage)
    loi = by_title["Loi pour une République numérique"]
    assert [p.code for p in loi.problems] == ["unknown-status"]


def test_a_source_wiki_named_by_its_api_url(
    devwiki: Devwiki, second: Devwiki, config: Config, prefix: str
) -> None:
    cfg = two_wiki_config(config, prefix, SEED_PREFIX)
    # devwiki's password file has an entry for `<family>api`, the id Pywikibot's AutoFamily
    # then goes by (family and code alike)
    by_url = dataclasses.replace(cfg.sources.wikis[1], id="advocacydevfrapi", family="", code="",
                                 api_url=second.api_url)  # fmt: skip
    cfg = dataclasses.replace(cfg, sources=dataclasses.replace(
        cfg.sources, wikis=(cfg.sources.wikis[0], by_url)))  # fmt: skip
    WikiClient.login_as(devwiki, "Tester1").edit(f"{prefix}Participating wikis",
                                                 "* advocacydevfrapi\n")  # fmt: skip
    state = collect_sources(open_session(cfg), cfg).by_wiki["advocacydevfrapi"]
    assert isinstance(state, Refreshed) and len(state.cases) == 3
    assert {c.wiki.id for c in state.cases} == {"advocacydevfrapi"}
