"""Counts in marker parameters: plain ASCII digits within bounds, or nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bots.i18n.languages import is_known_language
from bots.wikitext.numbers import parse_count


@pytest.mark.parametrize(
    ("text", "expected"),
    [("5", 5), (" 12 ", 12), ("0", 0), ("100", 100), ("101", None), ("-1", None), ("+3", None),
     ("3.0", None), ("²", None), ("٣", None), ("３", None), ("1e3", None), ("", None),
     ("9" * 400, None), ("0x10", None), ("1_000", None)],
)
def test_parse_count(text: str, expected: int | None) -> None:
    assert parse_count(text, maximum=100) == expected


@given(st.text(max_size=50))
def test_parse_count_never_raises_and_stays_in_bounds(text: str) -> None:
    value = parse_count(text, minimum=1, maximum=500)
    assert value is None or 1 <= value <= 500


@pytest.mark.parametrize(
    ("code", "known"),
    [("fr", True), ("zh-hans", True), ("ar", True), ("FR", True), ("qqq", False),
     ("qqx", False), ("xx", False), ("frr-xyz", False), ("", False), ("en ", True)],
)
def test_is_known_language(code: str, known: bool) -> None:
    assert is_known_language(code) is known
