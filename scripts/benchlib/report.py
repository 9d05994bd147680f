"""Theoretical minimum request counts, the targets of issue 7, tables and JSON records."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from benchlib.measure import Run

# API limits for an account with apihighlimits (the bot has it on the bench wiki)
LIST_LIMIT = 5000  # titles per listing request (allpages, embeddedin, recentchanges, ...)
CONTENT_LIMIT = 500  # pages (or revisions) with content per request
PWB_CONTENT_CAP = 250  # Pywikibot's cap on content batches, used by the formula
NON_BOT_CONTENT_LIMIT = 50
SINGLE_READS_ALLOWED = 5  # a handful of single-page reads (subscriber list, archive) is fine


def ceil_div(a: int, b: int) -> int:
    return math.ceil(a / b) if a > 0 else 0


@dataclass(frozen=True)
class Shape:
    """What the bench wiki of one size holds (the inputs of the formulas)."""

    n: int  # case pages
    case_embeds: int  # pages transcluding the case template (cases + translation subpages)
    prefix_pages: int  # pages under the case prefix (allpages listing)
    views: int  # index marker pairs
    index_pages: int
    k: int
    guides: int  # pages with translation units
    languages: int
    unit_pages: int  # Translations:<page>/<n>/<lang> pages
    targets: int  # digest subscribers (lines)


@dataclass(frozen=True)
class Target:
    name: str
    limit: str
    value: str
    met: bool | None  # None: does not apply at this size

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "limit": self.limit, "value": self.value, "met": self.met}


@dataclass
class Record:
    job: str
    n: int
    scenario: str
    run: Run
    min_requests: int
    target_requests: int | None
    targets: list[Target] = field(default_factory=list)
    baseline: Run | None = None
    baseline_output_equal: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(t.met is not False for t in self.targets)

    def as_json(self) -> dict[str, Any]:
        r = self.run
        out: dict[str, Any] = {
            "job": self.job, "n": self.n, "scenario": self.scenario,
            "requests": r.requests, "bytes": r.bytes, "edits": r.edits, "wall_s": r.wall_s,
            "rss_mb": r.rss_mb, "cpu_s": r.cpu_s, "exit": r.exit,
            "min_requests": self.min_requests, "target_requests": self.target_requests,
            "setup_requests": r.setup_requests, "job_requests": r.job_requests,
            "near_min_limit": near_min_limit(self.min_requests),
            "single_page_reads": r.single_reads, "other_requests": r.other_requests,
            "pages_parsed": r.parsed, "by_action": r.by_action,
            "targets": [t.as_dict() for t in self.targets], "targets_met": self.ok,
            **self.extra,
        }  # fmt: skip
        if self.baseline is not None:
            b = self.baseline
            out.update({
                "baseline_requests": b.requests, "baseline_bytes": b.bytes,
                "baseline_edits": b.edits, "baseline_wall_s": b.wall_s,
                "baseline_rss_mb": b.rss_mb, "baseline_exit": b.exit,
                "requests_ratio": _ratio(b.requests, r.requests),
                "wall_ratio": _ratio(b.wall_s, r.wall_s),
                "baseline_output_equal": self.baseline_output_equal,
            })  # fmt: skip
        return out


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 1) if b else None


def _check(name: str, limit: str, value: float | int, ok: bool | None) -> Target:
    return Target(name, limit, f"{value:g}" if isinstance(value, float) else str(value), ok)


MIN_FACTOR = 1.5  # issue 15: within 1.5 times the theoretical minimum ...
MIN_SLACK = 2  # ... or within 2 requests of it, session set-up not counted (as in the minimum)
MIN_TARGET_FROM_N = 2000


def near_min_limit(minimum: int) -> float:
    return max(MIN_FACTOR * minimum, minimum + MIN_SLACK)


def near_min_target(rec: Record) -> Target:
    """Issue 15: at N >= 2,000 the requests beyond session set-up within 1.5 times the
    theoretical minimum or within 2 of it."""
    limit = near_min_limit(rec.min_requests)
    value = rec.run.job_requests
    applies = rec.n >= MIN_TARGET_FROM_N
    return _check("requests beyond set-up, near the minimum",
                  f"<= max(1.5 x {rec.min_requests}, {rec.min_requests}+2) = {limit:g} "
                  f"(N >= 2,000)", value, value <= limit if applies else None)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Index


def index_min(shape: Shape, scenario: str, edits: int) -> int:
    listing = ceil_div(shape.prefix_pages, LIST_LIMIT) + 1  # prefix listing, marker pages
    if scenario == "cold":  # list the case pages with their content
        return ceil_div(shape.case_embeds, CONTENT_LIMIT) + listing + edits
    warm = ceil_div(shape.case_embeds, LIST_LIMIT) + listing  # revision ids only
    if scenario == "changed":
        return warm + ceil_div(shape.k, CONTENT_LIMIT) + edits
    return warm


def index_target(shape: Shape, scenario: str, edits: int) -> int:
    if scenario == "warm":
        return ceil_div(shape.n, 500) + 5
    return ceil_div(shape.n, PWB_CONTENT_CAP) + shape.views + edits + 10


def index_targets(shape: Shape, rec: Record) -> list[Target]:
    r, n = rec.run, shape.n
    limit = index_target(shape, rec.scenario, r.edits)
    out = [_check("exit code", "0", r.exit, r.exit == 0)]
    if rec.scenario == "warm":
        out.append(_check("requests", f"<= ceil(N/500)+5 = {limit}", r.requests,
                          r.requests <= limit))
        out.append(_check("edits", "0", r.edits, r.edits == 0))
        out.append(_check("wall time", "<= 20 s", r.wall_s, r.wall_s <= 20))
    else:
        out.append(_check("requests", f"<= ceil(N/250)+V+E+10 = {limit}", r.requests,
                          r.requests <= limit))
    if rec.scenario == "cold":
        out.append(_check("wall time", "<= 180 s at N = 10,000", r.wall_s,
                          r.wall_s <= 180 if n >= 10000 else None))
    if rec.scenario == "changed":
        out.append(_check("case pages read", f"= k = {shape.k}", "?" if r.parsed is None
                          else r.parsed, r.parsed == shape.k if r.parsed is not None else False))
    out.append(_check("single-page reads", f"<= {SINGLE_READS_ALLOWED}", r.single_reads,
                      r.single_reads <= SINGLE_READS_ALLOWED))
    out.append(_check("peak RSS", "< 300 MB", r.rss_mb, r.rss_mb < 300))
    out.append(near_min_target(rec))
    if rec.baseline is not None:
        b = rec.baseline
        applies = n >= 2000
        rq = b.requests / r.requests if r.requests else 0.0
        wl = b.wall_s / r.wall_s if r.wall_s else 0.0
        out.append(_check("vs naive: requests", ">= 20x fewer (N >= 2,000)", round(rq, 1),
                          rq >= 20 if applies else None))
        out.append(_check("vs naive: wall time", ">= 5x less (N >= 2,000)", round(wl, 1),
                          wl >= 5 if applies else None))
        if rec.baseline_output_equal is not None:
            out.append(_check("naive output equal", "yes", "yes" if rec.baseline_output_equal
                              else "no", rec.baseline_output_equal))
    return out


# ---------------------------------------------------------------------------------------------
# Translations


def translations_min(shape: Shape, edits: int) -> int:
    return (1 + ceil_div(shape.guides, CONTENT_LIMIT) + ceil_div(shape.unit_pages, LIST_LIMIT)
            + ceil_div(shape.unit_pages, CONTENT_LIMIT) + edits)  # fmt: skip


def translations_target(shape: Shape, edits: int) -> int:
    return shape.guides + shape.languages + ceil_div(shape.unit_pages, PWB_CONTENT_CAP) + edits + 10


def translations_targets(shape: Shape, rec: Record) -> list[Target]:
    r = rec.run
    limit = translations_target(shape, r.edits)
    naive = shape.unit_pages
    return [
        _check("exit code", "0", r.exit, r.exit == 0),
        _check("requests", f"<= P+L+ceil(U/250)+E+10 = {limit} (one by one: {naive})",
               r.requests, r.requests <= limit),
        _check("single-page reads", f"<= {SINGLE_READS_ALLOWED}", r.single_reads,
               r.single_reads <= SINGLE_READS_ALLOWED),
        _check("peak RSS", "< 300 MB", r.rss_mb, r.rss_mb < 300),
        near_min_target(rec),
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Digest


def digest_min(shape: Shape, changed: int, rc_entries: int, deliveries: int) -> int:
    t = shape.targets
    reads = (1 + 1 + max(1, ceil_div(rc_entries, LIST_LIMIT)) + ceil_div(2 * changed, CONTENT_LIMIT)
             + ceil_div(t, CONTENT_LIMIT) + ceil_div(t, CONTENT_LIMIT) + 1)  # fmt: skip
    return reads + deliveries + (2 if deliveries else 0)


def digest_target(shape: Shape, changed: int, deliveries: int) -> int:
    """Apart from the deliveries (an edit and its preflight each), requests may grow with the
    changed pages per batch and with the targets per chunk of 10 (the on-page check)."""
    return 2 * deliveries + 30 + 3 * ceil_div(changed, NON_BOT_CONTENT_LIMIT) + ceil_div(
        shape.targets, 10)


def digest_targets(shape: Shape, rec: Record, changed: int, deliveries: int) -> list[Target]:
    r = rec.run
    limit = digest_target(shape, changed, deliveries)
    return [
        _check("exit code", "0", r.exit, r.exit == 0),
        _check("requests", f"<= 2D+30+3*ceil(C/50)+ceil(T/10) = {limit}", r.requests,
               r.requests <= limit),
        _check("single-page reads", f"<= {SINGLE_READS_ALLOWED}", r.single_reads,
               r.single_reads <= SINGLE_READS_ALLOWED),
        _check("peak RSS", "< 300 MB", r.rss_mb, r.rss_mb < 300),
        near_min_target(rec),
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Printing


def _mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 10_000 else f"{n / 1e3:.1f} kB"


def _mark(met: bool | None) -> str:
    return {True: "ok", False: "SHORT", None: "n/a"}[met]


def table(title: str, records: Sequence[Record]) -> str:
    lines = [title]
    with_baseline = any(r.baseline is not None for r in records)
    head = (f"  {'scenario':<9}{'requests':>9}{'set-up':>7}{'beyond':>7}{'min':>6}{'1.5x/+2':>8}"
            f"{'target':>8}{'bytes':>11}{'edits':>6}{'wall s':>8}{'RSS MB':>8}")  # fmt: skip
    if with_baseline:
        head += f" | {'naive req':>9}{'naive s':>9}{'req x':>8}{'time x':>8}{'same':>6}"
    lines.append(head)
    for rec in records:
        r = rec.run
        tgt = "" if rec.target_requests is None else f"<={rec.target_requests}"
        near = f"<={near_min_limit(rec.min_requests):g}"
        line = (f"  {rec.scenario:<9}{r.requests:>9}{r.setup_requests:>7}{r.job_requests:>7}"
                f"{rec.min_requests:>6}{near:>8}{tgt:>8}{_mb(r.bytes):>11}{r.edits:>6}"
                f"{r.wall_s:>8.1f}{r.rss_mb:>8.0f}")  # fmt: skip
        if with_baseline:
            b = rec.baseline
            if b is None:
                line += " |"
            else:
                rq = f"{b.requests / r.requests:.0f}x" if r.requests else "-"
                wl = f"{b.wall_s / r.wall_s:.1f}x" if r.wall_s else "-"
                same = {True: "yes", False: "NO", None: ""}[rec.baseline_output_equal]
                line += f" | {b.requests:>9}{b.wall_s:>9.1f}{rq:>8}{wl:>8}{same:>6}"
        lines.append(line)
    lines.append("  targets:")
    for rec in records:
        for t in rec.targets:
            lines.append(f"    {rec.scenario:<8} {_mark(t.met):<6} {t.name}: {t.value} "
                         f"(target {t.limit})")  # fmt: skip
    return "\n".join(lines)
