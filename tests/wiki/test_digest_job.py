"""The digest job on the local wiki (issue 5): content, subscribers, exactly-once delivery.

Every test works under its own page prefix and its own user accounts (``D<role>-<tag>``), so
the bot's contributions from other tests (which carry the same digest id, today's date) never
count as deliveries here. Past revisions are imported with dates in the past, so "what changed
in the period" is real page history, not a mock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from typing import Any

from bots.config.model import Config
from bots.digest.ids import parse_archive_record
from bots.operations.jobs import JobResult, run_job
from bots.run_options import RunOptions
from bots.wiki.session import WikiSession
from tests.support import (
    Devwiki,
    RequestLog,
    WikiClient,
    api_requests,
    by_user,
    import_pages,
    write_requests,
)

BOT = "AdvocacyBot"
SIGNATURE_RE = re.compile(
    r"^\[\[User:AdvocacyBot\|AdvocacyBot\]\] \(\[\[User talk:AdvocacyBot\|talk\]\]\) "
    r"\d\d:\d\d, \d{1,2} \w+ \d{4} \(UTC\)$"
)


# ---------------------------------------------------------------------------------------------
# Helpers


def case(title: str, region: str, topic: str, status: str, **more: str) -> str:
    lines = [f"| title = {title}", f"| region = {region}", f"| topic = {topic}",
             f"| status = {status}"]
    lines += [f"| {k} = {v}" for k, v in more.items()]
    return "{{Advocacy case\n" + "\n".join(lines) + "\n}}"


def digest_config(config: Config, prefix: str, **changes: Any) -> Config:
    """The test's digest pages. The lists of most tests are written by one person for several
    users, so the self-subscription rule is off unless a test turns it on."""
    changes.setdefault("require_self_subscription", False)
    return dataclasses.replace(
        config,
        digest=dataclasses.replace(
            config.digest,
            subscriber_page=f"{prefix}Digest/Subscribers",
            archive_prefix=f"{prefix}Digest/Archive/",
            hub_pages=(f"{prefix}Hub",),
            unsubscribe_page=f"{prefix}Digest/Subscribers",
            **changes,
        ),
    )


def run_digest(cfg: Config, **options: Any) -> JobResult:
    simulate = bool(options.get("simulate"))
    session = WikiSession(cfg, simulate=simulate)
    try:
        session.login()
        return run_job("digest", session, cfg, RunOptions(out=io.StringIO(), **options))
    finally:
        if simulate:
            # WikiSession sets Pywikibot's process-wide flag; later sessions must write again
            from pywikibot import config as pwb_config

            pwb_config.simulate = False


def tag_of(prefix: str) -> str:
    return prefix.rstrip("/").rsplit("-", 1)[1]


def talk_page(user: str, text: str, age: float = 40) -> dict[str, Any]:
    """A user's existing talk page, written by the user (which also creates the account)."""
    return {"title": f"User talk:{user}", "revisions": [
        {"text": text, "user": user, "age_days": age}]}


def bot_revisions(client: WikiClient, title: str) -> list[dict[str, Any]]:
    return [r for r in client.revisions(title) if r["user"] == BOT]


def markers(text: str | None, digest: str) -> int:
    return (text or "").count(f"<!-- advocacy-hub-digest: {digest} -->")


def posted_section(text: str) -> tuple[str, str, str]:
    """(heading, body without the signature, signature) of the last section of a page."""
    start = text.rfind("\n== ") + 1  # 0 when the section opens the page
    heading_line, body = text[start:].split("\n\n", 1)
    body, signature = body.rsplit("\n", 1)
    return heading_line[3:-3], body, signature


def archive_of(client: WikiClient, cfg: Config, digest: str) -> str:
    return client.page_text(f"{cfg.digest.archive_prefix}{digest}") or ""


def report_part(archive: str) -> str:
    return archive.split("== Delivery report ==\n", 1)[1]


def edits_by_bot(log: RequestLog, mark: int) -> list[Any]:
    return [r for r in write_requests(by_user(log.since(mark), BOT)) if r.action == "edit"]


# ---------------------------------------------------------------------------------------------
# The world of the main test: a week of changes and a list of tricky subscribers


