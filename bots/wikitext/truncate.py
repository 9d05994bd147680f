"""Text cut short for display: at a word boundary, never inside a character, with "…". Pure.

Every place the bot shortens text a person wrote (a summary in a digest, a value bounded by
the case parser, a value echoed in a report) calls :func:`truncate`, so a reader never sees
half a word, half a letter or half an entity:

* the cut falls between words (at white space) when the kept part is written with spaces;
* in scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer,
  Myanmar, Tibetan) any boundary next to a character of such a script is a break;
* the cut is always on a grapheme cluster boundary (Unicode's extended grapheme clusters, as the
  ``regex`` module's ``\\X`` finds them): a base letter keeps its combining marks, a Thai
  consonant its vowel and tone marks, an emoji sequence, a flag or a Devanagari conjunct stays
  whole;
* a character reference (``&amp;``, ``&#124;``, ``&#x7C;``) and a ``<nowiki>…</nowiki>`` span are
  atoms: kept whole or dropped whole, so text that is already wikitext stays valid;
* one word longer than half of the room (a URL, a long compound) is cut inside, at the last
  grapheme boundary that fits, rather than throwing most of the room away;
* white space before the cut is dropped, and the result ends with :data:`ELLIPSIS`.

``limit`` counts code points of the result, the ellipsis included, as Python's ``len``.
"""

from __future__ import annotations

import regex

__all__ = ["ELLIPSIS", "truncate"]

ELLIPSIS = "…"

# The units that are never split: a nowiki span, a character reference, a grapheme cluster.
# Marks written after an entity or span belong to it, as they would to a letter.
_ATOM_RE = regex.compile(
    r"(?:<nowiki\s*>.*?</nowiki\s*>|<nowiki\s*/>"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});)[\p{M}\u200d]*"
    r"|\X",
    regex.DOTALL | regex.IGNORECASE,
)

# Scripts whose words are not separated by spaces, where a character boundary is a break.
_SPACELESS_RE = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}"
    r"\p{Yi}\u3000-\u303f\uff00-\uffef\u30fc]"
)

# Below this share of the room, a word boundary loses too much: cut inside the word instead.
_MIN_KEPT_SHARE = 0.5


def _is_break(before: str, after: str) -> bool:
    """Whether a line may be broken between the characters ``before`` and ``after``."""
    if before.isspace() or after.isspace():
        return True
    return bool(_SPACELESS_RE.match(before) or _SPACELESS_RE.match(after))


def truncate(text: str, limit: int, ellipsis: str = ELLIPSIS) -> str:
    """``text`` when it has at most ``limit`` characters; else its longest prefix that ends
    at a break and leaves room for ``ellipsis``, followed by ``ellipsis``.

    >>> truncate("Freedom of panorama in France", 20)
    'Freedom of panorama…'
    >>> truncate("维基媒体倡导案例摘要", 6)
    '维基媒体倡…'
    >>> truncate("a &amp; b", 5)
    'a…'
    """
    if limit < 0:
        raise ValueError("limit must not be negative")
    if len(text) <= limit:
        return text
    room = limit - len(ellipsis)
    if room < 0:
        return ""
    boundaries = [0]  # atom boundaries within the room
    for match in _ATOM_RE.finditer(text):
        if match.end() > room:
            break
        boundaries.append(match.end())
    # len(text) > limit >= room, so text[end] exists for every boundary.
    word_breaks = [end for end in boundaries if end and _is_break(text[end - 1], text[end])]
    cut = boundaries[-1]
    if word_breaks and word_breaks[-1] >= room * _MIN_KEPT_SHARE:
        cut = word_breaks[-1]
    return text[:cut].rstrip() + ellipsis
