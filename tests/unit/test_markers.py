"""Marker regions: golden pages, byte-for-byte replacement, and the content stamp.

A golden case (``tests/unit/golden_files.py``) is ``golden/markers/<name>.toml``: ``text`` (the
page), optional ``start``/``end``/``extra_names``/``extra_end_names`` and ``[replace]`` (region
index -> new inner text). ``<name>.json`` holds the expected scan (``regions`` with ``params``,
``inner``, ``line``; ``error`` with ``code`` and ``line``) and, with ``replace``,
``<name>.wiki`` the expected page after the replacement.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from bots.wikitext.markers import (
    MarkerScan,
    content_hash,
    find_marker_regions,
    find_templates,
    inner_was_edited_by_human,
    masked_spans,
    normalize_template_name,
    replace_regions,
    stamp_content,
    strip_stamp,
)
from tests.unit.golden_files import check_golden, check_golden_json, golden_cases, read_case

GOLDEN_CASES = golden_cases("markers")
START, END = "Advocacy case index", "Advocacy case index end"


def scan_for(case: dict[str, Any], text: str) -> MarkerScan:
    return find_marker_regions(
        text,
        case.get("start", START),
        case.get("end", END),
        extra_names=case.get("extra_names", ()),
        extra_end_names=case.get("extra_end_names", ()),
    )


@pytest.mark.parametrize("path", GOLDEN_CASES, ids=lambda p: p.stem)
def test_golden(path: Path) -> None:
    case = read_case(path)
    text = case["text"]
    scan = scan_for(case, text)
    regions = [{"params": r.params, "inner": r.inner, "line": r.line} for r in scan.regions]
    error = None if scan.error is None else {"code": scan.error.code, "line": scan.error.line}
    check_golden_json(path.with_suffix(".json"), {"regions": regions, "error": error})
    if scan.ok:
        for region in scan.regions:
            b, e = region.start_span
            assert text[b:e].startswith("{{") and text[b:e].endswith("}}")
            assert region.start_span[1] == region.inner_span[0]
            assert region.inner_span[1] == region.end_span[0]
    else:
        assert scan.regions == ()
        assert scan.error is not None and str(scan.error.line) in scan.error.reason
    if "replace" in case:
        new = {int(k): v for k, v in case["replace"].items()}
        check_golden(path.with_suffix(".wiki"), replace_regions(text, scan.regions, new))


def test_golden_cases_exist() -> None:
    assert len(GOLDEN_CASES) >= 15


@pytest.mark.parametrize("path", GOLDEN_CASES, ids=lambda p: p.stem)
def test_replacing_with_the_same_inner_is_identity(path: Path) -> None:
    case = read_case(path)
    text = case["text"]
    scan = scan_for(case, text)
    assert replace_regions(text, scan.regions, {r.index: r.inner for r in scan.regions}) == text


def test_replacement_changes_only_the_inner_content() -> None:
    rng = random.Random(7)
    filler = ["x", "\n", "{{Other}}", "<!-- c -->", "ü", "|", "}}", "{{", "[[a]]", " "]
    for _ in range(200):
        parts = []
        for i in range(rng.randint(1, 3)):
            parts.append("".join(rng.choice(filler[:5]) for _ in range(rng.randint(0, 6))))
            parts.append(f"{{{{Advocacy case index|n={i}}}}}")
            parts.append("".join(rng.choice(filler) for _ in range(rng.randint(0, 6))))
            parts.append("{{Advocacy case index end}}")
        parts.append("".join(rng.choice(filler[:5]) for _ in range(rng.randint(0, 6))))
        text = "".join(parts)
        scan = find_marker_regions(text, START, END)
        if not scan.ok:
            continue  # random "{{" fillers can swallow a marker; that is tested elsewhere
        new = {r.index: f"\nNEW {r.index}\n" for r in scan.regions}
        out = replace_regions(text, scan.regions, new)
        # Everything outside the inner spans is kept byte for byte, in order.
        outside = []
        pos = 0
        for r in scan.regions:
            outside.append(text[pos : r.inner_span[0]])
            pos = r.inner_span[1]
        outside.append(text[pos:])
        rebuilt = outside[0] + "".join(
            f"\nNEW {i}\n" + piece for i, piece in enumerate(outside[1:])
        )
        assert out == rebuilt
        rescan = find_marker_regions(out, START, END)
        assert [r.inner for r in rescan.regions] == list(new.values())
        assert [r.params for r in rescan.regions] == [r.params for r in scan.regions]


def test_replace_refuses_a_stale_scan() -> None:
    text = "{{Advocacy case index}}old{{Advocacy case index end}}"
    scan = find_marker_regions(text, START, END)
    with pytest.raises(ValueError):
        replace_regions("x" + text, scan.regions, {0: "new"})
    with pytest.raises(ValueError):
        replace_regions(text, scan.regions, {1: "new"})


def test_same_name_for_start_and_end_is_refused() -> None:
    with pytest.raises(ValueError):
        find_marker_regions("", "Index", "index")


def test_error_reason_names_the_markers() -> None:
    scan = find_marker_regions("{{Advocacy case index}}", START, END)
    assert scan.error is not None
    assert "{{Advocacy case index}}" in scan.error.reason
    assert "{{Advocacy case index end}}" in scan.error.reason


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Advocacy case", "Advocacy case"),
        ("advocacy_case", "Advocacy case"),
        ("  Template:advocacy   case ", "Advocacy case"),
        ("TEMPLATE : advocacy case", "Advocacy case"),
        ("template:Template:X", "Template:X"),
        ("Advocacy case<!-- note -->", "Advocacy case"),
        (":Advocacy case", None),
        ("", None),
        ("Template:", None),
        ("été", "Été"),
    ],
)
def test_normalize_template_name(name: str, expected: str | None) -> None:
    assert normalize_template_name(name) == expected


def test_masked_spans() -> None:
    text = "a<!--x-->b<nowiki>{{c}}</NOWIKI>d<pre>e</pre><nowiki>unclosed"
    assert [text[b:e] for b, e in masked_spans(text)] == [
        "<!--x-->",
        "<nowiki>{{c}}</NOWIKI>",
        "<pre>e</pre>",
    ]
    assert masked_spans("no tags") == []


def test_find_templates_gives_offsets_lines_and_params() -> None:
    text = "x\n{{Foo|a=1|2}}\n{{foo}}"
    calls = find_templates(text, ["Foo"])
    assert [(c.begin, c.end, c.line) for c in calls] == [(2, 15, 2), (16, 23, 3)]
    assert calls[0].params == (("a", "1"), ("1", "2"))
    assert calls[1].name == "foo"
    assert calls[1].normalized_name == "Foo"


def test_triple_braces_are_not_a_template_call() -> None:
    assert find_templates("{{{Advocacy case index}}}", [START]) == ()


# -- stamp -------------------------------------------------------------------------------------


def test_stamp_round_trip() -> None:
    body = "{| class=wikitable\n|}\n"
    inner = stamp_content(body)
    assert inner.startswith("\n<!-- advocacy-hub: generated content")
    assert inner.endswith("\n")
    assert f"hash={content_hash(body)} -->" in inner
    assert strip_stamp(inner) == body.strip("\n")
    assert not inner_was_edited_by_human(inner)


def test_stamp_is_deterministic_and_twelve_hex_digits() -> None:
    assert stamp_content("abc") == stamp_content("abc")
    digest = content_hash("abc")
    assert len(digest) == 12 and int(digest, 16) >= 0
    assert content_hash("abc") != content_hash("abd")


def test_hash_ignores_what_mediawiki_normalizes() -> None:
    # NFC normalisation and CRLF line ends happen on save; outer newlines are ours.
    assert content_hash("e\u0301\r\nx") == content_hash("\u00e9\nx")
    assert content_hash("\n\nbody\n") == content_hash("body")


def test_human_edit_is_detected() -> None:
    inner = stamp_content("row 1\nrow 2")
    assert inner_was_edited_by_human(inner.replace("row 2", "row 2 (fixed typo)"))
    assert inner_was_edited_by_human("\nsomething a human wrote\n")
    assert inner_was_edited_by_human(inner.replace("hash=", "hash=0"))  # mangled stamp


def test_empty_inner_is_not_a_human_edit() -> None:
    assert not inner_was_edited_by_human("")
    assert not inner_was_edited_by_human("\n\n")


def test_empty_body_stamp() -> None:
    inner = stamp_content("")
    assert strip_stamp(inner) == ""
    assert not inner_was_edited_by_human(inner)


def test_stamped_content_survives_a_rescan() -> None:
    text = "{{Advocacy case index}}{{Advocacy case index end}}"
    scan = find_marker_regions(text, START, END)
    out = replace_regions(text, scan.regions, {0: stamp_content("| row")})
    region = find_marker_regions(out, START, END).regions[0]
    assert not inner_was_edited_by_human(region.inner)
    assert strip_stamp(region.inner) == "| row"
