"""Text cut at word boundaries, at grapheme boundaries for scripts without spaces, never inside
an entity (bots/wikitext/truncate.py): examples, then properties over generated text."""

from __future__ import annotations

import re

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from bots.wikitext.truncate import ELLIPSIS, truncate

ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("exactly ten", 11, "exactly ten"),
        ("Freedom of panorama in France", 20, "Freedom of panorama…"),
        ("Freedom of panorama in France", 12, "Freedom of…"),
        ("word  \n  next", 8, "word…"),
        # one word that would leave less than half the room: cut inside it
        ("https://example.org/a/very/long/path", 12, "https://exa…"),
        ("a supercalifragilistic word", 12, "a supercali…"),
        # scripts without spaces: any character boundary
        ("维基媒体倡导案例摘要", 6, "维基媒体倡…"),
        ("ウィキメディアの提言", 5, "ウィキメ…"),
        # mixed: the break next to the Han character wins over a cut inside "Wikimedia"
        ("中文Wikimedia", 5, "中文…"),
        # Thai: a consonant keeps its vowel and tone marks (นั is two code points)
        ("นักเขียน", 3, "นั…"),
        ("นักเขียน", 2, "…"),
        ("นักเขียน", 4, "นัก…"),
        # combining marks, emoji sequences and flags stay whole
        ("e\u0301e\u0301e\u0301e\u0301", 4, "e\u0301…"),
        ("👩\u200d👩\u200d👧👩\u200d👩\u200d👧", 7, "👩\u200d👩\u200d👧…"),
        ("🇫🇷🇩🇪🇪🇸", 4, "🇫🇷…"),
        # entities and nowiki spans are atoms
        ("a &amp; b", 5, "a…"),
        ("x&#124;y&#124;z", 9, "x&#124;y…"),
        ("x&#124;y&#124;z", 7, "x…"),
        ("say <nowiki>[[x]]</nowiki> then", 20, "say…"),
        # nothing but the ellipsis fits
        ("abcdef", 1, ELLIPSIS),
        ("abcdef", 0, ""),
        ("   abcdef", 3, ELLIPSIS),
    ],
)
def test_examples(text: str, limit: int, expected: str) -> None:
    assert truncate(text, limit) == expected


def test_other_ellipsis() -> None:
    assert truncate("one two three", 10, "...") == "one two..."
    assert truncate("one two three", 2, "...") == ""


def test_negative_limit_is_an_error() -> None:
    with pytest.raises(ValueError):
        truncate("x", -1)


def test_a_megabyte_is_cut_quickly() -> None:
    text = "word " * 200_000 + "<nowiki>" * 1000
    assert truncate(text, 300) == ("word " * 60).rstrip() + ELLIPSIS


# ---------------------------------------------------------------------------------------------
# Properties

_alphabet = st.sampled_from(
    [
        *"abcXYZ  \n-",
        *("中", "文", "ก", "\u0e31", "\u0e48", "e\u0301"),
        *("&amp;", "&#124;", "👩\u200d👧", "🇫🇷"),
    ]
)
texts = st.lists(_alphabet, max_size=80).map("".join) | st.text(max_size=120)
limits = st.integers(min_value=0, max_value=100)


def _graphemes(text: str) -> list[str]:
    return list(regex.findall(r"\X", text))


@given(texts, limits)
def test_result_fits_and_is_a_prefix_with_an_ellipsis(text: str, limit: int) -> None:
    out = truncate(text, limit)
    assert len(out) <= limit
    if len(text) <= limit:
        assert out == text
        return
    if limit == 0:
        assert out == ""
        return
    assert out.endswith(ELLIPSIS)
    kept = out[: -len(ELLIPSIS)]
    assert text.startswith(kept)
    assert kept == kept.rstrip()


@given(texts, limits)
def test_never_cuts_a_grapheme(text: str, limit: int) -> None:
    out = truncate(text, limit)
    if out == text or not out:
        return
    kept = out[: -len(ELLIPSIS)]
    # the kept part is exactly the text's first graphemes
    clusters = _graphemes(text)
    assert _graphemes(kept) == clusters[: len(_graphemes(kept))]


@given(texts, limits)
def test_never_cuts_an_entity(text: str, limit: int) -> None:
    out = truncate(text, limit)
    if out == text or not out:
        return
    cut = len(out) - len(ELLIPSIS)
    for m in ENTITY_RE.finditer(text):
        assert not m.start() < cut < m.end(), (text, out)


words = st.text(alphabet="abcdefghij", min_size=1, max_size=8)


@given(st.lists(words, min_size=1, max_size=40), st.integers(min_value=18, max_value=100))
def test_spaced_text_ends_on_a_whole_word(parts: list[str], limit: int) -> None:
    text = " ".join(parts)
    out = truncate(text, limit)
    if out == text:
        return
    kept = out[: -len(ELLIPSIS)]
    assert kept.split(" ") == parts[: len(kept.split(" "))]
    # and no whole word that would still have fitted was dropped
    next_word = parts[len(kept.split(" "))]
    assert len(kept) + 1 + len(next_word) > limit - len(ELLIPSIS)


@given(st.text(alphabet="中文字倡导维基", min_size=1, max_size=60), limits)
def test_han_text_keeps_as_much_as_fits(text: str, limit: int) -> None:
    out = truncate(text, limit)
    if len(text) > limit >= 1:
        assert out == text[: limit - 1] + ELLIPSIS


@given(texts, limits)
def test_idempotent(text: str, limit: int) -> None:
    once = truncate(text, limit)
    assert truncate(once, limit) == once
