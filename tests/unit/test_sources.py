"""The sources service's pure parts (issue 16): the participation list, the wiki tag's links,
the per-wiki parsing configuration and the states a consumer sees."""

from __future__ import annotations

import tomllib
from pathlib import Path

from bots.cases.parser import parse_case_page
from bots.cases.record import CaseParseResult
from bots.config.load import parse_config
from bots.config.model import Config
from bots.sources.collect import parsing_config, without_sensitive_contacts
from bots.sources.memory import LastRows
from bots.sources.participation import decide_participation, listed_ids
from bots.sources.records import (
    NotRefreshed,
    Refreshed,
    Skipped,
    SourceCase,
    SourcesReading,
    WikiTag,
)

REPO = Path(__file__).resolve().parents[2]


def multi_config() -> Config:
    data = tomllib.loads((REPO / "config" / "devwiki.toml").read_text(encoding="utf-8"))
    data["participation"] = {"page": "Advocacy/Participating wikis"}
    data["sources"] = [
        {"id": "dev", "family": "advocacydev", "code": "en", "language": "en",
         "case_namespaces": [0], "case_prefixes": ["Advocacy/"]},
        {"id": "frdev", "family": "advocacydevfr", "code": "fr", "language": "fr",
         "case_namespaces": [4], "case_prefixes": ["Advocacy Dev Wiki:Plaidoyer/"],
         "case_template": "Cas de plaidoyer", "interwiki": "frdev",
         "case_aliases": {"sensitive": ["confidentiel"]}},
        {"id": "dewiki", "family": "wikipedia", "code": "de", "language": "de",
         "case_namespaces": [4], "page_url": "https://de.example.org/wiki/$1"},
    ]  # fmt: skip
    return parse_config(data, "multi.toml")


LIST_PAGE = """Wikis taking part in the central case index:
* frdev — Wikimédia France (depuis 2026)
* FRDEV repeated
*[[dewiki]]
<!-- * hidden -->
<nowiki>* nowikied</nowiki>
 not a list item
* unknownwiki
"""


def test_listed_ids_reads_list_items_only() -> None:
    assert listed_ids(LIST_PAGE) == ("frdev", "dewiki", "unknownwiki")
    assert listed_ids("") == ()
    assert listed_ids("* -bad\n*\n* ok-1 text") == ("ok-1",)


def test_a_wiki_not_listed_is_skipped_and_the_central_wiki_needs_no_line() -> None:
    cfg = multi_config()
    decided = decide_participation(cfg, "* frdev\n")
    assert [w.id for w in decided.taking_part] == ["dev", "frdev"]
    assert [(w.id, "not listed" in why) for w, why in decided.skipped] == [("dewiki", True)]
    decided = decide_participation(cfg, LIST_PAGE)
    assert [w.id for w in decided.taking_part] == ["dev", "frdev", "dewiki"]
    assert decided.unknown_ids == ("unknownwiki",)


def test_a_missing_participation_page_skips_every_other_wiki() -> None:
    decided = decide_participation(multi_config(), None)
    assert [w.id for w in decided.taking_part] == ["dev"]
    assert all("does not exist" in why for _w, why in decided.skipped)


def test_a_single_wiki_config_takes_part_without_a_list() -> None:
    cfg = parse_config(tomllib.loads((REPO / "config" / "devwiki.toml").read_text("utf-8")))
    decided = decide_participation(cfg, "")
    assert [w.implicit for w in decided.taking_part] == [True] and not decided.skipped


def test_links_to_a_case_on_another_wiki() -> None:
    assert WikiTag("dev", central=True).link_target("Advocacy/X") == "Advocacy/X"
    assert WikiTag("frdev", interwiki="frdev").link_target("P:Cas") == ":frdev:P:Cas"
    tag = WikiTag("dewiki", page_url="https://de.example.org/wiki/$1")
    assert tag.link_target("Wikipedia:Fall A") == ""
    assert tag.url("Wikipedia:Fall A?") == "https://de.example.org/wiki/Wikipedia:Fall_A%3F"


def test_each_wiki_is_parsed_with_its_own_template_and_names_and_the_sensitive_rule() -> None:
    cfg = multi_config()
    french = cfg.sources.wikis[1]
    local = parsing_config(cfg, french)
    assert local.templates.case == "Cas de plaidoyer"
    assert "confidentiel" in local.templates.case_aliases["sensitive"]
    assert "titre" in local.templates.case_aliases["title"]  # the central names still count
    text = ("{{Cas de plaidoyer|titre=Blocage|région=europe|statut=active|contact=Tester2"
            "|confidentiel=oui}}")
    result = without_sensitive_contacts(parse_case_page("Advocacy Dev Wiki:Plaidoyer/B", text,
                                                        local))  # fmt: skip
    assert result.case is not None and result.case.sensitive
    assert "Tester2" not in repr(result)
    # The central template name means nothing on the French wiki.
    other = parse_case_page("P:B", "{{Advocacy case|title=B}}", local)
    assert other.case is None


def test_states_keep_a_down_wiki_apart_from_an_empty_one() -> None:
    dev, fr, de = WikiTag("dev", central=True), WikiTag("frdev"), WikiTag("dewiki")
    case = SourceCase(dev, CaseParseResult("Advocacy/A", None))
    reading = SourcesReading((Refreshed(dev, (case,), listed=1), NotRefreshed(fr, "down"),
                              Skipped(de, "not listed")))  # fmt: skip
    assert reading.cases == (case,) and case.key == ("dev", "Advocacy/A")
    assert [s.wiki.id for s in reading.not_refreshed] == ["frdev"]
    assert isinstance(reading.by_wiki["dewiki"], Skipped)
    assert reading.notes() == ["dev: 1 case pages read", "frdev: not refreshed: down",
                               "dewiki: skipped: not listed"]  # fmt: skip


def test_last_rows_are_kept_for_a_wiki_not_refreshed_and_forgotten_when_unlisted(
    tmp_path: Path,
) -> None:
    cfg = multi_config()
    fr, de = WikiTag("frdev", interwiki="frdev"), WikiTag("dewiki")
    text = "{{Cas de plaidoyer|titre=Blocage|région=europe|statut=active|contact=Secret Person" \
           "|confidentiel=oui}}"
    parsed = without_sensitive_contacts(parse_case_page(
        "Advocacy Dev Wiki:Plaidoyer/B", text, parsing_config(cfg, cfg.sources.wikis[1])))
    first = SourcesReading((Refreshed(fr, (SourceCase(fr, parsed),), listed=1),
                            Refreshed(de, (), listed=0)))  # fmt: skip
    memory = LastRows(tmp_path / "sources")
    memory.remember(first, "2026-12-07T05:00:00Z")
    assert "Secret Person" not in "".join(p.read_text("utf-8") for p in memory.folder.iterdir())

    kept = memory.kept(NotRefreshed(fr, "the wiki did not answer"))
    assert kept.cases == (SourceCase(fr, parsed),)
    assert (kept.refreshed_at, kept.reason) == ("2026-12-07T05:00:00Z", "the wiki did not answer")

    # taken off the participation list: forgotten; never read: nothing kept, not an error
    memory.remember(SourcesReading((Skipped(fr, "not listed"),)), "2026-12-08T05:00:00Z")
    assert memory.kept(NotRefreshed(fr, "down")).cases == ()
    # a damaged file keeps nothing rather than failing the run
    (memory.folder / "last-dewiki.json").write_text("{broken", "utf-8")
    assert memory.kept(NotRefreshed(de, "down")).cases == ()
