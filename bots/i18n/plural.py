"""CLDR cardinal plural rules, and the choice of a ``{{PLURAL:…}}`` form. Pure.

Rules are CLDR's own text (unicode.org/reports/tr35/tr35-numbers.html#Language_Plural_Rules),
categories in CLDR's order (zero, one, two, few, many; "other" is implied and always last).
A form index is the category's position in that list, as in MediaWiki's
Language::getPluralRuleIndexNumber(). Compact exponents are never used here, so e = 0.

A language without rules of its own uses those of the first language of its fallback chain
(``bots.i18n.languages``) that has some. ``bots.i18n.messages`` re-exports
:func:`plural_category` and :func:`plural_index`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from bots.i18n.languages import FALLBACKS, SOURCE_LANG, fallback_chain

__all__ = [
    "choose_plural_form",
    "plural_categories",
    "plural_category",
    "plural_index",
]

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
        value: Decimal | int = getattr(self, name)
        return value


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
        if base in _PLURAL_RULES and code not in FALLBACKS:
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


def choose_plural_form(lang: str, count_text: str, forms: Sequence[str]) -> str:
    """The form among ``forms`` (a ``{{PLURAL:}}``'s arguments after the count) for
    ``count_text`` in ``lang``; the last form stands in for categories without one."""
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
