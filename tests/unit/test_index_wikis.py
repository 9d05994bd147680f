"""The index over several wikis (issue 16), pure parts: row keys and links on their own wiki,
the wiki column and ``wiki=`` filter, rows of a wiki not refreshed (kept, marked, never counted
as removed by the breaker), a skipped wiki, sensitive cases from any wiki."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from bots.cases.parser import parse_case_page
from bots.cases.record import CaseParseResult
from bots.config.load import parse_config
from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.index.breaker import breaker_reasons, breaker_trips
from bots.index.collect import CollectedCases
from bots.index.collect_wikis import combine
from bots.index.pages import MarkerNames, render_marker_page, rows_by_title
from bots.index.view_params import DEFAULT_COLUMNS, IndexView, parse_view_params
from bots.index.view_render import render_index_view
from bots.index.wikis import IndexWikis, Staleness
from bots.sources.collect import parsing_config
from bots.sources.memory import LastRows
from bots.sources.participation import listed_ids
from bots.sources.records import NotRefreshed, Refreshed, Skipped, SourceCase, SourcesReading
from bots.wikitext.problems import Problem
from tests.unit.test_sources import REPO, multi_config

NAMES = MarkerNames("Advocacy case index", "Advocacy case index end")
FR = "Advocacy Dev Wiki:Plaidoyer/"


@pytest.fixture(scope="module")
def config() -> Config:
    return multi_config()


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


def wikis_of(config: Config) -> IndexWikis:
    return IndexWikis.from_config(config)


def fr_result(config: Config, title: str, text: str) -> CaseParseResult:
    source = config.sources.wikis[1]
    return parse_case_page(f"{FR}{title}", text, parsing_config(config, source),
                           template_names=frozenset({"Cas de plaidoyer"}))  # fmt: skip


def fr_case(title: str, *more: str) -> str:
    return "{{Cas de plaidoyer|titre=" + title + "|région=europe|statut=active" + "".join(
        f"|{m}" for m in more) + "}}"  # fmt: skip


def view(params: dict[str, str], config: Config, wikis: IndexWikis | None = None) -> IndexView:
    parsed = parse_view_params(params, config)
    assert isinstance(parsed, IndexView), parsed
    return dataclasses.replace(parsed, wikis=wikis) if wikis is not None else parsed


def test_row_keys_central_titles_unchanged_others_prefixed_by_wiki(config: Config) -> None:
    wikis = wikis_of(config)
    assert wikis.central == "dev" and wikis.several
    assert wikis.key("dev", "Advocacy/A") == "Advocacy/A"  # as with one wiki: no row changes
    key = wikis.key("frdev", f"{FR}Loi")
    assert key == f":frdev:{FR}Loi"
    assert wikis.split(key) == ("frdev", f"{FR}Loi")
    assert wikis.split("Advocacy/A") == ("dev", "Advocacy/A")
    # a title with colons splits at the wiki id only
    assert wikis.split(":dewiki:Wikipedia:Advocacy/X:Y") == ("dewiki", "Wikipedia:Advocacy/X:Y")


def test_links_go_to_the_page_on_its_own_wiki(config: Config) -> None:
    wikis = wikis_of(config)
    assert wikis.link("Advocacy/A", "A") == "[[:Advocacy/A|A]]"
    assert wikis.link(f":frdev:{FR}Loi", "Loi") == f"[[:frdev:{FR}Loi|Loi]]"  # interwiki
    assert wikis.link(":dewiki:Wikipedia:Fall X", "Fall X") == (
        "[https://de.example.org/wiki/Wikipedia:Fall_X Fall X]")  # page_url
    assert wikis.edit_link(f":frdev:{FR}Loi", "edit") == (
        f"[[:frdev:Special:EditPage/{FR}Loi|edit]]")
    assert wikis.edit_link(":dewiki:Wikipedia:Fall X", "edit") == (
        "[https://de.example.org/wiki/Special:EditPage/Wikipedia:Fall_X edit]")
    # a wiki the central wiki cannot reach: the label alone, escaped
    assert wikis.link(":nowhere:T", "[[x]]") == "&#91;&#91;x&#93;&#93;"


def test_hostile_titles_and_labels_stay_text(config: Config) -> None:
    wikis = wikis_of(config)
    url_link = wikis.link(":dewiki:Wikipedia:A] [http://evil.example x", "{{bad}} ~~~~")
    assert url_link.startswith("[https://de.example.org/wiki/Wikipedia:A%5D_%5Bhttp:")
    assert " " not in url_link.split(" ", 1)[0]  # the URL ends where the wiki ends it
    assert "{{" not in url_link and "~~~~" not in url_link
    interwiki = wikis.link(":frdev:T]]{{x}}", "L|x]]")
    assert interwiki.count("[[") == 1 and interwiki.count("]]") == 1 and "{{" not in interwiki


def test_wiki_filter_and_column(config: Config) -> None:
    default = view({}, config)
    assert default.columns == (*DEFAULT_COLUMNS, "wiki")  # several wikis: the wiki column
    only = view({"wiki": "FRDEV, dev, frdev"}, config)
    assert only.wiki_ids == ("frdev", "dev") and only.filtered and not only.attention
    assert parse_view_params({"wiki": "frdeb"}, config) == [
        Problem("unknown-wiki", ("frdeb", "frdev"))]
    one_wiki = dataclasses.replace(config, sources=dataclasses.replace(config.sources, wikis=()))
    assert view({}, one_wiki).columns == DEFAULT_COLUMNS  # as before issue 16


def rows(out: str) -> list[str]:
    """Row keys, as the next run reads them back (``bots.index.pages.rows_by_title``)."""
    return list(rows_by_title(out))


def test_cases_of_two_wikis_in_one_view(config: Config, messages: Messages) -> None:
    wikis = wikis_of(config)
    loi = fr_result(config, "Loi", fr_case("Loi"))
    assert loi.case is not None  # translated on its wiki into English (Loi/en)
    loi = dataclasses.replace(loi, case=dataclasses.replace(loi.case, languages=("en",)))
    secret = fr_result(config, "Secret", fr_case("Secret", "contact=Tester2",
                                                 "confidentiel=oui"))  # fmt: skip
    collected = CollectedCases(results=(parse_case_page(
        "Advocacy/A", "{{Advocacy case|title=A|region=europe|status=active}}", config),),
        parsed=1)  # fmt: skip
    reading = SourcesReading((
        Refreshed(wikis.tags["frdev"], (SourceCase(wikis.tags["frdev"], loi),
                                        SourceCase(wikis.tags["frdev"], secret)), listed=2),
    ))  # fmt: skip
    combined, state = combine(collected, reading, LastRows(Path("/nonexistent")), wikis)
    cases = [r.case for r in combined.results if r.case]
    every = view({"columns": "title, wiki, contact, languages"}, config, state)
    out = render_index_view(every, cases, combined.results, messages, "fr")
    assert rows(out) == ["Advocacy/A", f":frdev:{FR}Loi", f":frdev:{FR}Secret"]
    assert f"[[:frdev:{FR}Loi|Loi]]" in out and "| frdev" in out and "Tester2" not in out
    assert "| français\n" in out  # the French case's language is its wiki's
    # its language and its translations on its wiki
    assert f"[[:frdev:{FR}Loi|Loi]]\n| frdev\n|\n| English, français\n" in out
    # in an English list the translated case links its English subpage on its wiki
    english = render_index_view(view({}, config, state), cases, [], messages, "en")
    assert f"[[:frdev:{FR}Loi/en|Loi]]" in english
    assert rows(render_index_view(view({"wiki": "dev"}, config, state), cases, [], messages,
                                  "en")) == ["Advocacy/A"]  # fmt: skip


def test_a_wiki_not_refreshed_keeps_its_last_rows_marked(
    config: Config, messages: Messages, tmp_path: Path
) -> None:
    wikis = wikis_of(config)
    frdev = wikis.tags["frdev"]
    memory = LastRows(tmp_path)
    loi = fr_result(config, "Loi", fr_case("Loi", "contact=Tester2", "confidentiel=oui"))
    memory.remember(SourcesReading((Refreshed(frdev, (SourceCase(frdev, loi),), listed=1),)),
                    "2026-12-07T05:00:00Z")  # fmt: skip
    down = SourcesReading((NotRefreshed(frdev, "the wiki did not answer"),
                           Skipped(wikis.tags["dewiki"], "not listed")))  # fmt: skip
    combined, state = combine(CollectedCases(results=(), parsed=0), down, memory, wikis)
    assert [r.page for r in combined.results] == [f":frdev:{FR}Loi"]  # dewiki: skipped, none
    assert state.stale == {"frdev": Staleness("2026-12-07T05:00:00Z", "the wiki did not answer")}
    assert state.unsure == {"frdev"}
    assert "Tester2" not in repr(combined)
    out = render_index_view(view({}, config, state), [r.case for r in combined.results if r.case],
                            [], messages, "fr")  # fmt: skip
    assert "non actualisé depuis le 2026-12-07 05:00" in out
    assert "Le wiki frdev n’a pas pu être lu" in out


def test_a_truncated_wiki_is_unsure(config: Config, tmp_path: Path) -> None:
    wikis = wikis_of(config)
    reading = SourcesReading((Refreshed(wikis.tags["frdev"], (), listed=51, truncated=True),))
    _, state = combine(CollectedCases(results=(), parsed=0), reading, LastRows(tmp_path), wikis)
    assert state.unsure == {"frdev"} and not state.stale


def page_with(cases: list[CaseParseResult], config: Config, messages: Messages) -> str:
    text = "{{Advocacy case index}}\n{{Advocacy case index end}}"
    shown = [r.case for r in cases if r.case]
    out = render_marker_page(text, NAMES, shown, [], messages, "en", config).text
    assert out is not None
    return out


def test_breaker_never_sees_a_missing_wiki_as_removed_cases(
    config: Config, messages: Messages
) -> None:
    wikis = wikis_of(config)
    french = [fr_result(config, f"Cas {n}", fr_case(f"Cas {n}")) for n in range(6)]
    keyed = [dataclasses.replace(r, page=wikis.key("frdev", r.page), case=dataclasses.replace(
        r.case, page=wikis.key("frdev", r.page)) if r.case else None) for r in french]  # fmt: skip
    central = [parse_case_page(f"Advocacy/{n}", "{{Advocacy case|title=C|region=europe}}",
                               config) for n in range(2)]  # fmt: skip
    page = page_with(keyed + central, config, messages)
    # the French wiki is gone from this run (never read before: no last rows to keep)
    gone = render_marker_page(page, NAMES, [r.case for r in central if r.case], [], messages,
                              "en", config)  # fmt: skip
    assert breaker_trips(gone, 0.3, 3)  # as if six cases had been removed ...
    unsure = dataclasses.replace(wikis, unsure=frozenset({"frdev"}))
    assert not breaker_trips(gone, 0.3, 3, unsure)  # ... but the wiki was not refreshed
    assert breaker_reasons(gone, config, unsure) == ()
    # central cases removed still trip it, whatever the other wiki's state
    blanked = render_marker_page(page, NAMES, [r.case for r in keyed if r.case], [], messages,
                                 "en", config)  # fmt: skip
    assert not breaker_trips(blanked, 0.1, 3, unsure)  # 2 < 3 rows
    assert breaker_trips(blanked, 0.1, 2, unsure)


def test_needs_attention_points_to_the_source_page(config: Config, messages: Messages) -> None:
    wikis = wikis_of(config)
    broken = fr_result(config, "Cassé", "{{Cas de plaidoyer|titre=Cassé|statut=gagnée}}")
    assert broken.problems
    key = wikis.key("frdev", broken.page)
    item = dataclasses.replace(broken, page=key, case=dataclasses.replace(
        broken.case, page=key) if broken.case else None)  # fmt: skip
    out = render_index_view(view({}, config, wikis), [item.case] if item.case else [], [item],
                            messages, "en")  # fmt: skip
    attention = [line for line in out.splitlines() if line.startswith("* ")]
    assert attention and f"[[:frdev:{FR}Cassé|Cassé]]" in attention[0]
    assert f"[[:frdev:Special:EditPage/{FR}Cassé|edit]]" in attention[0]


def test_the_demo_fragment_makes_a_two_wiki_configuration() -> None:
    """config/devwiki-sources.toml appended to devwiki.toml (docs/multiwiki.md)."""
    text = "".join((REPO / "config" / name).read_text(encoding="utf-8")
                   for name in ("devwiki.toml", "devwiki-sources.toml"))  # fmt: skip
    config = parse_config(tomllib.loads(text), "multi.toml")
    wikis = IndexWikis.from_config(config)
    assert wikis.central == "dev" and sorted(wikis.tags) == ["dev", "frdev"]
    assert config.sources.participation_page == "Advocacy Hub/Participating wikis"
    seed = tomllib.loads((REPO / "config" / "seed" / "seed.toml").read_text(encoding="utf-8"))
    (page,) = [p for p in seed["page"] if p["title"] == config.sources.participation_page]
    assert listed_ids(page["revisions"][-1]["text"]) == ("frdev",)
