"""The digest's own records and bounds, pure: who added each subscription
(bots.digest.consent), where a digest already arrived (bots.digest.evidence), the delivery
report of every call (bots.digest.archive), the archive and posts bounded in size, and random
and adversarial subscriber lines through the parser and renderers (hypothesis)."""

from __future__ import annotations

from pathlib import Path

import mwparserfromhell
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bots.config.load import load_config
from bots.config.model import Config
from bots.digest.archive import MAX_REPORT_ENTRIES, render_archive
from bots.digest.consent import ConsentState, ListedAt, advance, owner, self_subscribed
from bots.digest.content import CaseFacts, DigestContent, build_content, compare_case
from bots.digest.evidence import delivered_titles
from bots.digest.ledger import DeliveryLedger, DeliveryLine, DeliveryReport
from bots.digest.message import MAX_POST_ITEMS, RenderContext, subscriber_message
from bots.digest.subscribers import LineIssue, Subscriber, parse_subscriber_list
from bots.i18n.messages import Messages
from bots.outcomes import JobReport
from bots.wiki.contributions import Contribution
from bots.wiki.digest_reads import Evidence, Move
from bots.wikitext.problems import Problem

DEVWIKI_CONFIG = Path(__file__).resolve().parents[2] / "config" / "devwiki.toml"
DIGEST = "2026-11-30"
TOKEN = f"Advocacy Hub digest {DIGEST}: 1 item (advocacy-hub-digest:{DIGEST})"


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(DEVWIKI_CONFIG)


@pytest.fixture(scope="module")
def ctx(messages: Messages) -> RenderContext:
    return RenderContext(messages, "Advocacy/Digest/Subscribers")


def content_of(cases: int) -> DigestContent:
    changes = []
    for i in range(cases):
        change = compare_case(None, CaseFacts(f"Advocacy/Case {i}", f"Case {i}" + "x" * 80,
                                              region="europe", status="active"))
        assert change is not None
        changes.append(change)
    return build_content(DIGEST, "2026-11-23T07:00:00Z", "2026-11-30T07:00:00Z", changes)


# ---------------------------------------------------------------------------------------------
# Who added each subscription (issue 11 point 3)


def at(revid: int, user: str, *pages: str) -> ListedAt:
    return ListedAt(revid, user, {p.split("|")[0]: p for p in pages})


def test_the_adder_is_who_listed_the_page_where_it_was_not_listed() -> None:
    state = advance(ConsentState(), 7, [
        at(1, "Alice", "User talk:Alice"),
        at(2, "Mallory", "User talk:Alice", "User talk:Bob"),  # Mallory lists Bob
        at(3, "Bob", "User talk:Alice", "User talk:Bob"),  # Bob edits: Mallory still added it
        at(4, "Carol", "User talk:Alice"),  # Bob's line removed
        at(5, "Bob", "User talk:Alice", "User talk:Bob"),  # and Bob adds himself
        at(6, "Dave", "User talk:Alice", "User talk:Bob", "Talk:Project"),
    ])
    assert state.pageid == 7 and state.revid == 6
    assert state.adders == {"User talk:Alice": "Alice", "User talk:Bob": "Bob",
                            "Talk:Project": "Dave"}


def test_the_owner_confirms_a_line_by_editing_it_and_a_change_by_another_suspends_it() -> None:
    state = advance(ConsentState(), 7, [
        at(1, "Mallory", "User talk:Bob"),
        at(2, "Bob", "User talk:Bob|lang=en"),  # Bob edits the line Mallory wrote
    ])
    assert state.adders == {"User talk:Bob": "Bob"}
    state = advance(state, 7, [at(3, "Mallory", "User talk:Bob|lang=en", "Talk:X"),
                               at(4, "Mallory", "User talk:Bob|lang=fr", "Talk:X")])
    assert state.adders == {"User talk:Bob": "Mallory", "Talk:X": "Mallory"}


def test_reading_is_incremental_and_a_new_page_starts_afresh() -> None:
    first = advance(ConsentState(), 7, [at(1, "Mallory", "User talk:Bob")])
    # a second run reads from the last revision on: the revision read before is not re-applied
    second = advance(first, 7, [at(1, "Bob", "User talk:Bob"), at(2, "Eve", "User talk:Bob")])
    assert second.adders == {"User talk:Bob": "Mallory"} and second.revid == 2
    # the list was deleted and re-created: its history is another page's
    fresh = advance(second, 9, [at(10, "Bob", "User talk:Bob")])
    assert (fresh.pageid, fresh.revid, fresh.adders) == (9, 10, {"User talk:Bob": "Bob"})