@dataclasses.dataclass
class World:
    prefix: str
    tag: str

    def user(self, role: str) -> str:
        return f"D{role}-{self.tag}"

    def page(self, name: str) -> str:
        return f"{self.prefix}{name}"


def build_world(devwiki: Devwiki, prefix: str) -> World:
    w = World(prefix, tag_of(prefix))
    p = w.page
    translate_source = (
        case("Translated case", "europe", "copyright", "active")
        + "\n<translate><!--T:1--> First paragraph.\n\n<!--T:2--> Second paragraph.</translate>"
    )
    subscribers = "\n".join([
        "Digest subscribers of this test.",
        f"{{{{Advocacy digest subscriber|page=User talk:{w.user('Zh')}|lang=zh}}}}",
        f"{{{{Advocacy digest subscriber|page=User talk:{w.user('Europe')}|lang=fr"
        "|regions=europe}}",
        f"{{{{Target|page=User talk:{w.user('Nobots')}}}}}",
        f"{{{{Advocacy digest subscriber|page=User talk:{w.user('Deny')}|lang=es}}}}",
        f"{{{{Target|page=User talk:{w.user('Old')}}}}}",
        f"{{{{Target|page=User talk:{w.user('Ghost')}}}}}",
        f"{{{{Target|page={p('Some article')}}}}}",
        f"{{{{Advocacy digest subscriber|page=User_talk:{w.user('Zh')}|lang=en}}}}",
        f"{{{{Advocacy digest subscriber|page=User talk:{w.user('Fresh')}}}}}",
    ])
    pages: list[dict[str, Any]] = [
        # a status change: active (a month ago) -> success (two days ago)
        {"title": p("Panorama France"), "revisions": [
            {"text": case("Freedom of panorama in France", "europe", "freedom-of-panorama",
                          "active"), "age_days": 30},
            {"text": case("Freedom of panorama in France", "europe", "freedom-of-panorama",
                          "success"), "user": "Tester1", "age_days": 2},
        ]},
        # a new case, sensitive, with a contact that must never appear
        {"title": p("Kenya blocking"), "revisions": [
            {"text": case("Access blocks in Kenya", "africa", "censorship", "active",
                          summary="Court challenge against the social media shutdown.",
                          contact="SecretContact", sensitive="yes"),
             "user": "Tester2", "age_days": 1},
        ]},
        # edited in the period, but nothing a digest reports changed
        {"title": p("Typo"), "revisions": [
            {"text": case("Privacy law in Brazil", "latin-america", "privacy", "success",
                          summary="Data protection lwa."), "age_days": 30},
            {"text": case("Privacy law in Brazil", "latin-america", "privacy", "success",
                          summary="Data protection law."), "age_days": 3},
        ]},
        # unchanged case whose talk page got a new section
        {"title": p("Old case"), "revisions": [
            {"text": case("Copyright in Asia", "asia-pacific", "copyright", "active"),
             "age_days": 30}]},
        {"title": "Talk:" + p("Old case"), "revisions": [
            {"text": "== Old thread ==\nLong ago.", "age_days": 30},
            {"text": "== Old thread ==\nLong ago.\n\n== New thread ==\nWhat next?",
             "user": "Tester1", "age_days": 1},
        ]},
        # the hub's talk page got a new section
        {"title": p("Hub"), "revisions": [{"text": "Advocacy hub of the test.", "age_days": 30}]},
        {"title": "Talk:" + p("Hub"), "revisions": [
            {"text": "== Welcome ==\nHello.", "age_days": 20},
            {"text": "== Welcome ==\nHello.\n\n== Meeting in ''March'' ==\nAgenda.",
             "user": "Tester2", "age_days": 1},
        ]},
        # a translation that became outdated in the period (Chinese unit 2 fuzzied)
        {"title": p("Translated"), "revisions": [{"text": translate_source, "age_days": 30}]},
        {"title": f"Translations:{p('Translated')}/1/zh", "text": "第一段。", "age_days": 29},
        {"title": f"Translations:{p('Translated')}/2/zh", "revisions": [
            {"text": "第二段。", "age_days": 29},
            {"text": "!!FUZZY!!第二段。", "user": "Tester1", "age_days": 2},
        ]},
        {"title": f"Translations:{p('Translated')}/1/fr", "text": "Premier.", "age_days": 29},
        {"title": f"Translations:{p('Translated')}/2/fr", "text": "Second.", "age_days": 29},
        # subscribers and their talk pages
        {"title": p("Digest/Subscribers"), "text": subscribers, "age_days": 10},
        talk_page(w.user("Zh"), "== 你好 ==\n欢迎。"),
        talk_page(w.user("Europe"), "Bonjour."),
        talk_page(w.user("Nobots"), "{{nobots}}\nNo bots here, please."),
        talk_page(w.user("Deny"), "{{bots|deny=AdvocacyBot}}\nNot this bot."),
        talk_page(w.user("New"), "Renamed user's talk page."),
        {"title": f"User talk:{w.user('Old')}",
         "text": f"#REDIRECT [[User talk:{w.user('New')}]]", "age_days": 35},
        {"title": f"User:{w.user('Fresh')}", "revisions": [
            {"text": "A user without a talk page.", "user": w.user("Fresh"), "age_days": 40}]},
        {"title": p("Some article"), "text": "An article, not a talk page.", "age_days": 40},
    ]
    import_pages(devwiki, pages)
    return w


