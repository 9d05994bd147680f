"""The circuit breaker: a save that would empty, or flood, much of an index view waits for a person.

A vandal blanking case pages, or a broken template, would otherwise take their rows out of every
view at the next run. A region trips the breaker when it would lose more than
``config.index.max_removed_share`` of its rows (and at least ``config.index.min_removed_rows``)
because their cases are gone. A flood of new case pages (a spam run, a mass import gone wrong)
would put them on every view: a region that would gain more than ``config.index.max_added_share``
of its rows (and at least ``config.index.min_added_rows``) trips it too. The page is then not
saved and the run fails, until an operator runs it again with ``--force``. The minimums keep
small views working: one case of three changing its status is ordinary news.

The region's rows are the bot's own: those of its last rendering of the page (its last revision,
``bots.wiki.revisions.own_revisions``), not the rows on the page. Rows someone inserted by hand
are replaced like any edit inside a region; they can neither trip the breaker nor, by tripping
it, keep themselves in place.

With cases from several wikis (``bots.index.wikis``), rows of a wiki that was not refreshed in
this run, or read only up to its ``max_pages``, never count as gone: a missing wiki is not a
set of removed cases.
"""

from __future__ import annotations

from bots.config.model import Config
from bots.index.pages import PageRender, RegionChange
from bots.index.wikis import IndexWikis


def _compares(region: RegionChange) -> bool:
    """Whether the region shows the view the bot rendered last time, with rows to compare.

    When an editor changes a view's parameters, rows leaving or joining it are the editor's
    intent, not vandalism: such a region does not count. The parameters are known from the
    bot's own last rendering; when that is not at hand (the page as it is is the baseline) and
    somebody edited inside the region, the record on the page cannot be trusted (it may have
    been edited too), so the region counts as the same view.
    """
    if region.own:
        return region.same_view
    return region.same_view or region.human_edited


def surely_gone(region: RegionChange, wikis: IndexWikis | None) -> frozenset[str]:
    """The region's gone rows, without those of wikis not fully read this run."""
    if wikis is None or not wikis.unsure:
        return region.gone
    return frozenset(k for k in region.gone if wikis.wiki_of(k) not in wikis.unsure)


def breaker_trips(
    render: PageRender, max_share: float, min_rows: int, wikis: IndexWikis | None = None
) -> list[RegionChange]:
    """Regions whose update would remove more than ``max_share`` of the rows the bot wrote last
    time (and at least ``min_rows`` rows) because their cases are gone from the view.

    Rows that a ``limit`` pushes out in favour of newer or higher-ranked cases do not count:
    their cases are still there; nor do rows of the ``wikis`` not fully read this run.
    """
    tripped = []
    for region in render.regions:
        if region.old_rows == 0 or not _compares(region):
            continue
        gone = len(surely_gone(region, wikis))
        if gone >= min_rows and gone / region.old_rows > max_share:
            tripped.append(region)
    return tripped


def flood_trips(render: PageRender, max_share: float, min_rows: int) -> list[RegionChange]:
    """Regions whose update would add more than ``max_share`` of the rows the bot wrote last time
    (and at least ``min_rows`` rows). A list the bot never wrote (a new one) is not held."""
    tripped = []
    for region in render.regions:
        if not _compares(region):  # also a list the bot never wrote: no view of its own
            continue
        added = len(region.added)
        if added >= min_rows and added > max_share * region.old_rows:
            tripped.append(region)
    return tripped


def breaker_reasons(
    render: PageRender, config: Config, wikis: IndexWikis | None = None
) -> tuple[str, ...]:
    """Why the breaker holds the save of this rendering, one reason per region (none: save).
    ``wikis``: this run's state of each wiki the cases come from."""
    index = config.index
    share = index.max_removed_share
    removals = tuple(
        f"the view on line {region.line} would lose {len(surely_gone(region, wikis))} of its "
        f"{region.old_rows} rows (more than {share:.0%})"
        for region in breaker_trips(render, share, index.min_removed_rows, wikis)
    )
    floods = tuple(
        f"the view on line {region.line} would gain {len(region.added)} rows on top of its "
        f"{region.old_rows} (more than {index.max_added_share:.0%}): a mass addition of cases"
        for region in flood_trips(render, index.max_added_share, index.min_added_rows)
    )
    return removals + floods
