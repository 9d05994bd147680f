"""The thin Pywikibot layer: one `WikiSession` per run owns the API connection.

Reads are batched (up to the account's API limit per request) and return plain
`PageSnapshot` records; nothing above the wiki layer (``bots/wiki/``) touches Pywikibot. It is
imported lazily (see :mod:`bots.wiki.runtime`), so that `PYWIKIBOT_DIR` (and `-dir:`) can be set
before its configuration is read: importing this module does not import Pywikibot.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import suppress
from typing import Any

from bots.config.model import Config
from bots.errors import BotStop, ShutoffError, WrongUserError
from bots.shutdown import raise_if_stop_requested
from bots.wiki import runtime
from bots.wiki.credentials import check_pywikibot_credentials
from bots.wiki.preflight import CheckClock, evaluate, preflight_params
from bots.wiki.records import (
    AccountInfo,
    PageSnapshot,
    RequestCounter,
    ShutoffReading,
    SiteLimits,
    account_from,
    limits_from,
    merge_page,
    shutoff_state,
    snapshot_from,
)
from bots.wiki.request import submit

log = logging.getLogger(__name__)


def _join(value: Any) -> str:
    if isinstance(value, list | tuple | set | frozenset):
        return "|".join(str(v) for v in value)
    if isinstance(value, bool):
        return "1" if value else ""
    return str(value)


class WikiSession:
    """A logged-in connection to one wiki for one run."""

    def __init__(self, config: Config, *, simulate: bool = False) -> None:
        self.config = config
        # Pywikibot's simulate flag is process-wide: set it for this session explicitly, so a
        # dry run never leaks into a later real run in the same process (scheduler, tests).
        self.simulate = simulate
        runtime.configure(config.wiki, simulate=simulate)
        self.counter = RequestCounter()
        self.saved_count = 0  # successful saves, so a run stopped part-way still counts them
        self.site = runtime.open_site(config.wiki)
        self._install_counter()
        self._account: AccountInfo | None = None
        self._site: SiteLimits | None = None
        self._check = CheckClock()  # the last pre-write check that said go on: preflight()

    # ----------------------------------------------------------------------------- plumbing
    def _install_counter(self) -> None:
        from pywikibot.comms import http

        counter = self.counter

        def on_response(response: Any, *args: Any, **kwargs: Any) -> None:
            counter.requests += 1
            counter.bytes += len(response.content or b"")

        hooks = http.session.hooks.setdefault("response", [])
        # one hook per process is enough: sessions come and go, the counter object is replaced
        hooks[:] = [h for h in hooks if getattr(h, "_advocacy_hub", False) is False]
        on_response._advocacy_hub = True  # type: ignore[attr-defined]
        hooks.append(on_response)

    def api(self, **params: Any) -> dict[str, Any]:
        """Submit one API request (Pywikibot handles maxlag, retries, tokens and -simulate)."""
        from pywikibot.exceptions import NoUsernameError

        clean = {k: _join(v) for k, v in params.items() if v is not None and v is not False}
        clean.setdefault("formatversion", "2")
        action = clean.get("action", "query")
        self.counter.by_action[action] = self.counter.by_action.get(action, 0) + 1
        retries = self.config.wiki.max_retries
        try:
            return submit(self.site, clean, retries=retries)
        except NoUsernameError as exc:
            # The wiki forgot the session mid-run and Pywikibot's own re-login failed (it
            # reuses the login token of the lost session). Log in afresh once, then resend;
            # if that fails too the run stops: it never goes on logged out.
            log.warning("the session was lost (%s); logging in again", exc)
            self._login_again()
            try:
                return submit(self.site, clean, retries=retries)
            except NoUsernameError as again:
                raise WrongUserError(
                    f"the session was lost and logging in again as {self.config.wiki.user} "
                    f"failed: {again}"
                ) from again

    def _login_again(self) -> None:
        """Log in with fresh tokens (the cached login token belongs to a lost session)."""
        from pywikibot.exceptions import NoUsernameError

        self.forget_check()
        self.site.tokens.clear()
        with suppress(AttributeError):
            del self.site.userinfo
        try:
            self.site.login()
        except NoUsernameError as exc:
            raise WrongUserError(
                f"the session was lost and logging in again as {self.config.wiki.user} "
                f"failed: {exc}"
            ) from exc

    def _responses(self, params: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        """Each whole response of a continued query: the loop behind :meth:`query_results`."""
        cont: dict[str, Any] = {}
        while True:
            result = self.api(**{"action": "query", **params, **cont})
            yield result
            if "continue" not in result:
                return
            cont = dict(result["continue"])

    def query_results(self, **params: Any) -> Iterator[dict[str, Any]]:
        """Yield each raw `query` result of a query, following `continue` to the end.

        The one helper for continued queries: :meth:`query_pages` and :meth:`read_pages` are
        views of the same loop (:meth:`_responses`). Each request is Pywikibot's own
        (``simple_request``: maxlag, retries, tokens, -simulate). Pywikibot's query generators
        (``api.QueryGenerator`` and its ``PageGenerator``, ``PropertyGenerator``,
        ``ListGenerator``) would run the loop, but not for what the jobs need: they yield the
        items of one module and drop the rest of each response (``redirects``, the
        ``normalized`` of earlier responses, a ``list=`` module sent along with a generator,
        ``curtimestamp``, ``batchcomplete``); they look up ``paraminfo`` for their limits
        (requests of their own on a fresh process); and they send their requests past
        :func:`bots.wiki.request.submit`, so a read-only or unreachable wiki would not be
        named as one.
        """
        for result in self._responses(params):
            yield result.get("query", {})

    def query_pages(
        self, *, on_query: Callable[[Mapping[str, Any]], None] | None = None, **params: Any
    ) -> Iterator[dict[str, Any]]:
        """Yield page records of a (generator) query, merged across prop continuations.

        MediaWiki may split one batch of pages over several responses when a property such as
        revision content is too large; records are merged by page id until `batchcomplete`.
        ``on_query`` receives each response's whole `query` part: a `list=` module sent along
        (MediaWiki continues it with the generator) is read there, saving its own requests.
        """
        for page, _read_at in self._stamped_pages(params, on_query):
            yield page

    def _stamped_pages(
        self, params: Mapping[str, Any], on_query: Callable[[Mapping[str, Any]], None] | None
    ) -> Iterator[tuple[dict[str, Any], str]]:
        """:meth:`query_pages` with each record's server time (``curtimestamp``, when asked)."""
        pending: dict[Any, dict[str, Any]] = {}
        read_at = ""
        for result in self._responses(params):
            read_at = str(result.get("curtimestamp", read_at))
            query = result.get("query", {})
            if on_query is not None:
                on_query(query)
            for page in query.get("pages", []):
                merge_page(pending.setdefault(page.get("pageid") or page.get("title"), {}), page)
            if result.get("batchcomplete") or "continue" not in result:
                yield from ((page, read_at) for page in pending.values())
                pending = {}

    # ----------------------------------------------------------------------------- account
    def login(self) -> AccountInfo:
        """Log in as the configured account and return its groups and rights."""
        from pywikibot.exceptions import NoUsernameError

        check_pywikibot_credentials()  # refuse a readable or symlinked password file first
        self.forget_check()
        with suppress(AttributeError):
            del self.site.userinfo  # a long-lived process must not trust a stale cached login
        try:
            self.site.login()
        except NoUsernameError as exc:
            # A long-lived process (the scheduler) keeps Pywikibot's login token of a session
            # the wiki has since forgotten; every login with it fails. Try once more afresh.
            log.warning("login failed (%s); trying again with fresh tokens", exc)
            self.site.tokens.clear()
            try:
                self.site.login()
            except NoUsernameError as again:
                raise WrongUserError(
                    f"cannot log in as {self.config.wiki.user}: {again}"
                ) from again
        info = self._account_from_login()
        if info.name != self.config.wiki.user:
            raise WrongUserError(
                f"logged in as {info.name!r}, but the config says {self.config.wiki.user!r}"
            )
        return info

    def _account_from_login(self) -> AccountInfo:
        """The account as Pywikibot's login has just read it (``site.userinfo``, loaded afresh
        by ``site.login()``: groups, rights, block and talk-message state), and the wiki's
        general facts from Pywikibot's site information cache: no request of their own."""
        self._account = account_from(self.site.userinfo)
        info = self.site.siteinfo
        self._site = limits_from({key: info.get(key) for key in ("maxarticlesize", "lang")})
        return self._account

    def account_info(self, force: bool = False) -> AccountInfo:
        """The account's groups and rights; the wiki's general facts ride along (no request
        of their own: see :meth:`site_limits`)."""
        if self._account is None or force:
            result = self.api(
                action="query", meta="userinfo|siteinfo", uiprop="groups|rights|blockinfo|hasmsg",
                siprop="general",
            )  # fmt: skip
            query = result["query"]
            self._account = account_from(query["userinfo"])
            self._site = limits_from(query.get("general", {}))
        return self._account

    def site_limits(self) -> SiteLimits:
        """The wiki's maximum page size and content language, read once per session with the
        account (at login)."""
        if self._site is None:
            self.account_info(force=True)
        assert self._site is not None
        return self._site

    @property
    def high_limits(self) -> bool:
        return "apihighlimits" in self.account_info().rights

    def batch_size(self, *, content: bool) -> int:
        """Titles per request: the API allows 500 for apihighlimits accounts, else 50.

        That holds with content too (``prop=revisions`` returns the latest revision with
        content of up to 500 pages for such accounts). Pywikibot caps content batches at 250;
        there is no need to: a response that would pass the API's result size limit comes
        back in parts (``rvcontinue``), which :meth:`read_pages` and :meth:`query_pages`
        merge. Half the requests for the same pages.
        """
        return 500 if self.high_limits else 50

    # ----------------------------------------------------------------------------- safety
    def preflight(self, *, write: bool = True) -> None:
        """Before a write: shutoff page, account, block and talk-message checks.

        One request, unless a check still stands (:mod:`bots.wiki.preflight`: 10 edits or 10 s
        by default), made here or carried by another read (:meth:`accept_preflight`). A stop
        requested by a signal is checked every time. ``write``: the check is for one write (it
        counts against the bound); False for the check before a job starts.
        """
        raise_if_stop_requested()  # SIGTERM/Ctrl-C: the edit in flight finished; start no other
        shutoff = self.config.shutoff
        if not self._check.fresh(time.monotonic(), shutoff.check_max_age_seconds,
                                 shutoff.check_max_edits):  # fmt: skip
            sent = time.monotonic()
            result = self.api(action="query", **self.preflight_params())
            if not self.accept_preflight(result.get("query", {}), sent_at=sent):
                raise ShutoffError(
                    "refusing to write: the pre-write check's answer lacks the account or the "
                    f"shutoff page {shutoff.page}"
                )
        if write:
            self._check.writes += 1

    def forget_check(self) -> None:
        """The next write makes a check of its own (after a new login, for example)."""
        self._check.forget()

    def preflight_params(self) -> dict[str, str]:
        """The parameters that carry the pre-write check in a query (ride-along).

        To let another read carry it, merge them into that read: its ``titles`` gain the
        shutoff page, its ``prop`` includes ``revisions`` and ``rvprop`` ``content`` (with
        ``rvslots=main``), ``meta`` includes ``userinfo`` with ``uiprop`` ``blockinfo|hasmsg``;
        then pass the response's ``query`` part to :meth:`accept_preflight` before any write.
        """
        return preflight_params(self.config.shutoff.page)

    def accept_preflight(self, query: Mapping[str, Any], *, sent_at: float | None = None) -> bool:
        """Evaluate a pre-write check carried by a response's ``query`` part, as
        :meth:`preflight` does: a stop raises (and no earlier check stands any more); go on
        is recorded and True. False, with nothing recorded, when the answer does not settle it
        (:func:`bots.wiki.preflight.evaluate`): the next write then asks itself.
        ``sent_at``: ``time.monotonic()`` when the request was sent (else now), the check's
        age counts from then."""
        sent = time.monotonic() if sent_at is None else sent_at
        try:
            settled = evaluate(query, self.config)
        except BotStop:
            self._check.forget()
            raise
        if settled:
            self._check.record(sent)
        return settled

    def shutoff_status(self) -> ShutoffReading:
        """What the shutoff page says now (for `check` and `status`)."""
        shutoff = self.config.shutoff
        page = self.read_pages([shutoff.page]).get(shutoff.page)
        return ShutoffReading(shutoff.page, shutoff_state(page.text if page else None,
                                                          shutoff.run_value))

    # ----------------------------------------------------------------------------- reads
    def normalize(self, title: str) -> tuple[str, int]:
        """The canonical title and namespace number, from the site's cached namespace data."""
        return runtime.page_name(self.site, title)

    def read_pages(
        self, titles: Iterable[str], *, content: bool = True, follow_redirects: bool = False
    ) -> dict[str, PageSnapshot]:
        """Read pages in batches; keys are the titles as asked (and the normalised ones)."""
        wanted = list(dict.fromkeys(titles))
        out: dict[str, PageSnapshot] = {}
        size = self.batch_size(content=content)
        for start in range(0, len(wanted), size):
            batch = wanted[start : start + size]
            params: dict[str, Any] = {
                "titles": batch,
                "prop": "revisions|info",
                "rvprop": "ids|timestamp|user" + ("|content" if content else ""),
                "rvslots": "main",
                "curtimestamp": True,
                "redirects": follow_redirects,
            }
            aliases: dict[str, str] = {}
            read_at = ""
            # A response too large for the API's result size limit is cut short: later
            # responses (rvcontinue) list every page of the batch again, but only the rest
            # carry revisions. Merge the records of a page; snapshot it when all are in.
            records: dict[str, dict[str, Any]] = {}
            for result in self._responses(params):
                read_at = result.get("curtimestamp", read_at)
                q = result.get("query", {})
                for item in q.get("normalized", []) + q.get("redirects", []):
                    aliases[item["from"]] = item["to"]
                for page in q.get("pages", []):
                    merge_page(records.setdefault(page.get("title", ""), {}), page)
            for page in records.values():
                snap = snapshot_from(page, read_at)
                out[snap.title] = snap
            for asked in batch:
                target = asked
                seen = 0
                while target in aliases and seen < 3:
                    target = aliases[target]
                    seen += 1
                if target in out:
                    out[asked] = out[target]
        return out

    def embedded_in(
        self,
        template: str,
        namespaces: Iterable[int],
        *,
        content: bool,
        extra: Mapping[str, Any] | None = None,
        on_query: Callable[[Mapping[str, Any]], None] | None = None,
    ) -> Iterator[PageSnapshot]:
        """Pages transcluding a template (through redirects too), with or without text
        (with text, each snapshot may be the base of a save, as from :meth:`read_pages`).

        ``extra`` parameters go into the same requests (for example a `list=` module, whose
        results ``on_query`` receives; see :meth:`query_pages`)."""
        full = template if template.lower().startswith("template:") else f"Template:{template}"
        params: dict[str, Any] = {
            "generator": "embeddedin",
            "geititle": full,
            "geinamespace": list(namespaces),
            "geilimit": self.batch_size(content=content) if content else "max",
            "prop": "revisions|info",
            "rvprop": "ids|timestamp|user" + ("|content" if content else ""),
            "rvslots": "main",
            "curtimestamp": True,
            **(extra or {}),
        }
        for page, read_at in self._stamped_pages(params, on_query):
            # with text, a snapshot may be the base of a save: it keeps the read's time
            yield snapshot_from(page, read_at if content else "")

    def all_pages(self, prefix: str, namespace: int) -> Iterator[str]:
        """Titles of all pages with a prefix in a namespace (one request per 5,000 titles)."""
        for q in self.query_results(
            list="allpages", apprefix=prefix, apnamespace=namespace, aplimit="max"
        ):
            for page in q.get("allpages", []):
                yield page["title"]

