"""Find template calls and the marker regions the bot owns, and replace only inside them.

On-wiki contract: a page hands a region to the bot with a start marker and an end marker,
for example ``{{Advocacy case index|region=africa}}`` … ``{{Advocacy case index end}}`` (the
names come from the configuration). The start marker's parameters configure what the bot writes.
The bot owns everything between the two markers and nothing else: :func:`replace_regions`
changes the inner content only, and every other byte of the page stays as it was.

Template names match the way MediaWiki resolves them: an optional ``Template:`` prefix (any
case, spaces around the colon allowed), a case-insensitive first letter, underscores equal to
spaces, surrounding whitespace and comments ignored. Names of redirects are passed in by the
caller. Only calls at the top level of the page count (they may sit inside HTML tags such as
``<div>``, but not inside another template's parameters), and calls inside ``<!-- -->``,
``<nowiki>``, ``<pre>``, ``<syntaxhighlight>``, ``<source>`` and ``<math>`` are ignored, as
MediaWiki would not expand them either.

The bot's inner content is stamped with a hidden comment that holds a hash of the generated
body (:func:`stamp_content`); a later run compares the hash with the body it finds to tell
whether somebody edited inside the region (:func:`inner_was_edited_by_human`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

import mwparserfromhell
from mwparserfromhell.nodes import Comment, Template
from mwparserfromhell.wikicode import Wikicode

# ---------------------------------------------------------------------------------------------
# Masked spans: parts of the page whose content MediaWiki never expands.

_MASKING_TAGS = ("nowiki", "pre", "syntaxhighlight", "source", "math")
_MASK_OPEN_RE = re.compile(r"<!--|<(" + "|".join(_MASKING_TAGS) + r")(\s[^<>]*)?>", re.IGNORECASE)
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


@cache
def _closing_tag_re(tag: str) -> re.Pattern[str]:
    return re.compile(rf"</{tag}\s*>", re.IGNORECASE)


def masked_spans(text: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (begin, end) spans of comments and no-parse tags.

    An unclosed comment runs to the end of the page (as in MediaWiki); an unclosed ``<nowiki>``
    or ``<pre>`` is shown as literal text by MediaWiki, so it masks nothing.
    """
    spans: list[tuple[int, int]] = []
    if "<" not in text:
        return spans
    pos = 0
    while True:
        m = _MASK_OPEN_RE.search(text, pos)
        if m is None:
            return spans
        if m.group() == "<!--":
            close = text.find("-->", m.end())
            end = len(text) if close < 0 else close + 3
        else:
            if (m.group(2) or "").rstrip().endswith("/"):  # <nowiki/> masks nothing
                pos = m.end()
                continue
            closing = _closing_tag_re(m.group(1).lower()).search(text, m.end())
            if closing is None:
                pos = m.end()
                continue
            end = closing.end()
        spans.append((m.start(), end))
        pos = end


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def strip_comments(wikitext: str) -> str:
    """Remove HTML comments (an unclosed one runs to the end)."""
    return _COMMENT_RE.sub("", wikitext) if "<!--" in wikitext else wikitext


# ---------------------------------------------------------------------------------------------
# Template calls.

_TEMPLATE_PREFIX_RE = re.compile(r"template\s*:\s*", re.IGNORECASE)
_BRACE_RUN_RE = re.compile(r"\{\{+|\}\}+")
_NAME_RE = re.compile(r"\{\{([^{}|]*)(?=\||\}\})")


def normalize_template_name(name: str) -> str | None:
    """The name MediaWiki would resolve ``{{name}}`` to (without namespace), or None.

    None means "not a template in the Template namespace": empty, or a leading colon
    (``{{:Page}}`` transcludes a main-namespace page).
    """
    name = " ".join(strip_comments(name).replace("_", " ").split())
    if not name or name.startswith(":"):
        return None
    name = _TEMPLATE_PREFIX_RE.sub("", name, count=1) if name[:1] in "Tt" else name
    if not name:
        return None
    return name[0].upper() + name[1:]


@dataclass(frozen=True)
class TemplateCall:
    """One top-level call of a wanted template.

    ``params`` are (name, value) pairs in page order, comments removed and whitespace stripped;
    unnamed parameters are named "1", "2", ... as in MediaWiki.
    """

    name: str  # the name as written, stripped
    begin: int
    end: int
    line: int  # 1-based line of the opening braces
    params: tuple[tuple[str, str], ...]

    @property
    def normalized_name(self) -> str:
        return normalize_template_name(self.name) or ""


