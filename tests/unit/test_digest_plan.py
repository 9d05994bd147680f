"""The digest's build step (bots.digest.plan) and its ledger (bots.digest.ledger): pure."""

from __future__ import annotations

import pytest

from bots.config.model import ShutoffConfig
from bots.digest.content import CaseFacts, DigestContent, build_content, compare_case
from bots.digest.ids import delivery_marker
from bots.digest.ledger import DeliveryLedger, plain_problem
from bots.digest.message import RenderContext, subscriber_message
from bots.digest.plan import DeliveryRules, has_digest, obstacle, plan_deliveries, settled
from bots.digest.publish import chunk_size
from bots.digest.recipients import Target
from bots.digest.subscribers import LineIssue, Subscriber
from bots.i18n.messages import Messages
from bots.outcomes import JobReport
from bots.wiki.digest_reads import RecipientPage
from bots.wiki.records import PageSnapshot
from bots.wikitext.problems import Problem

DIGEST = "2026-11-30"
RULES = DeliveryRules("AdvocacyBot", send_empty=False, bots_names=frozenset({"Bots"}),
                      nobots_names=frozenset({"Nobots", "No bots"}))


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


@pytest.fixture(scope="module")
def ctx(messages: Messages) -> RenderContext:
    return RenderContext(messages, "Advocacy/Digest/Subscribers")


@pytest.fixture(scope="module")
def content() -> DigestContent:
    europe = CaseFacts("Advocacy/A", "A", region="europe", topics=("copyright",), status="active")
    change = compare_case(None, europe)
    assert change is not None
    return build_content(DIGEST, "2026-11-23T07:00:00Z", "2026-11-30T07:00:00Z", [change])


def target(line: int, text: str | None = "Hello.", *, lang: str = "en",
           regions: tuple[str, ...] = (), exists: bool = True, may_create: bool = False,
           redirect: bool = False, via: RecipientPage | None = None, call: int = 1,
           category: str = "", transcluded: frozenset[str] = frozenset()) -> Target:
    page = f"User talk:U{line}"
    snap = PageSnapshot(page, 3, exists, text if exists else None, is_redirect=redirect)
    return Target(Subscriber(page, line, lang, regions, call=call), page, 3, snap, may_create,
                  via.snapshot if via else None, RecipientPage(snap, category, transcluded), via)


def test_messages_are_rendered_once_per_kind_of_subscriber(
    content: DigestContent, ctx: RenderContext
) -> None:
    targets = [target(1), target(2), target(3, lang="fr"), target(4, regions=("europe",))]
    plan = plan_deliveries(content, targets, frozenset(), ctx, RULES)
    assert [p.target.subscriber.line for p in plan.posts] == [1, 2, 3, 4]
    first, second, french, europe = (p.message for p in plan.posts)
    assert first is second  # the same kind of subscriber: one rendering
    assert french is not first and french.lang == "fr"
    assert europe is not first
    # what is planned is what the message renderer gives for that subscriber
    assert first == subscriber_message(content, targets[0].subscriber, ctx)
    assert plan.already == () and plan.refused == ()


def test_targets_that_have_the_digest_count_as_received(
    content: DigestContent, ctx: RenderContext
) -> None:
    """Only the bot's own contributions prove a delivery: a marker anyone pasted does not."""
    marked = target(2, f"== Digest ==\n{delivery_marker(DIGEST)}\nold post")
    other_digest = target(3, f"{delivery_marker('2026-11-23')}")
    plan = plan_deliveries(content, [target(1), marked, other_digest],
                           frozenset({"User talk:U1"}), ctx, RULES)
    assert [t.subscriber.line for t in plan.already] == [1]
    assert [p.target.subscriber.line for p in plan.posts] == [2, 3]


def test_refusals_carry_their_reason(content: DigestContent, ctx: RenderContext) -> None:
    redirect_with_nobots = RecipientPage(PageSnapshot(
        "User talk:Old", 3, True, "#REDIRECT [[x]] {{nobots}}", is_redirect=True))
    targets = [
        target(1, "{{No bots}}"),
        target(2, "{{bots|deny=AdvocacyBot}}"),
        target(3, exists=False),
        target(4, exists=False, may_create=True),
        target(5, regions=("africa",)),  # nothing for this region
        target(6, redirect=True),
        target(7, via=redirect_with_nobots),
    ]
    plan = plan_deliveries(content, targets, frozenset(), ctx, RULES)
    assert [(t.subscriber.line, p.code) for t, p in plan.refused] == [
        (1, "digest-nobots"), (2, "digest-deny"), (3, "digest-missing-page"),
        (5, "digest-empty"), (6, "digest-double-redirect"), (7, "digest-nobots"),
    ]
    assert plan.refused[0][1].params == ("{{No bots}}",)
    assert [p.target.subscriber.line for p in plan.posts] == [4]


