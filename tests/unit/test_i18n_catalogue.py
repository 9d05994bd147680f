"""The message catalogue as translators and readers need it (issue #14 point 7).

For every domain folder under ``bots/i18n/`` (the ones there today and any added later):

* every key of every language file exists in ``en.json`` and is documented in ``qqq.json``;
  every English key has its documentation;
* a translation uses exactly the parameters (``$1``, ``$2``...) of the English text, and
  ``{{PLURAL:}}`` only on parameters the English text uses in ``{{PLURAL:}}`` (a language may
  do without it where its nouns do not change with the number, as French ``cas``), with no more
  forms than the language has CLDR categories (explicit ``N=`` forms aside);
* the bot speaks at least en, zh, fr, es, ar, ru, pt, de and fa, with every key, in every domain.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bots.i18n.languages import is_known_language
from bots.i18n.plural import plural_categories

I18N = Path(__file__).resolve().parents[2] / "bots" / "i18n"
DOMAINS = sorted(p for p in I18N.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
FILES = sorted(p for d in DOMAINS for p in d.glob("*.json") if p.stem not in ("en", "qqq"))
REQUIRED_LANGUAGES = ("en", "zh", "fr", "es", "ar", "ru", "pt", "de", "fa")
RENDERED_DOMAINS = ("core", "index", "translations", "digest")

PARAM_RE = re.compile(r"\$(\d+)")
PLURAL_RE = re.compile(r"\{\{\s*PLURAL\s*:\s*\$(\d+)\s*\|", re.IGNORECASE)
EXPLICIT_FORM_RE = re.compile(r"^\s*\d+\s*=")


def messages(path: Path) -> dict[str, str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if k != "@metadata"}


def plural_forms(text: str) -> list[list[str]]:
    """The forms of each ``{{PLURAL:$n|…}}`` in ``text``: split on ``|`` outside templates and
    links, as MediaWiki's preprocessor splits a parser function's arguments."""
    out = []
    for match in PLURAL_RE.finditer(text):
        braces, links, i, forms, current = 0, 0, match.end(), [], []
        while i < len(text):
            pair = text[i : i + 2]
            if pair == "}}" and braces == 0:
                break
            if pair in ("{{", "}}", "[[", "]]"):
                braces += {"{{": 1, "}}": -1}.get(pair, 0)
                links += {"[[": 1, "]]": -1}.get(pair, 0)
                current.append(pair)
                i += 2
                continue
            if text[i] == "|" and braces == 0 and links == 0:
                forms.append("".join(current))
                current = []
            else:
                current.append(text[i])
            i += 1
        forms.append("".join(current))
        out.append(forms)
    return out


def test_domains_and_files_are_found() -> None:
    assert {d.name for d in DOMAINS} >= set(RENDERED_DOMAINS)
    assert len(FILES) >= len(RENDERED_DOMAINS) * (len(REQUIRED_LANGUAGES) - 1)


@pytest.mark.parametrize("domain", DOMAINS, ids=lambda p: p.name)
def test_every_english_key_is_documented(domain: Path) -> None:
    en, qqq = messages(domain / "en.json"), messages(domain / "qqq.json")
    assert not set(en) - set(qqq), f"{domain.name}: undocumented: {sorted(set(en) - set(qqq))}"
    assert all(text.strip() for text in qqq.values())


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_translated_key_exists_in_english_and_qqq(path: Path) -> None:
    assert is_known_language(path.stem), f"{path.stem} is no language code the wiki knows"
    en, qqq = messages(path.parent / "en.json"), messages(path.parent / "qqq.json")
    extra = set(messages(path)) - (set(en) & set(qqq))
    assert not extra, f"{path.parent.name}/{path.name}: keys not in en.json and qqq.json: {extra}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_parameters_and_plurals_match_english(path: Path) -> None:
    english = messages(path.parent / "en.json")
    categories = len(plural_categories(path.stem))
    for key, text in messages(path).items():
        source = english[key]
        assert set(PARAM_RE.findall(text)) == set(PARAM_RE.findall(source)), (path.stem, key)
        plural_params = set(PLURAL_RE.findall(text))
        assert plural_params <= set(PLURAL_RE.findall(source)), (path.stem, key)
        for forms in plural_forms(text):
            plain = [f for f in forms if not EXPLICIT_FORM_RE.match(f)]
            assert 1 <= len(plain) <= categories, (path.stem, key, forms, categories)


@pytest.mark.parametrize("domain", DOMAINS, ids=lambda p: p.name)
@pytest.mark.parametrize("lang", REQUIRED_LANGUAGES)
def test_the_bot_speaks_the_required_languages(domain: Path, lang: str) -> None:
    path = domain / f"{lang}.json"
    assert path.is_file(), f"{domain.name}/{lang}.json is missing"
    missing = sorted(set(messages(domain / "en.json")) - set(messages(path)))
    assert not missing, f"{domain.name}/{lang}.json lacks {len(missing)} keys: {missing}"


def test_plural_form_splitting() -> None:
    text = "{{PLURAL:$1|one {{X|y}}|$1 [[a|b]]}} and {{PLURAL:$2|0=none|a|b|c}}"
    assert plural_forms(text) == [["one {{X|y}}", "$1 [[a|b]]"], ["0=none", "a", "b", "c"]]
