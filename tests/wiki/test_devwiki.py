"""The development wiki is what the bot's tests assume: extensions, namespaces, accounts,
Pywikibot files, request log and fault toggles."""

from __future__ import annotations

import json
import os
import secrets
import stat

import pytest

from tests.support import (
    ApiError,
    Devwiki,
    RequestLog,
    WikiClient,
    by_action,
    set_maxlag,
    set_readonly,
)


@pytest.fixture(scope="module")
def anon(devwiki: Devwiki) -> WikiClient:
    return WikiClient.anonymous(devwiki)


def test_siteinfo_answers(devwiki: Devwiki, anon: WikiClient) -> None:
    general = anon.siteinfo()["general"]
    assert general["sitename"] == "Advocacy Dev Wiki"
    assert general["server"] == devwiki.base_url
    assert general["generator"].startswith("MediaWiki 1.39")


def test_extensions_are_loaded(anon: WikiClient) -> None:
    names = {e["name"] for e in anon.siteinfo("extensions")["extensions"]}
    expected = {"ParserFunctions", "Scribunto", "TemplateData", "SpamBlacklist", "TitleBlacklist"}
    assert expected <= names


def test_translations_namespaces_exist(anon: WikiClient) -> None:
    namespaces = anon.siteinfo("namespaces")["namespaces"]
    assert namespaces["1198"]["name"] == "Translations"
    assert namespaces["1198"]["subpages"] is True
    assert namespaces["1199"]["name"] == "Translations talk"


def test_accounts_and_groups(anon: WikiClient) -> None:
    data = anon.get(
        action="query",
        list="users",
        ususers="AdvocacyBot|Admin|Tester1|Tester2",
        usprop="groups|rights",
    )
    users = {u["name"]: u for u in data["query"]["users"]}
    assert "bot" in users["AdvocacyBot"]["groups"]
    assert "apihighlimits" in users["AdvocacyBot"]["rights"]
    assert "editprotected" not in users["AdvocacyBot"]["rights"]  # protection stops the bot
    assert {"sysop", "bureaucrat"} <= set(users["Admin"]["groups"])
    for tester in ("Tester1", "Tester2"):
        assert "sysop" not in users[tester]["groups"]
        assert "edit" in users[tester]["rights"]


def test_base_pages_exist(anon: WikiClient) -> None:
    assert anon.page_text("User:AdvocacyBot/Run") == "run"
    assert anon.exists("Template:Bots")
    assert anon.exists("Template:Nobots")


