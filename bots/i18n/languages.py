"""Language data: code normalisation, fallback chains, right-to-left languages, autonyms. Pure.

The data comes from MediaWiki itself, never from tables written here: what a wiki answers to
``action=query&meta=languageinfo&liprop=autonym|dir|fallbacks&licode=*``, as a
:class:`LanguageData`. The wiki layer (``bots.wiki.languageinfo``) asks the wiki the bot works
on and keeps the answer in the state folder; until a job has asked (configuration checks, pure
tests) the functions here use :func:`bundled_language_data`, the same answer from MediaWiki
1.39 shipped as ``bots/i18n/languageinfo.json`` (``scripts/update-languageinfo`` refreshes it).

Every function takes the data as an optional last argument; ``bots.i18n.messages.Messages``
carries the data of its run and passes it on.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

__all__ = [
    "BUNDLED_FILE",
    "PSEUDO_CODES",
    "SOURCE_LANG",
    "LanguageData",
    "LanguageInfo",
    "autonym",
    "bundled_language_data",
    "fallback_chain",
    "is_known_language",
    "is_language_code",
    "is_rtl",
    "normalize_lang",
]

SOURCE_LANG = "en"  # every fallback chain ends here; the language messages are written in
BUNDLED_FILE = Path(__file__).resolve().parent / "languageinfo.json"

# The shape of one language in a ``meta=languageinfo`` answer (formatversion 2).
LanguageInfoAnswer = Mapping[str, str | list[str]]


def normalize_lang(lang: str) -> str:
    """``"zh_Hant"`` -> ``"zh-hant"``: lower case, hyphens, no surrounding space."""
    return lang.strip().replace("_", "-").lower()


@dataclass(frozen=True)
class LanguageInfo:
    """One language as the wiki describes it."""

    autonym: str
    rtl: bool
    fallbacks: tuple[str, ...] = ()  # MediaWiki's own, "en" left implicit


@dataclass(frozen=True)
class LanguageData:
    """Every language a wiki knows, by code."""

    languages: Mapping[str, LanguageInfo] = field(default_factory=dict)
    source: str = ""  # where it came from, for the operator (a wiki's generator and URL)

    @classmethod
    def from_languageinfo(
        cls, answer: Mapping[str, LanguageInfoAnswer], source: str = ""
    ) -> LanguageData:
        """From the ``languageinfo`` part of the API's answer (code -> autonym, dir,
        fallbacks); malformed entries are left out."""
        languages: dict[str, LanguageInfo] = {}
        for code, info in answer.items():
            name, direction = info.get("autonym", ""), info.get("dir", "ltr")
            fallbacks = info.get("fallbacks", [])
            if not isinstance(name, str) or not isinstance(fallbacks, list):
                continue
            languages[normalize_lang(code)] = LanguageInfo(
                autonym=name.strip() or code,
                rtl=direction == "rtl",
                fallbacks=tuple(normalize_lang(f) for f in fallbacks if isinstance(f, str)),
            )
        return cls(MappingProxyType(languages), source)

    def codes(self) -> frozenset[str]:
        return frozenset(self.languages)

    def _parent(self, code: str) -> str:
        """The nearest known code made by dropping subtags (``de-xx`` -> ``de``), or ""."""
        parts = code.split("-")
        while len(parts) > 1:
            parts.pop()
            parent = "-".join(parts)
            if parent in self.languages:
                return parent
        return ""

    def fallback_chain(self, lang: str) -> tuple[str, ...]:
        """The languages tried in order for ``lang``: itself, the wiki's fallbacks, its base
        language (``zh-tw`` reaches ``zh``, where Chinese messages live), ending with ``en``."""
        code = normalize_lang(lang)
        if not code:
            return (SOURCE_LANG,)
        chain = [code]
        known = code if code in self.languages else self._parent(code)
        if known:
            chain += [known, *self.languages[known].fallbacks]
        base = code.split("-")[0]
        if base in self.languages:
            chain.append(base)
        # English, the language every message is written in, always comes last
        return tuple(dict.fromkeys([*(c for c in chain if c != SOURCE_LANG), SOURCE_LANG]))

    def is_rtl(self, lang: str) -> bool:
        """Whether ``lang`` is written right to left; an unknown code takes the direction of
        the first known language of its chain."""
        for code in self.fallback_chain(lang):
            if code in self.languages:
                return self.languages[code].rtl
        return False

    def autonym(self, lang: str) -> str:
        """The language's name in itself (``"fr"`` -> ``"français"``); unknown codes come back
        as given (stripped)."""
        info = self.languages.get(normalize_lang(lang))
        return info.autonym if info else lang.strip()

    def knows(self, lang: str) -> bool:
        return normalize_lang(lang) in self.languages


@functools.lru_cache(maxsize=1)
def bundled_language_data() -> LanguageData:
    """MediaWiki 1.39's language data as shipped with the bot."""
    data = json.loads(BUNDLED_FILE.read_text(encoding="utf-8"))
    return LanguageData.from_languageinfo(data["languageinfo"], str(data.get("generator", "")))


def _data(data: LanguageData | None) -> LanguageData:
    return data if data is not None else bundled_language_data()


def fallback_chain(lang: str, data: LanguageData | None = None) -> tuple[str, ...]:
    """The languages tried in order for ``lang``, ending with ``"en"``.

    >>> fallback_chain("pt-br")
    ('pt-br', 'pt', 'en')
    >>> fallback_chain("arz")
    ('arz', 'ar', 'en')
    """
    return _data(data).fallback_chain(lang)


def is_rtl(lang: str, data: LanguageData | None = None) -> bool:
    """Whether text in ``lang`` is written right to left (``ar``, ``he``, ``fa``, ``ku-arab``…)."""
    return _data(data).is_rtl(lang)


def autonym(lang: str, data: LanguageData | None = None) -> str:
    """The language's name in itself (``"fr"`` -> ``"français"``); unknown codes come back as
    given (stripped)."""
    return _data(data).autonym(lang)


_LANGUAGE_CODE_RE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{1,8})*", re.ASCII)


def is_language_code(text: str) -> bool:
    """Whether ``text`` has the shape of a MediaWiki language code (``fr``, ``zh-hans``,
    ``be-x-old``: subtags of one to eight letters or digits).

    Shape only: whether the bot knows or speaks the language is a question for the wiki's
    language data and the message files.
    """
    return bool(_LANGUAGE_CODE_RE.fullmatch(text))


# MediaWiki's pseudo-codes: message documentation, message keys, "undetermined", "multiple",
# "no linguistic content". They have the shape of a code but are no language anyone reads.
PSEUDO_CODES = frozenset({"qqq", "qqx", "und", "mul", "zxx", "mis"})


def is_known_language(code: str, data: LanguageData | None = None) -> bool:
    """Whether ``code`` names a real language the bot knows: the shape of a code, not a
    pseudo-code, and in the language data (so its name and fallback chain are known).

    Markers, subscriber lines and the configuration accept only such codes, so a typo or
    ``qqq`` gets a clear error instead of a page in a language nobody reads.
    """
    norm = normalize_lang(code)
    return is_language_code(norm) and norm not in PSEUDO_CODES and _data(data).knows(norm)
