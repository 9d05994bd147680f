"""Collect what the knowledge views are built from, in a few batched reads.

Reads:

* the names of every template involved and the redirects to them (one request);
* the case pages with their text (``generator=embeddedin`` with content, batched), in
  ``permissions.case_namespaces`` under ``permissions.case_prefixes``, parsed by
  ``bots.cases.parser`` (which applies ``[index]``'s exclusions and the fail-closed sensitive
  rule: a sensitive case comes out with its contacts hidden and its free text withheld).
  Translation subpages (``Case/fr`` of a case page ``Case``) are not cases of their own;
* the pages with ``{{Advocacy partner}}`` and ``{{Advocacy position}}`` (with text, batched),
  only those inside the bot's area (``[permissions]``: where it may edit or read cases), less
  those that are redirects or could tie a partner or position to a sensitive case
  (``bots.knowledge.guard``: each reported, the run fails), and the subpages of each position
  page (its translations: ``bots.wiki.subpages``);
* the pages with any knowledge start marker that the bot may edit, with their text;
* with ``[[sources]]``, the cases of every other taking-part wiki through the sources service
  (``bots.knowledge.other_wikis``: each case's page is its key ``:<wiki id>:<title>``; its
  sensitive cases are hidden from partner and position pages like the central wiki's).

Contacts of cases that are not sensitive are read as the wiki reads user names
(``WikiSession.normalize``: underscores, invisible marks, first letter), so one person written
two ways is one contact; a name that is no valid title is left out (counted in the notes).
A page whose reading raises is left out and reported by its title (a case page's title is then
treated as a sensitive case's: nothing may name it).

API efficiency: case pages are read with their text on every run (``generator=embeddedin``,
batched); the index job's case cache (``bots.index.case_cache``) could serve both jobs once it
is a shared service. Position pages' subpages: one ``list=allpages`` per position page.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from bots.cases.knowledge_pages import (
    Hidden,
    PartnerPage,
    Position,
    parse_partner_pages,
    parse_positions,
)
from bots.cases.parser import parse_case_page
from bots.cases.record import Case
from bots.cases.scope import excluded_prefix
from bots.config.model import Config
from bots.config.permissions import case_page_allowed, edit_refusal
from bots.i18n.messages import Messages
from bots.knowledge.build import MarkerPage
from bots.knowledge.guard import read_each, refusal
from bots.knowledge.other_wikis import (
    OtherWikis,
    is_language_subpage,
    public_contacts,
    read_other_wikis,
)
from bots.knowledge.views import ViewKind, ViewMarkers, marker_template, view_markers
from bots.wiki.records import PageSnapshot
from bots.wiki.session import WikiSession
from bots.wiki.subpages import MAX_PAGES as MAX_SUBPAGE_LISTINGS
from bots.wiki.subpages import direct_subpages
from bots.wiki.templates import template_names

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Collected:
    markers: tuple[ViewMarkers, ...]
    cases: tuple[Case, ...]
    partner_pages: tuple[PartnerPage, ...]
    positions: tuple[Position, ...]
    pages: tuple[MarkerPage, ...]
    pages_read: int
    notes: tuple[str, ...]
    refused: tuple[tuple[str, str], ...] = ()  # (page, why it was not used): failures
    # the other source wikis' state (their cases are in cases)
    others: OtherWikis = field(default_factory=OtherWikis)


def _in_area(snap: PageSnapshot, config: Config) -> bool:
    if excluded_prefix(snap.title, config) is not None:
        return False
    allowed = edit_refusal(snap.title, snap.namespace, config) is None
    return allowed or case_page_allowed(snap.title, snap.namespace, config)


def _originals(
    snaps: Sequence[PageSnapshot], config: Config, messages: Messages
) -> list[PageSnapshot]:
    """The pages that are not translation subpages of another page in ``snaps``."""
    titles = {s.title for s in snaps}
    out = []
    for snap in snaps:
        base, _, last = snap.title.rpartition("/")
        if base in titles and is_language_subpage(last, config, messages):
            continue
        out.append(snap)
    return sorted(out, key=lambda s: s.title)


def _cases(session: WikiSession, config: Config, messages: Messages,
           names: frozenset[str]) -> tuple[list[Case], int, list[tuple[str, str]]]:  # fmt: skip
    listed = [
        snap for snap in session.embedded_in(config.templates.case,
                                             config.permissions.case_namespaces, content=True)
        if case_page_allowed(snap.title, snap.namespace, config) and snap.text is not None
    ]  # fmt: skip

    def read(snap: PageSnapshot) -> list[Case]:
        result = parse_case_page(snap.title, snap.text or "", config, template_names=names)
        return [] if result.case is None else [_with_edit_time(result.case, snap)]

    cases, failed = read_each(_originals(listed, config, messages), read, "case page")
    return [public_contacts(session, c) for c in cases], len(listed), failed


def _with_edit_time(case: Case, snap: PageSnapshot) -> Case:
    return dataclasses.replace(case, revid=snap.revid, last_edit=snap.timestamp)


def _template_pages(
    session: WikiSession, template: str, config: Config, messages: Messages
) -> list[PageSnapshot]:
    listed = [
        snap for snap in session.embedded_in(template, config.permissions.edit_namespaces,
                                             content=True)
        if snap.text is not None and _in_area(snap, config)
    ]  # fmt: skip
    return _originals(listed, config, messages)


def page_language(snap: PageSnapshot, config: Config, messages: Messages, default: str) -> str:
    """A `/xx` language subpage speaks xx; otherwise the page's content language."""
    last = snap.title.rpartition("/")[2]
    if "/" in snap.title and is_language_subpage(last, config, messages):
        return last
    return snap.language or default


