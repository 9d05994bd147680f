"""Reader-facing messages in MediaWiki's JSON format: loading, lookup with fallback, formatting.

Messages live in ``bots/i18n/<domain>/<lang>.json`` (domains: ``core``, ``index``,
``translations``, ``digest``, and any folder added later). Each file is an object of
``"advocacyhub-…": "text"`` pairs plus an optional ``"@metadata"`` entry, exactly like the
message files of MediaWiki extensions, so that they can be handed to translatewiki.net as they
are. ``qqq.json`` documents every key for translators.

Formatting follows MediaWiki's ``Message::text()`` closely:

* ``$1`` … ``$n`` are replaced by the parameters; numbers are written plainly (``1234``,
  ``2.5``), without digit grouping. Parameter values are never parsed again, so a value that
  contains ``{{PLURAL:…}}`` or ``$2`` comes out literally.
* ``{{PLURAL:$1|form|form…}}`` picks a form with the CLDR cardinal rules of the language the
  text was found in; explicit forms like ``0=none`` win; when fewer forms are given than the
  language has categories, the last form is used for the missing ones (MediaWiki's behaviour).
* ``{{GENDER:user|male|female|neutral}}``: the bot never knows a gender, so like MediaWiki for
  an unknown gender it uses the third form when given, else the first.
* ``{{formatnum:x}}`` is replaced by ``x`` (numbers stay plain).
* A key that exists in no language of the fallback chain is rendered ``⧼key⧽``.

Language data (fallback chains, right-to-left languages, autonyms) comes from the wiki
(``bots.i18n.languages``; a job passes its wiki's data to :meth:`Messages.load`) and CLDR plural
rules from Babel (``bots.i18n.plural``); the functions used with messages are importable from
here too.

The module is pure: no network, no Pywikibot.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from bots.i18n.languages import (
    SOURCE_LANG,
    LanguageData,
    autonym,
    bundled_language_data,
    fallback_chain,
    is_rtl,
    normalize_lang,
)
from bots.i18n.plural import choose_plural_form, plural_category, plural_index

__all__ = [
    "DEFAULT_ROOT",
    "KEY_PREFIX",
    "MessageFileError",
    "Messages",
    "autonym",
    "fallback_chain",
    "format_message",
    "is_rtl",
    "normalize_lang",
    "plural_category",
    "plural_index",
]

DEFAULT_ROOT = Path(__file__).resolve().parent
KEY_PREFIX = "advocacyhub-"
DOCUMENTATION_LANG = "qqq"


class MessageFileError(ValueError):
    """A message file that cannot be used (invalid JSON, wrong shape, duplicate key)."""

    def __init__(self, file: str | Path, reason: str) -> None:
        self.file = str(file)
        self.reason = reason
        super().__init__(f"{self.file}: {reason}")


# ---------------------------------------------------------------------------------------------
# Message formatting


def _format_param(value: object) -> str:
    """Numbers plainly (no grouping, no exponent); anything else with ``str``."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else str(value)
    return str(value)


_PARAM = re.compile(r"\$(\d+)")


