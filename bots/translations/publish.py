"""The publish step of ``advocacy-hub run translations``: save each page's built update.

Writes the inner content of marker regions, nothing else, through ``bots.wiki.saves``
(only pages the configuration allows; no null edits; an edit conflict re-reads the page and
puts the same bodies between its markers again). Nothing is rendered or read here.

A page the circuit breaker holds, or one that would be larger than the bot writes, is not
saved: that page fails (exit 1) and the others are saved. A save the wiki refuses as too large
fails too; it is never a mere skip.
"""

from __future__ import annotations

from bots.i18n.messages import Messages
from bots.outcomes import EditOutcome, Failed, Saved, Skipped
from bots.run_options import RunOptions
from bots.translations.build import PageUpdate, error_regions, new_page_text
from bots.translations.collect import StatusMarkers
from bots.translations.summary import regions_summary
from bots.wiki.records import PageSnapshot
from bots.wiki.saves import save_page
from bots.wiki.session import WikiSession

__all__ = ["publish"]

TOO_BIG_CODE = "(contenttoobig)"


def publish(
    session: WikiSession,
    update: PageUpdate,
    markers: StatusMarkers,
    messages: Messages,
    options: RunOptions,
    *,
    content_language: str,
    max_bytes: int,
) -> tuple[EditOutcome, list[str]]:
    """Save one page's update; the outcome, and notes for the operator. ``max_bytes``: the
    largest page the bot saves (a page that grew past it since the read is not saved)."""
    title = update.page.snapshot.title
    if update.refusal:
        return Failed(title, update.refusal), []
    if update.held:
        reason = "circuit breaker: " + "; ".join(update.held)
        return Failed(title, reason + "; not saved (pass --force to save anyway)"), []
    replaced: list[PageSnapshot] = []  # the base whose manual edit the saved text replaces
    oversized: list[int] = []

    def build(base: PageSnapshot) -> str | None:
        text = new_page_text(update, markers, base.text or "")
        if text is not None and len(text.encode("utf-8")) > max_bytes:
            oversized.append(len(text.encode("utf-8")))  # the page grew since the read
            return None
        return text

    def summary(base: PageSnapshot, new_text: str) -> str:
        old = markers.scan(base.text or "").regions
        new = markers.scan(new_text).regions
        errors, failed = error_regions(update, old)
        result = regions_summary(
            old,
            new,
            messages,
            base.language or content_language,
            errors=errors,
            failed=failed,
            revid=base.revid,
            hidden=[b.hidden if (b := update.body_of(r)) is not None else frozenset() for r in new],
        )
        replaced[:] = [base] if result.replaced_human_edit else []
        return result.text

    outcome = save_page(
        session,
        title,
        build,
        summary,
        base=update.page.snapshot,
        show_diff=options.diff,
        diff_out=options.out,
    )
    if oversized:
        outcome = Failed(title, f"the page would be {oversized[-1]} bytes, over the {max_bytes} "
                         "the bot writes; not saved")  # fmt: skip
    elif isinstance(outcome, Skipped) and TOO_BIG_CODE in outcome.reason:
        outcome = Failed(title, outcome.reason)
    notes = [
        f"{base.title}: replaced a manual edit inside the status table "
        f"(revision {base.revid} by {base.user})"
        for base in replaced
    ]
    if update.forced and isinstance(outcome, Saved):
        notes.append(f"{title}: circuit breaker overridden by --force: " + "; ".join(update.forced))
    return outcome, notes