def _without_comments(code: Wikicode) -> str:
    # Comment nodes, not a regex: "<!--" inside <nowiki> is text, not a comment.
    return "".join(str(node) for node in code.nodes if not isinstance(node, Comment)).strip()


def _parse_call(text: str, begin: int, end: int) -> tuple[tuple[str, str], ...] | None:
    # Only the call itself is parsed: mwparserfromhell is the slow part on big pages.
    nodes = mwparserfromhell.parse(text[begin:end], skip_style_tags=True).nodes
    if len(nodes) != 1 or not isinstance(nodes[0], Template):
        return None
    return tuple((_without_comments(p.name), _without_comments(p.value)) for p in nodes[0].params)


def find_templates(text: str, names: Iterable[str]) -> tuple[TemplateCall, ...]:
    """Top-level calls of any of ``names`` (spelled as a page would), in page order.

    Braces are matched by counting runs of ``{{``/``}}`` (as MediaWiki's preprocessor does),
    skipping masked spans. An unclosed call is literal text in MediaWiki, so it is skipped and
    calls inside it still count; calls nested in another call's parameters do not count.
    """
    wanted = {n for n in map(normalize_template_name, names) if n}
    if "{{" not in text or not wanted:
        return ()
    spans = masked_spans(text)
    starts = [s for s, _ in spans]
    runs = [m for m in _BRACE_RUN_RE.finditer(text) if not _inside(spans, starts, m.start())]
    found: list[TemplateCall] = []
    i = 0
    while i < len(runs):
        opening = runs[i]
        if opening.group()[0] == "}":
            i += 1
            continue
        depth = len(opening.group())
        j, end = i + 1, -1
        while j < len(runs):
            run = runs[j].group()
            depth += len(run) if run[0] == "{" else -len(run)
            if depth <= 0:
                end = runs[j].end() + depth  # braces past depth 0 close nothing of ours
                break
            j += 1
        if end < 0:
            i += 1
            continue
        if len(opening.group()) == 2:
            call = _call_if_wanted(text, opening.start(), end, wanted)
            if call is not None:
                found.append(call)
        i = j + 1
    return tuple(found)


def _call_if_wanted(text: str, begin: int, end: int, wanted: set[str]) -> TemplateCall | None:
    m = _NAME_RE.match(text, begin, end)
    if m is None or normalize_template_name(m.group(1)) not in wanted:
        return None
    params = _parse_call(text, begin, end)
    if params is None:
        return None
    line = text.count("\n", 0, begin) + 1
    return TemplateCall(strip_comments(m.group(1)).strip(), begin, end, line, params)


# ---------------------------------------------------------------------------------------------
# Marker regions.


@dataclass(frozen=True)
class MarkerError:
    """Why the markers of a page cannot be used; ``reason`` is plain words for editors."""

    code: str  # start-without-end | end-without-start | nested-start
    line: int
    reason: str
    open_line: int = 0  # nested-start: the line of the start marker still open


@dataclass(frozen=True)
class MarkerRegion:
    """One start marker, the inner content the bot owns, and the end marker.

    Spans are (begin, end) character offsets into the scanned text.
    """

    index: int  # 0-based, in page order
    params: dict[str, str] = field(hash=False)  # start marker parameters, in order
    start_span: tuple[int, int]
    inner_span: tuple[int, int]
    end_span: tuple[int, int]
    inner: str
    line: int  # 1-based line of the start marker


