"""Digest faults (issue 8, items 2, 6, 9, 13, 14, 15 and 16 for the digest job).

Every test has its own page prefix and its own subscriber accounts (`F<role>-<tag>`), created
by importing their talk pages, so the bot's contributions from other tests never count here.
The period's news is one case page created a day ago.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bots.config.model import Config
from bots.digest.ids import parse_archive_record
from bots.operations.jobs import JobResult
from tests.faults.helpers import (
    EditHook,
    bot_edits,
    bot_revisions,
    case,
    link_tables,
    open_session,
    run,
)
from tests.faults.standin_server import Fault, StandinWiki
from tests.support import (
    Devwiki,
    RequestLog,
    WikiClient,
    import_pages,
    start_server,
    stop_server,
)

CORPUS_FILE = Path(__file__).resolve().parents[1] / "unit" / "golden" / "injection_corpus.json"
SIGNATURE = re.compile(
    r"\[\[User:AdvocacyBot\|AdvocacyBot\]\] \(\[\[User talk:AdvocacyBot\|talk\]\]\) "
    r"\d\d:\d\d, \d{1,2} \w+ \d{4} \(UTC\)")


# ---------------------------------------------------------------------------------------------
# Helpers


def tag_of(prefix: str) -> str:
    return prefix.rstrip("/").rsplit("-", 1)[1]


def dcfg(fcfg: Config, prefix: str, **digest: Any) -> Config:
    # one person writes each test's list for several users: the self-subscription rule is off
    digest.setdefault("require_self_subscription", False)
    return dataclasses.replace(fcfg, digest=dataclasses.replace(
        fcfg.digest, subscriber_page=f"{prefix}Digest/Subscribers",
        archive_prefix=f"{prefix}Digest/Archive/", hub_pages=(f"{prefix}Hub",),
        unsubscribe_page=f"{prefix}Digest/Subscribers", **digest))


def talk(user: str, text: str = "Hello.") -> dict[str, Any]:
    """A user's existing talk page, written by the user (the import creates the account)."""
    return {"title": f"User talk:{user}", "revisions": [
        {"text": text, "user": user, "age_days": 40}]}


def account(user: str) -> dict[str, Any]:
    """An existing user without a talk page."""
    return {"title": f"User:{user}", "revisions": [
        {"text": "My user page.", "user": user, "age_days": 40}]}


def news(prefix: str, title: str = "New case", **more: str) -> dict[str, Any]:
    return {"title": f"{prefix}News", "text": case(title, "europe", "copyright", "active",
                                                    **more), "age_days": 1}


def subscribers(prefix: str, lines: list[str]) -> dict[str, Any]:
    return {"title": f"{prefix}Digest/Subscribers", "text": "\n".join(lines), "age_days": 5}


def target(page: str) -> str:
    return f"{{{{Target|page={page}}}}}"


def today() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")


def copies(client: WikiClient, title: str, digest: str | None = None) -> int:
    return (client.page_text(title) or "").count(
        f"<!-- advocacy-hub-digest: {digest or today()} -->")


def archive(client: WikiClient, cfg: Config, digest: str | None = None) -> str:
    return client.page_text(f"{cfg.digest.archive_prefix}{digest or today()}") or ""


def report_lines(archive_text: str) -> list[str]:
    return archive_text.split("== Delivery report ==\n", 1)[1].splitlines()


def deliveries(log: RequestLog, mark: int) -> list[Any]:
    return [r for r in bot_edits(log, mark) if r.params.get("section") == "new"]


def run_digest(cfg: Config, **options: Any) -> JobResult:
    return run("digest", cfg, **options)


# ---------------------------------------------------------------------------------------------
# 2. The server stops mid-delivery; the rerun delivers the rest: none twice, none lost


