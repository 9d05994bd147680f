"""Bot exclusion (`{{bots}}` / `{{nobots}}`), decided on a page's own wikitext. Pure.

On-wiki contract (the community's convention, https://en.wikipedia.org/wiki/Template:Bots):

=================================== ==================================================
``{{nobots}}``                      no bot may post here
``{{bots}}``                        every bot may post (changes nothing)
``{{bots|allow=A,B}}``              only the bots named may post (``all``: every bot,
                                    ``none``: no bot)
``{{bots|deny=A,B}}``               the bots named may not post (``all``: no bot,
                                    ``none``: every bot)
``{{bots|optout=digest,...}}``      no message of the kinds named (``all``: none at all)
``{{nobots|deny=…}}``,              read as the same parameters of ``{{bots}}``; a bare
``{{nobots|allow=…}}``,             list (``{{nobots|A,B}}``) denies the bots named
``{{nobots|A,B}}``
=================================== ==================================================

We decide this ourselves instead of asking Pywikibot's ``botMayEdit()``: it caches its answer
per Page object (a long run would miss a ``{{nobots}}`` added meanwhile), it ignores
``optout=`` (warns and allows), and it needs the templates to exist on the wiki. Calls inside
comments, ``<nowiki>``, ``<pre>`` and the like do not count (MediaWiki would not expand them
either); calls nested in another template's parameters do count, since they are transcluded.

When several calls disagree, any refusal wins: the reader asked not to be messaged somewhere
on the page, and a bot that posts anyway is worse than one that skips a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import mwparserfromhell

from bots.wikitext.markers import masked_spans, normalize_template_name

# Message kinds the digest answers to in `optout=`: the generic ones and our own names.
DIGEST_MESSAGE_TYPES: tuple[str, ...] = (
    "all",
    "advocacy-digest",
    "advocacy-hub",
    "digest",
    "newsletter",
    "massmessage",
)

_QUICK_RE = re.compile(r"bots", re.IGNORECASE)
_SPLIT_RE = re.compile(r"[,;\n]")


@dataclass(frozen=True)
class Exclusion:
    """Why the page refuses the bot. ``code``: nobots, deny, not-allowed or optout."""

    code: str
    call: str  # the refusing call as written, on one line, for the delivery report


def _names(values: str) -> set[str]:
    out = set()
    for raw in _SPLIT_RE.split(values):
        name = " ".join(raw.replace("_", " ").split())
        if name.casefold().startswith("user:"):
            name = name[5:].strip()
        if name:
            out.add(name.casefold())
    return out


def _refusal(is_nobots: bool, params: list[tuple[str, str]], bot: str, kinds: set[str]) -> str:
    """The refusal code of one call, or '' when it lets the bot post."""
    if is_nobots and not params:
        return "nobots"
    for name, value in params:
        listed = _names(value)
        if name == "allow":
            if "all" not in listed and bot not in listed:
                return "not-allowed"
        elif name == "deny":
            if "all" in listed or bot in listed:
                return "deny"
        elif name == "optout":
            if listed & kinds:
                return "optout"
        elif is_nobots and name == "1":
            if "all" in listed or bot in listed:
                return "deny"
        elif is_nobots:
            # {{nobots|something unknown}}: the page still asks bots to stay away.
            return "nobots"
    return ""


def _blank_masked(text: str) -> str:
    """The text with comments and no-parse tags replaced by spaces (offsets kept)."""
    spans = masked_spans(text)
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for begin, end in spans:
        parts.append(text[pos:begin])
        parts.append(" " * (end - begin))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def find_exclusion(
    text: str | None,
    bot_user: str,
    *,
    message_types: Iterable[str] = DIGEST_MESSAGE_TYPES,
    bots_names: Iterable[str] = ("Bots",),
    nobots_names: Iterable[str] = ("Nobots",),
) -> Exclusion | None:
    """Why ``text`` refuses posts by ``bot_user`` (messages of ``message_types``), or None.

    ``bots_names`` and ``nobots_names`` are the template names, redirects included.
    """
    if not text or not _QUICK_RE.search(text):
        return None
    bots = {n for n in map(normalize_template_name, bots_names) if n}
    nobots = {n for n in map(normalize_template_name, nobots_names) if n}
    bot = " ".join(bot_user.replace("_", " ").split()).casefold()
    kinds = {k.casefold() for k in message_types}
    code = mwparserfromhell.parse(_blank_masked(text), skip_style_tags=True)
    for template in code.filter_templates(recursive=True):
        name = normalize_template_name(str(template.name))
        if name not in bots and name not in nobots:
            continue
        params = [
            (str(p.name).strip().casefold(), str(p.value).strip()) for p in template.params
        ]
        refusal = _refusal(name in nobots, params, bot, kinds)
        if refusal:
            return Exclusion(refusal, " ".join(str(template).split())[:200])
    return None
