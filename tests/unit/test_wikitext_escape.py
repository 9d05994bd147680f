"""Escaping of untrusted text: golden cases plus properties over an injection corpus.

Golden cases (``tests/unit/golden_files.py``) are ``golden/wikitext_escape/<name>.toml`` with
``input`` and optional ``max_len``, and the expected output in ``<name>.wiki``.
"""

from __future__ import annotations

import html
import json
import random
import re
from pathlib import Path

import pytest

from bots.wikitext.escape import (
    ELLIPSIS,
    escape_attribute,
    escape_inline,
    escape_link_label,
    internal_link,
    plain_inline,
)
from tests.unit.golden_files import check_golden, golden_cases, read_case

GOLDEN_CASES = golden_cases("wikitext_escape")

# Values an editor (or vandal) could put into a case page field.
# Values an editor (or vandal) could put into a case page field; shared with the index view
# tests. Two 10 kB values are added here (too big to read comfortably in the JSON file).
INJECTION_CORPUS: tuple[str, ...] = (
    *json.loads((Path(__file__).parent / "golden" / "injection_corpus.json").read_text("utf-8")),
    "x" * 10_000,
    ("abc|{{" * 2000)[:10_000],
)

# Sequences that must never appear in escaped output.
DANGEROUS = (
    "|", "{", "}", "[", "]", "<", ">", "~~~", "__", "://", "''", "!!", "\n", "\r",
    "ISBN ", "RFC ", "PMID ", "mailto:",
)  # fmt: skip
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
BARE_AMPERSAND = re.compile(r"&(?!#\d+;)")
LINE_START = re.compile(r"^[*#:;=\- !]")


def _random_corpus(count: int = 300) -> list[str]:
    """Deterministic random mixes of corpus pieces (seeded), for more combinations."""
    rng = random.Random(20240601)
    pieces = [s[:200] for s in INJECTION_CORPUS]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(2, 6))) for _ in range(count)]


def assert_safe(out: str) -> None:
    for seq in DANGEROUS:
        assert seq not in out, f"{seq!r} in {out[:200]!r}"
    assert not BIDI_CONTROLS.search(out)
    assert not BARE_AMPERSAND.search(out), out[:200]
    assert not LINE_START.match(out), out[:50]


@pytest.mark.parametrize("path", GOLDEN_CASES, ids=lambda p: p.stem)
def test_golden(path: Path) -> None:
    case = read_case(path)
    check_golden(path.with_suffix(".wiki"), escape_inline(case["input"], case.get("max_len")))


def test_golden_cases_exist() -> None:
    assert len(GOLDEN_CASES) >= 20


def check_value(value: str) -> None:
    assert_safe(escape_inline(value, None))
    assert_safe(escape_link_label(value))
    assert_safe(escape_attribute(value))
    for max_len in (1, 5, 40, 300, None):
        out = escape_inline(value, max_len)
        assert_safe(out)
        expected = plain_inline(value, max_len)
        assert html.unescape(out) == expected
        if max_len is not None:
            assert len(expected) <= max_len


@pytest.mark.parametrize("value", INJECTION_CORPUS, ids=lambda v: repr(v[:30]))
def test_corpus_value_is_safe_and_round_trips(value: str) -> None:
    check_value(value)


def test_random_mixes_are_safe_and_round_trip() -> None:
    for value in _random_corpus():
        check_value(value)


def test_plain_inline_collapses_and_removes_controls() -> None:
    assert plain_inline(" a\u202e\n\n b\u00a0c ") == "a b c"
    assert plain_inline("\u0000x\u007f\u0085y") == "xy"  # U+0085 is a C1 control


def test_truncation_happens_before_escaping() -> None:
    out = escape_inline("|" * 10, max_len=4)
    assert out == "&#124;&#124;&#124;" + ELLIPSIS
    assert html.unescape(out) == "|||" + ELLIPSIS


def test_ten_kilobyte_value_is_cut_to_max_len() -> None:
    out = escape_inline("x" * 10_000)
    assert out == "x" * 299 + ELLIPSIS


def test_max_len_must_be_positive() -> None:
    with pytest.raises(ValueError):
        escape_inline("abc", 0)


def test_signature_tildes_are_all_entities() -> None:
    assert "~" not in escape_inline("~" * 7)


@pytest.mark.parametrize(
    ("title", "label", "expected"),
    [
        (
            "Advocacy/Copyright in France",
            "Copyright",
            "[[:Advocacy/Copyright in France|Copyright]]",
        ),
        ("Category:Spam", None, "[[:Category:Spam|Category:Spam]]"),
        ("fr:Page", "x", "[[:fr:Page|x]]"),
        ("File:X.jpg", "", "[[:File:X.jpg|File:X.jpg]]"),
        (
            "Rock & \"Roll\" 'n'",
            None,
            "[[:Rock &#38; \"Roll\" 'n'|Rock &#38; &#34;Roll&#34; &#39;n&#39;]]",
        ),
        ("A~~~~B", "l", "[[:A&#126;&#126;&#126;&#126;B|l]]"),
        ("A|B]]{{x}}<y>", "l", "[[:A&#124;B&#93;&#93;&#123;&#123;x&#125;&#125;&#60;y&#62;|l]]"),
        ("A__NOTOC__", "l", "[[:A_&#95;NOTOC_&#95;|l]]"),
        ("Advocacy/مصر", "قضية", "[[:Advocacy/مصر|قضية]]"),
        (
            "P",
            "[[Category:X]] | ~~~~",
            "[[:P|&#91;&#91;Category:X&#93;&#93; &#124; &#126;&#126;&#126;&#126;]]",
        ),
    ],
)
def test_internal_link(title: str, label: str | None, expected: str) -> None:
    assert internal_link(title, label) == expected


def test_internal_link_label_is_never_empty() -> None:
    # "[[Page|]]" would be rewritten by the pipe trick at save time.
    assert internal_link("Page", "   ").endswith("|Page]]")
    assert internal_link("Page", "\u202e").endswith("|Page]]")


def test_internal_link_needs_a_title() -> None:
    with pytest.raises(ValueError):
        internal_link("  ", "label")


def test_internal_link_is_always_one_link() -> None:
    for value in (*INJECTION_CORPUS, *_random_corpus(100)):
        link = internal_link("Advocacy/" + value[:100], value)
        assert link.startswith("[[:") and link.endswith("]]")
        inner = link[3:-2]
        assert inner.count("|") == 1, link
        for seq in ("[", "]", "{", "}", "<", ">", "~~~", "__", "\n"):
            assert seq not in inner, link
