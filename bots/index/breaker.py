"""The circuit breaker: a save that would empty much of an index view waits for a person.

A vandal blanking case pages, or a broken template, would otherwise take their rows out of every
view at the next run. A region trips the breaker when it would lose more than
``config.index.max_removed_share`` of its rows (and at least ``config.index.min_removed_rows``)
because their cases are gone; the page is then not saved and the run fails, until an operator
runs it again with ``--force``. The minimum keeps small views working: one case of three
changing its status is ordinary news, not a vandal emptying the index.
"""

from __future__ import annotations

from bots.config.model import Config
from bots.index.pages import PageRender, RegionChange


def breaker_trips(render: PageRender, max_share: float, min_rows: int) -> list[RegionChange]:
    """Regions whose update would remove more than ``max_share`` of the rows on the page
    (and at least ``min_rows`` rows) because their cases are gone from the view.

    Rows that a ``limit`` pushes out in favour of newer or higher-ranked cases do not count:
    their cases are still there.

    When an editor changes a view's parameters, rows leaving it are the editor's intent, not
    vandalism, so such a region does not count. That is known from the parameters the bot
    recorded in the region last time; when somebody edited inside the region, that record
    cannot be trusted (it may have been edited too), so the region counts as the same view.
    """
    tripped = []
    for region in render.regions:
        if region.old_rows == 0 or not (region.same_view or region.human_edited):
            continue
        gone = len(region.gone)
        if gone >= min_rows and gone / region.old_rows > max_share:
            tripped.append(region)
    return tripped


def breaker_reasons(render: PageRender, config: Config) -> tuple[str, ...]:
    """Why the breaker holds the save of this rendering, one reason per region (none: save)."""
    share = config.index.max_removed_share
    return tuple(
        f"the view on line {region.line} would lose {len(region.gone)} of its "
        f"{region.old_rows} rows (more than {share:.0%})"
        for region in breaker_trips(render, share, config.index.min_removed_rows)
    )