def test_server_stopped_mid_delivery_rerun_delivers_each_digest_exactly_once(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
    before_edit: EditHook,
) -> None:
    users = [f"F{n}-{tag_of(prefix)}" for n in "ABCD"]
    import_pages(devwiki, [news(prefix), subscribers(prefix, [
        target(f"User talk:{u}") for u in users]), *(talk(u) for u in users)])
    cfg = dcfg(fcfg, prefix)
    # edit 1 is the archive (state "delivering"), 2 and 3 are deliveries: stop before the 3rd
    before_edit.at(3, lambda _t: stop_server(devwiki))
    mark = request_log.mark()
    try:
        crashed = run_digest(cfg)
    finally:
        start_server(devwiki)
    assert crashed.exit_code == 1
    assert crashed.error.startswith("the wiki did not answer (connection refused)"), crashed.error
    assert len(deliveries(request_log, mark)) == 1
    assert sorted(copies(admin, f"User talk:{u}") for u in users) == [0, 0, 0, 1]
    interrupted = parse_archive_record(archive(admin, cfg))
    assert interrupted is not None and not interrupted.complete

    mark = request_log.mark()
    rerun = run_digest(cfg)
    assert rerun.exit_code == 0, rerun.error
    assert len(deliveries(request_log, mark)) == 3
    for u in users:
        assert copies(admin, f"User talk:{u}") == 1, u
        assert len(bot_revisions(admin, f"User talk:{u}")) == 1, u
    record = parse_archive_record(archive(admin, cfg))
    assert record is not None and record.complete
    assert report_lines(archive(admin, cfg))[0] == "'''Received (4)'''"
    # and a third run finds nothing to do
    mark = request_log.mark()
    assert run_digest(cfg).exit_code == 0
    assert bot_edits(request_log, mark) == []


def test_standin_delivery_response_lost_after_the_save_is_not_posted_twice(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
    tmp_path: Path,
) -> None:
    """STAND-IN: the wiki saves the first delivery but its answer is lost. Pywikibot sends the
    same request again; MediaWiki sees a duplicate new section and refuses it as a conflict;
    the bot reads the page, finds its marker, and counts the target as received."""
    users = [f"F{n}-{tag_of(prefix)}" for n in "AB"]
    import_pages(devwiki, [news(prefix), subscribers(prefix, [
        target(f"User talk:{u}") for u in users]), *(talk(u) for u in users)])
    cfg = dcfg(fcfg, prefix)
    mark = request_log.mark()
    with StandinWiki(devwiki) as standin:
        standin.add(Fault("drop-after-save", action="edit", title=f"User talk:{users[0]}"))
        scfg = standin.config(cfg, tmp_path)
        result = run("digest", scfg, open_session(scfg))
        lost = standin.requests("edit", fault="drop-after-save")
    assert len(lost) == 1
    assert result.exit_code == 0, result.error
    for u in users:
        assert copies(admin, f"User talk:{u}") == 1, u
        assert len(bot_revisions(admin, f"User talk:{u}")) == 1, u
    assert report_lines(archive(admin, cfg))[:3] == [
        "'''Received (2)'''",
        f"* line 1: [[:User talk:{users[0]}|User talk:{users[0]}]] (en)",
        f"* line 2: [[:User talk:{users[1]}|User talk:{users[1]}]] (en)",
    ]
    # the retried post reached the wiki and was refused, not saved a second time
    posts = [r for r in deliveries(request_log, mark)
             if r.params["title"] == f"User talk:{users[0]}"]
    assert len(posts) >= 2


# ---------------------------------------------------------------------------------------------
# 16. Talk page posts are non-minor, so the recipient is notified, with a real summary


def test_deliveries_are_non_minor_with_a_real_summary_and_notify_the_recipient(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
) -> None:
    user = f"FNotify-{tag_of(prefix)}"
    fresh = f"FFresh-{tag_of(prefix)}"
    import_pages(devwiki, [news(prefix), subscribers(prefix, [
        target(f"User talk:{user}"), target(f"User talk:{fresh}")]), talk(user), account(fresh)])
    cfg = dcfg(fcfg, prefix)
    mark = request_log.mark()
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    posts = deliveries(request_log, mark)
    assert {r.params["title"] for r in posts} == {f"User talk:{user}", f"User talk:{fresh}"}
    for r in posts:
        assert r.params.get("notminor") == "1" and "minor" not in r.params
        assert r.params["summary"] == (
            f"Advocacy Hub digest {today()}: 1 item (advocacy-hub-digest:{today()})")
    for who in (user, fresh):
        (rev,) = bot_revisions(admin, f"User talk:{who}")
        assert rev["minor"] is False
        assert rev["comment"] == (
            f"Advocacy Hub digest {today()}: 1 item (advocacy-hub-digest:{today()})")
        text = admin.page_text(f"User talk:{who}") or ""
        assert len(SIGNATURE.findall(text)) == 1
        # the recipient really gets the new-message notice (bots' minor edits would not)
        recipient = WikiClient.login_as(devwiki, who)
        assert recipient.userinfo("hasmsg").get("messages") is True, who