@dataclass(frozen=True)
class MarkerScan:
    """Either the regions of a page (possibly none) or the error that makes them unusable."""

    regions: tuple[MarkerRegion, ...] = ()
    error: MarkerError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def find_marker_regions(
    text: str,
    start_name: str,
    end_name: str,
    *,
    extra_names: Iterable[str] = (),
    extra_end_names: Iterable[str] = (),
) -> MarkerScan:
    """Pair start and end markers; ``extra_names`` are redirects to the start template,
    ``extra_end_names`` redirects to the end template."""
    start_names = {n for n in map(normalize_template_name, (start_name, *extra_names)) if n}
    end_names = {n for n in map(normalize_template_name, (end_name, *extra_end_names)) if n}
    if start_names & end_names:
        raise ValueError(f"names used for both markers: {sorted(start_names & end_names)}")
    calls = find_templates(text, start_names | end_names)
    regions: list[MarkerRegion] = []
    open_start: TemplateCall | None = None
    for call in calls:
        if call.normalized_name in start_names:
            if open_start is not None:
                return MarkerScan(
                    error=MarkerError(
                        "nested-start",
                        call.line,
                        f"the start marker {{{{{start_name}}}}} on line {call.line} comes "
                        f"before the region opened on line {open_start.line} was closed with "
                        f"{{{{{end_name}}}}}",
                        open_line=open_start.line,
                    )
                )
            open_start = call
            continue
        if open_start is None:
            return MarkerScan(
                error=MarkerError(
                    "end-without-start",
                    call.line,
                    f"the end marker {{{{{end_name}}}}} on line {call.line} has no start marker "
                    f"{{{{{start_name}}}}} before it (are the markers in the wrong order?)",
                )
            )
        regions.append(
            MarkerRegion(
                index=len(regions),
                params=dict(open_start.params),
                start_span=(open_start.begin, open_start.end),
                inner_span=(open_start.end, call.begin),
                end_span=(call.begin, call.end),
                inner=text[open_start.end : call.begin],
                line=open_start.line,
            )
        )
        open_start = None
    if open_start is not None:
        return MarkerScan(
            error=MarkerError(
                "start-without-end",
                open_start.line,
                f"the start marker {{{{{start_name}}}}} on line {open_start.line} has no end "
                f"marker {{{{{end_name}}}}} after it",
            )
        )
    return MarkerScan(regions=tuple(regions))


def replace_regions(
    text: str, regions: Sequence[MarkerRegion], new_inner_by_index: Mapping[int, str]
) -> str:
    """``text`` with the inner content of the given regions replaced; all else byte for byte.

    ``regions`` must come from scanning this very ``text`` (checked: a stale scan raises
    ValueError rather than writing into the wrong place).
    """
    by_index = {r.index: r for r in regions}
    unknown = set(new_inner_by_index) - set(by_index)
    if unknown:
        raise ValueError(f"no region with index {sorted(unknown)}")
    parts: list[str] = []
    pos = 0
    for index in sorted(new_inner_by_index):
        region = by_index[index]
        begin, end = region.inner_span
        if begin < pos or text[begin:end] != region.inner:
            raise ValueError(f"region {index} does not belong to this text")
        parts.append(text[pos:begin])
        parts.append(new_inner_by_index[index])
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# Stamp: a hidden comment with the hash of the generated body.

_STAMP_TEXT = "<!-- advocacy-hub: generated content, edits here are overwritten; hash={} -->"
_STAMP_RE = re.compile(
    r"<!-- advocacy-hub: generated content, edits here are overwritten; "
    r"hash=([0-9a-f]{12}) -->\n?"
)


def _normalize_body(body: str) -> str:
    # MediaWiki stores text in NFC with "\n" line ends; hash what will be stored.
    return unicodedata.normalize("NFC", body.replace("\r\n", "\n")).strip("\n")


def content_hash(body: str) -> str:
    """12 hex digits of the SHA-256 of the normalized body."""
    return hashlib.sha256(_normalize_body(body).encode("utf-8")).hexdigest()[:12]


def stamp_content(body: str) -> str:
    """Inner content for a region: newline, stamp comment, body, newline."""
    normalized = _normalize_body(body)
    stamp = _STAMP_TEXT.format(content_hash(normalized))
    return f"\n{stamp}\n{normalized}\n" if normalized else f"\n{stamp}\n"


def strip_stamp(inner: str) -> str:
    """The body of stamped inner content (the first stamp removed, outer newlines stripped)."""
    return _STAMP_RE.sub("", inner, count=1).strip("\n")


def inner_was_edited_by_human(inner: str) -> bool:
    """Whether the inner content differs from what the bot wrote.

    Empty (or blank) inner content is a fresh region, not an edit. Otherwise a missing stamp or
    a hash that does not match the body means somebody changed it.
    """
    if not inner.strip():
        return False
    m = _STAMP_RE.search(inner)
    if m is None:
        return True
    return content_hash(strip_stamp(inner)) != m.group(1)