def zh_body(w: World, digest: str, start: str, subscribers: str) -> str:
    p = w.page
    archive = subscribers.removesuffix("Subscribers") + f"Archive/{digest}"
    return "\n".join([
        f"<!-- advocacy-hub-digest: {digest} -->",
        '<div lang="zh" dir="ltr" class="advocacy-hub-digest">',
        f"{start} 至 {digest} 期间倡导工作的变化：",
        "",
        "'''新案例（1）'''",
        # a sensitive case: its summary never leaves the parser (issue 11.1)
        f"* <bdi>[[:{p('Kenya blocking')}|Access blocks in Kenya]]</bdi>（非洲，进行中）",
        "",
        "'''状态变化（1）'''",
        f"* <bdi>[[:{p('Panorama France')}|Freedom of panorama in France]]</bdi>：进行中 → 成功",
        "",
        "'''新讨论（2）'''",
        f"* <bdi>[[:Talk:{p('Hub')}#Meeting in March|Meeting in March]]</bdi>"
        f"（<bdi>[[:{p('Hub')}|{p('Hub')}]]</bdi>）",
        f"* <bdi>[[:Talk:{p('Old case')}#New thread|New thread]]</bdi>"
        f"（<bdi>[[:{p('Old case')}|Copyright in Asia]]</bdi>）",
        "",
        "'''需要翻译成中文的页面（1）'''",
        f"* <bdi>[[:{p('Translated')}|Translated case]]</bdi>：已翻译 1/2 个单元，1 个已过时",
        "",
        # issue 13: read online (the archive page) and the hub
        f"在线阅读本期摘要：[[:{archive}|{archive}]] · 所有案例、经验教训和合作伙伴："
        f"[[:{p('Hub')}|{p('Hub')}]]",
        "",
        f"<small>你收到此摘要是因为你列在 [[:{subscribers}|{subscribers}]] 上。如需退订，请从 "
        f"[[:{subscribers}|{subscribers}]] 删除你的那一行。如不希望任何机器人编辑此页面，"
        "请在页面中加入 <code><nowiki>{{nobots}}</nowiki></code>。</small>",
        "</div>",
    ])


