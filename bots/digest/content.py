"""What a digest says: the changes of one period, compared and sorted, and the part of them each
subscriber receives. Pure: the model, with no wikitext (``bots.digest.message`` writes it).

The content of a digest is:

* new cases: pages that became case pages in the period (created, or given the case template);
* status changes: the case's ``status`` at the start of the period differs from the one at the
  end (``active`` -> ``success``);
* other notable updates, summarised per case: lessons learned changed, partners, methods,
  countries or topics added, an end date set (other edits, typo fixes included, are not news);
* new discussions: level-2 sections that appeared in the period on the talk pages of case pages
  and of the hub pages (sections the bot posted itself are left out);
* translation needs: pages whose translation into the subscriber's language is missing or
  outdated and whose source or translation changed in the period;
* positions: ``{{Advocacy position}}`` templates on the positions pages that are new at the
  end of the period, or whose topics, summary, review date or endorsing affiliates differ from
  the start (``bots.cases.knowledge_pages.position_changes``).

Contacts never appear in a digest, whether the case is sensitive or not: a digest goes to many
talk pages, and a user link there would ping the contact each time; :class:`CaseFacts` has no
field for them.

A case with a translation subpage in a subscriber's language reaches that subscriber in it
(:class:`CaseVersion`: the subpage linked, its title, summary and lessons); a sensitive case,
or a translation that says it is sensitive, has no version: nothing of its text is shown.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import mwparserfromhell

from bots.cases.knowledge_pages import Position
from bots.cases.record import Case
from bots.digest.ids import MARKER_RE, SourceMark
from bots.sources.records import WikiTag
from bots.wikitext.markers import masked_spans

_HEADING_RE = re.compile(r"^(={1,6})(.+?)\1[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class CaseFacts:
    """What the digest may say about a case. Contacts are deliberately not here."""

    page: str
    title: str
    region: str = ""
    topics: tuple[str, ...] = ()
    status: str = ""
    summary: str = ""
    countries: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    lessons: str = ""
    end: str = ""
    sensitive: bool = False  # its withheld fields are empty already; no translation is used
    wiki: WikiTag | None = None  # a source wiki's case (None: the central wiki's)


@dataclass(frozen=True)
class CaseVersion:
    """A case's translation subpage in one language, as a reader of that language sees it."""

    page: str  # the translation subpage
    title: str = ""
    summary: str = ""
    lessons: str = ""


def case_version(page: str, case: Case | None, source: CaseFacts | None) -> CaseVersion | None:
    """What the digest may show of a translation subpage: ``case`` is the case box read from it
    (None: a translation in prose, linked with the source's words). Nothing at all (fail closed)
    when the source case or the translation is sensitive."""
    if source is None or source.sensitive or (case is not None and case.sensitive):
        return None
    if case is None:
        return CaseVersion(page)
    return CaseVersion(page, case.title, case.summary, case.lessons)


def case_facts(case: Case) -> CaseFacts:
    """The digest's view of a ``Case`` (contacts dropped)."""
    return CaseFacts(
        page=case.page,
        title=case.title or case.page,
        region=case.region,
        topics=tuple(case.topics),
        status=case.status,
        summary=case.summary,
        countries=tuple(case.countries),
        methods=tuple(case.methods),
        partners=tuple(case.partners),
        lessons=case.lessons,
        end=str(case.end) if case.end else "",
        sensitive=case.sensitive,
    )


@dataclass(frozen=True)
class CaseUpdate:
    """One summarised update: ``kind`` is lessons, partners, methods, countries, topics or end."""

    kind: str
    count: int = 0
    value: str = ""


@dataclass(frozen=True)
class CaseChange:
    case: CaseFacts  # at the end of the period
    new: bool = False
    old_status: str = ""  # set when the status changed
    updates: tuple[CaseUpdate, ...] = ()


def _added(before: Sequence[str], after: Sequence[str]) -> int:
    seen = {v.casefold() for v in before}
    return sum(1 for v in after if v.casefold() not in seen)


