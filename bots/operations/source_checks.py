"""`advocacy-hub check` for a central index over several wikis (issue 16).

After the central wiki's own checks, `check` reads the participation page on the central wiki
(one request) and then checks each configured source wiki, in configuration order:

* not on the participation list: reported as *skipped* (the community decides; not an error);
* otherwise: a session on it, logged in with the bot's account (only reads are made through
  it), the account's name and block, the wiki's content language against ``language``, the
  case namespaces and prefixes as the wiki reads them (each prefix inside a case namespace;
  whether a page lies under it) and the case template: whether it exists there and which
  redirects reach it (:func:`bots.wiki.source_probe.probe_source`);
* a wiki that does not answer, refuses the account, lacks a namespace or the template, or a
  prefix outside the case namespaces is an *error*: exit 1, and the remaining wikis are still
  checked. A content language other than ``language`` and a prefix with no page yet are
  warnings.

A configuration without ``[[sources]]`` prints nothing here: `check` is as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from bots.config.model import Config
from bots.config.source_model import SourceWiki
from bots.config.sources import is_central
from bots.errors import (
    EXIT_JOB_FAILED,
    EXIT_OK,
    BlockedError,
    WikiUnavailableError,
    WrongUserError,
)
from bots.sources.participation import Participation, decide_participation
from bots.wiki.connect import wiki_description
from bots.wiki.session import WikiSession
from bots.wiki.sites import open_source_session
from bots.wiki.source_probe import SourceProbe, probe_source

# A wiki that cannot be checked: reported for that wiki alone, the others are still checked.
UNREADABLE = (WikiUnavailableError, WrongUserError, BlockedError)
Opener = Callable[[WikiSession, SourceWiki], WikiSession]
MAX_REDIRECTS_SHOWN = 5


@dataclass(frozen=True)
class SourceCheck:
    """What `check` found on one source wiki."""

    wiki: str
    state: str  # "ok", "skipped" or "error"
    lines: tuple[str, ...]


def participation_lines(config: Config, text: str | None, found: Participation) -> list[str]:
    """The participation page's lines of the report (pure)."""
    page = config.sources.participation_page
    if text is None:
        head = (f"participation: {page}: DOES NOT EXIST: every wiki but the central one "
                "is skipped until the community lists it there")  # fmt: skip
    else:
        others = [w.id for w in found.taking_part if not is_central(w, config)]
        head = (f"participation: {page}: lists {', '.join(others)}" if others
                else f"participation: {page}: lists no configured wiki")  # fmt: skip
    lines = [head]
    if found.unknown_ids:
        lines.append(f"participation: listed, but not in the configuration (ignored): "
                     f"{', '.join(found.unknown_ids)}")  # fmt: skip
    return lines


def judge(source: SourceWiki, language: str, probe: SourceProbe) -> tuple[str, list[str]]:
    """The state ("ok" or "error") and the report lines of what one wiki answered (pure)."""
    state = "ok"
    missing = [n for n in source.case_namespaces if n not in probe.namespaces]
    names = ", ".join(f"{n} ({probe.namespaces[n] or 'main'})" if n in probe.namespaces
                      else f"{n} (MISSING)" for n in source.case_namespaces)  # fmt: skip
    lines = [f"  cases:    namespaces {names}"]
    if missing:
        state = "error"
        lines.append(f"  ERROR: the wiki has no namespace {', '.join(map(str, missing))}")
    for reach in probe.prefixes:
        if reach.namespace is None:
            state = "error"
            lines.append(f"  prefix:   {reach.prefix}: NOT A TITLE on this wiki")
        elif reach.namespace not in source.case_namespaces:
            state = "error"
            lines.append(f"  prefix:   {reach.prefix}: in namespace {reach.namespace}, which is "
                         "not in case_namespaces: no case can match it")  # fmt: skip
        else:
            lines.append(f"  prefix:   {reach.prefix}: namespace {reach.namespace}, "
                         + ("has pages" if reach.has_pages else "warning: no page under it yet"))
    if language.lower() == source.language.lower():
        lines.append(f"  language: {source.language} (the wiki's content language)")
    else:
        lines.append(f"  language: {source.language}; warning: the wiki's content language "
                     f"is {language}")  # fmt: skip
    template = probe.template
    if not template.exists:
        state = "error"
        lines.append(f"  template: {template.title}: MISSING (no case page can be found there; "
                     "is case_template the local name?)")  # fmt: skip
    else:
        shown = ", ".join(template.redirects[:MAX_REDIRECTS_SHOWN]) or "none"
        more = len(template.redirects) - MAX_REDIRECTS_SHOWN
        lines.append(f"  template: {template.title} exists; redirects to it: {shown}"
                     + (f" and {more} more" if more > 0 else ""))  # fmt: skip
    return state, lines


def check_one(central: WikiSession, source: SourceWiki, config: Config,
              opener: Opener) -> SourceCheck:  # fmt: skip
    """Log in to one taking-part wiki and read what the index will need from it."""
    head = f"source {source.id}:"
    try:
        session = central if is_central(source, config) else opener(central, source)
        info = session.account_info(force=True)
        language = session.site_limits().content_language
        probe = probe_source(session, source.case_template, source.case_prefixes)
    except UNREADABLE as exc:
        return SourceCheck(source.id, "error", (f"{head} ERROR: {type(exc).__name__}: {exc}",))
    state, lines = judge(source, language, probe)
    blocked = f"; BLOCKED: {info.block_reason}" if info.blocked else ""
    lines[:0] = [f"{head} {wiki_description(session)}"
                 + (" (the central wiki)" if session is central else ""),
                 f"  account:  {info.name}{blocked}"]  # fmt: skip
    return SourceCheck(source.id, "error" if info.blocked else state, tuple(lines))


def check_sources(
    central: WikiSession, config: Config, out: TextIO, opener: Opener = open_source_session
) -> int:
    """Print the participation page's and every source wiki's state; exit 1 when a taking-part
    wiki cannot be checked, else 0."""
    if not config.sources.wikis:
        return EXIT_OK
    page = config.sources.participation_page
    snap = central.read_pages([page]).get(page)
    text = snap.text if snap is not None and snap.exists else None
    found = decide_participation(config, text)
    for line in participation_lines(config, text, found):
        print(line, file=out)
    skipped = dict((w.id, reason) for w, reason in found.skipped)
    worst = EXIT_OK
    for source in config.sources.wikis:
        if source.id in skipped:
            result = SourceCheck(source.id, "skipped",
                                 (f"source {source.id}: skipped: {skipped[source.id]}",))
        else:
            result = check_one(central, source, config, opener)
        for line in result.lines:
            print(line, file=out)
        if result.state == "error":
            worst = EXIT_JOB_FAILED
    return worst
