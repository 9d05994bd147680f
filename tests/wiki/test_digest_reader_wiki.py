"""The digest as a reader gets it, on the local wiki: links to read it online and to the hub,
the lessons quoted when they changed, a correct first archive summary (issue 13), and cases in
the reader's language where they have a translation, never of a sensitive case (issue 14.3).

Each test has its own page prefix and accounts (``T<role>-<tag>``); past revisions are imported
with real authors and dates.
"""

from __future__ import annotations

from bots.config.model import Config
from tests.support import Devwiki, WikiClient, import_pages
from tests.wiki.test_digest_trust import (
    BOT,
    case,
    dcfg,
    run_digest,
    tag_of,
    talk,
    today,
)


def subscriber(user: str, lang: str) -> str:
    return f"{{{{Advocacy digest subscriber|page=User talk:{user}|lang={lang}}}}}"


def test_links_lessons_and_the_first_archive_summary(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient
) -> None:
    user = f"TReader-{tag_of(prefix)}"
    quiet = f"{prefix}Quiet case"
    import_pages(devwiki, [
        {"title": f"{prefix}Learning case", "revisions": [
            {"text": case("Learning case", lessons="Nothing yet."), "age_days": 20},
            {"text": case("Learning case", lessons="Talk to members of parliament early."),
             "age_days": 1},
        ]},
        {"title": quiet, "revisions": [
            {"text": case("Quiet case", sensitive="yes", lessons="Old secret."), "age_days": 20},
            {"text": case("Quiet case", sensitive="yes", lessons="Secret lesson 7d2."),
             "age_days": 1},
        ]},
        {"title": f"{prefix}Hub", "text": "The hub.", "age_days": 30},
        {"title": f"{prefix}Digest/Subscribers", "text": subscriber(user, "en"),
         "age_days": 30},
        talk(user),
    ])
    cfg = dcfg(config, prefix)
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    archive = f"{cfg.digest.archive_prefix}{today()}"
    post = admin.page_text(f"User talk:{user}") or ""
    assert f"Read this digest online: [[:{archive}|{archive}]]" in post
    assert f"All cases, lessons and partners: [[:{prefix}Hub|{prefix}Hub]]" in post
    assert ("lessons learned updated: <bdi>Talk to members of parliament early.</bdi>"
            in post)
    for page in (post, admin.page_text(archive) or ""):
        assert "Secret lesson" not in page and "Old secret" not in page
    summaries = [r["comment"] for r in reversed(admin.revisions(archive)) if r["user"] == BOT]
    assert summaries[0].startswith(f"Advocacy Hub: digest {today()}, delivering to 1 page "
                                   "(0 received already, 0 skipped)"), summaries
    assert summaries[-1].startswith(f"Advocacy Hub: digest {today()}, delivered to 1 page, "
                                    "0 skipped"), summaries


def test_cases_reach_readers_in_their_language(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient
) -> None:
    tag = tag_of(prefix)
    readers = {lang: f"TReader{lang.upper()}-{tag}" for lang in ("zh", "ar", "en")}
    base, secret = f"{prefix}Library reform", f"{prefix}Quiet case"
    learned = f"{prefix}Learned case"
    import_pages(devwiki, [
        {"title": base, "text": case("Library reform", summary="Libraries may lend e-books."),
         "age_days": 1},
        {"title": f"{base}/zh", "text": case("图书馆改革", summary="图书馆可以出借电子书。"),
         "age_days": 1},
        {"title": f"{base}/ar", "text": case("إصلاح المكتبات",
                                             summary="يمكن للمكتبات إعارة الكتب الإلكترونية."),
         "age_days": 1},
        {"title": learned, "revisions": [
            {"text": case("Learned case", lessons="Nothing yet."), "age_days": 20},
            {"text": case("Learned case", lessons="Start with the ministry."), "age_days": 1},
        ]},
        {"title": f"{learned}/zh", "text": case("经验案例", lessons="先从部委开始。"),
         "age_days": 15},
        # a sensitive case: its translation's words reach no one
        {"title": secret, "text": case("Quiet case", sensitive="yes", summary="Hidden."),
         "age_days": 1},
        {"title": f"{secret}/zh", "text": case("秘密案例", summary="机密摘要。"), "age_days": 1},
        # the hub in Chinese: Chinese readers are sent there, Arabic ones to the source
        {"title": f"{prefix}Hub/zh", "text": "倡导中心。", "age_days": 30},
        {"title": f"{prefix}Digest/Subscribers", "age_days": 30,
         "text": "\n".join(subscriber(u, lang) for lang, u in readers.items())},
        *(talk(u) for u in readers.values()),
    ])
    cfg = dcfg(config, prefix)
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    posts = {lang: admin.page_text(f"User talk:{u}") or "" for lang, u in readers.items()}

    zh = posts["zh"]
    assert f"[[:{base}/zh|图书馆改革]]" in zh and "图书馆可以出借电子书。" in zh
    assert f"[[:{prefix}Hub/zh|{prefix}Hub/zh]]" in zh and f"[[:{prefix}Hub|" not in zh
    assert f"[[:{prefix}Hub|{prefix}Hub]]" in posts["ar"] and f"{prefix}Hub/zh" not in posts["ar"]
    assert f"[[:{learned}/zh|经验案例]]" in zh and "先从部委开始。" in zh
    assert f"[[:{base}|" not in zh and "Libraries may lend" not in zh

    ar = posts["ar"]
    assert f"[[:{base}/ar|إصلاح المكتبات]]" in ar
    assert "يمكن للمكتبات إعارة الكتب الإلكترونية." in ar
    assert f"[[:{learned}|Learned case]]" in ar  # no Arabic version: the source
    assert "Start with the ministry." in ar

    en = posts["en"]
    assert f"[[:{base}|Library reform]]" in en and "Libraries may lend e-books." in en
    for text in posts.values():
        assert "秘密案例" not in text and "机密摘要" not in text and "Hidden." not in text
        assert f"[[:{secret}/zh" not in text
    assert f"[[:{secret}|Quiet case]]" in zh