# ---------------------------------------------------------------------------------------------
# 6. A target deleted between read and save


def test_target_deleted_between_read_and_save_is_not_recreated_but_new_user_talk_is_created(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
    before_edit: EditHook,
) -> None:
    tag = tag_of(prefix)
    gone_user, sub_user, fresh = f"FGone-{tag}", f"FSub-{tag}", f"FNew-{tag}"
    case_talk = f"Talk:{prefix}News"
    import_pages(devwiki, [
        news(prefix),
        {"title": case_talk, "text": "Talk about the case.", "age_days": 20},
        {"title": f"User talk:{sub_user}/Digests", "text": "My digest page.", "age_days": 20},
        talk(gone_user), talk(sub_user), account(fresh),
        subscribers(prefix, [target(f"User talk:{gone_user}"),
                             target(f"User talk:{sub_user}/Digests"), target(case_talk),
                             target(f"User talk:{fresh}")]),
    ])
    cfg = dcfg(fcfg, prefix)
    for title in (f"User talk:{gone_user}", f"User talk:{sub_user}/Digests", case_talk):
        before_edit.on(title, lambda t: admin.delete(t, "Fault test: deleted meanwhile"))
    mark = request_log.mark()
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    for title in (f"User talk:{gone_user}", f"User talk:{sub_user}/Digests", case_talk):
        assert not admin.exists(title), title
    # the bot asked MediaWiki never to create them (nocreate), and the wiki refused
    tried = {r.params["title"]: r.params for r in deliveries(request_log, mark)}
    for title in (f"User talk:{gone_user}", f"User talk:{sub_user}/Digests", case_talk):
        assert tried[title].get("nocreate") == "1", title
    # the legitimately new talk page of an existing user is created, once
    assert tried[f"User talk:{fresh}"].get("createonly") == "1"
    assert copies(admin, f"User talk:{fresh}") == 1
    lines = report_lines(archive(admin, cfg))
    assert lines[:2] == ["'''Received (1)'''",
                         f"* line 4: [[:User talk:{fresh}|User talk:{fresh}]] (en)"]
    skipped = [line for line in lines if line.startswith("* line ") and "deleted" in line]
    assert len(skipped) == 3, lines


# ---------------------------------------------------------------------------------------------
# 9. Title blacklist and invalid targets


def test_title_blacklisted_and_invalid_targets_are_skipped_and_reported(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
    blacklist: Callable[[str, str], None],
) -> None:
    tag = tag_of(prefix)
    listed, ok = f"FBlack-{tag}", f"FOk-{tag}"
    blacklist("MediaWiki:Titleblacklist", f"User talk:FBlack-{tag}.*")
    lines = [
        target(f"User talk:{listed}"),  # 1: a new user talk page the title blacklist forbids
        target("User talk:Foo|Bar"),  # 2: invalid characters
        target("User talk:[[Someone]]"),  # 3: brackets
        target("User talk:" + "x" * 300),  # 4: too long
        target("User talk:"),  # 5: no page name
        target("Special:MyTalk"),  # 6: a special page
        target(f"fr:User talk:{ok}"),  # 7: another wiki
        target(f"User talk:{ok}"),  # 8: fine
    ]
    import_pages(devwiki, [news(prefix), subscribers(prefix, lines), account(listed), talk(ok)])
    cfg = dcfg(fcfg, prefix)
    mark = request_log.mark()
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    assert not admin.exists(f"User talk:{listed}")
    assert copies(admin, f"User talk:{ok}") == 1
    posts = {r.params["title"] for r in deliveries(request_log, mark)}
    assert posts <= {f"User talk:{listed}", f"User talk:{ok}"}
    report = report_lines(archive(admin, cfg))
    assert report[:2] == ["'''Received (1)'''",
                          f"* line 8: [[:User talk:{ok}|User talk:{ok}]] (en)"]
    reasons = {int(m.group(1)): line for line in report
               if (m := re.match(r"\* line (\d+)", line))}
    assert "title blacklist" in reasons[1], reasons[1]
    assert set(reasons) == set(range(1, 9))
    skipped = {s.title: s.reason for s in result.report.skipped}
    assert any("title blacklist" in r for r in skipped.values()), skipped