def test_hidden_revisions_attribute_nothing() -> None:
    state = advance(ConsentState(), 1, [
        at(1, "Alice", "User talk:Alice"),
        ListedAt(2, "Mallory", None),  # text hidden: nothing known changes
        at(3, "", "User talk:Alice", "User talk:Bob"),  # author hidden: matches no one
    ])
    assert state.adders == {"User talk:Alice": "Alice", "User talk:Bob": ""}
    assert not self_subscribed(state.adders["User talk:Bob"], ["Bob"])


@pytest.mark.parametrize(("page", "namespace", "expected"), [
    ("User talk:Alice", 3, "Alice"), ("User talk:Alice/Digest", 3, "Alice"),
    ("Talk:Project", 1, ""), ("Meta talk:Group", 5, ""), ("User:Alice", 2, "")])
def test_owner(page: str, namespace: int, expected: str) -> None:
    assert owner(page, namespace) == expected


def test_self_subscribed() -> None:
    assert self_subscribed("Alice", ["Alice", ""])
    assert self_subscribed("New name", ["Old name", "New name"])  # a renamed user's redirect
    assert self_subscribed(None, ["", ""])  # project and group talk pages are exempt
    assert not self_subscribed("Mallory", ["Alice"])
    assert not self_subscribed(None, ["Alice"])  # unknown: fail closed
    assert not self_subscribed("", ["Alice"])


# ---------------------------------------------------------------------------------------------
# Where the digest already arrived: the bot's own contributions and the move log (issue 17.3)


def test_a_delivery_follows_the_page_back_through_its_moves() -> None:
    evidence = Evidence(
        (Contribution("User talk:A/Archive 1", TOKEN),
         Contribution("User talk:B", "digest 2026-11-23 (advocacy-hub-digest:2026-11-23)"),
         Contribution("User talk:C", "(advocacy-hub-digest:2026-11-300)")),
        (Move("User talk:A", "User talk:A/Temp"),
         Move("User talk:A/Temp", "User talk:A/Archive 1"),
         Move("User talk:X", "User talk:Y"), Move("User talk:Y", "User talk:X")),
    )
    assert delivered_titles(evidence, DIGEST) == {
        "User talk:A/Archive 1", "User talk:A/Temp", "User talk:A"}


# ---------------------------------------------------------------------------------------------
# Every call in the report (issue 17 point 6); bounded archive and posts (issue 17 point 1)


def test_every_call_on_a_line_has_its_own_report_entry(messages: Messages,
                                                       ctx: RenderContext) -> None:
    ledger = DeliveryLedger(JobReport(job="digest"), messages)
    for call in (1, 2, 3):
        ledger.skip(Subscriber(f"User talk:U{call}", 4, call=call), Problem("digest-empty"))
    ledger.line_issue(LineIssue(4, "", Problem("subscriber-missing-page"), True, 4), "L")
    ledger.line_issue(LineIssue(5, "User talk:V", Problem("subscriber-bad-lang", ("qqq",)),
                                False), "L")
    archive = render_archive(content_of(1), ledger.delivery_report(), ctx, complete=True)
    assert "'''Skipped (4)'''" in archive
    for call in (1, 2, 3, 4):
        assert f"* line 4, call {call}" in archive
    assert "* line 5: " in archive  # one call on its line: the line is enough


def test_junk_lines_do_not_inflate_the_archive(messages: Messages, ctx: RenderContext) -> None:
    junk = "\n".join(["junk text that is no subscription"] * 5000 + ["{{Target|page=}}"] * 3000
                     + ["{{Target|page=User talk:Real}}"])
    parsed = parse_subscriber_list(junk, subscriber_names=(), target_names=("Target",),
                                   regions={}, topics={})
    ledger = DeliveryLedger(JobReport(job="digest"), messages)
    for issue in parsed.issues:
        ledger.line_issue(issue, "L")
    archive = render_archive(content_of(1), ledger.delivery_report(), ctx, complete=True)
    assert "'''Skipped (3000)'''" in archive
    assert archive.count("\n* line ") == MAX_REPORT_ENTRIES
    assert f"… and {3000 - MAX_REPORT_ENTRIES} more, not shown here" in archive
    assert len(archive.encode()) < 60_000


