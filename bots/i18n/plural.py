"""CLDR cardinal plural rules, and the choice of a ``{{PLURAL:…}}`` form. Pure.

The rules are CLDR's, as Babel maintains them (``babel.Locale.plural_form``); nothing here
restates them. Categories are taken in CLDR's order (zero, one, two, few, many; "other" always
last), and a form index is the category's position among the language's categories, as in
MediaWiki's ``Language::getPluralRuleIndexNumber()``.

A language Babel does not know (``be-tarask``, ``sr-el``, ``qqq``) uses the rules of the first
language of its fallback chain (``bots.i18n.languages``) that Babel knows, and English at the
end. ``bots.i18n.messages`` re-exports :func:`plural_category` and :func:`plural_index`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.plural import PluralRule

from bots.i18n.languages import SOURCE_LANG, fallback_chain

__all__ = [
    "choose_plural_form",
    "plural_categories",
    "plural_category",
    "plural_index",
]

_CATEGORY_ORDER = ("zero", "one", "two", "few", "many", "other")


def _locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


@functools.lru_cache(maxsize=256)
def _rule_for(lang: str) -> PluralRule:
    """The plural rule of ``lang``, or of the first language of its chain Babel knows."""
    for code in fallback_chain(lang):
        locale = _locale(code)
        if locale is not None:
            return locale.plural_form
    return Locale.parse(SOURCE_LANG).plural_form


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
    ``count`` in ``lang``; non-numbers are ``other``. Visible fraction digits count, as in
    CLDR: ``"1.0"`` is not ``one`` in English."""
    number = _to_decimal(count)
    if number is None:
        return "other"
    return str(_rule_for(lang)(abs(number)))


def plural_categories(lang: str) -> tuple[str, ...]:
    """The categories of ``lang`` in form order, ``other`` last."""
    tags = _rule_for(lang).tags
    return tuple(c for c in _CATEGORY_ORDER if c in tags or c == "other")


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