def compare_case(before: CaseFacts | None, after: CaseFacts) -> CaseChange | None:
    """What a digest reports about a case between two states; None when nothing notable."""
    if before is None:
        return CaseChange(after, new=True)
    updates: list[CaseUpdate] = []
    if after.lessons.strip() and after.lessons.split() != before.lessons.split():
        updates.append(CaseUpdate("lessons"))
    for kind in ("partners", "methods", "countries", "topics"):
        count = _added(getattr(before, kind), getattr(after, kind))
        if count:
            updates.append(CaseUpdate(kind, count))
    if after.end and after.end != before.end:
        updates.append(CaseUpdate("end", value=after.end))
    old_status = before.status if before.status != after.status else ""
    if not updates and not old_status:
        return None
    return CaseChange(after, old_status=old_status, updates=tuple(updates))


@dataclass(frozen=True)
class Discussion:
    """A section added in the period; ``case`` is None on a hub page's talk page."""

    talk_page: str
    heading: str  # plain text, as shown
    subject: str
    case: CaseFacts | None = None
    wiki: WikiTag | None = None  # on a source wiki (None: the central wiki)


@dataclass(frozen=True)
class TranslationNeed:
    page: str
    language: str
    total: int
    translated: int
    outdated: int
    case: CaseFacts | None = None

    @property
    def title(self) -> str:
        return self.case.title if self.case else self.page


def needs_translation(total: int, translated: int, outdated: int) -> bool:
    return outdated > 0 or translated < total


def _section_bodies(text: str) -> list[tuple[str, str]]:
    """(plain heading, body) of each level-2 section, in page order."""
    spans = masked_spans(text)
    heads = [
        m for m in _HEADING_RE.finditer(text)
        if len(m.group(1)) == 2 and not any(b <= m.start() < e for b, e in spans)
    ]
    out = []
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        plain = mwparserfromhell.parse(m.group(2)).strip_code(normalize=True, collapse=True)
        out.append((" ".join(plain.split()), text[m.end() : end]))
    return out


def added_sections(before: str | None, after: str | None) -> tuple[str, ...]:
    """Headings of the level-2 sections in ``after`` that ``before`` did not have.

    Sections are compared by heading (a repeated heading counts again); sections holding a
    digest's delivery marker are the bot's own posts and never count as discussions.
    """
    old = Counter(h for h, _ in _section_bodies(before or ""))
    new: list[str] = []
    for heading, body in reversed(_section_bodies(after or "")):
        if old[heading] > 0:
            old[heading] -= 1
        elif heading and not MARKER_RE.search(body):
            new.append(heading)
    return tuple(reversed(new))


@dataclass(frozen=True)
class PositionNews:
    """A position new in the period, or changed in it (``fields``: what changed)."""

    position: Position  # at the end of the period
    new: bool = False
    fields: tuple[str, ...] = ()  # of ``bots.cases.knowledge_pages.POSITION_FIELDS``


@dataclass(frozen=True)
class DigestContent:
    digest_id: str
    start: str
    end: str
    new_cases: tuple[CaseChange, ...] = ()
    status_changes: tuple[CaseChange, ...] = ()
    updates: tuple[CaseChange, ...] = ()
    discussions: tuple[Discussion, ...] = ()
    translation_needs: tuple[TranslationNeed, ...] = ()
    positions: tuple[PositionNews, ...] = ()
    # positions page -> language -> its translation subpage in that language
    position_pages: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # case page -> language -> its translation subpage in that language
    versions: Mapping[str, Mapping[str, CaseVersion]] = field(default_factory=dict)
    # the source wikis' parts (``bots.digest.sources``); none in a single-wiki digest
    marks: tuple[SourceMark, ...] = ()

    def version(self, case: CaseFacts, lang: str) -> CaseVersion | None:
        """The case in ``lang``, when it has a translation the digest may show (translations
        are the central wiki's: a source wiki's case has none here)."""
        if case.sensitive or case.wiki is not None:
            return None
        return self.versions.get(case.page, {}).get(lang)

    @property
    def waiting(self) -> tuple[str, ...]:
        """The source wikis whose changes could not be read: they come in the next digest."""
        return tuple(m.wiki for m in self.marks if not m.read)

    @property
    def item_count(self) -> int:
        return (
            len(self.new_cases) + len(self.status_changes) + len(self.updates)
            + len(self.discussions) + len(self.translation_needs) + len(self.positions)
        )


def _wiki_id(wiki: WikiTag | None) -> str:
    return wiki.id if wiki is not None else ""


