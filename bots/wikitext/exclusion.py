"""Bot exclusion (`{{bots}}` / `{{nobots}}`), decided on a page's own wikitext. Pure.

On-wiki contract (the community's convention, https://en.wikipedia.org/wiki/Template:Bots, as
Pywikibot's ``BasePage.botMayEdit`` reads it, and stricter where that is unsure):

=================================== ==================================================
``{{nobots}}``                      no bot may post here
``{{bots}}``                        every bot may post (changes nothing)
``{{bots|allow=A,B}}``              only the bots named may post (``all``: every bot,
                                    ``none``: no bot)
``{{bots|deny=A,B}}``               the bots named may not post (``all``: no bot,
                                    ``none``: every bot)
``{{bots|optout=digest,...}}``      no message of the kinds named (``all``: none at all)
``{{bots|allowscript=…}}``,         Pywikibot's forms naming scripts: the digest's kinds
``{{bots|denyscript=…}}``           are its script names
``{{nobots|deny=…}}``,              read as the same parameters of ``{{bots}}``; a bare
``{{nobots|allow=…}}``,             list (``{{nobots|A,B}}``) denies the bots named
``{{nobots|A,B}}``
=================================== ==================================================

**Fail closed.** A call the bot cannot read with certainty keeps it away (code ``unclear``, or
``nobots`` for a ``{{nobots}}`` call): an empty value (``{{nobots|}}``, ``{{bots|deny=}}``,
``{{bots|allow=}}``, ``{{bots|optout=}}``), an unnamed value on ``{{bots}}``, a parameter the
convention does not define, or a value holding a template, parser function, link or tag (the bot
cannot evaluate it). Names are compared without case, underscores, odd spaces or invisible
direction marks, with or without ``User:``. The template's name is read the same way
(``{{ NOBOTS }}``, ``{{Template:nobots}}``, ``{{msg:nobots}}``), and the wiki's redirects to the
templates count (the caller passes their names, asked from the wiki).

We decide this ourselves instead of asking Pywikibot's ``botMayEdit()``: it caches its answer
per Page object (a long run would miss a ``{{nobots}}`` added meanwhile), it ignores
``optout=`` (warns and allows), it ignores redirects to the templates and unclear forms, and it
needs the templates to exist on the wiki. Calls inside comments, ``<nowiki>``, ``<pre>`` and the
like do not count (MediaWiki would not expand them either); calls nested in another template's
parameters do count, since they are transcluded. A call the page makes through another template
(its text shows none) is caught by the caller from the wiki's list of transcluded templates.

When several calls disagree, any refusal wins: the reader asked not to be messaged somewhere
on the page, and a bot that posts anyway is worse than one that skips a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import mwparserfromhell

from bots.wikitext.markers import masked_spans, normalize_template_name
from bots.wikitext.truncate import truncate

# Message kinds the digest answers to in `optout=` (and script names in `allowscript=`).
DIGEST_MESSAGE_TYPES: tuple[str, ...] = (
    "all",
    "advocacy-digest",
    "advocacy-hub",
    "digest",
    "newsletter",
    "massmessage",
)

# Characters MediaWiki drops from titles and names (direction marks, embeddings, isolates), and
# other invisible ones that cannot be meant as part of a name.
_INVISIBLE_RE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_SPLIT_RE = re.compile(r"[,;\n]")
_UNEVALUABLE_RE = re.compile(r"[{}\[\]<>]")  # templates, parser functions, links, tags
_CALL_PREFIX_RE = re.compile(r"^\s*(?:msg|safesubst|raw)\s*:", re.IGNORECASE)
_KNOWN_PARAMS = frozenset({"allow", "deny", "optout", "allowscript", "denyscript"})
MAX_CALL_SHOWN = 200


@dataclass(frozen=True)
class Exclusion:
    """Why the page refuses the bot. ``code``: nobots, deny, not-allowed, optout or unclear."""

    code: str
    call: str  # the refusing call as written, on one line, for the delivery report


def clean_name(text: str) -> str:
    """A name as compared: no invisible marks, underscores as spaces, spaces collapsed."""
    return " ".join(_INVISIBLE_RE.sub("", text).replace("_", " ").split())


def _names(values: str) -> set[str]:
    out = set()
    for raw in _SPLIT_RE.split(values):
        name = clean_name(raw)
        if name.casefold().startswith("user:"):
            name = name[5:].strip()
        if name:
            out.add(name.casefold())
    return out


def _param_refusal(name: str, value: str, bot: str, kinds: set[str]) -> str:
    """The refusal of one known parameter of a call ('' when it lets the bot post)."""
    listed = _names(value)
    if not listed or _UNEVALUABLE_RE.search(value):
        return "unclear"
    if name == "allow":
        return "" if "all" in listed or bot in listed else "not-allowed"
    if name == "deny":
        return "deny" if "all" in listed or bot in listed else ""
    if name == "allowscript":
        return "" if listed & kinds else "not-allowed"
    if name == "denyscript":
        return "deny" if listed & kinds else ""
    return "optout" if listed & kinds else ""  # optout


def _refusal(is_nobots: bool, params: list[tuple[str, str]], bot: str, kinds: set[str]) -> str:
    """The refusal code of one call, or '' when it lets the bot post."""
    if is_nobots and not params:
        return "nobots"
    for name, value in params:
        if name in _KNOWN_PARAMS:
            refusal = _param_refusal(name, value, bot, kinds)
        elif is_nobots and name == "1":
            # {{nobots|A,B}} denies the bots named; anything unclear keeps every bot away
            refusal = _param_refusal("deny", value, bot, kinds)
        else:
            # a parameter the convention does not define: the page may mean to refuse
            refusal = "unclear"
        if refusal:
            return "nobots" if is_nobots and refusal == "unclear" else refusal
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


def template_key(name: str) -> str | None:
    """The name a call or a template title is compared by (None: not a template)."""
    cleaned = _CALL_PREFIX_RE.sub("", clean_name(name), count=1)
    found = normalize_template_name(cleaned)
    return found.casefold() if found else None


def find_exclusions(
    text: str | None,
    bot_user: str,
    *,
    message_types: Iterable[str] = DIGEST_MESSAGE_TYPES,
    bots_names: Iterable[str] = ("Bots",),
    nobots_names: Iterable[str] = ("Nobots",),
) -> tuple[list[Exclusion], set[str]]:
    """Every refusing call on the page, and the keys of all exclusion templates it calls."""
    if not text or "{{" not in text:
        return [], set()
    bots = {k for k in map(template_key, bots_names) if k}
    nobots = {k for k in map(template_key, nobots_names) if k}
    bot = clean_name(bot_user).casefold()
    kinds = {k.casefold() for k in message_types}
    code = mwparserfromhell.parse(_blank_masked(text), skip_style_tags=True)
    found: list[Exclusion] = []
    called: set[str] = set()
    for template in code.filter_templates(recursive=True):
        key = template_key(str(template.name))
        if key is None or (key not in bots and key not in nobots):
            continue
        called.add(key)
        params = [(clean_name(str(p.name)).casefold(), str(p.value).strip())
                  for p in template.params]
        refusal = _refusal(key in nobots, params, bot, kinds)
        if refusal:
            shown = truncate(" ".join(str(template).split()), MAX_CALL_SHOWN)
            found.append(Exclusion(refusal, shown))
    return found, called


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
    found, _called = find_exclusions(text, bot_user, message_types=message_types,
                                     bots_names=bots_names, nobots_names=nobots_names)
    return found[0] if found else None
