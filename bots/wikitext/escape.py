"""Turn untrusted text (values copied from wiki pages) into wikitext that renders literally.

Every value the bot copies from a case page into a page it writes goes through this module. The
approach mirrors MediaWiki core's ``wfEscapeWikiText()``: characters and sequences that mean
something to the parser become numeric character references (``&#124;`` for ``|``), which the
parser does not interpret but the browser shows as the original character. On top of core's list:

* every ``~`` becomes ``&#126;``: signatures (``~~~``, ``~~~~``, ``~~~~~``) are expanded when the
  bot *saves*, before any parsing, so only an entity stops them;
* every ``!`` is escaped (``!!`` splits table header cells, a leading ``!`` starts one);
* whitespace, newlines included, collapses to single spaces, so nothing can start a line (lists,
  headings, ``----``, table rows, preformatted text); the first character is escaped as well when
  it is a list or indent marker, because callers may put the value right after a newline;
* bidirectional embedding/override/isolate controls (U+202A..U+202E, U+2066..U+2069) and other
  control characters are **removed**: an unbalanced override would reorder the text around the
  value. Renderers that put a value inline with other text (messages, list items) additionally
  wrap it in ``<bdi>``; table cells isolate their content already, so cells are not wrapped;
* ``://`` and the scheme of colon-only URL protocols (``mailto:``...) are broken, so no URL is
  autolinked (which also keeps a spam-blacklisted URL from blocking the bot's save);
* ``ISBN``/``RFC``/``PMID`` followed by a space get an entity space, so no magic link forms.

Long values are cut *before* escaping (so an entity is never cut in half), between words
(``bots.wikitext.truncate``), and end with ``…``.
``html.unescape(escape_inline(s))`` gives back the whitespace-collapsed, control-free, truncated
``s``; the tests check that property over an injection corpus.
"""

from __future__ import annotations

import re

from bots.wikitext.truncate import truncate

ELLIPSIS = "…"

# Characters that are wikitext syntax somewhere (links, templates, tables, tags, entities,
# headings, bold/italics, language converter, signatures). '"' is included because values also
# end up in attribute values.
_CHAR_ENTITIES = {c: f"&#{ord(c)};" for c in "\"&'<=>[]{}|;~!"}

# Sequences that are syntax only together. Protocols without "//" are MediaWiki's
# $wgUrlProtocols entries that end in ":" (free links like mailto:x@example.org). No "\b" before
# them: PHP's ASCII-only word boundary would see one after a CJK character where Python's does
# not, and escaping a few extra colons costs nothing.
_COLON_PROTOCOLS = "bitcoin|geo|magnet|mailto|matrix|news|sip|sips|sms|tel|urn|xmpp"
_SEQUENCE_RE = re.compile(
    r"(?P<magic>(?:ISBN|RFC|PMID) )"
    r"|(?P<url>://)"
    rf"|(?P<proto>(?:{_COLON_PROTOCOLS}):)"
    r"|(?P<switch>__)"
    r'|(?P<char>["&\'<=>\[\]{}|;~!])',
    re.IGNORECASE,
)

# Characters that start a list, indent, definition or horizontal rule at the start of a line.
_LINE_START_ENTITIES = {c: f"&#{ord(c)};" for c in "*#:-"}

# Removed: C0/C1 controls (whitespace among them is collapsed first), DEL, bidi embeddings,
# overrides and isolates, and the BOM, none of which should reach the output.
_REMOVED_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


def _replace_sequence(match: re.Match[str]) -> str:
    kind = match.lastgroup
    text = match.group()
    if kind == "magic":
        return text[:-1] + "&#32;"
    if kind == "url":
        return "&#58;//"
    if kind == "proto":
        return text[:-1] + "&#58;"
    if kind == "switch":
        return "_&#95;"
    return _CHAR_ENTITIES[text]


def plain_inline(text: str, max_len: int | None = 300) -> str:
    """The text ``escape_inline`` renders: controls removed, whitespace collapsed, truncated."""
    text = _REMOVED_RE.sub("", str(text))
    text = " ".join(text.split())
    if max_len is not None:
        if max_len < 1:
            raise ValueError("max_len must be at least 1")
        if len(text) > max_len:
            text = truncate(text, max_len)
    return text


def escape_inline(text: str, max_len: int | None = 300) -> str:
    """Wikitext that renders as ``text`` literally, on one line (cell, list item, message).

    ``max_len`` counts characters of the rendered text, the ``…`` included; None keeps it all.
    """
    plain = plain_inline(text, max_len)
    escaped = _SEQUENCE_RE.sub(_replace_sequence, plain)
    if escaped and escaped[0] in _LINE_START_ENTITIES:
        escaped = _LINE_START_ENTITIES[escaped[0]] + escaped[1:]
    return escaped


def escape_link_label(text: str, max_len: int | None = 200) -> str:
    """Escape a link label; same rules as :func:`escape_inline` (a label is inline text)."""
    return escape_inline(text, max_len)


def escape_attribute(value: str) -> str:
    """Escape a value for a double-quoted HTML attribute in wikitext (never truncated)."""
    return escape_inline(value, None)


# In a link target, the parser decodes character references when it builds the title, so the
# same entity trick works; only characters that would end or break the link (or that PST and
# the table parser act on before links are parsed) need it. "|[]{}<>" cannot be in a valid
# title; if one slips through, the entity makes MediaWiki show the link as plain text.
_TARGET_RE = re.compile(r"(?P<url>://)|(?P<switch>__)|(?P<char>[&|\[\]{}<>~!])")


def _escape_link_target(title: str) -> str:
    title = " ".join(_REMOVED_RE.sub("", title).split())
    return _TARGET_RE.sub(_replace_sequence, title)


def internal_link(title: str, label: str | None = None, *, max_len: int | None = 200) -> str:
    """``[[:Title|label]]`` that links to ``title`` and shows ``label`` (default: the title).

    The leading colon makes a link of every title: without it ``Category:X`` would categorise
    the page, ``File:X`` would embed an image and ``fr:X`` would become an interlanguage link.
    The label is never empty, because ``[[Title|]]`` is the pipe trick and is rewritten on save.
    """
    target = _escape_link_target(title)
    if not target:
        raise ValueError("a link needs a non-empty title")
    shown = escape_link_label(label, max_len) if label is not None else ""
    if not shown:
        shown = escape_link_label(title, max_len)
    return f"[[:{target}|{shown}]]"
