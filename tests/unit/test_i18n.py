"""Message files (all domains, found by globbing) and the i18n API."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bots.i18n.languages import LanguageData, bundled_language_data, is_known_language
from bots.i18n.messages import (
    DEFAULT_ROOT,
    MessageFileError,
    Messages,
    autonym,
    fallback_chain,
    format_message,
    is_rtl,
    plural_category,
)

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "bots" / "i18n"
DOMAIN_DIRS = sorted(p for p in I18N.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
ALL_FILES = sorted(I18N.glob("*/*.json"))
PARAM = re.compile(r"\$(\d+)")
COUNTS = (0, 1, 2, 3, 11, 100)


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _messages(path: Path) -> dict[str, str]:
    return {k: v for k, v in _load(path).items() if k != "@metadata"}


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


def _write(root: Path, domain: str, lang: str, data: dict) -> None:
    (root / domain).mkdir(parents=True, exist_ok=True)
    (root / domain / f"{lang}.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")


# ---------------------------------------------------------------------------------------------
# The files of every domain


def test_default_root_is_the_package_folder() -> None:
    assert DEFAULT_ROOT == I18N
    assert (I18N / "core" / "en.json").is_file()


def test_no_message_files_outside_a_domain_folder() -> None:
    # languageinfo.json is the bundled language data (bots.i18n.languages), not messages
    stray = sorted(p.name for p in I18N.glob("*.json") if p.name != "languageinfo.json")
    assert not stray, f"message files must live in bots/i18n/<domain>/, found {stray}"


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_file_is_valid_message_json(path: Path) -> None:
    data = _load(path)
    assert isinstance(data, dict)
    meta = data.get("@metadata", {})
    assert isinstance(meta, dict)
    assert isinstance(meta.get("authors", []), list)
    assert re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]+)*", path.stem), "file name must be a language code"
    for key, value in data.items():
        if key == "@metadata":
            continue
        assert key.startswith("advocacyhub-"), f"{key}: keys start with advocacyhub-"
        assert re.fullmatch(r"advocacyhub-[a-z0-9-]+", key), f"{key}: lower case, digits, hyphens"
        assert isinstance(value, str), f"{key}: value must be a string"
        assert value.strip() or key.endswith("-separator"), f"{key}: empty message"
        assert value.count("{{") == value.count("}}"), f"{key}: unbalanced braces"


@pytest.mark.parametrize("domain", DOMAIN_DIRS, ids=lambda p: p.name)
def test_every_english_key_is_documented_and_vice_versa(domain: Path) -> None:
    en_file, qqq_file = domain / "en.json", domain / "qqq.json"
    assert en_file.is_file(), f"{domain.name}: en.json is missing"
    assert qqq_file.is_file(), f"{domain.name}: qqq.json is missing"
    en, qqq = set(_messages(en_file)), set(_messages(qqq_file))
    assert not en - qqq, f"{domain.name}: keys without qqq documentation: {sorted(en - qqq)}"
    assert not qqq - en, f"{domain.name}: documented keys missing from en: {sorted(qqq - en)}"


@pytest.mark.parametrize(
    "path",
    [p for p in ALL_FILES if p.stem not in ("en", "qqq")],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_translations_only_use_english_keys_and_params(path: Path) -> None:
    en = _messages(path.parent / "en.json")
    for key, text in _messages(path).items():
        assert key in en, f"{key} does not exist in {path.parent.name}/en.json"
        extra = set(PARAM.findall(text)) - set(PARAM.findall(en[key]))
        assert not extra, f"{key}: parameters {sorted(extra)} are not in the English message"
        if path.parent.name == "core" and "{{PLURAL:" in en[key].upper():
            assert "{{PLURAL:" in text.upper(), f"{key}: keep {{{{PLURAL:}}}} where counts appear"


def test_keys_are_unique_across_domains() -> None:
    seen: dict[str, str] = {}
    for domain in DOMAIN_DIRS:
        for key in _messages(domain / "en.json") if (domain / "en.json").is_file() else {}:
            assert key not in seen, f"{key} is defined in both {seen[key]} and {domain.name}"
            seen[key] = domain.name


def test_all_files_load(messages: Messages) -> None:
    assert set(messages.domains()) >= {"core"}
    assert {d.name for d in DOMAIN_DIRS} <= set(messages.domains())
    assert {"en", "fr", "es", "zh", "ar"} <= set(messages.languages())
    assert "qqq" not in messages.languages()


# ---------------------------------------------------------------------------------------------
# Core keys


def _vocabulary() -> dict:
    import tomllib

    return tomllib.loads((ROOT / "config" / "devwiki.toml").read_text("utf-8"))["vocabulary"]


@pytest.mark.parametrize(
    ("section", "prefix"),
    [("regions", "region"), ("topics", "topic"), ("statuses", "status"), ("methods", "method")],
)
def test_core_has_a_label_for_every_vocabulary_code(
    messages: Messages, section: str, prefix: str
) -> None:
    vocabulary = _vocabulary()[section]
    for code, english in vocabulary.items():
        key = f"advocacyhub-{prefix}-{code}"
        assert messages.has(key, "en"), key
        assert messages.msg(key, "en") == english, f"{key} differs from config/devwiki.toml"
        for lang in ("fr", "es", "zh", "ar"):
            assert messages.has(key, lang), f"{key} has no {lang} translation"


def test_core_keys_in_all_core_languages(messages: Messages) -> None:
    core = messages.keys("core")
    for key in (
        "advocacyhub-summary-generic",
        "advocacyhub-label-hidden",
        "advocacyhub-label-yes",
        "advocacyhub-label-no",
        "advocacyhub-shutoff-stopped",
        "advocacyhub-generated-notice",
    ):
        assert key in core
    for lang in ("fr", "es", "zh", "ar"):
        missing = [k for k in core if not messages.has(k, lang)]
        assert not missing, f"core/{lang}.json lacks {missing}"
    assert messages.msg("advocacyhub-label-hidden", "en") == "hidden"


def test_core_params(messages: Messages) -> None:
    text = messages.msg("advocacyhub-shutoff-stopped", "en", "User:AdvocacyBot/Run", "run")
    assert "[[User:AdvocacyBot/Run]]" in text
    assert '"run"' in text
    assert "$" not in messages.msg("advocacyhub-shutoff-stopped", "ar", "User:X/Run", "run")


# ---------------------------------------------------------------------------------------------
# PLURAL


EXPECTED_CASE_COUNT = {
    "en": ["0 cases", "1 case", "2 cases", "3 cases", "11 cases", "100 cases"],
    "fr": ["0 cas", "1 cas", "2 cas", "3 cas", "11 cas", "100 cas"],
    "zh": ["0个案例", "1个案例", "2个案例", "3个案例", "11个案例", "100个案例"],
    "ar": ["لا توجد قضايا", "قضية واحدة", "قضيتان", "3 قضايا", "11 قضية", "100 قضية"],
}


@pytest.mark.parametrize("lang", sorted(EXPECTED_CASE_COUNT))
def test_plural_in_core_messages(messages: Messages, lang: str) -> None:
    got = [messages.msg("advocacyhub-label-case-count", lang, n) for n in COUNTS]
    assert got == EXPECTED_CASE_COUNT[lang]


def test_plural_sections_summary(messages: Messages) -> None:
    fr = [messages.msg("advocacyhub-summary-sections", "fr", n) for n in COUNTS]
    assert fr[0].endswith("0 section générée")  # French: 0 takes the singular
    assert fr[1].endswith("1 section générée")
    assert all(t.endswith("sections générées") for t in fr[2:])
    ar = [messages.msg("advocacyhub-summary-sections", "ar", n) for n in COUNTS]
    assert len(set(ar)) == 6  # zero, one, two, few, many, other all differ
    assert "قسمين" in ar[2] and "3 أقسام" in ar[3] and "11 قسمًا" in ar[4] and "100 قسم " in ar[5]


FORMS6 = "{{PLURAL:$1|zero|one|two|few|many|other}}"
FORMS3 = "{{PLURAL:$1|one|few|many}}"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["other", "one", "other", "other", "other", "other"]),
        ("de", ["other", "one", "other", "other", "other", "other"]),
        ("es", ["other", "one", "other", "other", "other", "other"]),
        ("fr", ["one", "one", "other", "other", "other", "other"]),
        ("zh", ["other"] * 6),
        ("ja", ["other"] * 6),
        ("ko", ["other"] * 6),
        ("ar", ["zero", "one", "two", "few", "many", "other"]),
        ("arz", ["zero", "one", "two", "few", "many", "other"]),
        ("ru", ["many", "one", "few", "few", "many", "many"]),
        ("uk", ["many", "one", "few", "few", "many", "many"]),
        ("pl", ["many", "one", "few", "few", "many", "many"]),
        ("fa", ["one", "one", "other", "other", "other", "other"]),
    ],
)
def test_plural_categories(lang: str, expected: list[str]) -> None:
    assert [plural_category(lang, n) for n in COUNTS] == expected


def test_plural_categories_beyond_the_basic_counts() -> None:
    ru = [plural_category("ru", n) for n in (21, 22, 25, 111, 112, 1.5)]
    assert ru == ["one", "few", "many", "many", "many", "other"]
    pl = [plural_category("pl", n) for n in (21, 22, 25, 112, 122)]
    assert pl == ["many", "few", "many", "many", "few"]
    ar = [plural_category("ar", n) for n in (102, 103, 111, 1000)]
    assert ar == ["other", "few", "many", "other"]
    assert plural_category("fr", 1.5) == "one"
    assert plural_category("en", "1.0") == "other"  # visible fraction digits count
    assert plural_category("en", "not a number") == "other"
    assert plural_category("pt-br", 0) == "one"  # via pt
    assert plural_category("xx", 1) == "one"  # unknown language: English rules


def test_plural_six_forms_in_arabic() -> None:
    got = [format_message(FORMS6, "ar", n) for n in COUNTS]
    assert got == ["zero", "one", "two", "few", "many", "other"]


def test_plural_fewer_forms_than_categories_uses_the_last() -> None:
    # Like MediaWiki: the form index is capped to the last form given.
    two_forms = [format_message("{{PLURAL:$1|a|b}}", "ar", n) for n in COUNTS]
    assert two_forms == ["a", "b", "b", "b", "b", "b"]
    ru = [format_message("{{PLURAL:$1|one|other}}", "ru", n) for n in (1, 2, 5)]
    assert ru == ["one", "other", "other"]
    assert [format_message(FORMS3, "ru", n) for n in (1, 2, 5, 21)] == ["one", "few", "many", "one"]
    assert format_message("{{PLURAL:$1|only}}", "en", 5) == "only"
    assert format_message("{{PLURAL:$1|one|other|extra}}", "en", 5) == "other"
    assert format_message("[{{PLURAL:$1}}]", "en", 5) == "[]"


def test_plural_explicit_forms() -> None:
    text = "{{PLURAL:$1|0=no cases|$1 case|$1 cases}}"
    assert [format_message(text, "en", n) for n in (0, 1, 2)] == ["no cases", "1 case", "2 cases"]
    assert format_message("{{PLURAL:$1|12=a dozen|one|other}}", "en", 12) == "a dozen"


def test_plural_forms_may_contain_links_and_templates() -> None:
    text = "{{PLURAL:$1|[[Help:Case|case]]|[[Help:Case|cases]] {{tl|x}}}}"
    assert format_message(text, "en", 1) == "[[Help:Case|case]]"
    assert format_message(text, "en", 2) == "[[Help:Case|cases]] {{tl|x}}"


def test_plural_uses_the_rules_of_the_language_the_text_was_found_in(tmp_path: Path) -> None:
    _write(tmp_path, "core", "en", {"advocacyhub-x": "{{PLURAL:$1|$1 page|$1 pages}}"})
    _write(tmp_path, "core", "qqq", {"advocacyhub-x": "doc"})
    m = Messages.load(tmp_path)
    # Russian falls back to English text; English rules, not Russian ones, pick the form.
    assert m.msg("advocacyhub-x", "ru", 21) == "21 pages"


# ---------------------------------------------------------------------------------------------
# Parameters, GENDER, missing keys


def test_params_are_substituted_plainly() -> None:
    assert format_message("$1 and $2", "en", 1234567, 2.5) == "1234567 and 2.5"
    assert format_message("$1", "en", 3.0) == "3"
    assert format_message("$1", "en", 1e20) == "100000000000000000000"
    assert format_message("$1 $3", "en", "a") == "a $3"  # a missing parameter stays visible
    assert format_message("{{formatnum:$1}}", "en", 10000) == "10000"


def test_param_values_are_not_parsed_again() -> None:
    got = format_message("$1 / $2", "en", "{{PLURAL:1|a|b}} $2", "x")
    assert got == "{{PLURAL:1|a|b}} $2 / x"


def test_gender_uses_the_neutral_form() -> None:
    assert format_message("{{GENDER:$1|he|she|they}} edited", "en", "Tester1") == "they edited"
    assert format_message("{{GENDER:$1|he|she}}", "en", "Tester1") == "he"
    assert format_message("{{GENDER:|only}}", "en") == "only"


def test_missing_key_renders_like_mediawiki(messages: Messages) -> None:
    assert messages.msg("advocacyhub-no-such-key", "en") == "⧼advocacyhub-no-such-key⧽"
    assert messages.msg("advocacyhub-no-such-key", "zh", 3) == "⧼advocacyhub-no-such-key⧽"


def test_has_does_not_fall_back(messages: Messages) -> None:
    assert messages.has("advocacyhub-label-yes", "fr")
    assert not messages.has("advocacyhub-label-yes", "it")
    assert not messages.has("advocacyhub-label-yes", "de-at")
    assert messages.msg("advocacyhub-label-yes", "it") == "yes"  # falls back to English
    assert messages.msg("advocacyhub-label-yes", "de-at") == "ja"  # via de
    assert messages.msg("advocacyhub-label-yes", "pt-br") == "sim"  # via pt"
    assert messages.msg("advocacyhub-label-yes", "zh-hant") == "是"  # via zh
    assert messages.msg("advocacyhub-label-yes", "arz") == "نعم"  # via ar
    assert messages.msg("advocacyhub-label-yes", "FR") == "oui"  # codes are case-insensitive


def test_keys_by_domain(tmp_path: Path) -> None:
    _write(tmp_path, "core", "en", {"@metadata": {"authors": []}, "advocacyhub-a": "A"})
    _write(tmp_path, "core", "qqq", {"advocacyhub-a": "doc"})
    _write(tmp_path, "digest", "en", {"advocacyhub-b": "B {{PLURAL:$1|x|y}}"})
    _write(tmp_path, "digest", "fr", {"advocacyhub-b": "Bé"})
    m = Messages.load(tmp_path)
    assert m.keys() == ("advocacyhub-a", "advocacyhub-b")
    assert m.keys("core") == ("advocacyhub-a",)
    assert m.keys("digest") == ("advocacyhub-b",)
    assert m.keys("nope") == ()
    assert m.domains() == ("core", "digest")
    assert m.languages() == ("en", "fr")
    assert m.msg("advocacyhub-b", "fr") == "Bé"
    assert m.msg("advocacyhub-a", "fr") == "A"


def test_load_is_cached_until_a_file_changes(tmp_path: Path) -> None:
    _write(tmp_path, "core", "en", {"advocacyhub-a": "A"})
    first = Messages.load(tmp_path)
    assert Messages.load(tmp_path) is first
    _write(tmp_path, "core", "en", {"advocacyhub-a": "A, changed"})
    second = Messages.load(tmp_path)
    assert second.msg("advocacyhub-a", "en") == "A, changed"


def test_bad_files_are_reported_with_their_path(tmp_path: Path) -> None:
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "en.json").write_text("{not json", "utf-8")
    with pytest.raises(MessageFileError, match=r"en\.json"):
        Messages.load(tmp_path)
    (tmp_path / "core" / "en.json").write_text('{"advocacyhub-a": 3}', "utf-8")
    with pytest.raises(MessageFileError, match="expected a string"):
        Messages.load(tmp_path)


def test_duplicate_key_across_domains_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, "core", "en", {"advocacyhub-a": "A"})
    _write(tmp_path, "index", "en", {"advocacyhub-a": "again"})
    with pytest.raises(MessageFileError, match="already defined"):
        Messages.load(tmp_path)


def test_empty_root(tmp_path: Path) -> None:
    m = Messages.load(tmp_path / "missing")
    assert m.keys() == ()
    assert m.msg("advocacyhub-a", "en") == "⧼advocacyhub-a⧽"


# ---------------------------------------------------------------------------------------------
# Fallback chains, RTL, autonyms


@pytest.mark.parametrize(
    ("lang", "chain"),
    [
        ("en", ("en",)),
        ("fr", ("fr", "en")),
        ("ar", ("ar", "en")),
        ("arz", ("arz", "ar", "en")),
        ("pt-br", ("pt-br", "pt", "en")),
        # MediaWiki 1.39's fallbacks (meta=languageinfo on the local wiki), written out here
        ("zh", ("zh", "zh-hans", "zh-hant", "zh-cn", "zh-tw", "zh-hk", "en")),
        ("zh-hans", ("zh-hans", "zh-cn", "zh", "zh-hant", "en")),
        ("zh-hant", ("zh-hant", "zh-tw", "zh-hk", "zh", "zh-hans", "en")),
        ("zh-hk", ("zh-hk", "zh-hant", "zh-tw", "zh", "zh-hans", "en")),
        ("de-at", ("de-at", "de", "en")),
        ("fr-ca", ("fr-ca", "fr", "en")),
        ("en-gb", ("en-gb", "en")),
        ("ZH_Hant", ("zh-hant", "zh-tw", "zh-hk", "zh", "zh-hans", "en")),
        ("xyz", ("xyz", "en")),
        ("sr-el", ("sr-el", "sr-latn", "sr", "en")),
        ("ar-xx", ("ar-xx", "ar", "en")),  # unknown: its nearest known parent
    ],
)
def test_fallback_chain(lang: str, chain: tuple[str, ...], messages: Messages) -> None:
    assert fallback_chain(lang) == chain
    assert messages.fallback_chain(lang) == chain


# A wiki's answer to meta=languageinfo (formatversion 2), as the wiki layer hands it over.
WIKI_ANSWER: dict[str, dict[str, str | list[str]]] = {
    "en": {"code": "en", "autonym": "English", "dir": "ltr", "fallbacks": []},
    "xx": {"code": "xx", "autonym": "Xish", "dir": "rtl", "fallbacks": ["yy"]},
    "yy": {"code": "yy", "autonym": "Yish", "dir": "ltr", "fallbacks": []},
    "zz-var": {"code": "zz-var", "autonym": "Zish variant", "dir": "ltr", "fallbacks": []},
    "zz": {"code": "zz", "autonym": "Zish", "dir": "ltr", "fallbacks": []},
    "bad": {"code": "bad", "autonym": ["not", "a", "name"], "dir": "ltr", "fallbacks": []},
}


def test_language_data_is_the_wikis_own() -> None:
    data = LanguageData.from_languageinfo(WIKI_ANSWER, "a wiki")
    assert data.fallback_chain("xx") == ("xx", "yy", "en")
    assert data.fallback_chain("zz-var") == ("zz-var", "zz", "en")  # reaches its base language
    assert data.fallback_chain("xx-foo") == ("xx-foo", "xx", "yy", "en")
    assert data.is_rtl("xx") and data.is_rtl("xx-foo") and not data.is_rtl("yy")
    assert data.autonym("xx") == "Xish" and data.autonym("fr") == "fr"  # not this wiki's
    assert not data.knows("bad")  # a malformed entry is left out
    assert is_known_language("xx", data) and not is_known_language("fr", data)
    assert fallback_chain("xx", data) == ("xx", "yy", "en") and is_rtl("xx", data)
    assert autonym("yy", data) == "Yish"
    # the messages of a run use the data of their wiki
    messages = Messages.load(languages=data)
    assert messages.is_rtl("xx") and messages.autonym("xx") == "Xish"
    assert messages.msg("advocacyhub-label-yes", "xx") == "yes"  # English at the end
    assert Messages.load().autonym("xx") == "xx"  # the bundled data knows no such language


def test_bundled_language_data_is_mediawikis() -> None:
    data = bundled_language_data()
    assert data.source.startswith("MediaWiki ")
    assert len(data.codes()) > 400
    assert {"ar", "fa", "he", "ur"} <= {c for c in data.codes() if data.is_rtl(c)}


@pytest.mark.parametrize("lang", ["de", "yue", "sr-el", "be-tarask", "nb", "uk", "qqq", ""])
def test_every_chain_ends_in_english_once(lang: str) -> None:
    chain = fallback_chain(lang)
    assert chain[-1] == "en"
    assert chain.count("en") == 1
    assert len(set(chain)) == len(chain)


@pytest.mark.parametrize("lang", ["ar", "arz", "he", "fa", "ur", "ps", "yi", "ckb", "ku-arab"])
def test_rtl(lang: str, messages: Messages) -> None:
    assert is_rtl(lang)
    assert messages.is_rtl(lang)


@pytest.mark.parametrize("lang", ["en", "fr", "zh", "ru", "hi", "ku", "ku-latn", "tr", "xyz"])
def test_ltr(lang: str) -> None:
    assert not is_rtl(lang)


META_LANGUAGES = (
    *("en", "fr", "es", "de", "it", "pt", "pt-br", "ru", "uk", "pl", "nl", "sv", "fi", "cs"),
    *("hu", "ro", "tr", "el", "he", "ar", "arz", "fa", "ur", "hi", "bn", "ta", "id", "ms"),
    *("vi", "th", "zh", "zh-hans", "zh-hant", "ja", "ko", "sw", "yo", "ha", "am", "ca", "eu"),
    *("gl", "sr", "hr", "bg", "da", "nb"),
)


@pytest.mark.parametrize("lang", META_LANGUAGES)
def test_autonyms_of_common_meta_languages(lang: str, messages: Messages) -> None:
    name = autonym(lang)
    assert name and name != lang
    assert messages.autonym(lang) == name


def test_autonym_values() -> None:
    assert autonym("fr") == "français"
    assert autonym("zh") == "中文"
    assert autonym("ar") == "العربية"
    assert autonym("de") == "Deutsch"
    assert autonym("ZH-HANT") == "中文（繁體）"
    assert autonym("xyz") == "xyz"
    assert autonym("not-a-code") == "not-a-code"
