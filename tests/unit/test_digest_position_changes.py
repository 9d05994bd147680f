"""The digest's positions (issue 13 point 4): which positions of a positions page are new or
changed between two of its texts, what a subscriber's filters keep, and where the bot looks.
Pure."""

from __future__ import annotations

import dataclasses

import pytest

from bots.cases.knowledge_pages import (
    MAX_PER_PAGE,
    POSITION_FIELDS,
    knowledge_page_allowed,
    page_position_changes,
)
from bots.config.model import Config
from bots.digest.changes import PeriodRevisions, position_news
from bots.digest.content import PositionNews, build_content, for_subscriber, position_matches
from bots.digest.message import MAX_POST_ITEMS, RenderContext, render_message
from bots.digest.period import Period
from bots.i18n.messages import Messages
from tests.unit.knowledge_support import dev_config

CONFIG = dev_config()
NAMES = ("Advocacy position",)
PAGE = "Advocacy/Positions"


def pos(title: str, **fields: str) -> str:
    params = "".join(f"|{k}={v}" for k, v in {"title": title, **fields}.items())
    return "{{Advocacy position" + params + "}}"


def changes(before: str | None, after: str) -> list[tuple[str, bool, tuple[str, ...]]]:
    found = page_position_changes(PAGE, before, after, NAMES, CONFIG.vocabulary)
    return [(p.title, True, ()) for p in found.new] + [
        (p.title, False, found.fields[(p.page, p.title)]) for p in found.changed]


BASE = pos("A", topic="copyright", summary="Reform.", reviewed="2025-01", affiliates="WMDE")


def test_a_page_new_in_the_period_makes_every_position_new() -> None:
    assert changes(None, BASE + pos("B")) == [("A", True, ()), ("B", True, ())]
    assert changes("", BASE) == [("A", True, ())]  # the template added to a page


@pytest.mark.parametrize("field,value", [
    ("topic", "copyright, privacy"), ("summary", "Reform now."), ("reviewed", "2026-11"),
    ("affiliates", "WMDE, WMFR"),
])
def test_each_field_counts_and_is_named(field: str, value: str) -> None:
    after = BASE.replace(f"|{field}=", f"|{field}={value}|old_{field}=")
    named = {"topic": "topics"}.get(field, field)
    assert changes(BASE, after) == [("A", False, (named,))]


def test_text_outside_the_templates_and_unchanged_positions_are_no_news() -> None:
    before = f"Intro.\n== One ==\n{BASE}\n{pos('B', summary='Same.')}"
    after = f"Intro, rewritten.\n== One (renamed) ==\nMore prose.\n{BASE}\n" \
            f"{pos('B', summary='Same.')}\n<!-- {pos('Hidden')} -->"
    assert changes(before, after) == []
    # spacing and parameter order are no change; a removed position is no news either
    assert changes(before, pos("A", affiliates="WMDE", reviewed="2025-01", summary=" Reform. ",
                               topic="copyright")) == []


def test_several_changes_are_listed_in_field_order() -> None:
    after = pos("A", topic="privacy", summary="Other.", reviewed="2025-01", affiliates="WMDE")
    assert changes(BASE, after) == [("A", False, ("topics", "summary"))]
    assert set(POSITION_FIELDS) == {"topics", "summary", "reviewed", "affiliates"}


def revisions(texts: dict[int, str | None], pages: dict[str, tuple[int, int]]) -> PeriodRevisions:
    return PeriodRevisions(
        period=Period("2026-11-30", "2026-11-23T07:00:00Z", "2026-11-30T07:00:00Z", "A/2026"),
        hubs=frozenset(), cases={}, talks={}, translations=frozenset(), texts=texts,
        subject_texts={}, translation_figures=(), positions=pages,
        position_names=frozenset(NAMES),
    )


def test_position_news_of_the_period_and_unreadable_revisions() -> None:
    texts: dict[int, str | None] = {1: BASE, 2: BASE + pos("B"), 3: None, 4: BASE}
    notes: list[str] = []
    news = position_news(revisions(texts, {"P/One": (1, 2), "P/Gone": (3, 4),
                                           "P/New": (0, 4)}), CONFIG, notes)
    assert [(n.position.page, n.position.title, n.new) for n in news] == [
        ("P/New", "A", True), ("P/One", "B", True)]
    assert notes == ["P/Gone: a revision of the positions page cannot be read"]


