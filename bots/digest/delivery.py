"""Delivering a digest exactly once: which targets still miss it, then one new section each.

* A target already has the digest when the bot's contributions since the period end hold an
  edit summary with the id (:func:`delivered_pages`), or the page's text holds the section's
  marker (recipients archive their talk pages, so the text alone cannot be trusted;
  contributions survive archiving and page moves).
* Just before each chunk of :data:`DELIVERY_CHUNK` deliveries, the chunk's pages are read again:
  the on-page check that a concurrent run did not deliver meanwhile.
* Each post is a new section (``post_section``: non-minor, shutoff and account checked first,
  never creating a page outside the user talk pages of existing users), in the subscriber's
  language, filtered by their regions and topics.

Reads: the ``Bots``/``Nobots`` template names; the bot's own contributions since the period end
(batched); the targets again, a chunk at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bots.config.model import Config
from bots.digest.archive import DeliveryLedger
from bots.digest.content import (
    DeliveryLine,
    DigestContent,
    DigestMessage,
    RenderContext,
    for_subscriber,
    has_delivery_marker,
    render_message,
    summary_has_token,
)
from bots.digest.recipients import Target
from bots.digest.subscribers import Subscriber
from bots.digest.targets import exclusion
from bots.outcomes import Failed, Saved, Skipped, Unchanged
from bots.wiki.batches import chunks
from bots.wiki.records import PageSnapshot
from bots.wiki.saves import post_section
from bots.wiki.session import WikiSession
from bots.wiki.templates import template_names
from bots.wikitext.problems import Problem

DELIVERY_CHUNK = 10  # targets re-read together just before their deliveries


class DeliveryInterrupted(RuntimeError):
    """Raised by the ``stop_after`` test hook: the run ends the way a crash would."""


def delivered_pages(
    session: WikiSession, config: Config, namespaces: Iterable[int], digest: str, since: str
) -> set[str]:
    """Pages where the bot's edit summaries since ``since`` carry this digest's id."""
    spaces = sorted(set(namespaces))
    if not spaces:
        return set()
    out = set()
    for q in session.query_results(
        list="usercontribs", ucuser=config.wiki.user, ucnamespace=spaces, ucend=since,
        ucprop="title|comment", uclimit="max",
    ):
        for contrib in q.get("usercontribs", []):
            if summary_has_token(contrib.get("comment", ""), digest):
                out.add(contrib["title"])
    return out


@dataclass
class Delivery:
    """One digest's delivery to its targets; outcomes go to the ledger."""

    session: WikiSession
    config: Config
    options: Any
    ctx: RenderContext
    ledger: DeliveryLedger
    content: DigestContent
    bots_names: frozenset[str] = frozenset({"Bots"})
    nobots_names: frozenset[str] = frozenset({"Nobots"})
    _rendered: dict[tuple[str, tuple[str, ...], tuple[str, ...]], Any] = field(
        default_factory=dict
    )

    def already(self, target: Target, snap: PageSnapshot, done: Iterable[str] = ()) -> bool:
        """Whether the target has this digest: by the bot's contributions or the page's text."""
        return target.page in done or has_delivery_marker(snap.text, self.content.digest_id)

    def obstacle(self, target: Target, snap: PageSnapshot) -> Problem | None:
        """Why not to post to a target, judged on a snapshot of its page; None: post.
        Asked when planning and again on a fresh read just before posting."""
        problem = exclusion(
            target, snap, self.config.wiki.user,
            bots_names=self.bots_names, nobots_names=self.nobots_names,
        )
        if problem is None and snap.is_redirect:
            problem = Problem("digest-double-redirect", (target.page,))
        if problem is None and not snap.exists and not target.may_create:
            problem = Problem("digest-missing-page")
        if (problem is None and not self.config.digest.send_empty
                and not self.message(target.subscriber)[0].item_count):
            problem = Problem("digest-empty")
        return problem

    def message(self, sub: Subscriber) -> tuple[DigestContent, Any]:
        key = (sub.lang, sub.regions, sub.topics)
        if key not in self._rendered:
            mine = for_subscriber(self.content, sub.lang, sub.regions, sub.topics)
            self._rendered[key] = (mine, render_message(mine, sub.lang, self.ctx))
        return self._rendered[key]  # type: ignore[no-any-return]

    def plan(self, targets: Sequence[Target]) -> list[Target]:
        """The targets to post to: those that have the digest already count as received,
        those that must not get it are skipped with the reason."""
        session, content, report = self.session, self.content, self.ledger.report
        names = template_names(session, ["Bots", "Nobots"])
        self.bots_names, self.nobots_names = names["Bots"], names["Nobots"]
        done = delivered_pages(
            session, self.config, {t.namespace for t in targets}, content.digest_id, content.end
        )
        todo: list[Target] = []
        already = 0
        for target in targets:
            if self.already(target, target.snapshot, done):
                self.ledger.received(target)
                already += 1
            elif (problem := self.obstacle(target, target.snapshot)) is not None:
                self.ledger.skip(target.subscriber, problem, target.page)
            else:
                todo.append(target)
        if already:
            report.notes.append(f"{already} targets already had digest {content.digest_id}")
        return todo

    def post(self, target: Target, snap: PageSnapshot, msg: DigestMessage) -> Any:
        outcome = post_section(
            self.session, snap, msg.heading, msg.text, msg.summary,
            may_create=target.may_create, show_diff=self.options.diff,
            diff_out=self.options.out,
        )
        if isinstance(outcome, Saved | Unchanged | Skipped | Failed):
            return outcome
        # "conflict": the page was created (or deleted) since the read; look again once.
        fresh = self.session.read_pages([target.page])[target.page]
        if has_delivery_marker(fresh.text, self.content.digest_id):
            return Unchanged(target.page)
        outcome = post_section(
            self.session, fresh, msg.heading, msg.text, msg.summary,
            may_create=target.may_create,
        )
        if isinstance(outcome, Saved | Unchanged | Skipped | Failed):
            return outcome
        return Failed(target.page, "the page kept changing between read and save")

    def deliver(self, targets: Sequence[Target]) -> None:
        ledger = self.ledger
        delivered = 0
        stop_after = getattr(self.options, "stop_after", None)
        pending = list(targets)
        for chunk in chunks(list(targets), DELIVERY_CHUNK):
            # The on-page check, just before posting: another run may have delivered meanwhile.
            fresh = self.session.read_pages([t.page for t in chunk])
            ledger.report.pages_read += len(chunk)
            for target in chunk:
                pending.remove(target)
                sub = target.subscriber
                snap = fresh.get(target.page, target.snapshot)
                if self.already(target, snap):
                    ledger.received(target)
                    continue
                problem = self.obstacle(target, snap)
                if problem is not None:
                    ledger.skip(sub, problem, target.page)
                    continue
                _mine, msg = self.message(sub)
                outcome = self.post(target, snap, msg)
                if isinstance(outcome, Saved | Unchanged):
                    if isinstance(outcome, Saved):
                        ledger.report.record(outcome)
                        delivered += 1
                    ledger.received(target)
                else:
                    ledger.lines[sub.line] = DeliveryLine(
                        sub.page, sub.line, sub.lang, target.page,
                        reason=Problem("digest-save", (outcome.reason,)),
                    )
                    ledger.report.record(outcome)
                if stop_after is not None and delivered >= stop_after and pending:
                    raise DeliveryInterrupted(f"stopped after {delivered} deliveries (test hook)")