def test_digest_content_and_subscribers(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient, request_log: RequestLog
) -> None:
    w = build_world(devwiki, prefix)
    cfg = digest_config(config, prefix)
    mark = request_log.mark()
    result = run_digest(cfg)
    records = request_log.since(mark)
    assert result.exit_code == 0, result.error

    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    archive = archive_of(admin, cfg, today)
    record = parse_archive_record(archive)
    assert record is not None and record.complete and record.digest_id == today
    start = record.start[:10]
    subscribers = cfg.digest.subscriber_page

    # Chinese: every item, in Chinese, with the Chinese translation need; one copy only
    zh_text = admin.page_text(f"User talk:{w.user('Zh')}") or ""
    assert zh_text.startswith("== 你好 ==\n欢迎。\n\n== 倡导中心摘要：")
    heading, body, signature = posted_section(zh_text)
    assert heading == f"倡导中心摘要：{today}"
    assert body == zh_body(w, today, start, subscribers)
    assert SIGNATURE_RE.match(signature), signature
    assert markers(zh_text, today) == 1
    (rev,) = bot_revisions(admin, f"User talk:{w.user('Zh')}")
    assert rev["minor"] is False
    assert rev["comment"] == f"倡导中心摘要 {today}：5 项 (advocacy-hub-digest:{today})"

    # French with a region filter: the European status change and the hub discussion only
    _h, body, _s = posted_section(admin.page_text(f"User talk:{w.user('Europe')}") or "")
    items = [line for line in body.split("\n") if line.startswith(("* ", "'''"))]
    assert items == [
        "'''Changement de statut (1)'''",
        f"* <bdi>[[:{w.page('Panorama France')}|Freedom of panorama in France]]</bdi> : "
        "En cours → Réussite",
        "'''Nouvelle discussion (1)'''",
        f"* <bdi>[[:Talk:{w.page('Hub')}#Meeting in March|Meeting in March]]</bdi> "
        f"(sur <bdi>[[:{w.page('Hub')}|{w.page('Hub')}]]</bdi>)",
    ]

    # the renamed user's talk page: delivered once, to the page the redirect points to
    new_text = admin.page_text(f"User talk:{w.user('New')}") or ""
    assert markers(new_text, today) == 1
    assert "'''New case (1)'''" in new_text and "Translations needed" not in new_text
    assert admin.page_text(f"User talk:{w.user('Old')}") == (
        f"#REDIRECT [[User talk:{w.user('New')}]]")
    # an existing user without a talk page gets one
    fresh = bot_revisions(admin, f"User talk:{w.user('Fresh')}")
    assert len(fresh) == 1 and fresh[0]["minor"] is False
    # nothing anywhere else
    for page in (f"User talk:{w.user('Nobots')}", f"User talk:{w.user('Deny')}",
                 w.page("Some article")):
        assert bot_revisions(admin, page) == [], page
    assert not admin.exists(f"User talk:{w.user('Ghost')}")

    # the archive: the digest as a whole, and who got it and why not
    p = w.page
    assert "SecretContact" not in archive and "SecretContact" not in zh_text + new_text
    assert report_part(archive) == "\n".join([
        "'''Received (4)'''",
        f"* line 2: [[:User talk:{w.user('Zh')}|User talk:{w.user('Zh')}]] (zh)",
        f"* line 3: [[:User talk:{w.user('Europe')}|User talk:{w.user('Europe')}]] (fr)",
        f"* line 6: [[:User talk:{w.user('Old')}|User talk:{w.user('Old')}]] → "
        f"[[:User talk:{w.user('New')}|User talk:{w.user('New')}]] (en)",
        f"* line 10: [[:User talk:{w.user('Fresh')}|User talk:{w.user('Fresh')}]] (en)",
        "",
        "'''Skipped (5)'''",
        f"* line 4: [[:User talk:{w.user('Nobots')}|User talk:{w.user('Nobots')}]]: "
        "the page keeps bots away: <bdi>&#123;&#123;nobots&#125;&#125;</bdi>",
        f"* line 5: [[:User talk:{w.user('Deny')}|User talk:{w.user('Deny')}]]: "
        "the page denies this bot: "
        "<bdi>&#123;&#123;bots&#124;deny&#61;AdvocacyBot&#125;&#125;</bdi>",
        f"* line 7: [[:User talk:{w.user('Ghost')}|User talk:{w.user('Ghost')}]]: "
        f"the user account \"<bdi>{w.user('Ghost')}</bdi>\" does not exist",
        f"* line 8: [[:{p('Some article')}|{p('Some article')}]]: "
        "not a talk page: digests are delivered to talk pages only",
        f"* line 9: [[:User talk:{w.user('Zh')}|User talk:{w.user('Zh')}]]: "
        f"<bdi>User talk:{w.user('Zh')}</bdi> is already listed on line 2",
    ])
    # the whole digest lists exactly the period's news: no typo fix, no unchanged case
    assert "Privacy law in Brazil" not in archive
    assert archive.count("\n* ") == 5 + 4 + 5  # 5 items, 4 received, 5 skipped

    # requests: the deliveries are the only per-target writes; the rest is batched
    api = api_requests(by_user(records, BOT))
    edits = [r for r in write_requests(api) if r.action == "edit"]
    assert len(edits) == 4 + 2  # four deliveries, the archive before and after
    assert all(r.params.get("notminor") for r in edits if r.params.get("section") == "new")
    assert len(api) <= 45, f"{len(api)} API requests"