def build_content(
    digest: str,
    start: str,
    end: str,
    changes: Iterable[CaseChange],
    discussions: Iterable[Discussion] = (),
    needs: Iterable[TranslationNeed] = (),
    versions: Mapping[str, Mapping[str, CaseVersion]] | None = None,
    positions: Iterable[PositionNews] = (),
) -> DigestContent:
    """Sort everything (by title, then page) so that the same period gives the same text."""
    changes = list(changes)

    def by_case(c: CaseChange) -> tuple[str, str, str]:
        return (c.case.title.casefold(), c.case.page, _wiki_id(c.case.wiki))

    return DigestContent(
        digest_id=digest,
        start=start,
        end=end,
        new_cases=tuple(sorted((c for c in changes if c.new), key=by_case)),
        status_changes=tuple(
            sorted((c for c in changes if not c.new and c.old_status), key=by_case)
        ),
        updates=tuple(sorted((c for c in changes if not c.new and c.updates), key=by_case)),
        discussions=tuple(
            sorted(discussions, key=lambda d: (_wiki_id(d.wiki), d.talk_page,
                                               d.heading.casefold(), d.heading))
        ),
        translation_needs=tuple(
            sorted(
                (n for n in needs if needs_translation(n.total, n.translated, n.outdated)),
                key=lambda n: (n.language, n.title.casefold(), n.page),
            )
        ),
        versions=versions or {},
        positions=tuple(sorted(positions, key=lambda n: (
            not n.new, n.position.title.casefold(), n.position.page, n.position.title))),
    )


def _tagged(case: CaseFacts | None, wiki: WikiTag) -> CaseFacts | None:
    return replace(case, wiki=wiki) if case is not None else None


def with_source_parts(
    central: DigestContent, parts: Iterable[tuple[WikiTag, DigestContent]],
    marks: tuple[SourceMark, ...],
) -> DigestContent:
    """The central wiki's digest with each source wiki's cases and discussions, every item
    tagged with its wiki, in the one deterministic order; ``marks``: each wiki's period.
    A source wiki's translations, versions and positions are none (the central wiki's only)."""
    changes = [*central.new_cases, *central.status_changes, *central.updates]
    changes = list(dict.fromkeys(changes))  # a change can be in two sections: once each
    discussions = list(central.discussions)
    for wiki, part in parts:
        own = dict.fromkeys([*part.new_cases, *part.status_changes, *part.updates])
        changes += [replace(c, case=replace(c.case, wiki=wiki)) for c in own]
        discussions += [replace(d, wiki=wiki, case=_tagged(d.case, wiki))
                        for d in part.discussions]
    merged = build_content(central.digest_id, central.start, central.end, changes,
                           discussions, central.translation_needs, central.versions,
                           central.positions)
    return replace(merged, position_pages=central.position_pages, marks=marks)


def case_matches(case: CaseFacts | None, regions: Sequence[str], topics: Sequence[str]) -> bool:
    """Whether a subscriber's filters let an item through; items of no case always pass."""
    if case is None:
        return True
    if regions and case.region not in regions:
        return False
    return not topics or bool(set(case.topics) & set(topics))


def position_matches(position: Position, topics: Sequence[str]) -> bool:
    """A position has no region: only a subscriber's topics filter it (one without topics
    reaches everyone)."""
    return not topics or not position.topics or bool(set(position.topics) & set(topics))


def for_subscriber(
    content: DigestContent, lang: str, regions: Sequence[str] = (), topics: Sequence[str] = ()
) -> DigestContent:
    """The part of a digest one subscriber receives: filters applied, needs in their language."""

    def keep(c: CaseChange) -> bool:
        return case_matches(c.case, regions, topics)

    return replace(
        content,
        new_cases=tuple(filter(keep, content.new_cases)),
        status_changes=tuple(filter(keep, content.status_changes)),
        updates=tuple(filter(keep, content.updates)),
        discussions=tuple(
            d for d in content.discussions if case_matches(d.case, regions, topics)
        ),
        translation_needs=tuple(
            n for n in content.translation_needs
            if n.language == lang and case_matches(n.case, regions, topics)
        ),
        positions=tuple(n for n in content.positions if position_matches(n.position, topics)),
    )