def test_the_archive_stays_below_the_wiki_maximum_page_size(messages: Messages,
                                                            ctx: RenderContext) -> None:
    content = content_of(3000)
    lines = tuple(DeliveryLine(f"User talk:User number {i}" + "y" * 100, i, "en")
                  for i in range(1, 3001))
    for max_bytes in (2 * 1024 * 1024, 300_000, 60_000):
        archive = render_archive(content, DeliveryReport(lines), ctx, complete=True,
                                 max_bytes=max_bytes)
        assert len(archive.encode()) < max_bytes * 0.8, max_bytes
        assert archive.startswith("<!-- advocacy-hub-digest-archive: id=2026-11-30 ")
    assert "shortened to stay below the wiki's maximum page size" in archive
    assert "'''Received (3000)'''" in archive and "'''New cases (3000)'''" in archive


def test_posts_list_a_bounded_number_of_items(ctx: RenderContext) -> None:
    msg = subscriber_message(content_of(500), Subscriber("User talk:A", 1), ctx)
    assert msg.text.count("\n* ") == MAX_POST_ITEMS + 1
    assert f"… and {500 - MAX_POST_ITEMS} more, not shown here" in msg.text
    assert msg.item_count == 500 and len(msg.text.encode()) < 100_000


# ---------------------------------------------------------------------------------------------
# Random and adversarial subscriber lines (issue 11 point 2): no exception, bounded output

ADVERSARIAL = st.sampled_from([
    "", " ", "|", "=", "}}", "{{", "{{{1}}}", "[[", "]]", "<!--", "-->", "<nowiki>", "\n",
    "\u200e", "\u202e", "\u00a0", "\ufeff", "\x00", "\ud7ff", "qqq", "page", "lang", "regions",
    "topics", "site", "1", "User talk:", "user_talk:x", "fr:", ":", "#", "%", "~~~~", "'''",
    "9" * 50, "-1", "１２３", "²", "europe", "global", ",", ";", "x" * 300, "ع", "中文",
])
VALUES = st.lists(st.one_of(ADVERSARIAL, st.text(max_size=40)), max_size=8).map("".join)
PARAMS = st.lists(st.tuples(st.sampled_from(["page", "lang", "language", "regions", "region",
                                              "topics", "site", "1", "2", "PAGE", " lang "]),
                            VALUES), max_size=6)
LINE = st.one_of(
    PARAMS.map(lambda ps: "{{Target" + "".join(f"|{k}={v}" for k, v in ps) + "}}"),
    PARAMS.map(lambda ps: "{{Advocacy digest subscriber"
               + "".join(f"|{k}={v}" for k, v in ps) + "}}"),
    VALUES,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(LINE, max_size=12))
def test_random_subscriber_lines_never_break_the_parser_or_the_renderers(
    lines: list[str], config: Config, messages: Messages, ctx: RenderContext
) -> None:
    text = "\n".join(lines)
    parsed = parse_subscriber_list(
        text, subscriber_names=("Advocacy digest subscriber",), target_names=("Target",),
        regions=config.vocabulary.regions, topics=config.vocabulary.topics,
    )
    ledger = DeliveryLedger(JobReport(job="digest"), messages)
    for issue in parsed.issues:
        ledger.line_issue(issue, "Advocacy/Digest/Subscribers")
        assert all(len(p) <= 300 for p in issue.problem.params)
    content = content_of(2)
    for sub in parsed.subscribers:
        assert len(sub.regions) <= 20 and len(sub.topics) <= 20
        assert all(len(v) <= 100 for v in sub.regions + sub.topics)
        ledger.skip(sub, Problem("digest-empty"))
        msg = subscriber_message(content, sub, ctx)
        assert len(msg.text.encode()) < 20_000 and "⧼" not in msg.text
    archive = render_archive(content, ledger.delivery_report(), ctx, complete=True,
                             max_bytes=200_000)
    assert len(archive.encode()) < 160_000
    body = archive.split("\n", 1)[1]
    code = mwparserfromhell.parse(body)
    assert not code.filter_templates()
    assert all(str(link.title).startswith(":") for link in code.filter_wikilinks())
