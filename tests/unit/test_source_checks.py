"""`check` over several wikis (issue 16), the pure part: what a source wiki's answers mean
(errors and warnings), and the source wikis' languages refused like every language key."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from bots.config.load import parse_config
from bots.config.model import ConfigError
from bots.config.source_model import SourceWiki
from bots.operations.config_checks import check_config
from bots.operations.source_checks import judge
from bots.wiki.source_probe import PrefixReach, SourceProbe, TemplateReach

REPO = Path(__file__).resolve().parents[2]
FRENCH = SourceWiki(id="frdev", language="fr", case_namespaces=(4,), family="advocacydevfr",
                    code="fr", case_prefixes=("Advocacy Dev Wiki:Plaidoyer/",),
                    case_template="Cas de plaidoyer")  # fmt: skip
SPACES = {0: "", 4: "Advocacy Dev Wiki", 10: "Modèle"}
TEMPLATE = TemplateReach("Modèle:Cas de plaidoyer", True, ("Modèle:Cas",))


def probe(*prefixes: PrefixReach, template: TemplateReach = TEMPLATE) -> SourceProbe:
    return SourceProbe(SPACES, template, prefixes)


def test_a_wiki_as_configured_is_ok() -> None:
    state, lines = judge(FRENCH, "fr", probe(
        PrefixReach("Advocacy Dev Wiki:Plaidoyer/", 4, True)))
    assert state == "ok"
    assert lines == [
        "  cases:    namespaces 4 (Advocacy Dev Wiki)",
        "  prefix:   Advocacy Dev Wiki:Plaidoyer/: namespace 4, has pages",
        "  language: fr (the wiki's content language)",
        "  template: Modèle:Cas de plaidoyer exists; redirects to it: Modèle:Cas",
    ]


def test_another_content_language_and_an_empty_prefix_are_warnings() -> None:
    state, lines = judge(FRENCH, "en", probe(
        PrefixReach("Advocacy Dev Wiki:Plaidoyer/", 4, False)))
    assert state == "ok"
    assert "  language: fr; warning: the wiki's content language is en" in lines
    assert ("  prefix:   Advocacy Dev Wiki:Plaidoyer/: namespace 4, warning: no page under it "
            "yet") in lines


@pytest.mark.parametrize(("source", "found", "line"), [
    (FRENCH, probe(PrefixReach("Advocacy Dev Wiki:Plaidoyer/", 0, True)),
     "  prefix:   Advocacy Dev Wiki:Plaidoyer/: in namespace 0, which is not in case_namespaces: "
     "no case can match it"),
    (FRENCH, probe(PrefixReach("Advocacy Dev Wiki:Plaidoyer/", None)),
     "  prefix:   Advocacy Dev Wiki:Plaidoyer/: NOT A TITLE on this wiki"),
    (SourceWiki(id="x", language="fr", case_namespaces=(4, 3000), family="f", code="c"),
     probe(), "  ERROR: the wiki has no namespace 3000"),
    (FRENCH, probe(template=TemplateReach("Modèle:Cas de plaidoyer", False)),
     "  template: Modèle:Cas de plaidoyer: MISSING (no case page can be found there; is "
     "case_template the local name?)"),
])  # fmt: skip
def test_what_makes_a_source_wiki_an_error(
    source: SourceWiki, found: SourceProbe, line: str
) -> None:
    state, lines = judge(source, "fr", found)
    assert state == "error"
    assert line in lines


def test_many_redirects_are_cut_short() -> None:
    many = TemplateReach("Modèle:Cas de plaidoyer", True, tuple(f"Modèle:R{n}" for n in range(8)))
    _, lines = judge(FRENCH, "fr", probe(template=many))
    assert lines[-1].endswith("Modèle:R3, Modèle:R4 and 3 more")


def two_wikis(language: str) -> dict[str, Any]:
    data = tomllib.loads((REPO / "config" / "devwiki.toml").read_text(encoding="utf-8"))
    data["participation"] = {"page": "Advocacy/Participating wikis"}
    data["sources"] = [
        {"id": "dev", "family": "advocacydev", "code": "en", "language": "en",
         "case_namespaces": [0]},
        {"id": "frdev", "family": "advocacydevfr", "code": "fr", "language": language,
         "case_namespaces": [4]},
    ]  # fmt: skip
    return data


@pytest.mark.parametrize("code", ["qqq", "xx", "fr-zz", "und"])
def test_an_unknown_source_language_is_refused_naming_the_table(code: str) -> None:
    cfg = parse_config(two_wikis(code), "some/file.toml")
    with pytest.raises(ConfigError) as caught:
        check_config(cfg)
    assert (caught.value.file, caught.value.key) == ("some/file.toml", "sources[1].language")
    assert caught.value.reason.startswith(f"{code!r} is not the code of a language")


@pytest.mark.parametrize("code", ["fr", "zh-hans", "de"])
def test_known_source_languages_pass(code: str) -> None:
    check_config(parse_config(two_wikis(code), "some/file.toml"))
