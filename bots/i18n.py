"""Reader-facing messages in MediaWiki's JSON format, with PLURAL, fallback chains and autonyms.

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

The module is pure: no network, no Pywikibot.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType

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

DEFAULT_ROOT = Path(__file__).resolve().parent / "i18n"
KEY_PREFIX = "advocacyhub-"
DOCUMENTATION_LANG = "qqq"
SOURCE_LANG = "en"


class MessageFileError(ValueError):
    """A message file that cannot be used (invalid JSON, wrong shape, duplicate key)."""

    def __init__(self, file: str | Path, reason: str) -> None:
        self.file = str(file)
        self.reason = reason
        super().__init__(f"{self.file}: {reason}")


# ---------------------------------------------------------------------------------------------
# Language codes


def normalize_lang(lang: str) -> str:
    """``"zh_Hant"`` -> ``"zh-hant"``: lower case, hyphens, no surrounding space."""
    return lang.strip().replace("_", "-").lower()


# Explicit fallbacks (before the final "en"), following MediaWiki's Messages*.php $fallback for
# the languages common on Meta-Wiki. Chinese variants always reach "zh", where this project
# keeps its (Simplified) Chinese messages. Codes not listed here fall back by dropping their
# last subtag ("de-at" -> "de", "fr-ca" -> "fr").
_FALLBACKS: dict[str, tuple[str, ...]] = {
    "zh": ("zh-hans",),
    "zh-hans": ("zh-cn", "zh"),
    "zh-cn": ("zh-hans", "zh"),
    "zh-sg": ("zh-hans", "zh-cn", "zh"),
    "zh-my": ("zh-sg", "zh-hans", "zh-cn", "zh"),
    "zh-hant": ("zh-tw", "zh-hk", "zh", "zh-hans"),
    "zh-tw": ("zh-hant", "zh-hk", "zh", "zh-hans"),
    "zh-hk": ("zh-hant", "zh-tw", "zh", "zh-hans"),
    "zh-mo": ("zh-hk", "zh-hant", "zh-tw", "zh", "zh-hans"),
    "yue": ("zh-hk", "zh-hant", "zh", "zh-hans"),
    "yue-hant": ("yue", "zh-hk", "zh-hant", "zh", "zh-hans"),
    "wuu": ("zh-hans", "zh"),
    "gan": ("zh-hant", "zh", "zh-hans"),
    "lzh": ("zh-hant", "zh", "zh-hans"),
    "pt": ("pt-br",),
    "pt-br": ("pt",),
    "arz": ("ar",),
    "ary": ("ar",),
    "arq": ("ar",),
    "aeb": ("aeb-arab", "ar"),
    "aeb-arab": ("ar",),
    "apc": ("ar",),
    "ajp": ("ar",),
    "acm": ("ar",),
    "ars": ("ar",),
    "prs": ("fa",),
    "mzn": ("fa",),
    "glk": ("fa",),
    "lrc": ("fa",),
    "azb": ("fa",),
    "tg": ("tg-cyrl",),
    "ks": ("ks-arab",),
    "ug": ("ug-arab",),
    "yi": ("he",),
    "lad": ("es",),
    "an": ("es",),
    "ast": ("es",),
    "qu": ("es",),
    "gn": ("es",),
    "eu": ("es",),
    "gl": ("pt",),
    "ca": ("oc",),
    "oc": ("ca", "fr"),
    "br": ("fr",),
    "wa": ("fr",),
    "frp": ("fr",),
    "co": ("it",),
    "vec": ("it",),
    "nap": ("it",),
    "scn": ("it",),
    "lmo": ("it",),
    "lb": ("de",),
    "gsw": ("de",),
    "nds": ("de",),
    "bar": ("de",),
    "ksh": ("de",),
    "de-at": ("de",),
    "de-ch": ("de",),
    "de-formal": ("de",),
    "nl-informal": ("nl",),
    "be-tarask": ("be",),
    "uk": ("ru",),
    "cs": ("sk",),
    "nb": ("no", "nn"),
    "nn": ("no", "nb"),
    "no": ("nb",),
    "sr": ("sr-ec", "sr-cyrl"),
    "sr-ec": ("sr-cyrl", "sr"),
    "sr-el": ("sr-latn", "sr"),
    "sh": ("bs", "sr-el", "sr-latn", "hr"),
    "kk": ("kk-cyrl",),
    "ku": ("ku-latn",),
    "jv": ("id",),
    "su": ("id",),
    "min": ("id",),
    "ms-arab": ("ms",),
    "bh": ("hi",),
    "mai": ("hi",),
    "awa": ("hi",),
}


@functools.lru_cache(maxsize=512)
def fallback_chain(lang: str) -> tuple[str, ...]:
    """The languages tried in order for ``lang``, ending with ``"en"``.

    >>> fallback_chain("pt-br")
    ('pt-br', 'pt', 'en')
    >>> fallback_chain("arz")
    ('arz', 'ar', 'en')
    """
    code = normalize_lang(lang)
    if not code:
        return (SOURCE_LANG,)
    chain: list[str] = []

    def add(c: str) -> None:
        if c and c not in chain:
            chain.append(c)

    add(code)
    if code in _FALLBACKS:
        for c in _FALLBACKS[code]:
            add(c)
    elif "-" in code:
        parts = code.split("-")
        while len(parts) > 1:
            parts.pop()
            parent = "-".join(parts)
            if parent in _FALLBACKS or len(parts) == 1:
                for c in fallback_chain(parent):
                    if c != SOURCE_LANG:
                        add(c)
                break
            add(parent)
    if chain[-1] != SOURCE_LANG:
        if SOURCE_LANG in chain:
            chain.remove(SOURCE_LANG)
        chain.append(SOURCE_LANG)
    return tuple(chain)


# Right-to-left languages (MediaWiki's $rtl = true, plus codes that inherit it by fallback).
def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


_RTL: frozenset[str] = _codes(
    """aeb aeb-arab ar arc arq ars ary arz apc ajp acm azb bcc bgn bqi ckb dv en-rtl fa glk he
    hno iw khw kk-arab kk-cn ks ks-arab ku-arab lki lrc luz ms-arab mzn nqo ota pnb prs ps sd
    sdh skr skr-arab syc ug ug-arab ur yi"""
)
_RTL_SCRIPTS: frozenset[str] = frozenset({"arab", "hebr", "thaa", "nkoo", "syrc", "adlm", "rohg"})
_LTR_SCRIPTS: frozenset[str] = frozenset({"latn", "cyrl", "grek", "deva", "hans", "hant"})


def is_rtl(lang: str) -> bool:
    """Whether text in ``lang`` is written right to left (``ar``, ``he``, ``fa``, ``ku-arab``…)."""
    code = normalize_lang(lang)
    if code in _RTL:
        return True
    parts = code.split("-")
    for sub in parts[1:]:
        if sub in _RTL_SCRIPTS:
            return True
        if sub in _LTR_SCRIPTS:
            return False
    return parts[0] in _RTL


# Native names, as MediaWiki's Names.php spells them.
_AUTONYMS: dict[str, str] = {
    "af": "Afrikaans",
    "am": "አማርኛ",
    "an": "aragonés",
    "ar": "العربية",
    "ary": "الدارجة",
    "arz": "مصرى",
    "ast": "asturianu",
    "az": "azərbaycanca",
    "be": "беларуская",
    "be-tarask": "беларуская (тарашкевіца)",
    "bg": "български",
    "bn": "বাংলা",
    "br": "brezhoneg",
    "bs": "bosanski",
    "ca": "català",
    "ceb": "Cebuano",
    "ckb": "کوردی",
    "co": "corsu",
    "cs": "čeština",
    "cy": "Cymraeg",
    "da": "dansk",
    "de": "Deutsch",
    "dv": "ދިވެހިބަސް",
    "el": "Ελληνικά",
    "en": "English",
    "eo": "Esperanto",
    "es": "español",
    "et": "eesti",
    "eu": "euskara",
    "fa": "فارسی",
    "fi": "suomi",
    "fr": "français",
    "ga": "Gaeilge",
    "gl": "galego",
    "gsw": "Alemannisch",
    "gu": "ગુજરાતી",
    "ha": "Hausa",
    "he": "עברית",
    "hi": "हिन्दी",
    "hr": "hrvatski",
    "hu": "magyar",
    "hy": "հայերեն",
    "id": "Bahasa Indonesia",
    "ig": "Igbo",
    "is": "íslenska",
    "it": "italiano",
    "ja": "日本語",
    "jv": "Jawa",
    "ka": "ქართული",
    "kk": "қазақша",
    "km": "ភាសាខ្មែរ",
    "kn": "ಕನ್ನಡ",
    "ko": "한국어",
    "ku": "kurdî",
    "ky": "кыргызча",
    "la": "Latina",
    "lb": "Lëtzebuergesch",
    "ln": "lingála",
    "lo": "ລາວ",
    "lt": "lietuvių",
    "lv": "latviešu",
    "mg": "Malagasy",
    "mk": "македонски",
    "ml": "മലയാളം",
    "mn": "монгол",
    "mr": "मराठी",
    "ms": "Bahasa Melayu",
    "mt": "Malti",
    "my": "မြန်မာဘာသာ",
    "nb": "norsk bokmål",
    "nds": "Plattdüütsch",
    "ne": "नेपाली",
    "nl": "Nederlands",
    "nn": "norsk nynorsk",
    "no": "norsk",
    "oc": "occitan",
    "om": "Oromoo",
    "pa": "ਪੰਜਾਬੀ",
    "pl": "polski",
    "ps": "پښتو",
    "pt": "português",
    "pt-br": "português do Brasil",
    "ro": "română",
    "ru": "русский",
    "rw": "Ikinyarwanda",
    "sco": "Scots",
    "si": "සිංහල",
    "sk": "slovenčina",
    "sl": "slovenščina",
    "so": "Soomaaliga",
    "sq": "shqip",
    "sr": "српски / srpski",
    "su": "Sunda",
    "sv": "svenska",
    "sw": "Kiswahili",
    "ta": "தமிழ்",
    "te": "తెలుగు",
    "tg": "тоҷикӣ",
    "th": "ไทย",
    "ti": "ትግርኛ",
    "tl": "Tagalog",
    "tr": "Türkçe",
    "uk": "українська",
    "ur": "اردو",
    "uz": "oʻzbekcha/ўзбекча",
    "vi": "Tiếng Việt",
    "wo": "Wolof",
    "xh": "isiXhosa",
    "yi": "ייִדיש",
    "yo": "Yorùbá",
    "yue": "粵語",
    "zh": "中文",
    "zh-cn": "中文（中国大陆）",
    "zh-hans": "中文（简体）",
    "zh-hant": "中文（繁體）",
    "zh-hk": "中文（香港）",
    "zh-tw": "中文（臺灣）",
    "zu": "isiZulu",
}


def autonym(lang: str) -> str:
    """The language's name in itself (``"fr"`` -> ``"français"``); unknown codes come back as
    given (stripped)."""
    return _AUTONYMS.get(normalize_lang(lang), lang.strip())


# ---------------------------------------------------------------------------------------------
# CLDR cardinal plural rules
#
# Rules are CLDR's own text (unicode.org/reports/tr35/tr35-numbers.html#Language_Plural_Rules),
# categories in CLDR's order (zero, one, two, few, many; "other" is implied and always last).
# A form index is the category's position in that list, as in MediaWiki's
# Language::getPluralRuleIndexNumber(). Compact exponents are never used here, so e = 0.

_CATEGORY_ORDER = ("zero", "one", "two", "few", "many", "other")

_MILLION_MANY = "e = 0 and i != 0 and i % 1000000 = 0 and v = 0 or e != 0..5"
_SLAVIC_EAST = (
    ("one", "v = 0 and i % 10 = 1 and i % 100 != 11"),
    ("few", "v = 0 and i % 10 = 2..4 and i % 100 != 12..14"),
    ("many", "v = 0 and i % 10 = 0 or v = 0 and i % 10 = 5..9 or v = 0 and i % 100 = 11..14"),
)
_BCMS = (
    ("one", "v = 0 and i % 10 = 1 and i % 100 != 11 or f % 10 = 1 and f % 100 != 11"),
    ("few", "v = 0 and i % 10 = 2..4 and i % 100 != 12..14 or f % 10 = 2..4 and f % 100 != 12..14"),
)

_RULE_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    # a single form
    (
        "bm bo dz id ig ii ja jv kde kea km ko lkt lo ms my nqo sah ses sg su th to vi wo yo "
        "yue zh",
        (),
    ),
    ("en de nl sv fi et fy gl sw ur yi ast sc", (("one", "i = 1 and v = 0"),)),
    ("it ca", (("one", "i = 1 and v = 0"), ("many", _MILLION_MANY))),
    ("es", (("one", "n = 1"), ("many", _MILLION_MANY))),
    ("fr", (("one", "i = 0,1"), ("many", _MILLION_MANY))),
    ("pt", (("one", "i = 0..1"), ("many", _MILLION_MANY))),
    ("pt-pt", (("one", "i = 1 and v = 0"), ("many", _MILLION_MANY))),
    (
        "af az bg ckb el eo eu fo ha hu ka kk ks ku ky lb ml mn nb ne nn no om or ps sd so sq "
        "ta te tk tr ug uz",
        (("one", "n = 1"),),
    ),
    ("am as bn fa gu hi kn mr pcm zu", (("one", "i = 0 or n = 1"),)),
    ("hy ff kab", (("one", "i = 0,1"),)),
    ("da", (("one", "n = 1 or t != 0 and i = 0,1"),)),
    ("is", (("one", "t = 0 and i % 10 = 1 and i % 100 != 11 or t % 10 = 1 and t % 100 != 11"),)),
    ("mk", (("one", "v = 0 and i % 10 = 1 and i % 100 != 11 or f % 10 = 1 and f % 100 != 11"),)),
    (
        "fil tl",
        (
            (
                "one",
                "v = 0 and i = 1,2,3 or v = 0 and i % 10 != 4,6,9 or v != 0 and f % 10 != 4,6,9",
            ),
        ),
    ),
    ("si", (("one", "n = 0,1 or i = 0 and f = 1"),)),
    ("ak bh guw ln mg nso pa ti wa", (("one", "n = 0..1"),)),
    (
        "ar ars",
        (
            ("zero", "n = 0"),
            ("one", "n = 1"),
            ("two", "n = 2"),
            ("few", "n % 100 = 3..10"),
            ("many", "n % 100 = 11..99"),
        ),
    ),
    ("he iw", (("one", "i = 1 and v = 0 or i = 0 and v != 0"), ("two", "i = 2 and v = 0"))),
    ("ru uk", _SLAVIC_EAST),
    (
        "be",
        (
            ("one", "n % 10 = 1 and n % 100 != 11"),
            ("few", "n % 10 = 2..4 and n % 100 != 12..14"),
            ("many", "n % 10 = 0 or n % 10 = 5..9 or n % 100 = 11..14"),
        ),
    ),
    (
        "pl",
        (
            ("one", "i = 1 and v = 0"),
            ("few", "v = 0 and i % 10 = 2..4 and i % 100 != 12..14"),
            (
                "many",
                "v = 0 and i != 1 and i % 10 = 0..1 or v = 0 and i % 10 = 5..9 "
                "or v = 0 and i % 100 = 12..14",
            ),
        ),
    ),
    ("cs sk", (("one", "i = 1 and v = 0"), ("few", "i = 2..4 and v = 0"), ("many", "v != 0"))),
    ("bs hr sh sr", _BCMS),
    ("ro mo", (("one", "i = 1 and v = 0"), ("few", "v != 0 or n = 0 or n % 100 = 2..19"))),
    (
        "lt",
        (
            ("one", "n % 10 = 1 and n % 100 != 11..19"),
            ("few", "n % 10 = 2..9 and n % 100 != 11..19"),
            ("many", "f != 0"),
        ),
    ),
    (
        "lv",
        (
            ("zero", "n % 10 = 0 or n % 100 = 11..19 or v = 2 and f % 100 = 11..19"),
            (
                "one",
                "n % 10 = 1 and n % 100 != 11 or v = 2 and f % 10 = 1 and f % 100 != 11 "
                "or v != 2 and f % 10 = 1",
            ),
        ),
    ),
    (
        "sl",
        (
            ("one", "v = 0 and i % 100 = 1"),
            ("two", "v = 0 and i % 100 = 2"),
            ("few", "v = 0 and i % 100 = 3..4 or v != 0"),
        ),
    ),
    (
        "cy",
        (
            ("zero", "n = 0"),
            ("one", "n = 1"),
            ("two", "n = 2"),
            ("few", "n = 3"),
            ("many", "n = 6"),
        ),
    ),
    (
        "ga",
        (("one", "n = 1"), ("two", "n = 2"), ("few", "n = 3..6"), ("many", "n = 7..10")),
    ),
    (
        "mt",
        (
            ("one", "n = 1"),
            ("two", "n = 2"),
            ("few", "n = 0 or n % 100 = 3..10"),
            ("many", "n % 100 = 11..19"),
        ),
    ),
)

_PLURAL_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    lang: rules for langs, rules in _RULE_GROUPS for lang in langs.split()
}


class _Operands:
    """CLDR plural operands of a plain decimal number."""

    __slots__ = ("e", "f", "i", "n", "t", "v")

    def __init__(self, number: Decimal) -> None:
        text = format(abs(number), "f")
        int_part, _, frac = text.partition(".")
        self.n = abs(number)
        self.i = int(int_part)
        self.v = len(frac)
        self.f = int(frac) if frac else 0
        stripped = frac.rstrip("0")
        self.t = int(stripped) if stripped else 0
        self.e = 0

    def get(self, name: str) -> Decimal | int:
        if name == "w":
            return len(str(self.t)) if self.t else 0
        if name == "c":
            return self.e
        return getattr(self, name)


_RELATION = re.compile(r"^\s*([nivwftce])\s*(?:%\s*(\d+))?\s*(!=|=)\s*([\d.,\s]+?)\s*$")


_Relation = tuple[str, int | None, bool, tuple[tuple[int, int], ...]]


@functools.lru_cache(maxsize=256)
def _compile(rule: str) -> tuple[tuple[_Relation, ...], ...]:
    """Parse a CLDR rule into OR-groups of AND-relations: (operand, mod, negated, ranges)."""
    groups = []
    for or_part in rule.split(" or "):
        relations = []
        for and_part in or_part.split(" and "):
            m = _RELATION.match(and_part)
            if not m:
                raise ValueError(f"cannot parse plural rule {rule!r} at {and_part!r}")
            operand, mod, op, values = m.groups()
            ranges = []
            for item in values.split(","):
                lo, _, hi = item.strip().partition("..")
                ranges.append((int(lo), int(hi or lo)))
            relations.append((operand, int(mod) if mod else None, op == "!=", tuple(ranges)))
        groups.append(tuple(relations))
    return tuple(groups)


def _matches(rule: str, ops: _Operands) -> bool:
    for relations in _compile(rule):
        ok = True
        for operand, mod, negated, ranges in relations:
            value = ops.get(operand)
            if mod is not None:
                value = value % mod
            # Ranges only hold integers: a value with a fraction never matches "n = 1..3".
            inside = value == int(value) and any(lo <= int(value) <= hi for lo, hi in ranges)
            if inside == negated:
                ok = False
                break
        if ok:
            return True
    return False


def _rules_for(lang: str) -> tuple[tuple[str, str], ...]:
    for code in fallback_chain(lang):
        if code in _PLURAL_RULES:
            return _PLURAL_RULES[code]
        base = code.split("-")[0]
        if base in _PLURAL_RULES and code not in _FALLBACKS:
            return _PLURAL_RULES[base]
    return _PLURAL_RULES[SOURCE_LANG]


def _to_decimal(count: object) -> Decimal | None:
    if isinstance(count, bool):
        count = int(count)
    if isinstance(count, Decimal):
        return count if count.is_finite() else None
    if isinstance(count, int):
        return Decimal(count)
    if isinstance(count, float):
        return Decimal(repr(count)) if count == count and abs(count) != float("inf") else None
    text = str(count).strip().replace(",", "").replace("_", "").replace("\u00a0", "")
    text = text.replace(" ", "")
    if not text:
        return None
    try:
        d = Decimal(text)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def plural_category(lang: str, count: object) -> str:
    """CLDR cardinal category (``zero``/``one``/``two``/``few``/``many``/``other``) of
    ``count`` in ``lang``; non-numbers are ``other``."""
    number = _to_decimal(count)
    if number is None:
        return "other"
    ops = _Operands(number)
    for category, rule in _rules_for(lang):
        if _matches(rule, ops):
            return category
    return "other"


def plural_categories(lang: str) -> tuple[str, ...]:
    """The categories of ``lang`` in form order, ``other`` last."""
    return (*(c for c, _ in _rules_for(lang)), "other")


def plural_index(lang: str, count: object) -> int:
    """Index of the PLURAL form for ``count`` in ``lang`` (before capping to the forms given)."""
    return plural_categories(lang).index(plural_category(lang, count))


def _choose_plural(lang: str, count_text: str, forms: Sequence[str]) -> str:
    # Explicit "N=text" forms first (MediaWiki's handleExplicitPluralForms).
    plain: list[str] = []
    number = _to_decimal(count_text)
    for form in forms:
        m = re.match(r"^\s*(\d+)\s*=(.*)$", form, re.S)
        if m:
            if number is not None and Decimal(m.group(1)) == number:
                return m.group(2)
            continue
        plain.append(form)
    if not plain:
        return ""
    index = plural_index(lang, count_text)
    return plain[min(index, len(plain) - 1)]


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
            out.append(_expand(_choose_plural(lang, count, args[1:]), lang, params))
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
    ) -> None:
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
    def load(cls, root: Path | str | None = None) -> Messages:
        """Read every ``<root>/<domain>/<lang>.json`` (default root: ``bots/i18n``).

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
        return _load_cached(str(base), signature)

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

    @staticmethod
    def fallback_chain(lang: str) -> tuple[str, ...]:
        return fallback_chain(lang)

    @staticmethod
    def is_rtl(lang: str) -> bool:
        return is_rtl(lang)

    @staticmethod
    def autonym(lang: str) -> str:
        return autonym(lang)

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
