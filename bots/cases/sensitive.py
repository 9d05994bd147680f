"""The ``sensitive`` flag of a case: one rule, shared by the bot and the case template's box.

Advocates under repressive governments document cases only if the flag can be trusted, so the
rule fails closed. The bot cannot evaluate templates or parser functions, nor tell which of two
contradicting values a person meant: anything but a plainly understood "no" makes the case
sensitive. ``Template:Advocacy case`` computes the same rule in wikitext (a ``#switch``) and
passes its answer to the box, so that the box and every list the bot writes agree.

The rule, over every parameter of one case template call that is read as the field:

1. The field's *spellings* are its name and aliases (``sensitive``, ``sensible``, ``敏感``),
   each as configured, with a capital first letter and in capitals (:func:`sensitive_spellings`);
   the template reads exactly these. A parameter the parser reads as the field under another
   spelling (``sEnsitive``, ``sensitive_``) makes the case sensitive: the box cannot see it.
2. A value is what MediaWiki hands the template: comments removed, then trimmed of the
   characters PHP's ``trim`` removes (space, tab, new lines, NUL, vertical tab; *not* the
   non-breaking space or other Unicode spaces). It is compared as the template's
   ``{{#switch:x{{lc:value}}|...}}`` compares it: in lower case first, then with numeric
   character references decoded (``&#110;o`` is "no", ``&#78;O`` is "No": ``{{lc:}}`` runs
   before the decoding), then trimmed again at the end (``no&#32;`` is "no"; at the start the
   "x" keeps a decoded space). Named references never spell a no-word: they stay as written.
3. Not sensitive only when every spelling given has an empty value (or none is given), or when
   exactly one spelling is given and its value is one of :data:`NO_WORDS`. Everything else is
   sensitive: a yes-word, any other word, a no-word followed by more text, a template, a parser
   function or markup as the value, two spellings (even both "no"), an empty spelling beside a
   filled one, and one spelling given twice with different values.

Where the box and the bot cannot agree, the bot is the stricter one: MediaWiki expands a
template in the value before the box sees it (``{{lc:NO}}`` reaches it as ``no``) and keeps only
the last of two parameters with the same name; the box cannot see other spellings of the name.
In each of these the bot counts the case as sensitive, and names the page in the needs-attention
list so that someone writes the flag plainly.

Problems (never with the value: it may be the very contact the flag protects):
``unclear-sensitive`` ($1 the parameter name), ``several-sensitive`` ($1 the names given),
``sensitive-spelling`` ($1 the spelling to use). A *misspelt* name close to the field's
(``sensitve``, ``sensibel``: :func:`near_miss`) makes the case sensitive too when it has a value;
the parser reports it as an unknown parameter.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import mwparserfromhell
from mwparserfromhell.nodes import Comment, Template

from bots.wikitext.problems import Problem

# The plainly understood "no" in the languages the case template knows (en, fr, es, zh, ar).
NO_WORDS = ("no", "n", "false", "0", "non", "否", "لا")
# Plain "yes": sensitive without a problem. Any other value is sensitive *and* reported.
YES_WORDS = ("yes", "y", "true", "1", "oui", "sí", "si", "是", "نعم")

NEAR_MISS_CUTOFF = 0.75  # difflib similarity of a misspelt name to a spelling of the field
PHP_TRIM = " \t\n\r\0\x0b"  # what PHP's trim() removes, as MediaWiki trims parameters
# White space that Python's strip() removes and PHP's trim() keeps (the parameters of
# bots.wikitext.markers are stripped the Python way): when a call holds any, it is read again.
_OTHER_SPACE_RE = re.compile(r"[^\S \t\n\r\x0b]")
# numeric character references, as MediaWiki's Sanitizer decodes them (digits limited so that
# a hostile value cannot make a huge number)
_CHAR_REF_RE = re.compile(r"&#(?:([0-9]{1,12})|[xX]([0-9A-Fa-f]{1,10}));")


@dataclass(frozen=True)
class SensitiveFlag:
    sensitive: bool
    problems: tuple[Problem, ...] = ()


def sensitive_spellings(names: Iterable[str]) -> tuple[str, ...]:
    """Every spelling of the field that the template reads: each name (the canonical one and its
    aliases) as written, with a capital first letter, and in capitals."""
    spellings: dict[str, None] = {}
    for name in names:
        for form in (name, name[:1].upper() + name[1:], name.upper()):
            spellings.setdefault(form, None)
    return tuple(spellings)


def near_miss(name: str, spellings: Sequence[str]) -> bool:
    """Whether an unknown parameter name looks like a misspelling of the field's."""
    key = " ".join(name.replace("_", " ").split()).casefold()
    keys = [s.casefold() for s in spellings]
    return bool(difflib.get_close_matches(key, keys, n=1, cutoff=NEAR_MISS_CUTOFF))


def php_trim(text: str) -> str:
    return text.strip(PHP_TRIM)


def _char(match: re.Match[str]) -> str:
    decimal, hexadecimal = match.groups()
    code = int(decimal) if decimal else int(hexadecimal, 16)
    # MediaWiki's Sanitizer::validateCodepoint; anything else becomes U+FFFD
    valid = code in (0x09, 0x0A, 0x0D) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
    return chr(code) if valid or 0x10000 <= code <= 0x10FFFF else "\ufffd"


def compared(value: str) -> str:
    """A value as ``{{#switch:x{{lc:value}}|...}}`` compares it (after the "x")."""
    return _CHAR_REF_RE.sub(_char, php_trim(value).lower()).rstrip(PHP_TRIM)


def decide_sensitive(params: Sequence[tuple[str, str]], spellings: Sequence[str]) -> SensitiveFlag:
    """The flag from ``(name, value)`` of every parameter read as the field, in page order
    (names and values as MediaWiki hands them over: see :func:`raw_params`)."""
    given: dict[str, list[str]] = {}
    odd: list[str] = []
    for name, value in params:
        if name in spellings:
            given.setdefault(name, []).append(php_trim(value).lower())
        else:
            odd.append(name)
    if odd:
        return SensitiveFlag(True, (Problem("sensitive-spelling", (spellings[0],)),))
    if not given:
        return SensitiveFlag(False)
    values = [v for vs in given.values() for v in dict.fromkeys(vs)]
    if not any(values):
        return SensitiveFlag(False)  # nothing at all
    if len(values) > 1:  # two spellings, or one spelling twice with different values
        return SensitiveFlag(True, (Problem("several-sensitive", (", ".join(given),)),))
    value = compared(values[0])
    if value in NO_WORDS:
        return SensitiveFlag(False)
    if value in YES_WORDS:
        return SensitiveFlag(True)
    return SensitiveFlag(True, (Problem("unclear-sensitive", (next(iter(given)),)),))


def raw_params(
    call_text: str, stripped: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, str], ...]:
    """The call's parameters as MediaWiki hands them to the template: comments removed and
    trimmed the PHP way. ``stripped`` are the same parameters stripped the Python way (from
    ``bots.wikitext.markers``); they are the answer unless the call holds other white space."""
    if not _OTHER_SPACE_RE.search(call_text):
        return stripped
    nodes = mwparserfromhell.parse(call_text, skip_style_tags=True).nodes
    if len(nodes) != 1 or not isinstance(nodes[0], Template):
        return stripped

    def text(code: mwparserfromhell.wikicode.Wikicode) -> str:
        return php_trim("".join(str(n) for n in code.nodes if not isinstance(n, Comment)))

    return tuple((text(p.name), text(p.value)) for p in nodes[0].params)