def test_rerun_after_a_crash_delivers_exactly_once(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient, request_log: RequestLog
) -> None:
    tag = tag_of(prefix)
    users = [f"D{name}-{tag}" for name in ("A", "B", "C", "D")]
    import_pages(devwiki, [
        {"title": f"{prefix}New", "text": case("A new case", "europe", "copyright", "planned"),
         "age_days": 1},
        {"title": f"{prefix}Digest/Subscribers", "age_days": 5, "text": "\n".join(
            f"{{{{Target|page=User talk:{u}}}}}" for u in users)},
        *(talk_page(u, f"Talk page of {u}.") for u in users),
    ])
    cfg = digest_config(config, prefix)
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")

    crashed = run_digest(cfg, stop_after=2)
    assert crashed.exit_code == 1 and "stopped after 2 deliveries" in crashed.error
    copies = [markers(admin.page_text(f"User talk:{u}"), today) for u in users]
    assert sorted(copies) == [0, 0, 1, 1]
    interrupted = archive_of(admin, cfg, today)
    assert "state=delivering" in interrupted and "'''Pending (4)'''" in interrupted

    mark = request_log.mark()
    rerun = run_digest(cfg)
    assert rerun.exit_code == 0, rerun.error
    # the archive (two received, two pending), the two missing deliveries, the archive again
    assert len(edits_by_bot(request_log, mark)) == 1 + 2 + 1
    for u in users:
        assert markers(admin.page_text(f"User talk:{u}"), today) == 1, u
        assert len(bot_revisions(admin, f"User talk:{u}")) == 1, u
    archive = archive_of(admin, cfg, today)
    assert "state=complete" in archive and "'''Received (4)'''" in archive
    assert "Pending" not in archive

    # a second run in the same period posts nothing and leaves the archive as it is
    mark = request_log.mark()
    again = run_digest(cfg)
    assert again.exit_code == 0, again.error
    assert edits_by_bot(request_log, mark) == []
    assert archive_of(admin, cfg, today) == archive
    # every target has it by the bot's contributions: it stops before the period's content
    # (no recent changes, no revisions read by id), issue 15
    api = [r for r in by_user(request_log.since(mark), BOT) if r.is_api]
    assert not [r for r in api if "recentchanges" in r.params.get("list", "")
                or r.params.get("revids")]
    assert any("nothing collected" in note for note in again.report.notes), again.report.notes

    # the recipient archives the digest away: the bot's contributions still remember it
    admin.edit(f"User talk:{users[0]}", "Archived everything.", "archive")
    mark = request_log.mark()
    assert run_digest(cfg).exit_code == 0
    assert edits_by_bot(request_log, mark) == []