# ---------------------------------------------------------------------------------------------
# 15. Targets the bot must never post to, whatever the subscriber list says


def test_digest_never_posts_to_forbidden_pages_or_through_redirects_out_of_talk_space(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
) -> None:
    tag = tag_of(prefix)
    victim, moved, renamed = f"FVictim-{tag}", f"FMoved-{tag}", f"FRenamed-{tag}"
    marker = f"FAULT-MARKER-{tag}"
    forbidden = {
        f"MediaWiki:Fault-{tag}": "interface page",
        f"User:{victim}/common.js": "user script",
        f"User talk:{victim}/evil.css": "talk subpage named like a style sheet",
        f"User talk:{victim}/data.json": "talk subpage named like JSON",
        f"User:{victim}": "user page",
        f"{prefix}Article": "article",
        f"Help:Fault-{tag}": "help page",
    }
    redirects = {
        f"User talk:{moved}": f"User:{victim}",  # into the user namespace
        f"Talk:{prefix}ToArticle": f"{prefix}Article",  # into the main namespace
        f"User talk:{moved}/ToInterface": f"MediaWiki:Fault-{tag}",  # into MediaWiki
    }
    pages: list[dict[str, Any]] = [
        news(prefix), talk(victim), talk(renamed, f"{marker} renamed user's new talk page"),
        *({"title": t, "text": f"{marker} {why}", "age_days": 30} for t, why in forbidden.items()),
        *({"title": src, "text": f"#REDIRECT [[{dst}]]", "age_days": 30}
          for src, dst in redirects.items()),
        {"title": f"User talk:{moved}/Old", "text": f"#REDIRECT [[User talk:{renamed}]]",
         "age_days": 30},
        account(moved),
        subscribers(prefix, [*(target(t) for t in forbidden), *(target(t) for t in redirects),
                             target(f"User talk:{moved}/Old")]),
    ]
    import_pages(devwiki, pages)
    cfg = dcfg(fcfg, prefix)
    mark = request_log.mark()
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    # only the talk page a talk redirect leads to got the digest
    assert {r.params["title"] for r in bot_edits(request_log, mark)
            if r.params.get("section") == "new"} == {f"User talk:{renamed}"}
    for title, why in forbidden.items():
        assert admin.page_text(title) == f"{marker} {why}", title
        assert bot_revisions(admin, title) == [], title
    for src, dst in redirects.items():
        assert admin.page_text(src) == f"#REDIRECT [[{dst}]]", src
        assert bot_revisions(admin, src) == [], src
    report = report_lines(archive(admin, cfg))
    assert report[0] == "'''Received (1)'''"
    skipped = len(forbidden) + len(redirects)
    assert f"'''Skipped ({skipped})'''" in report
    for src in redirects:
        assert any(src in line and "not a talk page" in line for line in report), (src, report)


# ---------------------------------------------------------------------------------------------
# 14. The subscriber list inflated past the cap by a vandal


