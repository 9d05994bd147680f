"""Reader for the Translate extension's statistics API (for wikis that have the extension).

* ``meta=messagegroupstats&mgsgroup=page-<Title>``: one item per language with ``total``,
  ``translated`` (outdated units excluded), ``fuzzy`` (outdated), ``proofread``, ``language``
  (and the older ``code``). One request per page.
* ``meta=languagestats&lslanguage=<code>``: the same figures per message group for one
  language (items carry ``group``). One request per language covers every page, so it is the
  cheaper choice when a table has fewer languages than pages.

Both answer from a statistics cache. While the cache is cold the answer stops early with
``continue: {mgsoffset|lsoffset: <item>}`` and Translate queues a rebuild job; asking again
at once returns the same offset. The reader therefore waits between such repeats and gives up
after a few, raising :class:`StatsUnavailable` so the job leaves that table as it is rather
than publishing partial figures. Answers become :class:`GroupFigures` here, at the edge: the
status records never see the API's dictionaries.

The statistics readers' only network access is the ``api`` callable (``WikiSession.api``), so
recorded responses can stand in for a wiki in unit tests. :func:`unit_revisions` lists the unit
translation pages themselves (for wikis without the extension's statistics, or where the
configuration computes the figures) with their revision ids.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bots.wiki.records import PageSnapshot, snapshot_from
from bots.wiki.session import WikiSession

log = logging.getLogger(__name__)

ApiCall = Callable[..., Mapping[str, Any]]

EXTENSION_NAME = "Translate"
PAGE_GROUP_PREFIX = "page-"
MAX_STALLS = 3  # repeats of the same continuation offset before giving up
STALL_WAIT_SECONDS = 2.0


_BAD_GROUP_CODES = frozenset({"badparameter", "badvalue", "paramvalidator-badvalue"})


class StatsUnavailable(Exception):
    """Translate's statistics cache could not give complete figures for a target."""

    def __init__(self, target: str, reason: str) -> None:
        self.target = target
        self.reason = reason
        super().__init__(f"{target}: {reason}")


class GroupNotFound(Exception):
    """The wiki has no message group for the page (it is not marked for translation)."""


@dataclass(frozen=True)
class GroupFigures:
    """Translate's figures for one message group (a translatable page) in one language."""

    group: str
    language: str
    total: int
    translated: int  # current translations only: outdated ones are in ``fuzzy``
    fuzzy: int
    proofread: int


def has_translate(extensions: Iterable[Mapping[str, Any]]) -> bool:
    """Whether ``siteinfo``'s ``extensions`` list includes the Translate extension."""
    return any(str(ext.get("name", "")) == EXTENSION_NAME for ext in extensions)


def page_group(title: str) -> str:
    """Message group id of a translatable page (``page-`` + its full title)."""
    return PAGE_GROUP_PREFIX + title


def _count(item: Mapping[str, Any], key: str) -> int:
    try:
        return int(item.get(key) or 0)
    except (TypeError, ValueError):
        return 0


def _figures(item: Mapping[str, Any], *, group: str = "", language: str = "") -> GroupFigures:
    return GroupFigures(
        group=group or str(item.get("group") or ""),
        language=language or str(item.get("language") or item.get("code") or ""),
        total=_count(item, "total"),
        translated=_count(item, "translated"),
        fuzzy=_count(item, "fuzzy"),
        proofread=_count(item, "proofread"),
    )


def _stats_items(
    api: ApiCall,
    module: str,
    offset_param: str,
    params: Mapping[str, str],
    target: str,
    sleep: Callable[[float], None],
    wait: float,
) -> list[Mapping[str, Any]]:
    """Every item of one statistics query, its continuation followed to the end.

    The one continuation loop written by hand, on purpose: while the cache is cold Translate
    answers with the same offset again and again. ``WikiSession.query_results`` and Pywikibot's
    query generators would follow that offset for ever; this loop notices the repeat, waits,
    and gives up after :data:`MAX_STALLS` repeats.
    """
    items: list[Mapping[str, Any]] = []
    cont: dict[str, Any] = {}
    stalls = 0
    last_offset: str | None = None
    while True:
        result = api(action="query", meta=module, **params, **cont)
        items.extend(result.get("query", {}).get(module, []))
        if "continue" not in result:
            return items
        offset = result["continue"].get(offset_param)
        if offset == last_offset:
            stalls += 1
            if stalls >= MAX_STALLS:
                raise StatsUnavailable(
                    target, f"Translate's statistics are still being computed (at {offset})"
                )
            log.info("stats for %s incomplete at %s; waiting %.1f s", target, offset, wait)
            sleep(wait)
        else:
            stalls = 0
        last_offset = offset
        cont = dict(result["continue"])