def test_a_same_day_rerun_posts_only_to_a_new_subscriber(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient, request_log: RequestLog
) -> None:
    """Issue 15: a rerun stops before the period's content only when no target lacks the
    digest; a subscriber added since (a target the bot's contributions do not name) makes it
    collect the content and post to that one alone, once. A new line kept off by its page
    ({{nobots}}) settles the rerun without any content read."""
    tag = tag_of(prefix)
    first, late, shy = (f"DR{name}-{tag}" for name in ("First", "Late", "Shy"))
    subscribers = f"{prefix}Digest/Subscribers"
    import_pages(devwiki, [
        {"title": f"{prefix}Fresh", "text": case("Fresh news", "europe", "copyright", "planned"),
         "age_days": 1},
        {"title": subscribers, "age_days": 5, "text": f"{{{{Target|page=User talk:{first}}}}}"},
        talk_page(first, "Hello."), talk_page(late, "Hello."), talk_page(shy, "{{nobots}}"),
    ])
    cfg = digest_config(config, prefix)
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    assert run_digest(cfg).exit_code == 0

    admin.edit(subscribers, f"{{{{Target|page=User talk:{first}}}}}\n"
               f"{{{{Target|page=User talk:{late}}}}}", "a late subscriber")
    mark = request_log.mark()
    rerun = run_digest(cfg)
    assert rerun.exit_code == 0, rerun.error
    posts = [r for r in edits_by_bot(request_log, mark) if r.params.get("section") == "new"]
    assert [r.params.get("title") for r in posts] == [f"User talk:{late}"]
    assert markers(admin.page_text(f"User talk:{late}"), today) == 1
    assert markers(admin.page_text(f"User talk:{first}"), today) == 1

    admin.edit(subscribers, f"{{{{Target|page=User talk:{first}}}}}\n"
               f"{{{{Target|page=User talk:{late}}}}}\n{{{{Target|page=User talk:{shy}}}}}",
               "an opted-out subscriber")
    mark = request_log.mark()
    settled = run_digest(cfg)
    assert settled.exit_code == 0, settled.error
    assert edits_by_bot(request_log, mark) == []
    api = [r for r in by_user(request_log.since(mark), BOT) if r.is_api]
    assert not [r for r in api if "recentchanges" in r.params.get("list", "")]
    assert any("nothing collected" in note for note in settled.report.notes)
    assert markers(admin.page_text(f"User talk:{shy}"), today) == 0


def test_simulate_writes_nothing(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient, request_log: RequestLog
) -> None:
    user = f"DSim-{tag_of(prefix)}"
    import_pages(devwiki, [
        {"title": f"{prefix}New", "text": case("Simulated", "africa", "privacy", "active"),
         "age_days": 1},
        {"title": f"{prefix}Digest/Subscribers", "text": f"{{{{Target|page=User talk:{user}}}}}",
         "age_days": 5},
        talk_page(user, "Hello."),
    ])
    cfg = digest_config(config, prefix)
    mark = request_log.mark()
    result = run_digest(cfg, simulate=True)
    assert result.exit_code == 0, result.error
    assert [r for r in write_requests(request_log.since(mark))] == []
    assert bot_revisions(admin, f"User talk:{user}") == []
    assert admin.prefix_pages(f"{prefix}Digest/Archive/") == []


def test_inflated_list_delivers_nothing(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient, request_log: RequestLog
) -> None:
    tag = tag_of(prefix)
    users = [f"DCap{i}-{tag}" for i in range(3)]
    import_pages(devwiki, [
        {"title": f"{prefix}New", "text": case("Capped", "africa", "privacy", "active"),
         "age_days": 1},
        {"title": f"{prefix}Digest/Subscribers", "age_days": 5, "text": "\n".join(
            f"{{{{Target|page=User talk:{u}}}}}" for u in users)},
        *(talk_page(u, "Hi.") for u in users),
    ])
    cfg = digest_config(config, prefix, max_targets=2)
    mark = request_log.mark()
    result = run_digest(cfg)
    assert result.exit_code == 1
    assert "3 valid targets exceed digest.max_targets (2); nothing was delivered" in result.error
    assert write_requests(by_user(request_log.since(mark), BOT)) == []
    assert admin.prefix_pages(f"{prefix}Digest/Archive/") == []


def _iso(days_ago: float) -> str:
    when = dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_period_starts_where_the_last_archive_ends(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient
) -> None:
    user = f"DPeriod-{tag_of(prefix)}"
    end = _iso(2)
    previous = (f"<!-- advocacy-hub-digest-archive: id={end[:10]} start={_iso(9)} end={end} "
                "state=complete -->\nThe previous digest.")
    import_pages(devwiki, [
        {"title": f"{prefix}Before", "text": case("Changed before", "africa", "privacy",
                                                   "active"), "age_days": 3},
        {"title": f"{prefix}After", "text": case("Changed after", "africa", "privacy",
                                                  "active"), "age_days": 1},
        {"title": f"{prefix}Digest/Archive/{end[:10]}", "text": previous, "age_days": 2,
         "user": BOT},
        {"title": f"{prefix}Digest/Subscribers", "text": f"{{{{Target|page=User talk:{user}}}}}",
         "age_days": 5},
        talk_page(user, "Hello."),
    ])
    cfg = digest_config(config, prefix)
    assert run_digest(cfg).exit_code == 0
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    record = parse_archive_record(archive_of(admin, cfg, today))
    assert record is not None and record.start == end
    text = admin.page_text(f"User talk:{user}") or ""
    assert "Changed after" in text and "Changed before" not in text


