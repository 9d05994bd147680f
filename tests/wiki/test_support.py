"""The test helpers themselves: API client, imports, request log counting, server control,
and the per-test fixtures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import requests

from tests.support import (
    ApiError,
    Devwiki,
    RequestLog,
    WikiClient,
    by_user,
    count_api,
    count_writes,
    import_pages,
    server_stopped,
    write_requests,
)

if TYPE_CHECKING:
    from bots.config.model import Config


def _age_days(timestamp: str) -> float:
    when = dt.datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    return (dt.datetime.now(dt.UTC) - when).total_seconds() / 86400


def test_import_pages_with_past_timestamps(
    devwiki: Devwiki, tester1: WikiClient, prefix: str
) -> None:
    title = prefix + "Imported"
    import_pages(
        devwiki,
        [
            {
                "title": title,
                "revisions": [
                    {"text": "first [[Category:Imported]]", "user": "Tester2", "age_days": 10},
                    {"text": "second {{Bots}}", "age_days": 2.5, "comment": "past edit"},
                ],
            },
            {"title": prefix + "Single", "text": "one revision", "age_days": 1},
        ],
    )
    revs = tester1.revisions(title)
    assert [r["text"] for r in revs] == ["second {{Bots}}", "first [[Category:Imported]]"]
    assert [r["user"] for r in revs] == ["Admin", "Tester2"]
    assert revs[0]["comment"] == "past edit"
    assert abs(_age_days(revs[0]["timestamp"]) - 2.5) < 0.01
    assert abs(_age_days(revs[1]["timestamp"]) - 10) < 0.01
    # links tables and recent changes are current for the imported revisions
    assert title in tester1.embeddedin("Template:Bots")
    assert tester1.page_text(prefix + "Single") == "one revision"
    changes = tester1.recent_changes(rcstart=revs[1]["timestamp"], rcend=revs[1]["timestamp"])
    assert any(c["title"] == title and c["user"] == "Tester2" for c in changes)


def test_import_creates_unknown_authors(devwiki: Devwiki, prefix: str) -> None:
    author = "Helper " + prefix.rsplit("-", 1)[-1].strip("/")
    import_pages(devwiki, [{"title": prefix + "By new user", "text": "x", "user": author}])
    client = WikiClient.login_as(devwiki, author)  # the import stored a password
    assert client.userinfo()["name"] == author
    assert client.revisions(prefix + "By new user")[0]["user"] == author


def test_client_edit_delete_and_read(
    admin: WikiClient, tester1: WikiClient, tester2: WikiClient, prefix: str
) -> None:
    title = prefix + "Page"
    first = tester1.edit(title, "one", "create")
    tester2.edit(title, appendtext="\ntwo", summary="append")
    assert tester1.page_text(title) == "one\ntwo"
    revs = tester1.revisions(title)
    assert [r["user"] for r in revs] == ["Tester2", "Tester1"]
    assert revs[1]["revid"] == first["newrevid"]
    assert tester1.edit(title, "one\ntwo").get("nochange") is True
    admin.delete(title, "test")
    assert tester1.page_text(title) is None
    assert not tester1.exists(title)
    with pytest.raises(ApiError) as err:
        tester1.delete(prefix + "Other")
    assert err.value.code in ("permissiondenied", "missingtitle")


def test_protect_and_unprotect(admin: WikiClient, tester1: WikiClient, prefix: str) -> None:
    title = prefix + "Protected"
    tester1.edit(title, "before")
    admin.protect(title, edit="sysop", move="sysop")
    assert admin.page_info(title)["protection"]
    with pytest.raises(ApiError) as err:
        tester1.edit(title, "after")
    assert err.value.code == "protectedpage"
    admin.unprotect(title)
    tester1.edit(title, "after")
    assert tester1.page_text(title) == "after"


def test_block_and_unblock(admin: WikiClient, tester2: WikiClient, prefix: str) -> None:
    title = prefix + "Blocked"
    admin.block("Tester2", reason="test", expiry="1 hour")
    try:
        assert "blockid" in tester2.userinfo()
        with pytest.raises(ApiError) as err:
            tester2.edit(title, "x")
        assert err.value.code == "blocked"
    finally:
        admin.unblock("Tester2")
    tester2.edit(title, "x")


def test_parse_categories_templates(tester1: WikiClient, prefix: str) -> None:
    template = f"Template:{prefix}Tag"
    title = prefix + "Tagged"
    tester1.edit(template, "tag[[Category:{{{1}}} things]]")
    tester1.edit(title, f"{{{{{template[len('Template:') :]}|Blue}}}} [[Category:Pages]]")
    parsed = tester1.parse(title)
    assert parsed["title"] == title
    assert {c["category"] for c in parsed["categories"]} == {"Blue_things", "Pages"}
    assert template in [t["title"] for t in parsed["templates"]]
    assert "tag" in tester1.parse_html(title)
    assert sorted(tester1.categories(title)) == ["Category:Blue things", "Category:Pages"]
    assert tester1.templates(title) == [template]
    assert "<b>bold</b>" in tester1.parse_html(text="'''bold'''")
    assert tester1.prefix_pages(prefix) == [title]


def test_request_log_counts(devwiki: Devwiki, tester1: WikiClient, prefix: str) -> None:
    log = RequestLog(devwiki)
    mark = log.mark()
    tester1.edit(prefix + "A", "a")
    tester1.edit(prefix + "B", "b")
    tester1.page_text(prefix + "A")
    records = log.since(mark)
    # The helpers' own requests are excluded unless asked for: counts are about the bot.
    assert count_api(records) == 0 and count_writes(records) == 0
    assert count_writes(records, include_helpers=True) == 2
    assert count_api(records, include_helpers=True) >= 3
    titles = [r.params["title"] for r in write_requests(records, include_helpers=True)]
    assert titles == [prefix + "A", prefix + "B"]
    assert len(by_user(records, "Tester1")) == len(records)
    assert log.since(log.mark()) == []


def test_stop_and_start_server(devwiki: Devwiki, tester1: WikiClient) -> None:
    with server_stopped(devwiki), pytest.raises(requests.ConnectionError):
        requests.get(devwiki.api_url, timeout=5)
    # Sessions live in the database, so a logged-in client survives the restart.
    assert tester1.userinfo()["name"] == "Tester1"


def test_prefix_is_unique_per_test(prefix: str) -> None:
    assert prefix.startswith("Advocacy/T-prefix-is-unique-per-test-")
    assert prefix.endswith("/")


def test_config_is_narrowed_to_prefix(config: Config, prefix: str, tmp_path: Path) -> None:
    assert config.permissions.case_prefixes == (prefix,)
    assert config.wiki.family == "advocacydev"
    assert config.state_path == tmp_path / "state"
