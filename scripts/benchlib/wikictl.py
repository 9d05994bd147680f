"""The bench wiki: `scripts/devwiki` commands, the bench config, a small API client acting as
people, and the server's request log. Standard library plus `requests` (in the venv)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

REPO = Path(__file__).resolve().parents[2]
DEVWIKI = REPO / "scripts" / "devwiki"
BASE_CONFIG = REPO / "config" / "devwiki.toml"
ONWIKI_MANIFEST = REPO / "bots" / "onwiki" / "pages.toml"
SEED_FILE = REPO / "config" / "seed" / "seed.toml"
MW = Path("/usr/share/mediawiki")
HELPER_UA = "AdvocacyBench/1 (scripts/bench helper)"
BOT_UA = "AdvocacyHubBot/0.1 (benchmark wiki; operator: Admin)"
NAIVE_UA = "AdvocacyHubNaiveBaseline/0.1 (benchmark wiki; operator: Admin)"


class BenchError(RuntimeError):
    """A failure of the benchmark's own machinery (not of a job under test)."""


# ---------------------------------------------------------------------------------------------
# scripts/devwiki


@dataclass(frozen=True)
class BenchWiki:
    dir: Path
    port: int

    def devwiki(self, *args: str, stdin: str | None = None) -> str:
        cmd = [sys.executable, str(DEVWIKI), *args, "--dir", str(self.dir), "--port",
               str(self.port)]  # fmt: skip
        proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, cwd=REPO,
                              check=False)  # fmt: skip
        if proc.returncode != 0 and args[0] != "status":
            raise BenchError(f"{' '.join(cmd)} exited {proc.returncode}:\n"
                             f"{proc.stdout[-2000:]}{proc.stderr[-3000:]}")  # fmt: skip
        return proc.stdout

    def status(self) -> dict[str, Any]:
        return json.loads(self.devwiki("status", "--json"))  # type: ignore[no-any-return]

    def fresh(self, attempts: int = 3) -> None:
        """Stop and delete any wiki in the folder, then create and start an empty one.

        Retried: `devwiki up` fails now and then when a generated password starts with "-"
        (createAndPromote.php reads it as an option)."""
        for attempt in range(1, attempts + 1):
            self.down()
            if self.dir.exists():
                if not (self.dir / "state.json").exists() and any(self.dir.iterdir()):
                    raise BenchError(f"{self.dir} is not a devwiki folder; not deleting it")
                shutil.rmtree(self.dir)
            try:
                self.devwiki("up")
                return
            except BenchError:
                if attempt == attempts:
                    raise

    def up(self) -> None:
        self.devwiki("up")

    def down(self) -> None:
        if self.dir.exists():
            self.devwiki("down")

    def import_pages(self, pages: Sequence[Mapping[str, Any]]) -> None:
        self.devwiki("import", "-", stdin=json.dumps(list(pages)))

    def php_eval(self, code: str) -> str:
        """Run PHP in MediaWiki's context (maintenance/eval.php) in one process."""
        env = dict(os.environ, MW_CONFIG_FILE=str(self.dir / "LocalSettings.php"))
        proc = subprocess.run(["php", str(MW / "maintenance" / "eval.php")], input=code,
                              capture_output=True, text=True, env=env, cwd=self.dir,
                              check=False)  # fmt: skip
        if proc.returncode != 0:
            raise BenchError(f"eval.php failed: {proc.stdout[-2000:]}{proc.stderr[-2000:]}")
        return proc.stdout

    def create_users(self, names: Iterable[str]) -> None:
        """Accounts without passwords (subscribers who never log in), in one PHP process:
        createAndPromote.php costs a third of a second per account."""
        names = list(names)
        if not names:
            return
        # eval.php evaluates each line on its own (and cuts long lines): one short line each
        lines = [
            f"$u = User::newFromName({json.dumps(name)}); "
            "if ($u && !$u->isRegistered()) { User::createNew($u->getName()); }"
            for name in names
        ]
        lines.append('echo "created\\n";')
        out = self.php_eval("\n".join(lines) + "\n")
        if "created" not in out or "Error" in out:
            raise BenchError(f"could not create users: {out[-1000:]}")

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api.php"

    @property
    def pywikibot_dir(self) -> Path:
        return self.dir / "pywikibot"

    @property
    def request_log(self) -> Path:
        return self.dir / "requests.jsonl"

    def credentials(self) -> dict[str, Any]:
        return json.loads((self.dir / "credentials.json").read_text("utf-8"))  # type: ignore[no-any-return]


def onwiki_pages() -> list[dict[str, Any]]:
    """The on-wiki templates (bots/onwiki) and Template:Target from the seed, as import pages
    (what `advocacy-hub setup-wiki` would write)."""
    manifest = tomllib.loads(ONWIKI_MANIFEST.read_text("utf-8"))
    pages: list[dict[str, Any]] = [
        {"title": entry["title"], "revisions": [{
            "text": (ONWIKI_MANIFEST.parent / entry["file"]).read_text("utf-8"),
            "user": "Admin", "age_days": 400, "comment": f"from bots/onwiki/{entry['file']}"}]}
        for entry in manifest.get("page", [])
    ]  # fmt: skip
    seed = tomllib.loads(SEED_FILE.read_text("utf-8"))
    pages += [p for p in seed.get("page", []) if p["title"] == "Template:Target"]
    return pages