def test_send_empty_posts_an_empty_digest(content: DigestContent, ctx: RenderContext) -> None:
    rules = DeliveryRules(RULES.bot_user, True, RULES.bots_names, RULES.nobots_names)
    plan = plan_deliveries(content, [target(1, regions=("africa",))], frozenset(), ctx, rules)
    assert len(plan.posts) == 1 and plan.posts[0].message.item_count == 0


def test_the_fresh_read_is_judged_the_same_way(content: DigestContent, ctx: RenderContext) -> None:
    planned = target(1)
    message = subscriber_message(content, planned.subscriber, ctx)
    assert obstacle(planned, RecipientPage(planned.snapshot), message, RULES) is None
    nobots_now = RecipientPage(PageSnapshot(planned.page, 3, True, "{{nobots}}\nHello."))
    problem = obstacle(planned, nobots_now, message, RULES)
    assert problem is not None and problem.code == "digest-nobots"
    category_now = RecipientPage(planned.snapshot, "Opted-out of message delivery")
    problem = obstacle(planned, category_now, message, RULES)
    assert problem is not None and problem.code == "digest-optout-category"
    assert problem.params == ("Opted-out of message delivery",)
    assert has_digest(planned, frozenset({planned.page}))
    assert not has_digest(planned, frozenset({"User talk:Someone else"}))


def test_ledger_records_skips_in_plain_words_and_reports_by_line(messages: Messages) -> None:
    report = JobReport(job="digest")
    ledger = DeliveryLedger(report, messages)
    alice = target(3)
    ledger.received(alice)
    ledger.skip(Subscriber("User talk:Ghost", 2), Problem("digest-no-user", ("Ghost",)))
    ledger.line_issue(
        LineIssue(1, "User talk:[[x]]", Problem("subscriber-invalid-title", ("User talk:[[x]]",)),
                  True), "Subscribers")
    ledger.line_issue(LineIssue(3, "User talk:U3", Problem("subscriber-bad-lang", ("x!",)),
                                False), "Subscribers")
    out = ledger.delivery_report(pending=[target(4)])
    assert [(d.line, d.reason is None, d.pending, d.linkable) for d in out.lines] == [
        (1, False, False, False), (2, False, False, True), (3, True, False, True),
        (4, True, True, True)]
    assert [d.line for d in out.received] == [3] and [d.line for d in out.pending] == [4]
    assert [w[0] for w in out.warnings] == [3]
    # the console and run log get words, not wikitext
    assert [s.reason for s in report.skipped] == [
        'the user account "Ghost" does not exist',
        '"User talk:[[x]]" is not a valid page title',
    ]
    assert plain_problem(messages, Problem("digest-nobots", ("{{nobots}}",))) == (
        "the page keeps bots away: {{nobots}}")


def test_a_rerun_is_settled_only_when_no_target_can_still_need_a_post() -> None:
    """A same-day rerun stops before reading the content only when every target has the digest
    by the bot's own contributions or is kept off it by its page alone; a marker on the page
    proves nothing, and one target that may still need a post means the full plan."""
    kept_off = [target(2, "{{nobots}}"), target(3, exists=False), target(4, redirect=True)]
    found = settled([target(1), *kept_off], frozenset({"User talk:U1"}), RULES)
    assert found is not None
    already, refused = found
    assert [t.subscriber.line for t in already] == [1]
    assert [(t.subscriber.line, p.code) for t, p in refused] == [
        (2, "digest-nobots"), (3, "digest-missing-page"), (4, "digest-double-redirect")]
    marked = target(5, f"== Digest ==\n{delivery_marker(DIGEST)}")
    assert settled([target(1), marked], frozenset({"User talk:U1"}), RULES) is None
    assert settled([target(1), target(6, exists=False, may_create=True)],
                   frozenset({"User talk:U1"}), RULES) is None
    assert settled([], frozenset(), RULES) == ((), ())


@pytest.mark.parametrize(("edits", "age", "throttle", "size"), [
    (10, 10.0, 0.0, 10), (20, 10.0, 0.0, 20), (1, 10.0, 0.0, 1), (500, 10.0, 0.0, 50),
    (20, 10.0, 10.0, 1), (20, 60.0, 10.0, 6), (20, 5.0, 10.0, 1),
])
def test_a_chunk_is_as_many_posts_as_one_check_stands_for(
    edits: int, age: float, throttle: float, size: int
) -> None:
    shutoff = ShutoffConfig("User:Bot/Run", check_max_edits=edits, check_max_age_seconds=age)
    assert chunk_size(shutoff, throttle) == size
