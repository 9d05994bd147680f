"""Config loading fails fast with file, key and reason; permissions and CLI parsing are exact."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from bots.config.load import load_config, parse_config
from bots.config.model import ConfigError
from bots.config.permissions import (
    case_page_allowed,
    config_title,
    delivery_refusal,
    edit_refusal,
    pages_to_write,
    write_refusals,
)
from bots.errors import EXIT_USAGE
from bots.operations.cli import main, split_pywikibot_args
from bots.operations.config_checks import LANGUAGE_KEYS, check_config
from bots.wiki.records import shutoff_state

REPO = Path(__file__).resolve().parents[2]
DEVWIKI = REPO / "config" / "devwiki.toml"


def devwiki_data() -> dict[str, Any]:
    return tomllib.loads(DEVWIKI.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", ["config/devwiki.toml", "config/meta.toml"])
def test_shipped_configs_load(path: str) -> None:
    cfg = load_config(REPO / path)
    assert cfg.wiki.user == "AdvocacyBot"
    assert cfg.shutoff.page == "User:AdvocacyBot/Run"
    assert set(cfg.vocabulary.statuses) == {
        "planned", "active", "success", "partial", "failure", "closed"
    }


BAD_CASES = [
    # (mutation, key, words in the reason)
    (lambda d: d["wiki"].update(bogus=1), "wiki.bogus", "unknown key"),
    (lambda d: d.update(extra={}), "extra", "unknown section"),
    (lambda d: d["wiki"].update(maxlag="5"), "wiki.maxlag", "expected integer"),
    (lambda d: d["wiki"].update(maxlag=True), "wiki.maxlag", "expected integer"),
    (lambda d: d["permissions"].update(edit_namespaces=["0"]), "permissions.edit_namespaces",
     "expected list of integers"),
    (lambda d: d["vocabulary"]["regions"].update(europe=3), "vocabulary.regions.europe",
     "expected string"),
    (lambda d: d["wiki"].pop("user"), "wiki.user", "required key is missing"),
    (lambda d: d.pop("shutoff"), "shutoff", "required section is missing"),
    (lambda d: d["index"].update(max_removed_share=1.5), "index.max_removed_share",
     "between 0 and 1"),
    (lambda d: d["index"].update(required_fields=["title", "colour"]), "index.required_fields",
     "colour"),
    (lambda d: d["translations"].update(source="magic"), "translations.source", "one of"),
    (lambda d: d["digest"].update(max_targets=0), "digest.max_targets", "at least 1"),
    (lambda d: d["schedule"].update(index="every hour"), "schedule.index", "5 fields"),
    (lambda d: d["schedule"].update(timezone="Mars/Base"), "schedule.timezone", "time zone"),
    (lambda d: d["templates"]["case_aliases"].update(colour=["farbe"]),
     "templates.case_aliases.colour", "unknown case field"),
    (lambda d: d["templates"]["case_aliases"].update(summary=["Name"]),
     "templates.case_aliases.summary", "already used"),
    (lambda d: d["vocabulary"].update(topics={}), "vocabulary.topics", "must not be empty"),
]


@pytest.mark.parametrize(("mutate", "key", "reason"), BAD_CASES, ids=[c[1] for c in BAD_CASES])
def test_bad_config_names_file_key_and_reason(mutate: Any, key: str, reason: str) -> None:
    data = devwiki_data()
    mutate(data)
    with pytest.raises(ConfigError) as caught:
        parse_config(data, "some/file.toml")
    err = caught.value
    assert err.file == "some/file.toml"
    assert err.key == key
    assert reason in err.reason
    assert str(err).startswith(f"some/file.toml: {key}: ")


def test_unreadable_and_invalid_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read file"):
        load_config(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[wiki\nfamily = 1", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(bad)


def test_cli_bad_config_exits_2_with_file_key_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = DEVWIKI.read_text(encoding="utf-8").replace("maxlag = 5", 'maxlag = "five"')
    bad = tmp_path / "wrong-type.toml"
    bad.write_text(text, encoding="utf-8")
    assert main(["--config", str(bad), "check"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert f"{bad}: wiki.maxlag: expected integer, got str 'five'" in err

    unknown = tmp_path / "unknown-key.toml"
    unknown.write_text(text.replace('maxlag = "five"', "maxlagg = 5"), encoding="utf-8")
    assert main(["--config", str(unknown), "check"]) == EXIT_USAGE
    assert f"{unknown}: wiki.maxlagg: unknown key" in capsys.readouterr().err


def test_cli_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(DEVWIKI), "run", "nonsense"]) == EXIT_USAGE
    assert "usage error" in capsys.readouterr().err
    assert main(["--config", str(DEVWIKI)]) == EXIT_USAGE


def test_pywikibot_global_options_are_split_off() -> None:
    ours, theirs = split_pywikibot_args(
        ["--config", "x.toml", "run", "index", "-simulate", "-dir:/tmp/pwb", "--diff", "-v"]
    )
    assert ours == ["--config", "x.toml", "run", "index", "--diff", "-v"]
    assert theirs == ["-simulate", "-dir:/tmp/pwb"]


def test_edit_permissions() -> None:
    cfg = load_config(DEVWIKI)
    assert edit_refusal("Advocacy/Hub", 0, cfg) is None
    assert edit_refusal("Advocacy Hub/Bot documentation", 0, cfg) is None
    assert "outside" in (edit_refusal("Main Page", 0, cfg) or "")
    assert "namespace 2" in (edit_refusal("User:X/Advocacy/Hub", 2, cfg) or "")
    assert "interface" in (edit_refusal("MediaWiki:Common.js", 8, cfg) or "")
    assert "script" in (edit_refusal("Advocacy/evil.js", 0, cfg) or "")
    assert "script" in (edit_refusal("Advocacy/data.JSON", 0, cfg) or "")
    assert edit_refusal("Special:Log", -1, cfg) is not None


def test_delivery_permissions() -> None:
    assert delivery_refusal("User talk:Tester1", 3) is None
    assert delivery_refusal("Talk:Advocacy/Hub", 1) is None
    assert "talk pages" in (delivery_refusal("User:Tester1", 2) or "")
    assert "talk pages" in (delivery_refusal("Advocacy/Hub", 0) or "")
    assert delivery_refusal("User talk:Tester1/common.js", 3) is not None


def test_case_pages_are_read_only_from_configured_places() -> None:
    cfg = load_config(DEVWIKI)
    assert case_page_allowed("Advocacy/X", 0, cfg)
    assert not case_page_allowed("Other/X", 0, cfg)
    assert not case_page_allowed("User:Tester1/Advocacy/X", 2, cfg)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("run", None),
        ("  Run\n", None),
        (None, "the shutoff page does not exist"),
        ("stop", "it says 'stop', not 'run'"),
        ("", "it says '', not 'run'"),
        ("run please " + "x" * 60, "…"),
    ],
)
def test_shutoff_state(text: str | None, expected: str | None) -> None:
    state = shutoff_state(text, "run")
    if expected is None:
        assert state is None
    else:
        assert state is not None and expected in state


# ---------------------------------------------------------------------------------------------
# Issue 11.3: the pages the bot must write lie inside the pages it may edit


WRITE_CASES = [
    # (digest key, value, words in the reason): each outside [permissions] another way
    ("archive_prefix", "Elsewhere/Digest/", "outside permissions.edit_prefixes"),
    ("archive_prefix", "Advocacy", "outside permissions.edit_prefixes"),  # "Advocacy2024-…"
    ("archive_prefix", "User:AdvocacyBot/Digest/", "namespace 2 is not in"),
    ("archive_prefix", "user_talk:Advocacy/Digest/", "namespace 3 is not in"),
    ("archive_prefix", "Project talk:Advocacy/", "namespace 5 is not in"),
    ("archive_prefix", "MediaWiki:Advocacy/", "interface pages"),
    ("archive_prefix", "Special:Advocacy/", "special and media pages"),
    ("subscriber_page", "Main Page", "outside permissions.edit_prefixes"),
    ("subscriber_page", "Template:Advocacy/Subscribers", "namespace 10 is not in"),
    ("subscriber_page", "Advocacy/Digest/Subscribers.json", "JSON pages"),
]


@pytest.mark.parametrize(("key", "value", "reason"), WRITE_CASES,
                         ids=[f"{c[0]}={c[1]}" for c in WRITE_CASES])
def test_pages_the_bot_must_write_outside_its_permissions_are_refused(
    key: str, value: str, reason: str
) -> None:
    data = devwiki_data()
    data["digest"][key] = value
    with pytest.raises(ConfigError) as caught:
        parse_config(data, "some/file.toml")
    err = caught.value
    assert (err.file, err.key) == ("some/file.toml", f"digest.{key}")
    assert err.reason.startswith(f"the bot must write {value!r} but may not edit it: ")
    assert reason in err.reason
    assert err.reason.endswith("(see [permissions])")


def test_pages_to_write_are_compared_as_the_wiki_spells_them() -> None:
    data = devwiki_data()
    data["digest"].update(archive_prefix="advocacy/Digest_Archive/",
                          subscriber_page="Advocacy_Hub/Digest  subscribers")
    cfg = parse_config(data, "x.toml")
    assert cfg.digest.archive_prefix == "advocacy/Digest_Archive/"  # kept as written
    data["permissions"]["edit_namespaces"] = [0, 2, 4]
    data["digest"]["archive_prefix"] = "User:Advocacy/Digest/"
    data["permissions"]["edit_prefixes"] = ["Advocacy Hub/", "User:Advocacy/"]
    parse_config(data, "x.toml")


def test_a_namespace_only_the_wiki_knows_is_left_to_the_run_check() -> None:
    """"Meta:" is Meta-Wiki's project namespace: the file alone cannot tell; `run` checks it
    with the wiki's namespaces (tests/wiki/test_cli.py)."""
    data = devwiki_data()
    data["digest"]["archive_prefix"] = "Meta:Advocacy/Digest/"
    assert parse_config(data, "x.toml").digest.archive_prefix == "Meta:Advocacy/Digest/"


