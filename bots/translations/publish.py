"""The publish step of ``advocacy-hub run translations``: save each page's built update.

Writes the inner content of marker regions, nothing else, through ``bots.wiki.saves``
(only pages the configuration allows; no null edits; an edit conflict re-reads the page and
puts the same bodies between its markers again). Nothing is rendered or read here.
"""

from __future__ import annotations

from bots.i18n.messages import Messages
from bots.outcomes import EditOutcome
from bots.run_options import RunOptions
from bots.translations.build import PageUpdate, error_regions, new_page_text
from bots.translations.collect import StatusMarkers
from bots.translations.summary import regions_summary
from bots.wiki.records import PageSnapshot
from bots.wiki.saves import save_page
from bots.wiki.session import WikiSession

__all__ = ["publish"]


def publish(
    session: WikiSession,
    update: PageUpdate,
    markers: StatusMarkers,
    messages: Messages,
    options: RunOptions,
    *,
    content_language: str,
) -> tuple[EditOutcome, list[str]]:
    """Save one page's update; the outcome, and notes for the operator."""
    replaced: list[PageSnapshot] = []  # the base whose manual edit the saved text replaces

    def build(base: PageSnapshot) -> str | None:
        return new_page_text(update, markers, base.text or "")

    def summary(base: PageSnapshot, new_text: str) -> str:
        old = markers.scan(base.text or "").regions
        result = regions_summary(
            old,
            markers.scan(new_text).regions,
            messages,
            base.language or content_language,
            errors=error_regions(update, old),
            revid=base.revid,
        )
        replaced[:] = [base] if result.replaced_human_edit else []
        return result.text

    outcome = save_page(
        session,
        update.page.snapshot.title,
        build,
        summary,
        base=update.page.snapshot,
        show_diff=options.diff,
        diff_out=options.out,
    )
    notes = [
        f"{base.title}: replaced a manual edit inside the status table "
        f"(revision {base.revid} by {base.user})"
        for base in replaced
    ]
    return outcome, notes