def _substitute(text: str, params: Sequence[str]) -> str:
    def repl(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return params[n - 1] if 1 <= n <= len(params) else m.group(0)

    return _PARAM.sub(repl, text)


def _find_close(text: str, start: int) -> int:
    """Index of the ``}}`` closing the ``{{`` at ``start``, or -1."""
    depth = 0
    i = start
    while i < len(text) - 1:
        pair = text[i : i + 2]
        if pair == "{{":
            depth += 1
            i += 2
        elif pair == "}}":
            depth -= 1
            if depth == 0:
                return i
            i += 2
        else:
            i += 1
    return -1


def _split_args(inner: str) -> list[str]:
    """Split on ``|`` that are not inside ``{{…}}`` or ``[[…]]``."""
    parts: list[str] = []
    depth_braces = depth_links = 0
    current: list[str] = []
    i = 0
    while i < len(inner):
        pair = inner[i : i + 2]
        if pair in ("{{", "}}", "[[", "]]"):
            if pair == "{{":
                depth_braces += 1
            elif pair == "}}":
                depth_braces = max(0, depth_braces - 1)
            elif pair == "[[":
                depth_links += 1
            else:
                depth_links = max(0, depth_links - 1)
            current.append(pair)
            i += 2
            continue
        ch = inner[i]
        if ch == "|" and depth_braces == 0 and depth_links == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def _expand(text: str, lang: str, params: Sequence[str]) -> str:
    out: list[str] = []
    pos = 0
    while True:
        start = text.find("{{", pos)
        if start < 0:
            out.append(text[pos:])
            break
        end = _find_close(text, start)
        if end < 0:
            out.append(text[pos:])
            break
        out.append(text[pos:start])
        inner = text[start + 2 : end]
        name, colon, rest = inner.partition(":")
        magic = name.strip().upper() if colon else ""
        if magic == "PLURAL":
            args = _split_args(rest)
            count = _substitute(_expand(args[0], lang, params), params).strip()
            out.append(_expand(choose_plural_form(lang, count, args[1:]), lang, params))
        elif magic == "GENDER":
            forms = _split_args(rest)[1:]
            if forms:
                chosen = forms[2] if len(forms) >= 3 else forms[0]
                out.append(_expand(chosen, lang, params))
        elif magic == "FORMATNUM":
            out.append(_expand(_split_args(rest)[0], lang, params))
        else:
            out.append("{{" + _expand(inner, lang, params) + "}}")
        pos = end + 2
    return "".join(out)


def format_message(text: str, lang: str, *params: object) -> str:
    """Expand PLURAL/GENDER in ``text`` for ``lang`` and substitute ``$1``… with ``params``."""
    plain = [_format_param(p) for p in params]
    return _substitute(_expand(text, normalize_lang(lang), plain), plain)


# ---------------------------------------------------------------------------------------------
# The catalogue


class Messages:
    """All message files of all domains, merged per language. Immutable once loaded."""

    def __init__(
        self,
        catalog: Mapping[str, Mapping[str, str]],
        domain_keys: Mapping[str, Iterable[str]] | None = None,
        languages: LanguageData | None = None,
    ) -> None:
        # the wiki's language data (fallback chains, directions, autonyms); MediaWiki 1.39's
        # as shipped until a job passes its wiki's
        self.language_data = languages if languages is not None else bundled_language_data()
        self._catalog: Mapping[str, Mapping[str, str]] = MappingProxyType(
            {normalize_lang(lang): MappingProxyType(dict(msgs)) for lang, msgs in catalog.items()}
        )
        if domain_keys is None:
            domain_keys = {"": self._catalog.get(SOURCE_LANG, {}).keys()}
        self._domain_keys: Mapping[str, tuple[str, ...]] = MappingProxyType(
            {d: tuple(sorted(k)) for d, k in domain_keys.items()}
        )

    # -- loading --------------------------------------------------------------------------

    @classmethod
    def load(
        cls, root: Path | str | None = None, *, languages: LanguageData | None = None
    ) -> Messages:
        """Read every ``<root>/<domain>/<lang>.json`` (default root: ``bots/i18n``), with the
        wiki's ``languages`` data (default: the bundled one).

        Repeated calls are cheap: the result is cached until a file changes (its path, size
        or modification time). Raises :class:`MessageFileError` for an unusable file.
        """
        base = Path(root) if root is not None else DEFAULT_ROOT
        base = base.resolve()
        signature = tuple(
            (str(p), st.st_mtime_ns, st.st_size)
            for p in sorted(base.glob("*/*.json"))
            for st in (p.stat(),)
        )
        loaded = _load_cached(str(base), signature)
        return loaded if languages is None else loaded.with_languages(languages)

    def with_languages(self, languages: LanguageData) -> Messages:
        """The same messages with another wiki's language data."""
        return Messages(self._catalog, self._domain_keys, languages)

    # -- lookups --------------------------------------------------------------------------

    def msg(self, key: str, lang: str, *params: object) -> str:
        """The text of ``key`` in ``lang`` (or the first language of its fallback chain that
        has it), with PLURAL/GENDER expanded and ``$n`` replaced; ``⧼key⧽`` if missing."""
        for code in self.fallback_chain(lang):
            text = self._catalog.get(code, {}).get(key)
            if text is not None:
                # PLURAL uses the rules of the language the text is written in.
                return format_message(text, code, *params)
        return f"⧼{key}⧽"

    def has(self, key: str, lang: str) -> bool:
        """Whether ``lang`` itself defines ``key`` (no fallback)."""
        return key in self._catalog.get(normalize_lang(lang), {})

    def text(self, key: str, lang: str) -> str | None:
        """The raw, unformatted text of ``key`` in exactly ``lang``, or None."""
        return self._catalog.get(normalize_lang(lang), {}).get(key)

    def keys(self, domain: str | None = None) -> tuple[str, ...]:
        """Sorted keys defined in English, of one domain or (``None``) of all; an unknown
        domain has no keys."""
        if domain is None:
            return tuple(sorted({k for ks in self._domain_keys.values() for k in ks}))
        return self._domain_keys.get(domain, ())

    def domains(self) -> tuple[str, ...]:
        return tuple(sorted(self._domain_keys))

    def languages(self) -> tuple[str, ...]:
        """Sorted codes of the languages with at least one message (``qqq`` excluded)."""
        return tuple(sorted(c for c, m in self._catalog.items() if m and c != DOCUMENTATION_LANG))

    # -- language facts, also available as module functions --------------------------------

    def fallback_chain(self, lang: str) -> tuple[str, ...]:
        return fallback_chain(lang, self.language_data)

    def is_rtl(self, lang: str) -> bool:
        return is_rtl(lang, self.language_data)

    def autonym(self, lang: str) -> str:
        return autonym(lang, self.language_data)

    def __repr__(self) -> str:
        return (
            f"Messages(domains={list(self.domains())}, languages={list(self.languages())}, "
            f"keys={len(self.keys())})"
        )


def read_message_file(path: Path) -> dict[str, str]:
    """One message file's messages (``@metadata`` dropped); raises :class:`MessageFileError`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise MessageFileError(path, "file is not UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise MessageFileError(path, f"invalid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise MessageFileError(path, "expected a JSON object")
    out: dict[str, str] = {}
    for key, value in data.items():
        if key == "@metadata":
            continue
        if not isinstance(value, str):
            raise MessageFileError(path, f"{key}: expected a string, got {type(value).__name__}")
        out[key] = value
    return out


@functools.lru_cache(maxsize=8)
def _load_cached(root: str, signature: tuple[tuple[str, int, int], ...]) -> Messages:
    catalog: dict[str, dict[str, str]] = {}
    origin: dict[tuple[str, str], Path] = {}
    domain_keys: dict[str, set[str]] = {}
    for path_str, _mtime, _size in signature:
        path = Path(path_str)
        domain = path.parent.name
        lang = normalize_lang(path.stem)
        domain_keys.setdefault(domain, set())
        messages = read_message_file(path)
        target = catalog.setdefault(lang, {})
        for key, value in messages.items():
            if key in target:
                raise MessageFileError(path, f"{key} is already defined in {origin[(lang, key)]}")
            target[key] = value
            origin[(lang, key)] = path
        if lang == SOURCE_LANG:
            domain_keys[domain].update(messages)
    return Messages(catalog, domain_keys)
