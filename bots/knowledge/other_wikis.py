"""The cases of the other source wikis for the knowledge views (issue 16).

With ``[[sources]]``, every wiki on the central wiki's participation page other than the
central wiki itself is read through the sources service (``bots.sources``: its own session,
case template, parameter names, namespaces and prefixes; the one case parser, so a sensitive
case's contacts are placeholders before the record leaves the service). Each case's ``page``
is then its key (``:<wiki id>:<title>``, ``bots.sources.keys``): the views link it, and its
contacts, on its own wiki. Contacts are read as that wiki reads user names.

A wiki that is not refreshed (down, lagged, refusing the account) leaves every knowledge page
alone for the run, reported as a failure (exit 1): the views show cases from all wikis at
once, so writing them without one wiki's cases would make those cases vanish and come back.
(The last kept rows, ``bots.sources.memory``, are the index's: this job neither keeps its own
nor reads the index's, which may be older or missing.) A wiki not on the participation page is
skipped and reported; its cases are not shown. Without ``[[sources]]`` nothing is read here.

Reads, per taking-part wiki: its login, its case template's redirects, its case pages with
texts in batches (``bots.sources.collect.read_source``); on the central wiki the participation
page (one request).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from bots.cases.record import Case
from bots.config.model import Config
from bots.config.sources import is_central
from bots.i18n.languages import is_language_code
from bots.i18n.messages import Messages
from bots.outcomes import Failed, JobReport, Skipped
from bots.sources.collect import open_sources, read_sources
from bots.sources.keys import WikiKeys
from bots.sources.participation import read_participation
from bots.sources.records import NotRefreshed, Refreshed, SourcesReading
from bots.wiki.session import WikiSession

# Characters no user name may hold (invalid in titles, or $wgInvalidUsernameCharacters;
# "/" would name a subpage, "#" a section).
_NOT_IN_USER_NAMES = frozenset("#<>[]|{}/@:")


def is_language_subpage(code: str, config: Config, messages: Messages) -> bool:
    """Whether a subpage named ``code`` is a translation (``Page/fr``)."""
    if not is_language_code(code):
        return False
    return code in config.translations.languages or messages.autonym(code) != code


def user_name(session: WikiSession, contact: str) -> str | None:
    """The contact as ``session``'s wiki spells the user name; None if it is none."""
    if _NOT_IN_USER_NAMES.intersection(contact):
        return None
    try:
        title, namespace = session.normalize(f"User:{contact}")
    except Exception:  # an invalid title is no user name; the contact is left out
        return None
    name = title.split(":", 1)[1] if ":" in title else ""
    return name if namespace == 2 and name and "/" not in name else None


def public_contacts(session: WikiSession, case: Case) -> Case:
    """A case's contacts as the wiki spells user names, once each (sensitive cases keep their
    placeholders untouched: they are never shown)."""
    if case.sensitive or not case.contacts:
        return case
    names = (user_name(session, c) for c in case.contacts)
    contacts = tuple(dict.fromkeys(n for n in names if n))
    return case if contacts == case.contacts else dataclasses.replace(case, contacts=contacts)


def not_translations(titles: Sequence[str], config: Config, messages: Messages) -> set[str]:
    """The titles that are not translation subpages (``Case/fr``) of another of ``titles``."""
    every = set(titles)
    out = set()
    for title in titles:
        base, _, last = title.rpartition("/")
        if not (base in every and is_language_subpage(last, config, messages)):
            out.add(title)
    return out


@dataclass(frozen=True)
class OtherWikis:
    """The other wikis' cases (keyed), how to link them, and each wiki's state this run."""

    cases: tuple[Case, ...] = ()
    wikis: WikiKeys = field(default_factory=WikiKeys)
    reading: SourcesReading = field(default_factory=lambda: SourcesReading(()))

    def report(self, report: JobReport) -> bool:
        """One line per wiki; a skipped wiki recorded as skipped, a wiki not refreshed as a
        failure. Whether the knowledge pages may be written (every taking-part wiki read)."""
        report.notes.extend(self.reading.notes())
        for state in self.reading.skipped:
            report.record(Skipped(f"wiki {state.wiki.id}", state.reason))
        for down in self.reading.not_refreshed:
            report.record(Failed(f"wiki {down.wiki.id}", f"not refreshed ({down.reason}): "
                                 "the knowledge pages are left alone this run"))  # fmt: skip
        return not self.reading.not_refreshed


def _cases(
    sessions: dict[str, WikiSession | NotRefreshed], reading: SourcesReading, wikis: WikiKeys,
    config: Config, messages: Messages,
) -> list[Case]:  # fmt: skip
    out: list[Case] = []
    for state in reading.states:
        if not isinstance(state, Refreshed):
            continue
        session = sessions[state.wiki.id]
        found = [c.result.case for c in state.cases if c.result.case is not None]
        originals = not_translations([c.page for c in found], config, messages)
        for case in found:
            if case.page not in originals:
                continue
            if not isinstance(session, NotRefreshed):
                case = public_contacts(session, case)
            out.append(dataclasses.replace(case, page=wikis.key(state.wiki.id, case.page)))
    return out


def read_other_wikis(session: WikiSession, config: Config, messages: Messages) -> OtherWikis:
    """The cases of every taking-part wiki but the central one (none without ``[[sources]]``)."""
    if not config.sources.wikis:
        return OtherWikis()
    wikis = WikiKeys.from_config(config)
    participation = read_participation(session, config)
    others = dataclasses.replace(participation, taking_part=tuple(
        w for w in participation.taking_part if not is_central(w, config)))  # fmt: skip
    sessions = open_sources(session, config, others)
    reading = read_sources(sessions, config, others)
    return OtherWikis(tuple(_cases(sessions, reading, wikis, config, messages)), wikis, reading)