def _marker_pages(
    session: WikiSession, config: Config, messages: Messages, markers: Sequence[ViewMarkers]
) -> tuple[list[MarkerPage], list[str]]:
    allowed: set[str] = set()
    ignored = 0
    for m in markers:
        for listed in session.embedded_in(m.start, config.permissions.edit_namespaces,
                                          content=False):  # fmt: skip
            refusal = edit_refusal(listed.title, listed.namespace, config)
            if refusal is None and excluded_prefix(listed.title, config) is None:
                allowed.add(listed.title)
            else:
                log.debug("ignoring knowledge markers on %s: %s", listed.title, refusal)
                ignored += 1
    read = session.read_pages(sorted(allowed)) if allowed else {}
    default = session.site.lang or "en"
    pages = [
        MarkerPage(snap, page_language(snap, config, messages, default))
        for title in sorted(allowed)
        if (snap := read.get(title)) is not None and snap.exists and snap.text is not None
    ]
    notes = (
        [f"{ignored} page(s) with knowledge markers outside [permissions] ignored"]
        if ignored
        else []
    )
    return pages, notes


def collect(session: WikiSession, config: Config, messages: Messages) -> Collected:
    """Everything the knowledge views show, read up front (see the module's description)."""
    settings = config.knowledge
    wanted = [config.templates.case, settings.partner_template, settings.position_template]
    wanted += [marker_template(settings, k, end) for k in ViewKind for end in (False, True)]
    names = template_names(session, wanted)
    markers = view_markers(config, names)
    case_names = names[config.templates.case]
    cases, read, refused = _cases(session, config, messages, case_names)
    others = read_other_wikis(session, config, messages)
    cases += others.cases
    read += len(others.cases)
    sensitive = [c for c in cases if c.sensitive]
    # a case on another wiki is hidden under its key and its own title (either could be named)
    hidden = Hidden.of([c.page for c in sensitive] + [title for title, _ in refused]
                       + [others.wikis.title_of(c.page) for c in sensitive],
                       [c.title for c in sensitive])  # fmt: skip

    def allowed(snap: PageSnapshot) -> str | None:
        return refusal(snap, case_names, hidden)

    partner_names = names[settings.partner_template]
    partner_pages = _template_pages(session, settings.partner_template, config, messages)
    partners, failed = read_each(partner_pages, lambda snap: parse_partner_pages(
        snap.title, snap.text or "", partner_names, config.vocabulary), "partner page", allowed)
    refused += failed
    position_pages = _template_pages(session, settings.position_template, config, messages)
    position_names = names[settings.position_template]
    found, failed = read_each(position_pages, lambda snap: parse_positions(
        snap.title, snap.text or "", position_names, config.vocabulary), "position page", allowed)
    refused += failed
    used = sorted({p.page for p in found})
    subpages = direct_subpages(session, used)
    positions = [
        dataclasses.replace(position, languages=None if position.page not in subpages else tuple(
            c for c in subpages[position.page] if is_language_subpage(c, config, messages)))
        for position in found
    ]  # fmt: skip
    pages, notes = _marker_pages(session, config, messages, markers)
    read += len(partner_pages) + len(position_pages) + len(pages)
    if len(used) > MAX_SUBPAGE_LISTINGS:
        notes.append(f"translations listed for the first {MAX_SUBPAGE_LISTINGS} of {len(used)} "
                     "position pages only")  # fmt: skip
    notes.insert(
        0,
        f"{len(cases)} cases, {len(partners)} partner pages, "
        f"{len(positions)} positions, {len(pages)} pages with knowledge views",
    )
    return Collected(markers, tuple(cases), tuple(partners), tuple(positions), tuple(pages),
                     read, tuple(notes), tuple(refused), others)  # fmt: skip