def test_subscriber_topics_filter_positions_regions_do_not() -> None:
    found = page_position_changes(PAGE, None, pos("C", topic="copyright") + pos("P")
                                  + pos("X", topic="privacy"), NAMES, CONFIG.vocabulary)
    content = build_content("d", "s", "e", [], positions=[PositionNews(p, new=True)
                                                          for p in found.new])
    assert [n.position.title for n in content.positions] == ["C", "P", "X"]
    assert content.item_count == 3
    assert for_subscriber(content, "en", regions=("africa",)).item_count == 3
    kept = for_subscriber(content, "en", topics=("copyright",))
    assert [n.position.title for n in kept.positions] == ["C", "P"]  # P has no topic
    assert not position_matches(found.new[2], ("copyright",))


def test_new_positions_come_before_changed_ones() -> None:
    one = page_position_changes(PAGE, None, pos("Z") + pos("A"), NAMES, CONFIG.vocabulary).new
    content = build_content("d", "s", "e", [], positions=[
        PositionNews(one[0], fields=("summary",)), PositionNews(one[1], new=True)])
    assert [(n.position.title, n.new) for n in content.positions] == [("Z", True), ("A", False)]


def test_positions_pages_count_only_inside_the_bots_area() -> None:
    config: Config = CONFIG
    assert knowledge_page_allowed("Advocacy/Positions", 0, config)
    assert not knowledge_page_allowed("Positions elsewhere", 0, config)
    assert not knowledge_page_allowed("User:Someone/Advocacy/Positions", 2, config)
    excluded = dataclasses.replace(config, index=dataclasses.replace(
        config.index, exclude_prefixes=("Advocacy/Drafts/",)))
    assert not knowledge_page_allowed("Advocacy/Drafts/Positions", 0, excluded)


def test_a_reader_gets_the_positions_page_in_their_language() -> None:
    messages = Messages.load()
    ctx = RenderContext(messages, "Advocacy/Digest/Subscribers")
    found = page_position_changes(PAGE, None, pos("Reform", topic="copyright",
                                                  summary="Sign ~~~~ <b>now</b>"),
                                  NAMES, CONFIG.vocabulary)
    content = dataclasses.replace(
        build_content("2026-11-30", "2026-11-23", "2026-11-30", [],
                      positions=[PositionNews(found.new[0], new=True)]),
        position_pages={PAGE: {"zh": f"{PAGE}/zh"}})
    zh = render_message(content, "zh", ctx).text
    assert f"[[:{PAGE}/zh|Reform]]" in zh and "'''立场（1）'''" in zh
    assert messages.msg("advocacyhub-topic-copyright", "zh") in zh
    fr = render_message(content, "fr", ctx).text
    assert f"[[:{PAGE}|Reform]]" in fr and "'''Position (1)'''" in fr
    # the summary as plain text, escaped: no signature, no markup
    assert "<bdi>Sign &#126;&#126;&#126;&#126; now</bdi>" in fr and "<b>" not in fr


def test_a_post_lists_at_most_its_cap_of_positions_and_counts_the_rest() -> None:
    many = "".join(pos(f"Position {i:02d}", topic="copyright") for i in range(MAX_PER_PAGE))
    found = page_position_changes(PAGE, None, many, NAMES, CONFIG.vocabulary)
    news = [PositionNews(p, new=True) for p in found.new]
    news += [PositionNews(dataclasses.replace(p, page=f"{PAGE}/2"), new=True) for p in found.new]
    content = build_content("2026-11-30", "2026-11-23", "2026-11-30", [], positions=news)
    text = render_message(content, "en", RenderContext(Messages.load(), "Subscribers")).text
    listed = [line for line in text.splitlines() if line.startswith("* ")]
    assert len(listed) == MAX_POST_ITEMS + 1 and "'''Positions (100)'''" in text
    assert listed[-1] == f"* … and {100 - MAX_POST_ITEMS} more, not shown here"