def test_inflated_subscriber_list_stops_before_any_delivery_and_reports(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, tester2: WikiClient,
    request_log: RequestLog,
) -> None:
    tag = tag_of(prefix)
    real = [f"FReal{n}-{tag}" for n in range(3)]
    import_pages(devwiki, [news(prefix), subscribers(prefix, [target(f"User talk:{u}")
                                                              for u in real]),
                           *(talk(u) for u in real)])
    cfg = dcfg(fcfg, prefix, max_targets=5)
    listing = f"{prefix}Digest/Subscribers"
    honest = admin.page_text(listing) or ""
    spam = [target(f"User talk:{u}") for u in ("Admin", "Tester1", "Tester2")]
    spam += [target(f"User talk:FSpam{n}-{tag}") for n in range(40)]
    tester2.edit(listing, honest + "\n" + "\n".join(spam), "more subscribers")
    # Tester1's talk page is shared with other tests (and the demo): count what this test adds
    tester1_before = copies(admin, "User talk:Tester1")
    mark = request_log.mark()
    result = run_digest(cfg)
    assert result.exit_code == 1
    assert "46 valid targets exceed digest.max_targets (5); nothing was delivered" in result.error
    assert bot_edits(request_log, mark) == []
    assert admin.prefix_pages(f"{prefix}Digest/Archive/") == []
    for u in real:
        assert copies(admin, f"User talk:{u}") == 0, u
    assert copies(admin, "User talk:Tester1") == tester1_before
    # the list is reverted: the next run delivers to the real subscribers only
    admin.edit(listing, honest, "revert vandalism")
    again = run_digest(cfg)
    assert again.exit_code == 0, again.error
    for u in real:
        assert copies(admin, f"User talk:{u}") == 1, u
    assert copies(admin, "User talk:Tester1") == tester1_before


# ---------------------------------------------------------------------------------------------
# 13. Injection in subscriber lines and in the news a digest carries




def test_injection_in_subscriber_lines_and_news_leaves_talk_pages_and_archive_intact(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
) -> None:
    tag = tag_of(prefix)
    user = f"FInj-{tag}"
    corpus = [e for e in json.loads(CORPUS_FILE.read_text("utf-8"))
              if not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", e)]
    nasty = [e.replace("\n", " ") for e in corpus]
    lines = [target(f"User talk:{user}")]
    for entry in nasty:
        lines.append(f"{{{{Advocacy digest subscriber|page=User talk:{entry}|lang={entry}}}}}")
        lines.append(f"{{{{Advocacy digest subscriber|page=User talk:{user}|regions={entry}"
                     f"|topics={entry}}}}}")
        lines.append(f"{{{{Target|page={entry}}}}}")
        lines.append(entry)
    big = "{{subst:Foo}} ~~~~ [[Category:Big]] " * 300
    escaped = "".join(f"&#{ord(c)};" if c in "<>|{}[]=&~'\"!:;*#-_\n" else c
                      for c in " ".join(nasty[:30]) + big)
    import_pages(devwiki, [
        news(prefix, title="Case " + escaped[:3000], summary=escaped),
        subscribers(prefix, lines),
        talk(user, "== Earlier ==\nAn earlier thread."),
    ])
    cfg = dcfg(fcfg, prefix)
    page = f"User talk:{user}"
    before = link_tables(admin, page)
    mark = request_log.mark()
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    # nothing but the one valid subscriber received anything
    assert {r.params["title"] for r in deliveries(request_log, mark)} == {page}
    text = admin.page_text(page) or ""
    assert copies(admin, page) == 1
    # the talk page gained exactly one section, and no category, template, ping or link
    assert re.findall(r"(?m)^==[^=].*==$", text) == [
        "== Earlier ==", f"== Advocacy Hub digest: {today()} =="]
    after = link_tables(admin, page)
    assert after["categories"] == before["categories"] == []
    assert after["templates"] == before["templates"]
    assert after["user_links"] == ["User talk:AdvocacyBot", "User:AdvocacyBot"]
    assert after["langlinks"] == [] and after["extlinks"] == []
    assert len(SIGNATURE.findall(text)) == 1
    assert not admin.parse(page, prop="properties")["properties"]  # no behaviour switch
    # the archive, with the whole delivery report of the hostile lines, is just as clean
    arch = f"{cfg.digest.archive_prefix}{today()}"
    tables = link_tables(admin, arch)
    assert tables["categories"] == [] and tables["langlinks"] == []
    assert tables["extlinks"] == []
    # its links to user talk pages are the report's own links to the listed targets (all in
    # the user talk namespace, none a mention of a user page); nothing else links to a user
    assert all(t.startswith("User talk:") for t in tables["user_links"])
    assert not admin.parse(arch, prop="properties")["properties"]
    visible = re.sub(r"<!--.*?-->", "", archive(admin, cfg), flags=re.S)
    assert "{{" not in visible and "~~~" not in visible
    # the 10 kB summary is cut, visibly
    assert "…" in text