@pytest.mark.parametrize(("title", "expected"), [
    ("Advocacy/Digest/", ("Advocacy/Digest/", 0)),
    ("advocacy_hub/x", ("Advocacy hub/x", 0)),
    ("  Advocacy   Hub/x ", ("Advocacy Hub/x", 0)),
    ("user_talk:tester1", ("User talk:Tester1", 3)),
    ("PROJECT: advocacy/x", ("Project:Advocacy/x", 4)),
    ("Image:x.png", ("Image:X.png", 6)),
    ("MediaWiki:Common.js", ("Mediawiki:Common.js", 8)),
    ("Translations:Advocacy/1/fr", ("Translations:Advocacy/1/fr", 1198)),
    ("Meta:Advocacy/x", None),
    ("Advocacy: a case", None),
])
def test_config_title_reads_canonical_namespaces(
    title: str, expected: tuple[str, int] | None
) -> None:
    assert config_title(title) == expected


def test_the_shutoff_page_is_only_read_so_it_may_lie_outside() -> None:
    cfg = load_config(DEVWIKI)
    assert cfg.shutoff.page == "User:AdvocacyBot/Run"
    assert [key for _job, key, _title in pages_to_write(cfg)] == [
        "digest.archive_prefix", "digest.subscriber_page"]
    assert write_refusals(cfg) == []


