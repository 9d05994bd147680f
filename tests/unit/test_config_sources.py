"""Source wikis in the configuration (issue 16): [[sources]], [participation], the implicit
single source, and every mistake named with file, key and reason (exit 2)."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from bots.config.load import parse_config
from bots.config.model import ConfigError
from bots.config.sources import is_central, source_wikis
from bots.errors import EXIT_USAGE
from bots.operations.cli import main

REPO = Path(__file__).resolve().parents[2]
DEVWIKI = REPO / "config" / "devwiki.toml"

FRENCH: dict[str, Any] = {
    "id": "frdev",
    "family": "advocacydevfr",
    "code": "fr",
    "language": "fr",
    "case_namespaces": [4],
    "case_prefixes": ["Advocacy Dev Wiki:Plaidoyer/"],
    "case_template": "Cas de plaidoyer",
    "interwiki": "frdev",
    "page_url": "http://127.0.0.1:8471/index.php?title=$1",
    "max_pages": 200,
    "case_aliases": {"title": ["titre"], "sensitive": ["confidentiel"]},
}
HOME: dict[str, Any] = {"id": "dev", "family": "advocacydev", "code": "en", "language": "en",
                        "case_namespaces": [0], "case_prefixes": ["Advocacy/"]}  # fmt: skip


def with_sources(*sources: dict[str, Any], page: str = "Advocacy/Participating wikis") -> dict[
    str, Any
]:
    data = tomllib.loads(DEVWIKI.read_text(encoding="utf-8"))
    data["sources"] = [copy.deepcopy(s) for s in sources]
    if page:
        data["participation"] = {"page": page}
    return data


def test_a_single_wiki_config_is_its_own_implicit_source() -> None:
    cfg = parse_config(tomllib.loads(DEVWIKI.read_text(encoding="utf-8")), DEVWIKI)
    assert cfg.sources.wikis == ()
    (only,) = source_wikis(cfg)
    assert (only.family, only.code, only.implicit) == ("advocacydev", "en", True)
    assert only.case_namespaces == cfg.permissions.case_namespaces
    assert only.case_prefixes == cfg.permissions.case_prefixes
    assert only.case_template == cfg.templates.case
    assert is_central(only, cfg)


def test_sources_are_read_with_their_local_names() -> None:
    cfg = parse_config(with_sources(HOME, FRENCH), "multi.toml")
    home, french = source_wikis(cfg)
    assert cfg.sources.participation_page == "Advocacy/Participating wikis"
    assert is_central(home, cfg) and not is_central(french, cfg)
    assert french.case_template == "Cas de plaidoyer"
    assert french.case_aliases == {"title": ("titre",), "sensitive": ("confidentiel",)}
    assert (french.language, french.interwiki, french.max_pages) == ("fr", "frdev", 200)
    assert french.case_namespaces == (4,) and not french.implicit


def test_api_url_instead_of_family_and_code() -> None:
    source = {k: v for k, v in FRENCH.items() if k not in ("family", "code")}
    source["api_url"] = "http://127.0.0.1:8471/api.php"
    (wiki,) = parse_config(with_sources(source), "multi.toml").sources.wikis
    assert wiki.api_url.endswith("/api.php") and not wiki.family


def _set(**changes: Any) -> dict[str, Any]:
    return {**FRENCH, **changes}


def _without(key: str) -> dict[str, Any]:
    return {k: v for k, v in FRENCH.items() if k != key}


BAD = [
    ([_without("id")], "sources[0].id", "required key is missing"),
    ([_set(colour="red")], "sources[0].colour", "unknown key"),
    ([_set(id="Fr Dev")], "sources[0].id", "short id"),
    ([_set(language="French")], "sources[0].language", "language code"),
    ([_without("family")], "sources[0].family", "family and code (or api_url)"),
    ([_set(api_url="http://127.0.0.1:8471/api.php")], "sources[0].api_url", "either"),
    ([{**_without("family"), "code": "", "api_url": "ftp://x/api.php"}], "sources[0].api_url",
     "http(s)"),
    ([_set(case_namespaces=[])], "sources[0].case_namespaces", "non-empty"),
    ([_set(case_namespaces=["4"])], "sources[0].case_namespaces", "namespace numbers"),
    ([_set(case_prefixes=[""])], "sources[0].case_prefixes", "non-empty strings"),
    ([_set(case_template="Modèle:Cas de plaidoyer")], "sources[0].case_template",
     "without namespace"),
    ([_set(case_aliases={"colour": ["couleur"]})], "sources[0].case_aliases.colour",
     "unknown case field"),
    ([_set(max_pages=0)], "sources[0].max_pages", "1 to"),
    ([_set(max_pages=True)], "sources[0].max_pages", "1 to"),
    ([_set(page_url="http://127.0.0.1:8471/index.php")], "sources[0].page_url", "$1"),
    ([_set(interwiki="Fr Dev")], "sources[0].interwiki", "interwiki prefix"),
    ([FRENCH, _set(code="de")], "sources[1].id", "already sources[0]"),
    ([FRENCH, _set(id="other")], "sources[1].wiki", "already sources[0]"),
]


@pytest.mark.parametrize(("sources", "key", "reason"), BAD, ids=[b[1] + b[2] for b in BAD])
def test_a_bad_source_names_file_key_and_reason(
    sources: list[dict[str, Any]], key: str, reason: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(with_sources(*sources), "multi.toml")
    assert (caught.value.file, caught.value.key) == ("multi.toml", key)
    assert reason in caught.value.reason


def test_sources_need_a_participation_page() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(with_sources(FRENCH, page=""), "multi.toml")
    assert caught.value.key == "participation.page"
    data = with_sources(FRENCH)
    data["participation"]["where"] = "x"
    with pytest.raises(ConfigError, match=r"participation\.where: unknown key"):
        parse_config(data, "multi.toml")
    data = with_sources(FRENCH)
    data["sources"] = {"id": "x"}
    with pytest.raises(ConfigError, match="array of tables"):
        parse_config(data, "multi.toml")


def test_cli_exits_2_on_a_bad_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "multi.toml"
    bad.write_text(
        DEVWIKI.read_text(encoding="utf-8")
        + '\n[participation]\npage = "Advocacy/Participating wikis"\n\n[[sources]]\n'
        'id = "frdev"\nfamily = "advocacydevfr"\ncode = "fr"\nlanguage = "fr"\n'
        "case_namespaces = [4]\nmax_pages = -1\n",
        encoding="utf-8",
    )
    assert main(["--config", str(bad), "check"]) == EXIT_USAGE
    assert f"{bad}: sources[0].max_pages: expected 1 to" in capsys.readouterr().err