def test_an_interrupted_digest_of_an_earlier_day_is_finished_not_restarted(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient
) -> None:
    tag = tag_of(prefix)
    has_it, lacks_it = f"DHas-{tag}", f"DLacks-{tag}"
    end = _iso(2)
    digest = end[:10]
    record = (f"<!-- advocacy-hub-digest-archive: id={digest} start={_iso(9)} end={end} "
              "state=delivering -->\nInterrupted.")
    import_pages(devwiki, [
        {"title": f"{prefix}Inside", "text": case("Inside the old period", "europe",
                                                   "copyright", "active"), "age_days": 4},
        {"title": f"{prefix}Later", "text": case("After the old period", "europe",
                                                  "copyright", "active"), "age_days": 1},
        {"title": f"{prefix}Digest/Archive/{digest}", "text": record, "age_days": 2,
         "user": BOT},
        {"title": f"{prefix}Digest/Subscribers", "age_days": 5, "text":
            f"{{{{Target|page=User talk:{has_it}}}}}\n{{{{Target|page=User talk:{lacks_it}}}}}"},
        # delivered by the bot before the run stopped: its own contribution says so
        {"title": f"User talk:{has_it}", "revisions": [
            {"text": "Hello.", "user": has_it, "age_days": 40},
            {"text": f"Hello.\n\n== Digest ==\n<!-- advocacy-hub-digest: {digest} -->\nGot it.",
             "user": BOT, "age_days": 1.9, "comment": f"Digest (advocacy-hub-digest:{digest})"},
        ]},
        talk_page(lacks_it, "Nothing yet."),
    ])
    cfg = digest_config(config, prefix)
    assert run_digest(cfg).exit_code == 0
    assert len(bot_revisions(admin, f"User talk:{has_it}")) == 1
    text = admin.page_text(f"User talk:{lacks_it}") or ""
    assert markers(text, digest) == 1
    assert "Inside the old period" in text and "After the old period" not in text
    finished = parse_archive_record(archive_of(admin, cfg, digest))
    assert finished is not None and finished.complete and finished.end == end
    # finishing it is the whole run: no digest of today's date is started
    assert admin.prefix_pages(f"{prefix}Digest/Archive/") == [f"{prefix}Digest/Archive/{digest}"]


def test_requests_scale_with_changes_not_with_cases(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient, request_log: RequestLog
) -> None:
    """150 unchanged cases cost nothing; 40 changed ones cost no request each (batched)."""
    user = f"DScale-{tag_of(prefix)}"
    unchanged = [
        {"title": f"{prefix}Quiet {i}", "text": case(f"Quiet {i}", "europe", "copyright",
                                                      "active"), "age_days": 40}
        for i in range(150)
    ]
    changed = [
        {"title": f"{prefix}Busy {i}", "revisions": [
            {"text": case(f"Busy {i}", "africa", "censorship", "active"), "age_days": 40},
            {"text": case(f"Busy {i}", "africa", "censorship", "success"), "age_days": 1},
        ]}
        for i in range(40)
    ]
    import_pages(devwiki, [
        *unchanged, *changed,
        {"title": f"{prefix}Digest/Subscribers", "text": f"{{{{Target|page=User talk:{user}}}}}",
         "age_days": 5},
        talk_page(user, "Hello."),
    ])
    cfg = digest_config(config, prefix)
    mark = request_log.mark()
    assert run_digest(cfg).exit_code == 0
    api = api_requests(by_user(request_log.since(mark), BOT))
    text = admin.page_text(f"User talk:{user}") or ""
    assert "'''Status changes (40)'''" in text
    # login, checks and listings (about 30) + one delivery; nothing per case
    assert len(api) <= 36, f"{len(api)} API requests"
