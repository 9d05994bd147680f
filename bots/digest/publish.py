"""Publishing a digest: the archive page, one new section per planned target, the archive again.

* Before the first post the archive page is saved in state ``delivering``, the targets still to
  post to marked pending; after the last post, in state ``complete``. A run that stops in between
  leaves the record the next run resumes from (``bots.digest.period``). When the ``delivering``
  state cannot be saved, nothing is posted: the run fails with the reason (exit 1).
* Each post is the message planned in the build step (``bots.digest.plan``); nothing is rendered
  here but the archive, whose report is the outcome of the posts. A post is a new section
  (``post_section``: non-minor, shutoff and account checked first, never creating a page outside
  the user talk pages of existing users).
* Posts go a chunk at a time (:func:`chunk_size`: as many as one pre-write check stands for),
  and each chunk's pages are read again just before: the guard of the write itself, as an
  edit's base revision is. A concurrent run may have
  delivered meanwhile (the bot's own contributions, read in the same request, say so), or the
  page changed ({{nobots}} added, opt-out category, page deleted); the plan's checks run again on
  the fresh page, which is also the base of the post.

Writes: the archive page (before and after), one new section per target.
Reads: the targets again with the bot's contributions and moves since the period end, a chunk
at a time in one request (one page again after an edit conflict), which also carries the
pre-write check of shutoff page, account and block (``WikiSession.accept_preflight``): it
stands for the chunk's posts as far as ``[shutoff] check_max_edits`` and
``check_max_age_seconds`` allow (the session's throttle); past that a post checks itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bots.config.model import ShutoffConfig
from bots.digest.archive import archive_summary, render_archive
from bots.digest.content import DigestContent
from bots.digest.evidence import delivered_titles
from bots.digest.ledger import DeliveryLedger
from bots.digest.message import DigestMessage, RenderContext
from bots.digest.plan import DeliveryPlan, DeliveryRules, as_read, has_digest, obstacle, settled
from bots.digest.recipients import EXCLUSION_TEMPLATES, Target
from bots.outcomes import EditConflict, EditOutcome, Failed, Saved, Unchanged
from bots.progress import progress
from bots.run_options import RunOptions
from bots.wiki.digest_reads import DigestSite, EvidenceQuery, RecipientPage, read_recipients
from bots.wiki.records import PageSnapshot
from bots.wiki.saves import post_section, save_page
from bots.wiki.session import WikiSession

MAX_CHUNK = 50  # targets read again together at most (one request without high limits)


class DeliveryInterrupted(RuntimeError):
    """Raised by the ``stop_after`` test hook: the run ends the way a crash would."""


def record_plan(ledger: DeliveryLedger, plan: DeliveryPlan) -> None:
    """What the plan already decided: targets that have the digest, and those refused."""
    for target in plan.already:
        ledger.received(target)
    for target, problem in plan.refused:
        ledger.skip(target.subscriber, problem, target.page)
    if plan.already:
        ledger.report.notes.append(
            f"{len(plan.already)} targets already had digest {plan.digest_id}"
        )


def rerun_settled(
    ledger: DeliveryLedger, digest: str, targets: Sequence[Target], delivered: frozenset[str],
    rules: DeliveryRules,
) -> bool:
    """A same-day rerun of a complete digest: True (recorded, nothing more to do: no content
    read, the archive left as it is) when no target can still need a post."""
    done = settled(targets, delivered, rules)
    if done is None:
        return False
    record_plan(ledger, DeliveryPlan(digest, rules, (), *done))
    ledger.report.notes.append(f"digest {digest}: every target has it or is kept off it; "
                               "nothing collected, nothing posted")
    return True


@dataclass(frozen=True)
class Freshness:
    """How to read targets again just before posting: the wiki's facts and the evidence query."""

    site: DigestSite
    evidence: EvidenceQuery


def _fresh(session: WikiSession, fresh: Freshness, titles: Sequence[str],
           digest: str) -> tuple[dict[str, RecipientPage], frozenset[str]]:
    # the pre-write check rides along: the chunk's posts need no request of their own for it
    pages, evidence = read_recipients(session, titles, site=fresh.site,
                                      exclusion_templates=EXCLUSION_TEMPLATES,
                                      with_evidence=fresh.evidence, carry_check=True)
    return pages, delivered_titles(evidence, digest)


def save_archive(
    session: WikiSession, options: RunOptions, ctx: RenderContext, ledger: DeliveryLedger,
    content: DigestContent, archive_page: str, pending: Sequence[Target], *, complete: bool,
    max_bytes: int, base: PageSnapshot | None = None,
) -> tuple[EditOutcome, PageSnapshot | None]:
    """Save the archive page with the delivery report so far (``pending``: still to post);
    ``base``: the page as the bot's previous save of it left it (None: read it first). Returns
    the outcome and, after a plain save, the revision it made (the next save's base)."""
    report = ledger.delivery_report(pending)
    text = render_archive(content, report, ctx, complete=complete, max_bytes=max_bytes)
    outcome = save_page(
        session, archive_page, lambda _base: text, archive_summary(report, ctx, content.digest_id),
        base=base, may_create=True, show_diff=options.diff, diff_out=options.out,
    )
    ledger.report.record(outcome)
    saved = None
    if isinstance(outcome, Saved) and outcome.revid and not outcome.simulated \
            and not outcome.note:
        # The bot's own revision, as saved: the next save names it as its base revision, so an
        # edit made in between is a conflict or a merge the landing check sees, as after a
        # read; ``exists`` sends ``nocreate``, so a deletion in between is never re-created.
        saved = PageSnapshot(outcome.title, session.normalize(outcome.title)[1], True,
                             text.rstrip(), outcome.revid)
    return outcome, saved


