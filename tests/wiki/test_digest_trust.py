"""The digest on the local wiki (issues 11 and 17): it trusts only its own records, honours
every opt-out, reads titles as the wiki does, survives moved pages, and reports every call.

Each test has its own page prefix and accounts (``T<role>-<tag>``); revisions by other people
are imported with real authors and past dates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from typing import Any

from bots.config.model import Config
from bots.digest.ids import parse_archive_record
from bots.operations.jobs import JobResult, run_job
from bots.run_options import RunOptions
from bots.wiki.session import WikiSession
from tests.support import Devwiki, RequestLog, WikiClient, by_user, import_pages, write_requests

BOT = "AdvocacyBot"


def case(title: str, **more: str) -> str:
    fields = {"title": title, "region": "europe", "topic": "copyright", "status": "active", **more}
    return "{{Advocacy case\n" + "\n".join(f"| {k} = {v}" for k, v in fields.items()) + "\n}}"


def dcfg(config: Config, prefix: str, **changes: Any) -> Config:
    changes.setdefault("require_self_subscription", False)
    return dataclasses.replace(config, digest=dataclasses.replace(
        config.digest, subscriber_page=f"{prefix}Digest/Subscribers",
        archive_prefix=f"{prefix}Digest/Archive/", hub_pages=(f"{prefix}Hub",),
        unsubscribe_page=f"{prefix}Digest/Subscribers", **changes))


def run_digest(cfg: Config) -> JobResult:
    session = WikiSession(cfg)
    session.login()
    return run_job("digest", session, cfg, RunOptions(out=io.StringIO()))


def tag_of(prefix: str) -> str:
    return prefix.rstrip("/").rsplit("-", 1)[1]


def iso(days_ago: float) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def today() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")


def talk(user: str, text: str = "Hello.") -> dict[str, Any]:
    return {"title": f"User talk:{user}", "revisions": [{"text": text, "user": user,
                                                          "age_days": 40}]}


def target(page: str) -> str:
    return f"{{{{Target|page={page}}}}}"


def one_reader(devwiki: Devwiki, prefix: str, user: str, *pages: dict[str, Any],
               news: bool = True) -> None:
    """The set-up most tests share: ``pages``, a case changed a day ago (``news``), a
    subscriber list with one line for ``user`` (made five days ago) and their talk page."""
    import_pages(devwiki, [
        *pages,
        *([{"title": f"{prefix}News", "text": case("News"), "age_days": 1}] if news else []),
        {"title": f"{prefix}Digest/Subscribers", "text": target(f"User talk:{user}"),
         "age_days": 5},
        talk(user),
    ])


def copies(client: WikiClient, title: str, digest: str | None = None) -> int:
    return (client.page_text(title) or "").count(
        f"<!-- advocacy-hub-digest: {digest or today()} -->")


def bot_revisions(client: WikiClient, title: str) -> list[dict[str, Any]]:
    return [r for r in client.revisions(title) if r["user"] == BOT] if client.exists(title) else []


def report_of(client: WikiClient, cfg: Config, digest: str | None = None) -> str:
    text = client.page_text(f"{cfg.digest.archive_prefix}{digest or today()}") or ""
    return text.split("== Delivery report ==\n", 1)[-1]


def record(archive_id: str, start: str, end: str, state: str = "complete") -> str:
    return (f"<!-- advocacy-hub-digest-archive: id={archive_id} start={start} end={end} "
            f"state={state} -->\nA digest.")


def posts(log: RequestLog, mark: int) -> list[str]:
    return [r.params["title"] for r in write_requests(by_user(log.since(mark), BOT))
            if r.action == "edit" and r.params.get("section") == "new"]


# ---------------------------------------------------------------------------------------------
# 11.3: the period comes only from the bot's own archive pages and revisions


def test_an_archive_page_someone_else_made_never_moves_the_period(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient
) -> None:
    tag = tag_of(prefix)
    user, mallory = f"TReader-{tag}", f"TMallory-{tag}"
    ours, theirs = iso(3)[:10], iso(1)[:10]
    one_reader(
        devwiki, prefix, user,
        {"title": f"{prefix}Between", "text": case("Changed between"), "age_days": 2},
        {"title": f"{prefix}Digest/Archive/{ours}", "text": record(ours, iso(10), iso(3)),
         "user": BOT, "age_days": 3},
        # a later period, written by someone else: it must not hide "Changed between"
        {"title": f"{prefix}Digest/Archive/{theirs}", "text": record(theirs, iso(3), iso(1)),
         "user": mallory, "age_days": 1},
        news=False,
    )
    cfg = dcfg(config, prefix)
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    made = parse_archive_record(admin.page_text(f"{cfg.digest.archive_prefix}{today()}"))
    assert made is not None and made.start[:10] == ours
    assert "Changed between" in (admin.page_text(f"User talk:{user}") or "")
    assert any("the bot did not create" in n and theirs in n for n in result.report.notes)
    assert bot_revisions(admin, f"{cfg.digest.archive_prefix}{theirs}") == []


def test_an_edit_to_the_bots_archive_is_ignored(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient
) -> None:
    tag = tag_of(prefix)
    user, mallory = f"TReader-{tag}", f"TMallory-{tag}"
    ours = iso(3)[:10]
    one_reader(
        devwiki, prefix, user,
        {"title": f"{prefix}Between", "text": case("Changed between"), "age_days": 2},
        {"title": f"{prefix}Digest/Archive/{ours}", "revisions": [
            {"text": record(ours, iso(10), iso(3)), "user": BOT, "age_days": 3},
            # someone turns the finished digest back into an interrupted one
            {"text": record(ours, iso(10), iso(3), "delivering"), "user": mallory,
             "age_days": 2.5},
        ]},
        news=False,
    )
    cfg = dcfg(config, prefix)
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    # a new digest of today, not the old one resumed and sent again
    assert copies(admin, f"User talk:{user}", ours) == 0
    assert copies(admin, f"User talk:{user}") == 1
    made = parse_archive_record(admin.page_text(f"{cfg.digest.archive_prefix}{today()}"))
    assert made is not None and made.complete and made.start[:10] == ours
    assert any("edited by someone else" in n for n in result.report.notes)


def test_no_delivery_unless_the_delivering_state_is_saved(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient, request_log: RequestLog
) -> None:
    user = f"TReader-{tag_of(prefix)}"
    one_reader(devwiki, prefix, user)
    cfg = dcfg(config, prefix)
    archive = f"{cfg.digest.archive_prefix}{today()}"
    admin.protect(archive, edit=None, move=None, create="sysop")  # the bot may not create it
    try:
        mark = request_log.mark()
        result = run_digest(cfg)
    finally:
        admin.unprotect(archive)
    assert result.exit_code == 1
    assert "could not be saved in state delivering" in result.error
    assert posts(request_log, mark) == []
    assert bot_revisions(admin, f"User talk:{user}") == []


# ---------------------------------------------------------------------------------------------
# 11.3: someone else's user talk page needs that person's own line


def test_a_user_talk_page_is_subscribed_only_by_its_user(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient, request_log: RequestLog
) -> None:
    tag = tag_of(prefix)
    me, victim, mallory = f"TSelf-{tag}", f"TVictim-{tag}", f"TMallory-{tag}"
    project = f"Talk:{prefix}Project"
    lines = [target(f"User talk:{me}")]
    harassed = [*lines, target(f"User talk:{victim}"), target(project)]
    subscribers = f"{prefix}Digest/Subscribers"
    import_pages(devwiki, [
        {"title": f"{prefix}News", "text": case("News"), "age_days": 1},
        {"title": subscribers, "revisions": [
            {"text": "Subscribers:", "age_days": 9},
            {"text": "Subscribers:\n" + "\n".join(lines), "user": me, "age_days": 8},
            {"text": "Subscribers:\n" + "\n".join(harassed), "user": mallory, "age_days": 7},
        ]},
        talk(me), talk(victim), {"title": project, "text": "A project's talk.", "age_days": 30},
    ])
    cfg = dcfg(config, prefix, require_self_subscription=True)
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    assert copies(admin, f"User talk:{me}") == 1 and copies(admin, project) == 1
    assert bot_revisions(admin, f"User talk:{victim}") == []
    report = report_of(admin, cfg)
    assert (f"* line 3: [[:User talk:{victim}|User talk:{victim}]]: this line was added by "
            f"<bdi>{mallory}</bdi>, but only <bdi>{victim}</bdi> can subscribe their own talk "
            "page") in report

    # the victim confirms the line by editing it; the next run reads only the new revision
    import_pages(devwiki, [{"title": subscribers, "revisions": [
        {"text": "Subscribers:\n" + "\n".join(harassed).replace(victim, f"{victim}|lang=fr"),
         "user": victim, "age_days": 0.01}]}])
    mark = request_log.mark()
    again = run_digest(cfg)
    assert again.exit_code == 0, again.error
    reads = [r for r in by_user(request_log.since(mark), BOT)
             if r.params.get("titles") == subscribers and r.params.get("rvdir") == "newer"]
    assert reads and all(r.params.get("rvstartid") for r in reads), "the history again"
    assert posts(request_log, mark) == [f"User talk:{victim}"]
    assert copies(admin, f"User talk:{me}") == 1


# ---------------------------------------------------------------------------------------------
# 17.3: moved and redirected pages


def test_a_moved_subscriber_list_is_followed(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient
) -> None:
    user = f"TReader-{tag_of(prefix)}"
    one_reader(devwiki, prefix, user)
    admin.move(f"{prefix}Digest/Subscribers", f"{prefix}Digest/List", "renamed")
    cfg = dcfg(config, prefix)
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    assert copies(admin, f"User talk:{user}") == 1
    assert "'''Received (1)'''" in report_of(admin, cfg)


def test_an_empty_or_unfollowable_list_never_completes_a_period(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient
) -> None:
    tag = tag_of(prefix)
    user = f"TReader-{tag}"
    import_pages(devwiki, [
        {"title": f"{prefix}News", "text": case("News"), "age_days": 1},
        {"title": f"{prefix}Digest/Subscribers", "text": "The list moved to my user space.",
         "age_days": 5},
        {"title": f"User:TMallory-{tag}/List", "text": target(f"User talk:{user}"),
         "age_days": 5},
        talk(user),
    ])
    cfg = dcfg(config, prefix)
    empty = run_digest(cfg)
    assert empty.exit_code == 1 and "has no subscriber line" in empty.error
    admin.edit(f"{prefix}Digest/Subscribers", f"#REDIRECT [[User:TMallory-{tag}/List]]", "moved")
    outside = run_digest(cfg)
    assert outside.exit_code == 1 and "the bot does not read as the list" in outside.error
    admin.delete(f"{prefix}Digest/Subscribers")
    missing = run_digest(cfg)
    assert missing.exit_code == 1 and "missing, unreadable or empty" in missing.error
    assert admin.prefix_pages(f"{prefix}Digest/Archive/") == []
    assert bot_revisions(admin, f"User talk:{user}") == []


def test_a_recipient_who_archives_by_moving_gets_no_second_copy(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient, request_log: RequestLog
) -> None:
    tag = tag_of(prefix)
    kept, gone = f"TKept-{tag}", f"TGone-{tag}"
    import_pages(devwiki, [
        {"title": f"{prefix}News", "text": case("News"), "age_days": 1},
        {"title": f"{prefix}Digest/Subscribers", "age_days": 5,
         "text": f"{target(f'User talk:{kept}')}\n{target(f'User talk:{gone}')}"},
        talk(kept), talk(gone),
    ])
    cfg = dcfg(config, prefix)
    assert run_digest(cfg).exit_code == 0
    # one archives with a move and starts a fresh page; the other moves without a redirect
    admin.move(f"User talk:{kept}", f"User talk:{kept}/Archive 1", "archiving")
    admin.edit(f"User talk:{kept}", "A fresh start.", "new talk page")
    admin.move(f"User talk:{gone}", f"User talk:{gone}/Archive 1", "archiving", noredirect=True)
    mark = request_log.mark()
    rerun = run_digest(cfg)  # the same day: today's digest is resumed
    assert rerun.exit_code == 0, rerun.error
    assert posts(request_log, mark) == []
    assert admin.page_text(f"User talk:{kept}") == "A fresh start."
    assert not admin.exists(f"User talk:{gone}")


# ---------------------------------------------------------------------------------------------
# 17.4 titles as the wiki spells them; 17.6 every call reported; 11.5 every opt-out


def test_titles_are_the_wikis_and_every_call_is_reported(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient, request_log: RequestLog
) -> None:
    tag = tag_of(prefix)
    user, other = f"TMarks-{tag}", f"TOther-{tag}"
    spellings = [f"User talk:{user}\u200e", f"user_talk:{user}", f"User\u00a0talk:{user}",
                 f"User talk:\u200f{user}", f"User_talk:{user[0].lower()}{user[1:]}"]
    lines = [target(f"User talk:{user}"), *(target(s) for s in spellings)]
    lines.append(target(f"User talk:{other}") + " {{Target|page=}} " + target(f"User talk:{user}"))
    import_pages(devwiki, [
        {"title": f"{prefix}News", "text": case("News"), "age_days": 1},
        {"title": f"{prefix}Digest/Subscribers", "text": "\n".join(lines), "age_days": 5},
        talk(user), talk(other),
    ])
    cfg = dcfg(config, prefix)
    mark = request_log.mark()
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    assert sorted(posts(request_log, mark)) == sorted([f"User talk:{other}", f"User talk:{user}"])
    assert copies(admin, f"User talk:{user}") == 1
    report = report_of(admin, cfg)
    duplicate = f"<bdi>User talk:{user}</bdi> is already listed on line 1"
    for line in range(2, 7):
        assert f"* line {line}: [[:User talk:{user}|User talk:{user}]]: {duplicate}" in report
    assert f"* line 7, call 1: [[:User talk:{other}|User talk:{other}]] (en)" in report
    assert "* line 7, call 2: the line has no page parameter" in report
    assert f"* line 7, call 3: [[:User talk:{user}|User talk:{user}]]: {duplicate}" in report
    assert "does not exist" not in report


def test_every_opt_out_is_honoured_and_named(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient, request_log: RequestLog
) -> None:
    tag = tag_of(prefix)
    users = {role: f"T{role}-{tag}" for role in
             ("Fine", "Category", "Indirect", "Redirect", "Empty", "Script")}
    header, alias = f"Talk header {tag}", f"Keep bots away {tag}"
    texts = {
        "Fine": "Hello.",
        "Category": "Hello.\n[[Category:Opted-out of message delivery]]",
        "Indirect": f"{{{{{header}}}}}\nHello.",
        "Redirect": f"{{{{{alias}}}}}\nHello.",
        "Empty": "{{nobots|}}\nHello.",
        "Script": "{{bots|denyscript=digest}}\nHello.",
    }
    import_pages(devwiki, [
        {"title": f"{prefix}News", "text": case("News"), "age_days": 1},
        {"title": f"Template:{header}", "text": "Welcome! {{nobots}}", "age_days": 41},
        {"title": f"Template:{alias}", "text": "#REDIRECT [[Template:Nobots]]", "age_days": 41},
        {"title": f"{prefix}Digest/Subscribers", "age_days": 5,
         "text": "\n".join(target(f"User talk:{u}") for u in users.values())},
        *(talk(users[role], text) for role, text in texts.items()),
    ])
    cfg = dcfg(config, prefix)
    mark = request_log.mark()
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    assert posts(request_log, mark) == [f"User talk:{users['Fine']}"]
    report = report_of(admin, cfg)
    expected = {
        "Category": "the page is in the opt-out category "
                    "<bdi>Opted-out of message delivery</bdi>",
        "Indirect": "the page uses the template <bdi>Nobots</bdi> through another template",
        "Redirect": f"the page keeps bots away: <bdi>&#123;&#123;{alias}&#125;&#125;</bdi>",
        "Empty": "the page keeps bots away: <bdi>&#123;&#123;nobots&#124;&#125;&#125;</bdi>",
        "Script": "the page denies this bot: "
                  "<bdi>&#123;&#123;bots&#124;denyscript&#61;digest&#125;&#125;</bdi>",
    }
    for role, why in expected.items():
        page = f"User talk:{users[role]}"
        assert f"[[:{page}|{page}]]: {why}" in report, (role, report)
        assert bot_revisions(admin, page) == [], role
