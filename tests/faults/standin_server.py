"""STAND-IN for faults the local wiki cannot produce on cue: a scripted proxy in front of it.

This is not a wiki and not a mock of the bot. It is a small HTTP server on 127.0.0.1 that
forwards every request unchanged to the real local MediaWiki (scripts/devwiki) and passes its
answer back, except for the requests a test scripts a fault for. It exists because a single
PHP development server cannot, on demand and at an exact request, answer:

* `HTTP 503` / `HTTP 504` bursts (an overloaded or timed-out front end, as Wikimedia's
  Varnish/ATS layer answers under load), or drop the connection after the wiki has saved an
  edit (the response is lost: the classic "did my edit go through?" case);
* `ratelimited` on the n-th edit (the local wiki exempts everyone from rate limits, and
  MediaWiki's limits are per minute, far too slow to test);
* a `maxlag` error on exactly the n-th write with a chosen lag and `Retry-After` (the real
  lag toggle, `maxlag.txt`, applies to every request while it is set; tests of the real toggle
  are in test_backoff.py).

The answers it invents have the shape MediaWiki 1.39 gives them (error JSON with `code`,
`info` and, for maxlag, `lag`/`host`/`type` and the `Retry-After` and `X-Database-Lag`
headers). Each request it sees is logged with a monotonic time, so tests can assert the bot's
back-off (no tight loop) and its retry budget.

Use::

    with StandinWiki(devwiki) as standin:
        standin.add(Fault("http503", action="edit", times=2))
        cfg = standin.config(fcfg)           # the bot's config, pointed at the stand-in
        result = run("index", cfg)
        standin.seen                          # what reached it, in order, with fault kinds
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.client
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.support import Devwiki

KINDS = ("maxlag", "http503", "http504", "ratelimited", "drop-after-save", "api-error")

_RATELIMITED_INFO = (
    "As an anti-abuse measure, you are limited from performing this action too many times in "
    "a short space of time, and you have exceeded this limit. Please try again in a few minutes."
)


@dataclasses.dataclass
class Fault:
    """Fault `times` requests (None: every one) that match, after letting `skip` through.

    A request matches when its API `action` (and `method`, when given) are the ones named;
    `title` narrows it to requests about one page. The n-th edit is `skip=n - 1`.
    """

    kind: str
    action: str | None = "edit"
    method: str | None = "POST"
    title: str | None = None
    skip: int = 0
    times: int | None = 1
    lag: float = 7.0  # maxlag: the lag reported
    retry_after: int | None = None  # seconds in a Retry-After header (maxlag: max(lag, 5))
    code: str = ""  # api-error: the error code
    info: str = ""
    seen: int = 0
    fired: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; known: {', '.join(KINDS)}")

    def matches(self, method: str, params: dict[str, str]) -> bool:
        if self.method and method != self.method:
            return False
        if self.action and params.get("action") != self.action:
            return False
        return not (self.title and self.title not in (params.get("title"), params.get("titles")))

    def take(self, method: str, params: dict[str, str]) -> bool:
        """Whether this request gets the fault (counts matching requests)."""
        if not self.matches(method, params):
            return False
        self.seen += 1
        if self.seen <= self.skip or (self.times is not None and self.fired >= self.times):
            return False
        self.fired += 1
        return True


@dataclasses.dataclass(frozen=True)
class Seen:
    """One request that reached the stand-in."""

    t: float  # time.monotonic() on arrival
    method: str
    action: str
    title: str
    fault: str  # the fault kind it got, "" when forwarded untouched
    status: int
    params: dict[str, str]


class StandinWiki:
    """The scripted proxy. A context manager: starts on a free port, stops on exit."""

    def __init__(self, devwiki: Devwiki) -> None:
        self.devwiki = devwiki
        self.upstream = ("127.0.0.1", devwiki.port)
        self.faults: list[Fault] = []
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), self._handler_class())
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> StandinWiki:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self.faults.append(fault)
        return fault

    # -- pointing the bot at it ------------------------------------------------------------
    def family_name(self) -> str:
        return f"advocacystandin{self.port}"

    def config(self, cfg: Any, folder: Path) -> Any:
        """`cfg` with its wiki family replaced by one whose host is this stand-in.

        The family file is registered with Pywikibot for this process; cookies are kept per
        host (127.0.0.1) by Pywikibot's cookie jar, so the bot's session works through it."""
        from pywikibot import config as pwb_config

        name = self.family_name()
        path = folder / f"{name}_family.py"
        path.write_text(
            "from pywikibot import family\n\n\n"
            "class Family(family.Family):\n"
            f"    name = {name!r}\n"
            f"    langs = {{'en': '127.0.0.1:{self.port}'}}\n\n"
            "    def scriptpath(self, code):\n        return ''\n\n"
            "    def protocol(self, code):\n        return 'http'\n",
            "utf-8",
        )
        pwb_config.family_files[name] = str(path)
        pwb_config.usernames.setdefault(name, {})["en"] = cfg.wiki.user
        return dataclasses.replace(cfg, wiki=dataclasses.replace(cfg.wiki, family=name))

    # -- what it saw -----------------------------------------------------------------------
    def requests(self, action: str | None = None, fault: str | None = None) -> list[Seen]:
        with self._lock:
            seen = list(self.seen)
        return [s for s in seen if (action is None or s.action == action)
                and (fault is None or s.fault == fault)]

    # -- the handler -----------------------------------------------------------------------
    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return  # quiet; tests read `standin.seen`

            def do_GET(self) -> None:
                self._handle(b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self._handle(self.rfile.read(length) if length else b"")

            def _handle(self, body: bytes) -> None:
                arrived = time.monotonic()
                params = _params(self.path, self.headers.get("Content-Type", ""), body)
                with standin._lock:
                    fault = next((f for f in standin.faults if f.take(self.command, params)),
                                 None)
                kind = fault.kind if fault else ""
                if fault is None or fault.kind == "drop-after-save":
                    status, headers, payload = standin._forward(self, body)
                    if fault is not None:  # the wiki did it; the client never hears of it
                        standin._log(arrived, self.command, params, kind, 0)
                        self.close_connection = True
                        with contextlib.suppress(OSError):
                            self.connection.shutdown(socket.SHUT_RDWR)
                        return
                else:
                    status, headers, payload = _invented(fault)
                standin._log(arrived, self.command, params, kind, status)
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler

    def _forward(
        self, handler: BaseHTTPRequestHandler, body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        conn = http.client.HTTPConnection(*self.upstream, timeout=120)
        try:
            headers = {k: v for k, v in handler.headers.items()
                       if k.lower() not in ("host", "connection", "content-length",
                                            "accept-encoding")}
            headers["Host"] = f"{self.upstream[0]}:{self.upstream[1]}"
            if body or handler.command == "POST":
                headers["Content-Length"] = str(len(body))
            conn.request(handler.command, handler.path, body=body or None, headers=headers)
            resp = conn.getresponse()
            payload = resp.read()
            passed = [(k, v) for k, v in resp.getheaders()
                      if k.lower() not in ("transfer-encoding", "connection", "content-length")]
            return resp.status, passed, payload
        finally:
            conn.close()

    def _log(self, t: float, method: str, params: dict[str, str], kind: str,
             status: int) -> None:
        with self._lock:
            self.seen.append(Seen(
                t=t, method=method, action=params.get("action", ""),
                title=params.get("title") or params.get("titles") or "", fault=kind,
                status=status,
                params={k: v for k, v in params.items() if k not in ("text", "token")},
            ))


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # a dropped connection is the point of some faults, not an error


def _params(path: str, content_type: str, body: bytes) -> dict[str, str]:
    query = parse_qs(urlsplit(path).query)
    if body and "application/x-www-form-urlencoded" in content_type:
        query.update(parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True))
    elif body and "multipart/form-data" in content_type:
        query.update(_multipart(content_type, body))
    return {k: v[-1] for k, v in query.items()}


def _multipart(content_type: str, body: bytes) -> dict[str, list[str]]:
    from email.parser import BytesParser
    from email.policy import HTTP

    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    out: dict[str, list[str]] = {}
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        if name:
            out.setdefault(name, []).append(part.get_content() if part.get_content_maintype()
                                            == "text" else "")
    return out


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode("utf-8")


def _invented(fault: Fault) -> tuple[int, list[tuple[str, str]], bytes]:
    """A response as MediaWiki (or the front end in front of it) would give it."""
    api_headers = [("Content-Type", "application/json; charset=utf-8")]
    if fault.kind == "maxlag":
        retry = fault.retry_after if fault.retry_after is not None else max(int(fault.lag), 5)
        error = {"code": "maxlag", "info": f"Waiting for devwiki-standin: {fault.lag} seconds "
                 "lagged.", "host": "devwiki-standin", "lag": fault.lag, "type": "db"}
        return 200, [*api_headers, ("Retry-After", str(retry)),
                     ("X-Database-Lag", str(int(fault.lag))),
                     ("MediaWiki-API-Error", "maxlag")], _json({"error": error})
    if fault.kind == "ratelimited":
        error = {"code": "ratelimited", "info": _RATELIMITED_INFO}
        return 200, [*api_headers, ("MediaWiki-API-Error", "ratelimited")], _json(
            {"error": error})
    if fault.kind == "api-error":
        error = {"code": fault.code, "info": fault.info or fault.code}
        return 200, [*api_headers, ("MediaWiki-API-Error", fault.code)], _json({"error": error})
    status = 503 if fault.kind == "http503" else 504
    reason = "Service Unavailable" if status == 503 else "Gateway Timeout"
    page = (f"<!DOCTYPE html><html><head><title>{status} {reason}</title></head><body>"
            f"<h1>{reason}</h1><p>devwiki stand-in: scripted {status}.</p></body></html>")
    headers = [("Content-Type", "text/html; charset=utf-8")]
    if fault.retry_after is not None:
        headers.append(("Retry-After", str(fault.retry_after)))
    return status, headers, page.encode("utf-8")