def chunk_size(shutoff: ShutoffConfig, put_throttle: float) -> int:
    """Targets per re-read: as many posts as the pre-write check it carries stands for, in
    writes (``check_max_edits``) and in time (the posts the put throttle lets start within
    ``check_max_age_seconds``), so no post of a chunk needs a check of its own; at least 1,
    at most :data:`MAX_CHUNK`."""
    posts = shutoff.check_max_edits
    if put_throttle > 0:  # a chunk spread over more time would re-read pages long before
        posts = min(posts, int(shutoff.check_max_age_seconds / put_throttle))
    return max(1, min(MAX_CHUNK, posts))


def _post_section(
    session: WikiSession, options: RunOptions | None, target: Target, snap: PageSnapshot,
    msg: DigestMessage,
) -> EditOutcome | EditConflict:
    """``post_section`` for one target (an ``EditConflict`` when the page was created or
    deleted since the read)."""
    return post_section(
        session, snap, msg.heading, msg.text, msg.summary, may_create=target.may_create,
        show_diff=options.diff if options else False, diff_out=options.out if options else None,
    )


def _post(
    session: WikiSession, options: RunOptions, target: Target, snap: PageSnapshot,
    msg: DigestMessage, fresh: Freshness, digest: str,
) -> EditOutcome:
    outcome = _post_section(session, options, target, snap, msg)
    if not isinstance(outcome, EditConflict):
        return outcome
    # A conflict: look again once. A post whose answer was lost shows in the bot's contributions.
    pages, delivered = _fresh(session, fresh, [target.page], digest)
    if target.page in delivered:
        return Unchanged(target.page)
    if target.page not in pages:
        return Failed(target.page, "the page could not be read again after an edit conflict")
    outcome = _post_section(session, None, target, pages[target.page].snapshot, msg)
    if not isinstance(outcome, EditConflict):
        return outcome
    return Failed(target.page, "the page kept changing between read and save")


def deliver(
    session: WikiSession, options: RunOptions, ledger: DeliveryLedger, plan: DeliveryPlan,
    freshness: Freshness,
) -> None:
    """Post each planned message, a chunk at a time; outcomes go to the ledger."""
    posts = plan.posts
    delivered = 0
    fresh: dict[str, RecipientPage] = {}
    already: frozenset[str] = frozenset()
    shown = progress(posts, total=len(posts), label="delivering the digest",
                     enabled=options.progress)
    size = chunk_size(session.config.shutoff, session.config.wiki.put_throttle)
    for i, post in enumerate(shown):
        if i % size == 0:
            chunk = posts[i : i + size]
            fresh, already = _fresh(session, freshness, [p.target.page for p in chunk],
                                    plan.digest_id)
            ledger.report.pages_read += len(chunk)
        target = post.target
        read = fresh.get(target.page, as_read(target))
        if has_digest(target, already):
            ledger.received(target)
            continue
        problem = obstacle(target, read, post.message, plan.rules)
        if problem is not None:
            ledger.skip(target.subscriber, problem, target.page)
            continue
        outcome = _post(session, options, target, read.snapshot, post.message, freshness,
                        plan.digest_id)
        if isinstance(outcome, Saved):
            ledger.report.record(outcome)
            delivered += 1
        if isinstance(outcome, Saved | Unchanged):
            ledger.received(target)
        else:
            ledger.not_posted(target, outcome)
        stop_after = options.stop_after
        if stop_after is not None and delivered >= stop_after and i + 1 < len(posts):
            raise DeliveryInterrupted(f"stopped after {delivered} deliveries (test hook)")


def publish(
    session: WikiSession, options: RunOptions, ctx: RenderContext, ledger: DeliveryLedger,
    content: DigestContent, plan: DeliveryPlan, archive_page: str, freshness: Freshness,
) -> None:
    """The archive (``delivering``, when there is anything to post), the posts, the archive
    (``complete``). Nothing is posted when the ``delivering`` state was not saved."""
    record_plan(ledger, plan)
    pending = [post.target for post in plan.posts]
    size = freshness.site.max_page_bytes
    base = None
    if pending:
        outcome, base = save_archive(session, options, ctx, ledger, content, archive_page,
                                     pending, complete=False, max_bytes=size)
        if not isinstance(outcome, Saved | Unchanged):
            ledger.report.record(Failed(archive_page, (
                f"the archive could not be saved in state delivering ({outcome.reason}); "
                f"nothing was delivered")))
            return
    deliver(session, options, ledger, plan, freshness)
    save_archive(session, options, ctx, ledger, content, archive_page, (), complete=True,
                 max_bytes=size, base=base)
