"""The digest as its reader gets it, pure (issues 13 and 14.3): cases in the reader's language
where a translation may be shown, never a sensitive case's; lessons quoted; the links to read
it online and to the hub; the archive's summary while posts are pending."""

from __future__ import annotations

import pytest

from bots.cases.record import Case
from bots.digest.archive import archive_summary
from bots.digest.content import (
    CaseChange,
    CaseFacts,
    CaseUpdate,
    build_content,
    case_version,
)
from bots.digest.ledger import DeliveryLine, DeliveryReport
from bots.digest.message import RenderContext, subscriber_message
from bots.digest.subscribers import Subscriber
from bots.i18n.messages import Messages

ARCHIVE, HUB, LIST = "Advocacy/Digest/Archive/2026-12-07", "Advocacy/Hub", "Advocacy/Digest/List"


@pytest.fixture(scope="module")
def ctx() -> RenderContext:
    return RenderContext(Messages.load(), LIST, LIST, ARCHIVE, HUB)


def facts(page: str, summary: str = "", lessons: str = "", sensitive: bool = False) -> CaseFacts:
    return CaseFacts(page=page, title=page.rsplit("/", 1)[1], region="europe", status="active",
                     summary=summary, lessons=lessons, sensitive=sensitive)


def translated(page: str, title: str, summary: str = "", lessons: str = "",
               sensitive: bool = False) -> Case:
    return Case(page=page, title=title, summary=summary, lessons=lessons, sensitive=sensitive)


def test_a_case_reaches_a_reader_in_their_language(ctx: RenderContext) -> None:
    new = facts("Advocacy/Library", summary="Libraries lend e-books.")
    learned = facts("Advocacy/Learned", lessons="Start with the ministry.")
    secret = facts("Advocacy/Secret", sensitive=True)
    versions = {
        "Advocacy/Library": {"zh": case_version(
            "Advocacy/Library/zh",
            translated("Advocacy/Library/zh", "图书馆", summary="出借电子书"), new)},
        "Advocacy/Learned": {"zh": case_version(
            "Advocacy/Learned/zh",
            translated("Advocacy/Learned/zh", "经验", lessons="先从部委开始"), learned)},
    }
    # a sensitive source, or a translation that says it is sensitive: nothing of it
    assert case_version("Advocacy/Secret/zh", translated("Advocacy/Secret/zh", "秘密"),
                        secret) is None
    assert case_version("Advocacy/Library/ar", translated(
        "Advocacy/Library/ar", "سر", sensitive=True), new) is None
    content = build_content(
        "2026-12-07", "2026-11-30T00:00:00Z", "2026-12-07T00:00:00Z",
        [CaseChange(new, new=True), CaseChange(secret, new=True),
         CaseChange(learned, updates=(CaseUpdate("lessons"),))],
        versions={k: {lang: v for lang, v in d.items() if v} for k, d in versions.items()},
    )
    zh = subscriber_message(content, Subscriber("User talk:Zh", 1, "zh"), ctx).text
    assert "[[:Advocacy/Library/zh|图书馆]]" in zh and "<bdi>出借电子书</bdi>" in zh
    assert "[[:Advocacy/Learned/zh|经验]]" in zh and "<bdi>先从部委开始</bdi>" in zh
    assert "[[:Advocacy/Secret|Secret]]" in zh and "秘密" not in zh
    en = subscriber_message(content, Subscriber("User talk:En", 2, "en"), ctx).text
    assert "[[:Advocacy/Library|Library]]" in en and "Libraries lend e-books." in en
    assert "lessons learned updated: <bdi>Start with the ministry.</bdi>" in en
    assert (f"Read this digest online: [[:{ARCHIVE}|{ARCHIVE}]] · "
            f"All cases, lessons and partners: [[:{HUB}|{HUB}]]") in en


def test_the_archive_summary_while_posts_are_pending(ctx: RenderContext) -> None:
    pending = DeliveryReport((DeliveryLine("User talk:A", 1, pending=True),
                              DeliveryLine("User talk:B", 2, pending=True),
                              DeliveryLine("User talk:C", 3)))
    assert archive_summary(pending, ctx, "2026-12-07") == (
        "Advocacy Hub: digest 2026-12-07, delivering to 2 pages (1 received already, 0 skipped)")
    done = DeliveryReport((DeliveryLine("User talk:A", 1), DeliveryLine("User talk:B", 2)))
    assert archive_summary(done, ctx, "2026-12-07") == (
        "Advocacy Hub: digest 2026-12-07, delivered to 2 pages, 0 skipped")