def test_cli_refuses_a_config_whose_archive_lies_outside_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = DEVWIKI.read_text(encoding="utf-8").replace(
        'archive_prefix = "Advocacy/Digest/Archive/"',
        'archive_prefix = "User:AdvocacyBot/Digest/"')
    bad = tmp_path / "outside.toml"
    bad.write_text(text, encoding="utf-8")
    assert main(["--config", str(bad), "run", "index"]) == EXIT_USAGE
    assert (f"advocacy-hub: config error: {bad}: digest.archive_prefix: the bot must write "
            "'User:AdvocacyBot/Digest/' but may not edit it: namespace 2 is not in "
            "permissions.edit_namespaces (see [permissions])") in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# Issue 11.6: only real language codes


@pytest.mark.parametrize("code", ["qqq", "qqx", "und", "mul", "zxx", "fre", "english",
                                  "fr_FR", "fr-", "xx", "", " ", "zh-hans-xx"])
def test_language_keys_refuse_pseudo_codes_and_typos(code: str) -> None:
    data = devwiki_data()
    data["translations"]["languages"] = ["fr", code, "de"]
    cfg = parse_config(data, "some/file.toml")
    with pytest.raises(ConfigError) as caught:
        check_config(cfg)
    err = caught.value
    assert (err.file, err.key) == ("some/file.toml", "translations.languages")
    assert err.reason.startswith(f"{code!r} is not the code of a language the bot knows")


def test_every_language_key_is_checked_and_real_codes_pass() -> None:
    cfg = load_config(DEVWIKI)
    check_config(cfg)  # zh, fr, es, ar, fa, de
    assert set(LANGUAGE_KEYS) == {"translations.languages", "status_page.language"}
    assert list(LANGUAGE_KEYS["translations.languages"](cfg)) == list(cfg.translations.languages)


def test_cli_refuses_qqq_in_the_config_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = DEVWIKI.read_text(encoding="utf-8").replace(
        'languages = ["zh", "fr", "es", "ar", "fa", "de"]', 'languages = ["zh", "qqq"]')
    bad = tmp_path / "qqq.toml"
    bad.write_text(text, encoding="utf-8")
    assert main(["--config", str(bad), "check"]) == EXIT_USAGE
    assert (f"advocacy-hub: config error: {bad}: translations.languages: 'qqq' is not the code "
            "of a language the bot knows") in capsys.readouterr().err
