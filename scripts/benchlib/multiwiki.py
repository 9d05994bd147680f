"""The two-wiki scenario of `scripts/bench --two-wikis M` (issue 16): requests per wiki.

Beside the bench wiki of size N (the central wiki, English) a second wiki is created: content
language French, registered with the central wiki's Pywikibot folder (`scripts/devwiki up
--lang fr --central`), holding M French case pages in its project namespace under its own
template (`{{Cas de plaidoyer}}`, from config/seed/fr/). The central wiki's participation page
lists it. Then, each in its own process and each counted from both wikis' request logs:

* `check`: the central checks, the participation page and each source wiki's check;
* `read`: the sources service (`bots.sources.collect.collect_sources`), what every job that
  covers several wikis reads;
* `index-cold`, `index-warm`: `run index` with the two-wiki config, twice. The French wiki's
  reads are held to the one-wiki index formula: session + 1 (redirects) + ceil(E / 5000)
  (listing with revision ids) + ceil(P / 5000) (prefix listing, P pages under the prefix) +
  ceil(E / 500) texts when cold, none when warm.

The one-wiki formulas, per wiki (E = pages transcluding that wiki's case template in its case
namespaces; the bot has apihighlimits: 500 pages with text per request):

* reading the cases of one wiki = session + 1 (the template's redirects) + ceil(E / 500);
  the central wiki adds 1 for the participation page;
* session = the requests of opening the session on that wiki in this very run (counted apart:
  login token and login, the account and site facts, Pywikibot's paraminfo; with a valid
  cookie only the account checks), so the formula tests what grows with the cases.

"Requests grow per wiki as the one-wiki formulas say" holds when each wiki's measured reads
are within 2 of its formula (the same slack as the other scenarios) and the French wiki costs
what a one-wiki read of its size costs, whatever the central wiki's size.

Run as a module (`python -m benchlib.multiwiki --config FILE`) it is the measured `read`
process: it opens the central session, collects every source and prints one line per wiki.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchlib.measure import PYTHON, Run, check_command, job_command, log_line, measure
from benchlib.report import CONTENT_LIMIT, LIST_LIMIT, ceil_div
from benchlib.wikictl import HELPER_UA, REPO, BenchError, BenchWiki, RequestLog, Served, person

FR_SEED = REPO / "config" / "seed" / "fr" / "seed.toml"
FR_TEMPLATE = "Modèle:Cas de plaidoyer"
FR_PREFIX = "Advocacy Dev Wiki:Plaidoyer/"
PARTICIPATION = "Advocacy/Participating wikis"
SLACK = 2  # requests over the formula still counted as meeting it (as the other scenarios)
SESSION_ACTIONS = ("login", "clientlogin", "paraminfo")


# ---------------------------------------------------------------------------------------------
# The second wiki and the two-wiki configuration


def second_wiki(central: BenchWiki) -> BenchWiki:
    return BenchWiki(central.dir.with_name(f"{central.dir.name}-fr"), central.port + 1)


def bring_up_french(central: BenchWiki, m: int) -> BenchWiki:
    """A fresh French wiki beside ``central``, registered with it, with M case pages."""
    wiki = second_wiki(central)
    wiki.down()
    if wiki.dir.exists():
        if not (wiki.dir / "state.json").exists() and any(wiki.dir.iterdir()):
            raise BenchError(f"{wiki.dir} is not a devwiki folder; not deleting it")
        shutil.rmtree(wiki.dir)
    wiki.devwiki("up", "--lang", "fr", "--central", str(central.dir))
    wiki.import_pages(french_pages(m))
    return wiki


def french_pages(m: int) -> list[dict[str, Any]]:
    """The French case template (from the French seed) and M case pages using it."""
    seed = tomllib.loads(FR_SEED.read_text("utf-8"))
    pages = [p for p in seed["page"] if p["title"] == FR_TEMPLATE]
    statuses = ("planned", "active", "success", "partial", "failure", "closed")
    for i in range(m):
        text = (f"{{{{Cas de plaidoyer\n|titre = Cas de banc {i:04d}\n|région = europe\n"
                f"|pays = France\n|sujet = copyright\n|statut = {statuses[i % 6]}\n"
                f"|début = 20{10 + i % 15}-0{1 + i % 9}\n}}}}\n\nTexte du cas {i}.\n")
        pages.append({"title": f"{FR_PREFIX}Banc {i:04d}", "revisions": [
            {"user": "Tester1", "age_days": 30.0 + i % 20, "comment": "cas", "text": text}]})
    return pages


def write_two_wiki_config(one_wiki: Path, path: Path) -> Path:
    """The bench config with ``[participation]`` and two ``[[sources]]``: the central wiki
    itself (its one-wiki case scope) and the French wiki."""
    text = one_wiki.read_text("utf-8")
    permissions = tomllib.loads(text)["permissions"]
    text += (f'\n[participation]\npage = "{PARTICIPATION}"\n'
             '\n[[sources]]\nid = "bench"\nfamily = "advocacydev"\ncode = "en"\n'
             f'language = "en"\ncase_namespaces = {json.dumps(permissions["case_namespaces"])}\n'
             f'case_prefixes = {json.dumps(permissions["case_prefixes"], ensure_ascii=False)}\n'
             '\n[[sources]]\nid = "frbench"\nfamily = "advocacydevfr"\ncode = "fr"\n'
             f'language = "fr"\ncase_namespaces = [4]\ncase_prefixes = ["{FR_PREFIX}"]\n'
             'case_template = "Cas de plaidoyer"\ninterwiki = "frbench"\nmax_pages = 100000\n')
    path.write_text(text, "utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# Measuring on two wikis


@dataclass
class WikiCost:
    """What one run cost on one wiki, from that wiki's request log (the bot's requests)."""

    requests: int
    login: int
    by_action: dict[str, int] = field(default_factory=dict)

    @property
    def reads(self) -> int:
        return self.requests - self.login


def is_session_request(r: Served) -> bool:
    """A request of opening the session (login, token, the account and site facts, Pywikibot's
    paraminfo), not a read of pages: an action of its own, or a query of `meta=` modules
    alone."""
    if r.action in SESSION_ACTIONS:
        return True
    page_modules = ("titles", "pageids", "generator", "list", "prop")
    return r.action == "query" and bool(r.params.get("meta")) and not any(
        r.params.get(k) for k in page_modules)


def cost(served: Sequence[Served]) -> WikiCost:
    api = [r for r in served if r.script == "/api.php" and r.user_agent != HELPER_UA]
    by_action: dict[str, int] = {}
    login = 0
    for r in api:
        key = r.action or "?"
        if key == "query":
            key = next((f"query:{n}={r.params[n].split('|')[0]}"
                        for n in ("generator", "list", "prop", "meta") if r.params.get(n)),
                       key)  # fmt: skip
        by_action[key] = by_action.get(key, 0) + 1
        if is_session_request(r):
            login += 1
    return WikiCost(len(api), login, dict(sorted(by_action.items(), key=lambda kv: -kv[1])))


def measure_both(central: BenchWiki, french: BenchWiki, label: str, command: list[str],
                 work: Path) -> tuple[Run, WikiCost, WikiCost]:  # fmt: skip
    """One process, counted on both wikis (the central count is also measure()'s)."""
    central_log, french_log = RequestLog(central.request_log), RequestLog(french.request_log)
    c_mark, f_mark = central_log.mark(), french_log.mark()
    run = measure(central, label, command, work)
    return run, cost(central_log.since(c_mark)), cost(french_log.since(f_mark))


def embeds(wiki: BenchWiki, template: str, namespaces: Sequence[int]) -> int:
    """E: pages transcluding the template in the namespaces (read by the helper, unmeasured)."""
    client = person(wiki, "Admin")
    params: dict[str, Any] = {"action": "query", "list": "embeddedin", "eititle": template,
                              "einamespace": "|".join(map(str, namespaces)), "eilimit": "max"}
    count = 0
    while True:
        data = client.get(**params)
        count += len(data["query"]["embeddedin"])
        if "continue" not in data:
            return count
        params.update(data["continue"])


def prefix_pages(wiki: BenchWiki) -> int:
    """Pages under the French case prefix (read by the helper, unmeasured)."""
    client = person(wiki, "Admin")
    params: dict[str, Any] = {"action": "query", "list": "allpages", "apnamespace": 4,
                              "apprefix": FR_PREFIX.split(":", 1)[1], "aplimit": "max"}
    count = 0
    while True:
        data = client.get(**params)
        count += len(data["query"]["allpages"])
        if "continue" not in data:
            return count
        params.update(data["continue"])


@dataclass
class TwoWikis:
    n: int
    m: int
    e_central: int
    e_french: int
    p_french: int  # pages under the French case prefix (the index's prefix listing)
    rows: list[dict[str, Any]] = field(default_factory=list)

    def formula(self, wiki: str, login: int) -> int:
        """The sources service's read of one wiki: its template's redirects, the listing with
        the texts (and the participation page on the central wiki)."""
        e = self.e_central if wiki == "central" else self.e_french
        return login + 1 + ceil_div(e, CONTENT_LIMIT) + (1 if wiki == "central" else 0)

    def index_formula(self, login: int, cold: bool) -> int:
        """The index's read of the French wiki, as the one-wiki index reads its cases: the
        template's redirects, the listing with revision ids, the prefix listing (translation
        subpages), and the texts of the pages not in that wiki's cache (all of them cold)."""
        e = self.e_french
        texts = ceil_div(e, CONTENT_LIMIT) if cold else 0
        return login + 1 + ceil_div(e, LIST_LIMIT) + ceil_div(self.p_french, LIST_LIMIT) + texts

    def add(self, scenario: str, run: Run, central: WikiCost, french: WikiCost) -> None:
        for wiki, c in (("central", central), ("french", french)):
            formula: int | None = None
            if scenario == "read":
                formula = self.formula(wiki, c.login)
            elif scenario.startswith("index") and wiki == "french" and c.requests > 0:
                formula = self.index_formula(c.login, cold=scenario == "index-cold")
            self.rows.append({
                "scenario": scenario, "wiki": wiki, "requests": c.requests, "login": c.login,
                "formula": formula, "exit": run.exit, "wall_s": run.wall_s,
                "met": None if formula is None else c.requests <= formula + SLACK,
                "by_action": c.by_action,
            })  # fmt: skip

    @property
    def ok(self) -> bool:
        return all(r["met"] is not False and r["exit"] == 0 for r in self.rows)

    def lines(self) -> list[str]:
        out = [f"two wikis: central N = {self.n:,} (E = {self.e_central:,} pages with the case "
               f"template), French M = {self.m:,} (E = {self.e_french:,}); formula per wiki: "
               "session + 1 + ceil(E / 500), + 1 on the central wiki (participation page)",
               f"  {'scenario':<10} {'wiki':<8} {'requests':>8} {'session':>7} {'formula':>8}  "
               "met  by action"]  # fmt: skip
        for r in self.rows:
            formula = "" if r["formula"] is None else str(r["formula"])
            met = {True: "yes", False: "NO", None: "-"}[r["met"]]
            actions = ", ".join(f"{k} {v}" for k, v in list(r["by_action"].items())[:5])
            out.append(f"  {r['scenario']:<10} {r['wiki']:<8} {r['requests']:>8} {r['login']:>7}"
                       f" {formula:>8}  {met:<4} {actions}")  # fmt: skip
        index_fr = [r for r in self.rows if r["scenario"] == "index-cold" and r["wiki"] == "french"]
        if index_fr and index_fr[0]["requests"] == 0:
            out.append("  (index: the index job reads the central wiki only so far; the "
                       "French wiki is read by check and the sources service)")  # fmt: skip
        out.append("  requests grow per wiki as the one-wiki formulas say: "
                   + ("yes" if self.ok else "NO"))
        return out

    def as_json(self) -> dict[str, Any]:
        return {"n": self.n, "m": self.m, "e_central": self.e_central, "e_french": self.e_french,
                "rows": self.rows, "ok": self.ok}  # fmt: skip


def run_two_wikis(central: BenchWiki, one_wiki_config: Path, m: int, n: int,
                  work: Path) -> TwoWikis:  # fmt: skip
    """The scenario on a seeded bench wiki; the French wiki is stopped and deleted after."""
    log_line(f"bench: two wikis: a French wiki with {m} case pages beside N={n}")
    french = bring_up_french(central, m)
    try:
        config = write_two_wiki_config(one_wiki_config, work / "two-wikis.toml")
        person(central, "Admin").edit(PARTICIPATION, "* frbench — banc d'essai\n",
                                      "bench: the French wiki takes part")  # fmt: skip
        central_cfg = tomllib.loads(config.read_text("utf-8"))
        result = TwoWikis(
            n, m,
            embeds(central, "Template:" + central_cfg["templates"]["case"],
                   central_cfg["permissions"]["case_namespaces"]),
            embeds(french, FR_TEMPLATE, [4]), prefix_pages(french))  # fmt: skip
        for scenario, command in (
            ("check", check_command(config)),
            ("read", [str(PYTHON), "-m", "benchlib.multiwiki", "--config", str(config)]),
            ("index-cold", job_command(config, "index")),
            ("index-warm", job_command(config, "index")),
        ):
            run, c, f = measure_both(central, french, f"two-wikis-{scenario}", command, work)
            log_line(f"bench: two wikis: {scenario}: central {c.requests}, French "
                     f"{f.requests} requests, exit {run.exit}")  # fmt: skip
            if run.exit != 0:
                log_line(f"bench:   output: {run.stderr_tail[-800:]}")
            result.add(scenario, run, c, f)
        return result
    finally:
        french.down()
        shutil.rmtree(french.dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# The measured `read` process


def read_main(argv: Sequence[str] | None = None) -> int:
    from bots.operations.config_checks import load_checked_config
    from bots.sources.collect import collect_sources
    from bots.wiki.connect import open_session

    p = argparse.ArgumentParser(prog="benchlib.multiwiki")
    p.add_argument("--config", required=True, type=Path)
    args = p.parse_args(argv)
    config = load_checked_config(args.config)
    reading = collect_sources(open_session(config), config)
    failed = 0
    for state in reading.states:
        cases = len(getattr(state, "cases", ()))
        print(f"{state.wiki.id}: {type(state).__name__} {cases} cases")
        failed += type(state).__name__ != "Refreshed"
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(read_main())