def group_stats(
    api: ApiCall,
    title: str,
    *,
    sleep: Callable[[float], None] = time.sleep,
    wait: float = STALL_WAIT_SECONDS,
) -> list[GroupFigures]:
    """Every language's figures for the translatable page ``title`` (continuation followed).

    Raises :class:`GroupNotFound` when the page has no message group and
    :class:`StatsUnavailable` when the statistics cache stays incomplete.
    """
    group = page_group(title)
    try:
        items = _stats_items(
            api, "messagegroupstats", "mgsoffset", {"mgsgroup": group}, title, sleep, wait
        )
    except Exception as exc:
        # Pywikibot's APIError carries the API's error code; an unknown group is reported as
        # a bad parameter value (the code's spelling differs between MediaWiki versions)
        if getattr(exc, "code", None) in _BAD_GROUP_CODES:
            raise GroupNotFound(title) from exc
        raise
    return [_figures(item, group=group) for item in items]


def language_stats(
    api: ApiCall,
    language: str,
    *,
    sleep: Callable[[float], None] = time.sleep,
    wait: float = STALL_WAIT_SECONDS,
) -> dict[str, GroupFigures]:
    """Figures of every message group in one language, by group id (``page-<Title>``...)."""
    items = _stats_items(
        api, "languagestats", "lsoffset", {"lslanguage": language}, language, sleep, wait
    )
    figures = (_figures(item, language=language) for item in items)
    return {f.group: f for f in figures}


def page_stats_by_language(
    api: ApiCall,
    titles: Iterable[str],
    languages: Iterable[str],
    *,
    sleep: Callable[[float], None] = time.sleep,
    wait: float = STALL_WAIT_SECONDS,
) -> dict[str, list[GroupFigures]]:
    """Each page's figures, built from one ``languagestats`` request per language. Pages
    whose group the wiki does not have get no entry."""
    wanted = {page_group(t): t for t in titles}
    out: dict[str, list[GroupFigures]] = {}
    for language in languages:
        for group, figures in language_stats(api, language, sleep=sleep, wait=wait).items():
            if group in wanted:
                out.setdefault(wanted[group], []).append(figures)
    return out


def prefer_language_stats(page_count: int, languages: Iterable[str] | None) -> bool:
    """Whether per-language requests are cheaper than per-page ones for a set of pages."""
    if languages is None:
        return False  # "every language seen" needs the per-page answer
    return len(set(languages)) < page_count


def unit_revisions(
    session: WikiSession, prefix: str, namespace: int, *, content: bool = False
) -> dict[str, PageSnapshot]:
    """Every unit translation page under ``prefix`` in ``namespace`` with its latest revision's
    id and time (``generator=allpages`` with ``prop=revisions``: one request per 5,000 pages
    for a bot), and with its text when ``content`` (one request per 500: for a run that knows
    no unit yet, the listing is the read). Redirects are left out: a unit page turned into a
    redirect is no translation. The revision ids say which units changed since a run read
    them, so only those need their text (``!!FUZZY!!``) read again."""
    pages = session.query_pages(
        generator="allpages", gapprefix=prefix, gapnamespace=namespace,
        gaplimit=session.batch_size(content=True) if content else "max",
        gapfilterredir="nonredirects", prop="revisions",
        rvprop="ids|timestamp" + ("|content" if content else ""), rvslots="main",
    )  # fmt: skip
    snapshots = (snapshot_from(page, "") for page in pages)
    return {snap.title: snap for snap in snapshots if snap.exists and not snap.is_redirect}
