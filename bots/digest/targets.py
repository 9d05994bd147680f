"""Who receives a digest: the subscriber list -> valid talk pages -> deliverable targets, and
where the digest already arrived.

Only talk pages are targets. A redirect is followed once (a renamed user's moved talk page); a
user talk page needs an existing user; a page that does not exist may be created only when it is
a user's own talk page; a target listed twice gets one copy. With
``digest.require_self_subscription`` a line subscribing a user talk page (or a subpage of one)
counts only when that user added it (``bots.digest.consent``); other talk pages are exempt.
Every line that is not delivered to is recorded with its reason in the
:class:`~bots.digest.ledger.DeliveryLedger`.

More valid targets than ``config.digest.max_targets``: nothing is delivered and the job fails
with the count: a vandalised list must not reach anyone, and the first N lines of it are no
safer than the rest.

A target already has the digest when the bot's own contributions since the period end hold an
edit summary with the digest's id on that page, or on a page it was moved from since
(``bots.digest.evidence``): recipients archive their talk pages by editing or by moving them,
and only the bot's own edits are trusted; a marker someone else put on a page proves nothing.

Reads, batched: the names of the templates the digest reads, with the wiki's facts (one
request); the list page and
the wiki's titles (``bots.digest.listpage``); the target pages with their opt-out categories
and transcluded exclusion templates; the redirects they make and the pages they lead to;
``list=users`` for user talk targets; the bot's contributions and the move log since the period
end (one request).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bots.config.model import Config
from bots.config.permissions import delivery_refusal
from bots.digest.consent import owner, self_subscribed
from bots.digest.evidence import delivered_titles
from bots.digest.ledger import DeliveryLedger, RunStop
from bots.digest.listpage import read_list
from bots.digest.period import Period
from bots.digest.plan import DeliveryRules
from bots.digest.recipients import EXCLUSION_TEMPLATES, Target
from bots.digest.subscribers import Subscriber, parse_subscriber_list
from bots.outcomes import Failed
from bots.wiki.digest_reads import (
    DigestSite,
    EvidenceQuery,
    RecipientPage,
    digest_site,
    read_recipients,
)
from bots.wiki.session import WikiSession
from bots.wiki.users import existing_users, first_redirect_hops
from bots.wikitext.problems import Problem
from bots.wikitext.titles import bare_title


@dataclass(frozen=True)
class DigestTemplates:
    """The names (redirects included) of the templates the digest reads pages with."""

    subscriber: frozenset[str]
    case: frozenset[str]
    bots: frozenset[str]
    nobots: frozenset[str]
    position: frozenset[str] = frozenset()  # ``[knowledge] position_template``

    def rules(self, bot_user: str, send_empty: bool) -> DeliveryRules:
        """The rules a page is judged by before a post (``bots.digest.plan``)."""
        return DeliveryRules(bot_user, send_empty, self.bots, self.nobots)


@dataclass(frozen=True)
class SubscriberLines:
    """The usable lines of the subscriber list, and when it was read (the server's time)."""

    subscribers: tuple[Subscriber, ...]
    read_at: str
    namespaces: Mapping[str, int]  # listed page (the wiki's title) -> namespace
    adders: Mapping[str, str] | None = None  # listed page -> who added it; None: rule off


def digest_templates(session: WikiSession, config: Config) -> tuple[DigestTemplates, DigestSite]:
    """All five templates' names and the wiki's facts (``digest_site``) in one request."""
    subscriber, case = config.templates.subscriber, config.templates.case
    position = config.knowledge.position_template
    site, names = digest_site(session, [subscriber, case, position, *EXCLUSION_TEMPLATES])
    return DigestTemplates(names[subscriber], names[case], names["Bots"], names["Nobots"],
                           names[position]), site


def read_subscribers(
    session: WikiSession, config: Config, templates: DigestTemplates, ledger: DeliveryLedger
) -> SubscriberLines:
    """The subscribers whose pages may receive a digest; raises :class:`RunStop` when there
    are none to read or more than ``config.digest.max_targets``."""
    target_names = frozenset({config.templates.massmessage_target})
    read = read_list(session, config, ledger.report, (templates.subscriber, target_names))
    ledger.report.pages_read += 1

    def wiki_title(raw: str) -> str | Problem | None:
        found = read.titles.get(raw.strip())
        if found is not None and found.interwiki:
            return Problem("subscriber-other-wiki", (found.interwiki,))
        return found.title if found is not None and found.title else None

    parsed = parse_subscriber_list(
        read.page.snapshot.text or "",
        subscriber_names=templates.subscriber,
        target_names=target_names,
        regions=config.vocabulary.regions,
        topics=config.vocabulary.topics,
        normalize_title=wiki_title,
    )
    for issue in parsed.issues:
        ledger.line_issue(issue, read.title)
    namespaces = {t.title: t.namespace for t in read.titles.values() if t.title}
    valid = []
    for sub in parsed.subscribers:
        namespace = namespaces.get(sub.page, 0)
        refusal = delivery_refusal(sub.page, namespace)
        if refusal is None:
            valid.append(sub)
        elif namespace >= 0 and namespace % 2 == 0:
            ledger.skip(sub, Problem("digest-not-talk"))
        else:
            ledger.skip(sub, Problem("digest-refused", (refusal,)))
    if len(valid) > config.digest.max_targets:
        ledger.report.record(Failed(read.title, (
            f"{len(valid)} valid targets exceed digest.max_targets "
            f"({config.digest.max_targets}); nothing was delivered. Check the list for "
            "vandalism, or raise the limit")))
        raise RunStop
    return SubscriberLines(tuple(valid), read.page.snapshot.read_at, namespaces, read.adders)


def _finals(
    session: WikiSession, ledger: DeliveryLedger, subscribers: Sequence[Subscriber],
    pages: Mapping[str, RecipientPage],
) -> dict[str, str]:
    """Listed page -> the page that receives the digest (after one redirect)."""
    redirects = [s.page for s in subscribers if s.page in pages
                 and pages[s.page].snapshot.is_redirect]
    hops = first_redirect_hops(session, redirects) if redirects else {}
    finals: dict[str, str] = {}
    for sub in subscribers:
        hop = hops.get(sub.page)
        if sub.page not in pages:  # the API did not answer for it: a title it rejects
            ledger.skip(sub, Problem("subscriber-invalid-title", (sub.page,)))
        elif not pages[sub.page].snapshot.is_redirect:
            finals[sub.page] = sub.page
        elif hop is None:
            ledger.skip(sub, Problem("digest-broken-redirect"))
        elif hop.interwiki:
            ledger.skip(sub, Problem("digest-redirect-other-wiki", (hop.target,)))
        elif hop.again:
            ledger.skip(sub, Problem("digest-double-redirect", (hop.target,)))
        else:
            finals[sub.page] = hop.target
    return finals


def resolve_targets(
    session: WikiSession, ledger: DeliveryLedger, lines: SubscriberLines, site: DigestSite,
    delivered: frozenset[str] = frozenset(),
) -> list[Target]:
    """Follow redirects once, check users, consent, pages and duplicates; keep deliverable
    ones. Pages in ``delivered`` (they have the digest) are read without their text."""
    subscribers = lines.subscribers
    pages, _ = read_recipients(session, [s.page for s in subscribers], site=site,
                               exclusion_templates=EXCLUSION_TEMPLATES, without_text=delivered)
    finals = _finals(session, ledger, subscribers, pages)
    extra = sorted(set(finals.values()) - set(pages))
    if extra:
        pages.update(read_recipients(session, extra, site=site,
                                     exclusion_templates=EXCLUSION_TEMPLATES,
                                     without_text=delivered)[0])
    ledger.report.pages_read += len(subscribers) + len(extra)
    namespaces = {t: pages[t].snapshot.namespace for t in finals.values() if t in pages}
    users = existing_users(session, {owner(t, ns) for t, ns in namespaces.items()} - {""})
    targets: list[Target] = []
    first_line: dict[str, int] = {}
    for sub in subscribers:
        if sub.page not in finals:
            continue
        read = pages.get(finals[sub.page])
        if read is None:
            ledger.skip(sub, Problem("subscriber-invalid-title", (finals[sub.page],)))
            continue
        snap = read.snapshot
        title, namespace = snap.title, snap.namespace
        via = pages[sub.page] if title != sub.page else None
        refusal = delivery_refusal(title, namespace)
        user = owner(title, namespace)
        owners = (owner(sub.page, lines.namespaces.get(sub.page, 0)), user)
        adder = None if lines.adders is None else lines.adders.get(sub.page)
        if namespace % 2 != 1 or namespace < 0:
            ledger.skip(sub, Problem("digest-redirect-not-talk", (title,)), title)
        elif refusal:
            ledger.skip(sub, Problem("digest-refused", (refusal,)), title)
        elif snap.is_redirect:
            ledger.skip(sub, Problem("digest-double-redirect", (title,)), title)
        elif user and user not in users:
            ledger.skip(sub, Problem("digest-no-user", (user,)), title)
        elif lines.adders is not None and not self_subscribed(adder, owners):
            problem = (Problem("digest-not-self-subscribed", (adder, user or owners[0]))
                       if adder else Problem("digest-adder-unknown", (user or owners[0],)))
            ledger.skip(sub, problem, title)
        elif title in first_line:
            problem = Problem("digest-duplicate-target", (title, str(first_line[title])))
            ledger.skip(sub, problem, title)
        else:
            # Only a user's own talk page may be created, never a subpage or other talk.
            may_create = bool(user) and bare_title(title, namespace) == user
            if not snap.exists and not may_create:
                ledger.skip(sub, Problem("digest-missing-page"), title)
                continue
            first_line[title] = sub.line
            targets.append(Target(sub, title, namespace, snap, may_create,
                                  via.snapshot if via else None, read, via))
    return targets


def evidence_query(config: Config, targets: Sequence[Target], period: Period) -> EvidenceQuery:
    return EvidenceQuery(config.wiki.user, tuple(sorted({t.namespace for t in targets})),
                         period.end)


def delivered_pages(
    session: WikiSession, config: Config, targets: Sequence[Target], period: Period,
    site: DigestSite,
) -> frozenset[str]:
    """Pages (and pages moved away since) where the bot's own edit summaries since the period
    end carry this digest's id (one request)."""
    if not targets:
        return frozenset()
    _, evidence = read_recipients(session, [], site=site, exclusion_templates=(),
                                  with_evidence=evidence_query(config, targets, period))
    return delivered_titles(evidence, period.digest_id)


def targets_and_evidence(
    session: WikiSession, config: Config, ledger: DeliveryLedger, lines: SubscriberLines,
    site: DigestSite, period: Period,
) -> tuple[list[Target], frozenset[str]]:
    """The deliverable targets and the pages that have the digest already.

    The bot's own contributions come first (one request, in the listed pages' namespaces), so
    a rerun reads the text only of the targets still missing the digest. A redirect into
    another talk namespace makes the evidence be read again for the targets' namespaces."""
    asked = tuple(sorted({lines.namespaces.get(s.page, 0) for s in lines.subscribers}))
    delivered = frozenset[str]()
    if lines.subscribers:
        _, evidence = read_recipients(session, [], site=site, exclusion_templates=(),
                                      with_evidence=EvidenceQuery(config.wiki.user, asked,
                                                                  period.end))
        delivered = delivered_titles(evidence, period.digest_id)
    targets = resolve_targets(session, ledger, lines, site, delivered)
    if {t.namespace for t in targets} - set(asked):
        delivered = delivered_pages(session, config, targets, period, site)
    return targets, delivered
