"""A tiny MediaWiki Action API client on `requests`, independent of Pywikibot.

Tests use it to act as people (Tester1 editing a case page, Admin protecting a page or blocking
the bot) and to check what the bot did, without going through the code under test.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import requests

if TYPE_CHECKING:
    from tests.support.devwiki import Devwiki

# Requests from this client are recognisable in the request log (see requestlog.is_helper).
USER_AGENT_PREFIX = "AdvocacyHubTests/1"


class ApiError(Exception):
    """An API error response: `code` is MediaWiki's error code (e.g. `readonly`, `blocked`)."""

    def __init__(self, code: str, info: str, data: dict[str, Any]) -> None:
        super().__init__(f"{code}: {info}")
        self.code = code
        self.info = info
        self.data = data


def _join(values: str | Iterable[str]) -> str:
    return values if isinstance(values, str) else "|".join(values)


class WikiClient:
    """One logged-in (or anonymous) API session."""

    def __init__(self, api_url: str, *, user_agent: str | None = None, timeout: float = 60):
        self.api_url = api_url
        self.timeout = timeout
        self.username: str | None = None
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent or f"{USER_AGENT_PREFIX} (anonymous)"
        self._tokens: dict[str, str] = {}

    # -- construction ------------------------------------------------------------------------

    @classmethod
    def anonymous(cls, devwiki: Devwiki) -> WikiClient:
        return cls(devwiki.api_url)

    @classmethod
    def login_as(cls, devwiki: Devwiki, user: str, *, bot_password: bool = False) -> WikiClient:
        """A client logged in as `user` (Admin, AdvocacyBot, Tester1, Tester2, or an account
        created by an import). With bot_password=True, log in as the bot's BotPassword
        `AdvocacyBot@hub` instead of the main account."""
        client = cls(devwiki.api_url, user_agent=f"{USER_AGENT_PREFIX} (as {user})")
        creds = devwiki.credentials
        if bot_password:
            client.login_bot_password(creds.bot_login_name, creds.bot_password)
        else:
            client.login(user, creds.password(user))
        return client

    # -- raw requests ------------------------------------------------------------------------

    def _check(self, resp: requests.Response) -> dict[str, Any]:
        resp.raise_for_status()
        data: dict[str, Any] = resp.json()
        if "error" in data:
            err = data["error"]
            raise ApiError(err.get("code", "unknown"), err.get("info", ""), data)
        return data

    def get(self, **params: Any) -> dict[str, Any]:
        """GET api.php with `params` (format=json, formatversion=2 added); raise ApiError."""
        params = {"format": "json", "formatversion": "2", **params}
        return self._check(self.session.get(self.api_url, params=params, timeout=self.timeout))

    def post(self, **params: Any) -> dict[str, Any]:
        """POST api.php with `params`; raise ApiError on an error response."""
        data = {"format": "json", "formatversion": "2", **params}
        return self._check(self.session.post(self.api_url, data=data, timeout=self.timeout))

    def token(self, kind: str = "csrf") -> str:
        """A token of `kind` (csrf, login, patrol, rollback, userrights, watch), cached."""
        if kind not in self._tokens:
            data = self.get(action="query", meta="tokens", type=kind)
            self._tokens[kind] = data["query"]["tokens"][f"{kind}token"]
        return self._tokens[kind]

    def write(self, **params: Any) -> dict[str, Any]:
        """POST a write with a CSRF token; fetch a fresh token once if it went stale."""
        try:
            return self.post(token=self.token(), **params)
        except ApiError as exc:
            if exc.code != "badtoken":
                raise
            self._tokens.pop("csrf", None)
            return self.post(token=self.token(), **params)

    # -- accounts ----------------------------------------------------------------------------

    def login(self, user: str, password: str) -> None:
        """Main-account login (action=clientlogin)."""
        data = self.post(
            action="clientlogin",
            username=user,
            password=password,
            logintoken=self.token("login"),
            loginreturnurl=self.api_url,
        )
        status = data["clientlogin"]["status"]
        if status != "PASS":
            raise ApiError("loginfailed", str(data["clientlogin"].get("message", status)), data)
        self._logged_in(data["clientlogin"]["username"])

    def login_bot_password(self, login_name: str, password: str) -> None:
        """BotPassword login (action=login with `User@app`)."""
        data = self.post(
            action="login", lgname=login_name, lgpassword=password, lgtoken=self.token("login")
        )
        if data["login"]["result"] != "Success":
            raise ApiError("loginfailed", str(data["login"]), data)
        self._logged_in(data["login"]["lgusername"])

    def _logged_in(self, name: str) -> None:
        self.username = name
        self._tokens.clear()  # tokens are per session
        self.session.headers["User-Agent"] = f"{USER_AGENT_PREFIX} (as {name})"

    def userinfo(self, props: str | Iterable[str] = "groups|rights|blockinfo") -> dict[str, Any]:
        return self.get(action="query", meta="userinfo", uiprop=_join(props))["query"]["userinfo"]

    def user_groups(self, user: str) -> list[str]:
        data = self.get(action="query", list="users", ususers=user, usprop="groups")
        return list(data["query"]["users"][0].get("groups", []))

    # -- pages -------------------------------------------------------------------------------

    def page_info(self, title: str) -> dict[str, Any]:
        data = self.get(action="query", prop="info", inprop="protection", titles=title)
        return data["query"]["pages"][0]

    def exists(self, title: str) -> bool:
        return not self.page_info(title).get("missing", False)

    def page_text(self, title: str) -> str | None:
        """Current wikitext, or None when the page does not exist."""
        data = self.get(
            action="query", prop="revisions", rvprop="content", rvslots="main", titles=title
        )
        page = data["query"]["pages"][0]
        if page.get("missing") or page.get("invalid"):
            return None
        return page["revisions"][0]["slots"]["main"]["content"]

    def revisions(
        self,
        title: str,
        *,
        limit: int = 50,
        props: str | Iterable[str] = "ids|timestamp|user|comment|size|flags|sha1|content",
    ) -> list[dict[str, Any]]:
        """Revisions of `title`, newest first ([] when missing). With `content` in `props`, each
        revision has `text` (its main slot)."""
        data = self.get(
            action="query",
            prop="revisions",
            titles=title,
            rvprop=_join(props),
            rvslots="main",
            rvlimit=str(limit),
        )
        page = data["query"]["pages"][0]
        revs = list(page.get("revisions", []))
        for rev in revs:
            if "slots" in rev:
                rev["text"] = rev["slots"]["main"].get("content")
        return revs

    def edit(
        self,
        title: str,
        text: str | None = None,
        summary: str = "",
        *,
        appendtext: str | None = None,
        prependtext: str | None = None,
        section: str | int | None = None,
        sectiontitle: str | None = None,
        minor: bool = False,
        bot: bool = False,
        createonly: bool = False,
        nocreate: bool = False,
        basetimestamp: str | None = None,
        starttimestamp: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Edit (or create) a page; returns the `edit` result (`newrevid`, `nochange`, ...).
        Raises ApiError for failures such as `protectedpage`, `blocked`, `readonly`,
        `spamblacklist`, `titleblacklist-forbidden` or `editconflict`."""
        params: dict[str, Any] = {"action": "edit", "title": title, "summary": summary, **extra}
        if text is not None:
            params["text"] = text
        if appendtext is not None:
            params["appendtext"] = appendtext
        if prependtext is not None:
            params["prependtext"] = prependtext
        if section is not None:
            params["section"] = str(section)
        if sectiontitle is not None:
            params["sectiontitle"] = sectiontitle
        for flag, on in (("minor", minor), ("bot", bot), ("createonly", createonly),
                         ("nocreate", nocreate)):  # fmt: skip
            if on:
                params[flag] = "1"
        if not minor:
            params["notminor"] = "1"
        if basetimestamp:
            params["basetimestamp"] = basetimestamp
        if starttimestamp:
            params["starttimestamp"] = starttimestamp
        result: dict[str, Any] = self.write(**params)["edit"]
        if result.get("result") != "Success":
            # e.g. a captcha or an abuse filter; not errors in the API's sense
            raise ApiError(str(result.get("result", "failure")), str(result), {"edit": result})
        return result

    def delete(self, title: str, reason: str = "") -> dict[str, Any]:
        return self.write(action="delete", title=title, reason=reason)["delete"]

    def undelete(self, title: str, reason: str = "") -> dict[str, Any]:
        return self.write(action="undelete", title=title, reason=reason)["undelete"]

    def move(
        self, from_title: str, to_title: str, reason: str = "", *, noredirect: bool = False
    ) -> dict[str, Any]:
        params: dict[str, Any] = {"action": "move", "from": from_title, "to": to_title}
        params["reason"] = reason
        if noredirect:
            params["noredirect"] = "1"
        return self.write(**params)["move"]

    def protect(
        self,
        title: str,
        *,
        edit: str | None = "sysop",
        move: str | None = "sysop",
        create: str | None = None,
        expiry: str = "infinite",
        reason: str = "",
    ) -> dict[str, Any]:
        """Protect a page (levels: `sysop`, `autoconfirmed`, or None for no restriction).
        `create` applies only to missing pages, `edit`/`move` only to existing ones."""
        levels = [f"{kind}={level}" for kind, level in
                  (("edit", edit), ("move", move), ("create", create)) if level]  # fmt: skip
        if not levels:
            levels = ["edit=all"]
        return self.write(
            action="protect",
            title=title,
            protections="|".join(levels),
            expiry="|".join([expiry] * len(levels)),
            reason=reason,
        )["protect"]

    def unprotect(self, title: str, reason: str = "") -> dict[str, Any]:
        kinds = ("create=all",) if not self.exists(title) else ("edit=all", "move=all")
        return self.write(
            action="protect", title=title, protections="|".join(kinds), reason=reason
        )["protect"]

    def block(
        self,
        user: str,
        *,
        expiry: str = "infinite",
        reason: str = "",
        allowusertalk: bool = True,
        nocreate: bool = False,
        autoblock: bool = False,
    ) -> dict[str, Any]:
        """Block an account (by default without an autoblock, so the tests' shared IP 127.0.0.1
        stays usable for everyone else)."""
        params: dict[str, Any] = {
            "action": "block",
            "user": user,
            "expiry": expiry,
            "reason": reason,
            "reblock": "1",
        }
        for flag, on in (("allowusertalk", allowusertalk), ("nocreate", nocreate),
                         ("autoblock", autoblock)):  # fmt: skip
            if on:
                params[flag] = "1"
        return self.write(**params)["block"]

    def unblock(self, user: str, reason: str = "") -> dict[str, Any]:
        return self.write(action="unblock", user=user, reason=reason)["unblock"]

    # -- reading rendered output and link tables ---------------------------------------------

    def parse(
        self,
        title: str | None = None,
        *,
        text: str | None = None,
        prop: str | Iterable[str] = "text|categories|templates|links",
        **extra: Any,
    ) -> dict[str, Any]:
        """action=parse of a page (`title`) or of `text` (rendered as `title` if given)."""
        params: dict[str, Any] = {"action": "parse", "prop": _join(prop), **extra}
        if text is not None:
            params["text"] = text
            params["contentmodel"] = "wikitext"
            if title is not None:
                params["title"] = title
        elif title is not None:
            params["page"] = title
        else:
            raise ValueError("parse needs a title or text")
        result: dict[str, Any] = self.post(**params)["parse"]
        return result

    def parse_html(self, title: str | None = None, *, text: str | None = None) -> str:
        return str(self.parse(title, text=text, prop="text")["text"])

    def categories(self, title: str) -> list[str]:
        """Category titles (with `Category:`) from the categorylinks table."""
        data = self.get(action="query", prop="categories", titles=title, cllimit="max")
        return [c["title"] for c in data["query"]["pages"][0].get("categories", [])]

    def templates(self, title: str) -> list[str]:
        """Transcluded page titles from the templatelinks table (prop=templates)."""
        data = self.get(action="query", prop="templates", titles=title, tllimit="max")
        return [t["title"] for t in data["query"]["pages"][0].get("templates", [])]

    def embeddedin(self, template: str, *, namespace: int | None = None) -> list[str]:
        """Titles of pages that transclude `template` (list=embeddedin, all of them)."""
        params: dict[str, Any] = {
            "action": "query",
            "list": "embeddedin",
            "eititle": template,
            "eilimit": "max",
        }
        if namespace is not None:
            params["einamespace"] = str(namespace)
        titles: list[str] = []
        while True:
            data = self.get(**params)
            titles += [e["title"] for e in data["query"]["embeddedin"]]
            if "continue" not in data:
                return titles
            params.update(data["continue"])

    def prefix_pages(self, prefix: str, namespace: int = 0) -> list[str]:
        """Titles starting with `prefix` (without namespace) in `namespace`."""
        params: dict[str, Any] = {
            "action": "query",
            "list": "allpages",
            "apprefix": prefix,
            "apnamespace": str(namespace),
            "aplimit": "max",
        }
        titles: list[str] = []
        while True:
            data = self.get(**params)
            titles += [p["title"] for p in data["query"]["allpages"]]
            if "continue" not in data:
                return titles
            params.update(data["continue"])

    def recent_changes(self, *, limit: int = 50, **extra: Any) -> list[dict[str, Any]]:
        data = self.get(
            action="query",
            list="recentchanges",
            rcprop="title|timestamp|user|comment|ids|sizes|flags",
            rclimit=str(limit),
            **extra,
        )
        return list(data["query"]["recentchanges"])

    def siteinfo(self, props: str | Iterable[str] = "general") -> dict[str, Any]:
        return self.get(action="query", meta="siteinfo", siprop=_join(props))["query"]
