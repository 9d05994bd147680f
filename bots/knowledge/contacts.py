"""The "whom to ask" view: per region and topic, the active cases and their contacts. Pure.

A contact is linked to their user talk page. **A sensitive case never shows a contact**: the
parser already replaces its contacts with placeholders (``bots.cases.limits``, fail closed) and
this view leaves them out whatever they hold; such a case is listed like a case without a
contact (title and status, which every list shows of any case). A region with no contact at
all says where to ask instead: ``[knowledge] ask_page``, by default the hub's talk page.

Active cases are those whose status is one of ``[knowledge] active_statuses``. Every region of
the vocabulary gets its section (so that a region without cases says where to ask too); cases
whose region is not a known code come last, under "other".
"""

from __future__ import annotations

from collections.abc import Sequence

from bots.cases.record import HIDDEN_CONTACT, Case
from bots.knowledge.text import ViewText
from bots.knowledge.views import KnowledgeView
from bots.wikitext.escape import internal_link

CONTACTS_SHOWN = 10  # contacts of one case


def public_contacts(case: Case) -> tuple[str, ...]:
    """The contacts this view may show: none of a sensitive case, ever."""
    if case.sensitive:
        return ()
    return tuple(c for c in case.contacts if c and c != HIDDEN_CONTACT)[:CONTACTS_SHOWN]


def _ask_instead(ask_page: str, text: ViewText) -> str:
    if not ask_page:
        return text.msg("advocacyhub-knowledge-ask-nowhere")
    return text.msg("advocacyhub-knowledge-ask-instead", internal_link(ask_page))


def _case_line(case: Case, text: ViewText) -> str:
    contacts = public_contacts(case)
    if contacts:
        people = text.join(text.user_talk_link(c, case.page) for c in contacts)
        return "* " + text.msg(
            "advocacyhub-knowledge-case-contacts", text.case_with_status(case), people
        )
    return "* " + text.msg("advocacyhub-knowledge-case-no-contact", text.case_with_status(case))


def _region_lines(
    cases: Sequence[Case], text: ViewText, ask_page: str, cap: int | None, only: Sequence[str]
) -> list[str]:
    if not any(public_contacts(c) for c in cases):
        lines = [f"''{_ask_instead(ask_page, text)}''"]
        if not cases:
            return lines
    else:
        lines = []
    topics = list(text.vocabulary.topics)
    order = topics + sorted({t for c in cases for t in c.topics} - set(topics))
    if only:  # a view of some topics groups by those topics only
        order = [t for t in order if t in only]
    groups = [(text.label("topic", t), [c for c in cases if t in c.topics]) for t in order]
    groups.append(
        (text.msg("advocacyhub-knowledge-group-other"), [c for c in cases if not c.topics])
    )
    for heading, group in groups:
        if not group:
            continue
        lines.append(f"'''{heading}'''")
        shown = group if cap is None else group[:cap]
        lines.extend(_case_line(c, text) for c in shown)
        if len(shown) < len(group):
            lines.append(text.msg("advocacyhub-knowledge-more", len(group) - len(shown)))
    return lines


def render_contacts(
    view: KnowledgeView,
    cases: Sequence[Case],
    text: ViewText,
    *,
    active_statuses: Sequence[str],
    ask_page: str,
    cap: int | None = None,
) -> str:
    """The view; ``cap``: at most that many cases per topic of a region (a notice for the rest)."""
    active = sorted(
        (c for c in cases if c.status in active_statuses
         and (not view.topics or set(c.topics) & set(view.topics))),
        key=lambda c: (c.title, c.page),
    )  # fmt: skip
    regions = [r for r in text.vocabulary.regions if not view.regions or r in view.regions]
    if ask_page:
        intro = text.msg("advocacyhub-knowledge-contacts-intro", internal_link(ask_page))
    else:
        intro = text.msg("advocacyhub-knowledge-contacts-intro-plain")
    lines = [intro]
    for region in regions:
        lines.append(f"=== {text.label('region', region)} ===")
        lines += _region_lines(
            [c for c in active if c.region == region], text, ask_page, cap, view.topics
        )
    other = [c for c in active if c.region not in text.vocabulary.regions]
    if other and not view.regions:
        lines.append(f"=== {text.msg('advocacyhub-knowledge-group-other')} ===")
        lines += _region_lines(other, text, ask_page, cap, view.topics)
    return "\n".join(lines)