def test_secret_files_are_private(devwiki: Devwiki) -> None:
    password_file = devwiki.pywikibot_dir / "user-password.py"
    for path in (password_file, devwiki.credentials_path, devwiki.pywikibot_dir / "user-config.py"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    text = password_file.read_text("utf-8")
    creds = devwiki.credentials
    assert f"BotPassword('{creds.bot_app}', '{creds.bot_password}')" in text
    assert len(creds.bot_password) >= 32
    family = devwiki.pywikibot_dir / "families" / "advocacydev_family.py"
    assert f"127.0.0.1:{devwiki.port}" in family.read_text("utf-8")


def test_request_log_records_calls_without_secrets(devwiki: Devwiki) -> None:
    log = RequestLog(devwiki)
    mark = log.mark()
    client = WikiClient.login_as(devwiki, "Tester1")  # sends a password
    resp = client.session.get(
        devwiki.api_url,
        params={"action": "query", "meta": "siteinfo", "siprop": "general", "format": "json"},
    )
    records = log.since(mark)
    queries = [r for r in records if r.action == "query" and r.params.get("meta") == "siteinfo"]
    assert queries, records
    record = queries[-1]
    assert record.method == "GET" and record.script == "/api.php" and record.status == 200
    assert record.user == "Tester1"
    assert record.bytes == len(resp.content)
    login = by_action(records, "clientlogin")
    assert login and login[0].method == "POST"
    assert login[0].params["password"] == "<redacted>"
    assert login[0].params["logintoken"] == "<redacted>"
    text = log.text()
    for password in devwiki.credentials.users.values():
        assert password not in text
    assert devwiki.credentials.bot_password not in text


def test_request_log_marks_writes(devwiki: Devwiki, tester1: WikiClient, prefix: str) -> None:
    log = RequestLog(devwiki)
    mark = log.mark()
    tester1.edit(prefix + "Write", "one")
    tester1.page_text(prefix + "Write")
    records = log.since(mark)
    writes = [r for r in records if r.raw["write"]]
    assert [(w.action, w.params["title"]) for w in writes] == [("edit", prefix + "Write")]
    assert writes[0].params["text"] == "<3 bytes>"


def test_users_may_create_talk_pages(tester1: WikiClient, prefix: str) -> None:
    title = "User talk:Tester2/" + prefix.replace("/", "-")
    result = tester1.edit(title, "Hello", section="new", sectiontitle="Greeting")
    assert result.get("new") is True


def test_readonly_toggle(devwiki: Devwiki, tester1: WikiClient, prefix: str) -> None:
    title = prefix + "Readonly"
    tester1.token()  # log in and fetch the token before the wiki locks
    set_readonly(devwiki, "Fault test: database maintenance")
    try:
        with pytest.raises(ApiError) as err:
            tester1.edit(title, "blocked by read-only")
        assert err.value.code == "readonly"
        assert "database maintenance" in json.dumps(err.value.data)
    finally:
        set_readonly(devwiki, None)
    assert "newrevid" in tester1.edit(title, "writable again")


def test_maxlag_toggle(devwiki: Devwiki, anon: WikiClient) -> None:
    set_maxlag(devwiki, 12)
    try:
        with pytest.raises(ApiError) as err:
            anon.get(action="query", meta="siteinfo", maxlag="5")
        assert err.value.code == "maxlag"
        anon.get(action="query", meta="siteinfo")  # no maxlag parameter, no error
    finally:
        set_maxlag(devwiki, None)
    anon.get(action="query", meta="siteinfo", maxlag="5")


def test_parser_functions_and_scribunto(tester1: WikiClient, prefix: str) -> None:
    module = f"Module:{prefix}Greeting"
    tester1.edit(
        module,
        "local p = {}\nfunction p.hi(frame) return 'Hi ' .. frame.args[1] end\nreturn p\n",
    )
    module_name = module.split(":", 1)[1]
    wikitext = "{{#if: x | yes | no }} {{#invoke:" + module_name + "|hi|you}}"
    html = tester1.parse_html(text=wikitext)
    assert "yes" in html and "Hi you" in html


def test_templatedata(tester1: WikiClient, prefix: str) -> None:
    template = f"Template:{prefix}Box"
    tester1.edit(
        template,
        '{{{name|}}}<noinclude><templatedata>{"params": {"name": {"type": "string"}}}'
        "</templatedata></noinclude>",
    )
    data = tester1.get(action="templatedata", titles=template)
    (page,) = data["pages"].values()
    assert "name" in page["params"]


def test_links_tables_follow_api_edits(tester1: WikiClient, prefix: str) -> None:
    template = f"Template:{prefix}Case"
    page = prefix + "Case page"
    tester1.edit(template, "[[Category:Cases one]]")
    tester1.edit(page, f"{{{{{template.split(':', 1)[1]}}}}}")
    assert page in tester1.embeddedin(template)
    assert "Category:Cases one" in tester1.categories(page)
    # A template edit reaches the pages using it through the job queue, which API writes run.
    tester1.edit(template, "[[Category:Cases two]]")
    assert tester1.categories(page) == ["Category:Cases two"]


def test_spam_blacklist_uses_local_page(
    admin: WikiClient, tester1: WikiClient, prefix: str
) -> None:
    domain = f"spam-{secrets.token_hex(4)}.example"
    pattern = domain.replace(".", r"\.")
    before = admin.page_text("MediaWiki:Spam-blacklist") or ""
    admin.edit("MediaWiki:Spam-blacklist", f"{before}\n{pattern}\n")
    try:
        with pytest.raises(ApiError) as err:
            tester1.edit(prefix + "Spam", f"see http://{domain}/x")
        assert err.value.code == "spamblacklist"
    finally:
        admin.edit("MediaWiki:Spam-blacklist", before or "# empty")


def test_title_blacklist_uses_local_page(
    admin: WikiClient, tester1: WikiClient, prefix: str
) -> None:
    word = f"Forbidden{secrets.token_hex(4)}"
    before = admin.page_text("MediaWiki:Titleblacklist") or ""
    admin.edit("MediaWiki:Titleblacklist", before + f"\n.*{word}.*\n")
    try:
        with pytest.raises(ApiError) as err:
            tester1.edit(prefix + word, "x")
        assert err.value.code.startswith("titleblacklist")
    finally:
        admin.edit("MediaWiki:Titleblacklist", before or "# empty")


def test_pywikibot_logs_in_with_bot_password(devwiki: Devwiki) -> None:
    assert os.environ["PYWIKIBOT_DIR"] == str(devwiki.pywikibot_dir)
    import pywikibot

    log = RequestLog(devwiki)
    mark = log.mark()
    site = pywikibot.Site("en", "advocacydev")
    site.login()
    assert site.user() == "AdvocacyBot"
    assert site.has_right("apihighlimits")
    # A BotPassword session only has the rights of its grants: no `editmyoptions` here, which
    # a main-account login of the same user would have.
    data = site.simple_request(action="query", meta="userinfo", uiprop="rights").submit()
    assert data["query"]["userinfo"]["name"] == "AdvocacyBot"
    assert "editmyoptions" not in data["query"]["userinfo"]["rights"]
    assert pywikibot.Page(site, "User:AdvocacyBot/Run").text == "run"
    logins = by_action(log.since(mark), "login")
    if logins:  # none when an earlier test in this process already logged in
        assert logins[-1].params["lgname"] == "AdvocacyBot@hub"
