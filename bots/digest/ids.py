"""How a digest is recognised on the wiki: its id, the marker of a delivered section, the token
of a delivery's edit summary, and the record at the head of its archive page. Pure.

A digest covers one period (start, end] and has an id, the UTC date of the period's end
(``2026-11-30``). Delivery is recorded twice, so a rerun can tell where a digest already
arrived: an invisible marker ``<!-- advocacy-hub-digest: ID -->`` opens the posted section, and
the edit summary ends with ``(advocacy-hub-digest:ID)``. The archive page
(``config.digest.archive_prefix`` + id) starts with
``<!-- advocacy-hub-digest-archive: id=… start=… end=… state=… -->``, from which the next run
reads where its period starts. With source wikis (``[[sources]]``, issue 16) the record also
says, per source wiki, from when its changes were read (``wiki=frdev:read:START``) or, for a
wiki that did not answer, from when its changes still wait for a digest
(``wiki=frdev:wait:START``): the next digest reads that wiki from there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ID_RE = r"\d{4}-\d{2}-\d{2}"
MARKER_RE = re.compile(rf"<!--\s*advocacy-hub-digest:\s*({_ID_RE})\s*-->")
_TS_RE = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"
_MARK_RE = re.compile(rf"\s+wiki=([a-z0-9][a-z0-9-]{{0,29}}):(read|wait):({_TS_RE})")
_ARCHIVE_RE = re.compile(
    rf"<!--\s*advocacy-hub-digest-archive:\s*id=({_ID_RE})\s+start=(\S+)\s+end=(\S+)"
    rf"\s+state=(complete|delivering)((?:{_MARK_RE.pattern})*)\s*-->"
)
_TIMESTAMP_RE = re.compile(_TS_RE)


def digest_id(period_end: str) -> str:
    """The id of the digest whose period ends at ``period_end`` (ISO 8601, UTC): its date."""
    if not _TIMESTAMP_RE.fullmatch(period_end):
        raise ValueError(f"not an ISO 8601 UTC timestamp: {period_end!r}")
    return period_end[:10]


def delivery_marker(digest: str) -> str:
    return f"<!-- advocacy-hub-digest: {digest} -->"


def has_delivery_marker(text: str | None, digest: str) -> bool:
    """Whether a page's text holds the marker of this digest (anywhere: headings move)."""
    return bool(text) and any(m.group(1) == digest for m in MARKER_RE.finditer(text or ""))


def summary_token(digest: str) -> str:
    return f"advocacy-hub-digest:{digest}"


def summary_has_token(comment: str, digest: str) -> bool:
    token = summary_token(digest)
    return re.search(re.escape(token) + r"(?![\d-])", comment) is not None


@dataclass(frozen=True)
class SourceMark:
    """A source wiki's part of a digest: its changes since ``start`` were read for it
    (``read``), or could not be and wait for the next digest."""

    wiki: str  # the wiki's id
    start: str  # ISO 8601, UTC
    read: bool


@dataclass(frozen=True)
class ArchiveRecord:
    """The machine-readable head of an archive page."""

    digest_id: str
    start: str
    end: str
    complete: bool
    sources: tuple[SourceMark, ...] = ()  # one per source wiki (none: a single-wiki digest)

    def marker(self) -> str:
        state = "complete" if self.complete else "delivering"
        marks = "".join(f" wiki={m.wiki}:{'read' if m.read else 'wait'}:{m.start}"
                        for m in self.sources)
        return (
            f"<!-- advocacy-hub-digest-archive: id={self.digest_id} start={self.start} "
            f"end={self.end} state={state}{marks} -->"
        )


def parse_archive_record(text: str | None) -> ArchiveRecord | None:
    """The record at the head of an archive page, or None when it is missing or damaged."""
    m = _ARCHIVE_RE.search(text or "")
    if m is None:
        return None
    digest, start, end, state, marks = m.groups()[:5]
    if not (_TIMESTAMP_RE.fullmatch(start) and _TIMESTAMP_RE.fullmatch(end)):
        return None
    if start >= end or digest_id(end) != digest:
        return None
    sources = tuple(SourceMark(wiki, since, how == "read")
                    for wiki, how, since in _MARK_RE.findall(marks or "") if since < end)
    return ArchiveRecord(digest, start, end, state == "complete", sources)