# ---------------------------------------------------------------------------------------------
# The bench config


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def dump_toml(data: Mapping[str, Any]) -> str:
    """Enough TOML for the config: tables of scalars and lists, nested tables."""
    out: list[str] = []

    def table(prefix: str, values: Mapping[str, Any]) -> None:
        scalars = {k: v for k, v in values.items() if not isinstance(v, Mapping)}
        nested = {k: v for k, v in values.items() if isinstance(v, Mapping)}
        if prefix:
            out.append(f"\n[{prefix}]")
        for key, value in scalars.items():
            out.append(f"{json.dumps(key, ensure_ascii=False)} = {_toml_value(value)}")
        for key, value in nested.items():
            table(f"{prefix}.{json.dumps(key)}" if prefix else json.dumps(key), value)

    table("", data)
    return "\n".join(out).lstrip("\n") + "\n"


def write_bench_config(path: Path, state_dir: Path, languages: Sequence[str],
                       max_targets: int) -> Path:  # fmt: skip
    """config/devwiki.toml with the bench's state folder, user agent, languages and limits."""
    data = tomllib.loads(BASE_CONFIG.read_text("utf-8"))
    data["wiki"]["user_agent"] = BOT_UA
    data["runtime"]["state_dir"] = str(state_dir)
    data["translations"]["languages"] = list(languages)
    data["digest"]["max_targets"] = max_targets
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Generated by scripts/bench from config/devwiki.toml; edits are lost.\n"
        + dump_toml(data), "utf-8")  # fmt: skip
    return path


# ---------------------------------------------------------------------------------------------
# Acting as people (and reading what the bot did), outside the measured windows


class Client:
    """A logged-in (or anonymous) API session with the helper user agent."""

    def __init__(self, api_url: str) -> None:
        self.api_url = api_url
        self.http = requests.Session()
        self.http.headers["User-Agent"] = HELPER_UA
        self._csrf: str | None = None

    def _check(self, resp: requests.Response) -> dict[str, Any]:
        resp.raise_for_status()
        data: dict[str, Any] = resp.json()
        if "error" in data:
            raise BenchError(f"API error: {data['error']}")
        return data

    def get(self, **params: Any) -> dict[str, Any]:
        params = {"format": "json", "formatversion": "2", **params}
        return self._check(self.http.get(self.api_url, params=params, timeout=120))

    def post(self, **params: Any) -> dict[str, Any]:
        params = {"format": "json", "formatversion": "2", **params}
        return self._check(self.http.post(self.api_url, data=params, timeout=120))

    def login(self, user: str, password: str) -> Client:
        token = self.get(action="query", meta="tokens", type="login")["query"]["tokens"]
        data = self.post(action="clientlogin", username=user, password=password,
                         logintoken=token["logintoken"], loginreturnurl=self.api_url)
        if data["clientlogin"]["status"] != "PASS":
            raise BenchError(f"cannot log in as {user}: {data['clientlogin']}")
        self._csrf = None
        return self

    def edit(self, title: str, text: str, summary: str) -> dict[str, Any]:
        if self._csrf is None:
            self._csrf = self.get(action="query", meta="tokens")["query"]["tokens"]["csrftoken"]
        return self.post(action="edit", title=title, text=text, summary=summary,
                         token=self._csrf)["edit"]  # type: ignore[no-any-return]

    def texts(self, titles: Sequence[str]) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for start in range(0, len(titles), 50):
            data = self.get(action="query", prop="revisions", rvprop="content", rvslots="main",
                            titles="|".join(titles[start : start + 50]))
            for page in data["query"]["pages"]:
                revs = page.get("revisions") or []
                out[page["title"]] = revs[0]["slots"]["main"]["content"] if revs else None
        return out

    def last_revid(self) -> int:
        data = self.get(action="query", list="recentchanges", rclimit=1, rcprop="ids")
        changes = data["query"]["recentchanges"]
        return int(changes[0]["revid"]) if changes else 0

    def contributions_after(self, user: str, revid: int) -> list[dict[str, Any]]:
        """Edits by `user` with a revision id above `revid` (newest first)."""
        out: list[dict[str, Any]] = []
        params: dict[str, Any] = {"action": "query", "list": "usercontribs", "ucuser": user,
                                  "uclimit": "max", "ucprop": "ids|title|comment"}
        while True:
            data = self.get(**params)
            for c in data["query"]["usercontribs"]:
                if int(c["revid"]) <= revid:
                    return out
                out.append(c)
            if "continue" not in data:
                return out
            params.update(data["continue"])


def person(wiki: BenchWiki, user: str) -> Client:
    return Client(wiki.api_url).login(user, wiki.credentials()["users"][user])


def wait_until_up(wiki: BenchWiki, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if wiki.status().get("up"):
            return
        time.sleep(0.2)
    raise BenchError(f"the bench wiki in {wiki.dir} did not come up")


# ---------------------------------------------------------------------------------------------
# The request log (the web server writes one JSON line per request; see docs/devwiki.md)


@dataclass(frozen=True)
class Served:
    method: str
    script: str
    action: str | None
    params: Mapping[str, str]
    write: bool
    user: str | None
    user_agent: str
    status: int
    bytes: int


class RequestLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def mark(self) -> int:
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def since(self, mark: int) -> list[Served]:
        try:
            with open(self.path, "rb") as fh:
                fh.seek(mark)
                chunk = fh.read()
        except FileNotFoundError:
            return []
        chunk = chunk[: chunk.rfind(b"\n") + 1]
        out = []
        for line in chunk.decode("utf-8", "replace").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            out.append(Served(
                method=str(r.get("method", "")), script=str(r.get("script", "")),
                action=r.get("action"), params=r.get("params") or {},
                write=bool(r.get("write")), user=r.get("user"),
                user_agent=str(r.get("user_agent") or ""), status=int(r.get("status", 0)),
                bytes=int(r.get("bytes", 0)),
            ))  # fmt: skip
        return out
