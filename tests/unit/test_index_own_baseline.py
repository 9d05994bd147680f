"""What changed on an index page is measured against the bot's own last rendering (pure): the
pairing of the page's regions with the bot's, rows inserted by hand, the breaker and the guard
against mass additions."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.cases.record import Case
from bots.config.load import load_config
from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.index.breaker import breaker_reasons, breaker_trips, flood_trips
from bots.index.pages import MarkerNames, own_bodies, render_marker_page, rows_by_title

CONFIG = Path(__file__).resolve().parents[2] / "config" / "devwiki.toml"
NAMES = MarkerNames("Advocacy case index", "Advocacy case index end")


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(CONFIG)


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


def cases(count: int, region: str = "africa") -> list[Case]:
    return [Case(page=f"Advocacy/C{n:02d}", title=f"C{n:02d}", region=region, status="active")
            for n in range(count)]  # fmt: skip


def page(*params: str) -> str:
    return "\n".join(
        f"{{{{Advocacy case index{'|' + p if p else ''}}}}}\n{{{{Advocacy case index end}}}}"
        for p in params
    )


def rendered(text: str, config: Config, messages: Messages, listed: list[Case]) -> str:
    result = render_marker_page(text, NAMES, listed, [], messages, "en", config)
    assert result.text is not None
    return result.text


def test_regions_are_paired_with_the_bots_own(config: Config, messages: Messages) -> None:
    own = rendered(page("region=africa", "region=europe"), config, messages, cases(2))
    africa, europe = own_bodies(own, NAMES, NAMES.scan(own).regions)
    assert africa is not None and europe is not None
    assert rows_by_title(africa) and not rows_by_title(europe)
    # swapped on the page: paired by the view each shows
    swapped = NAMES.scan(page("region=europe", "region=africa")).regions
    assert own_bodies(own, NAMES, swapped) == [europe, africa]
    # a view's parameters changed: paired by place; a new region: nothing of the bot's
    changed = NAMES.scan(page("region=asia-pacific", "region=europe")).regions
    assert own_bodies(own, NAMES, changed) == [africa, europe]
    added = NAMES.scan(page("region=europe", "status=active", "region=africa")).regions
    assert own_bodies(own, NAMES, added) == [europe, None, africa]
    assert own_bodies("", NAMES, added) == [None, None, None]


def test_inserted_rows_are_named_and_do_not_count(config: Config, messages: Messages) -> None:
    listed = cases(4)
    own = rendered(page(""), config, messages, listed)
    fake = "".join(f'|- data-advocacy-case="Advocacy/Fake {n}"\n| x\n' for n in range(20))
    vandalised = own.replace("\n|}", "\n" + fake + "|}", 1)
    result = render_marker_page(vandalised, NAMES, listed, [], messages, "en", config,
                                own_text=own)  # fmt: skip
    (region,) = result.regions
    assert region.own and region.old_rows == 4 and region.gone == frozenset()
    assert result.inserted == {f"Advocacy/Fake {n}" for n in range(20)}
    assert (result.added, result.removed, result.updated) == (0, 0, 0)
    assert breaker_reasons(result, config) == ()
    # measured against the page instead (the old way), the fake rows would trip the breaker
    legacy = render_marker_page(vandalised, NAMES, listed, [], messages, "en", config)
    assert breaker_trips(legacy, config.index.max_removed_share, config.index.min_removed_rows)


def test_the_guard_against_mass_additions(config: Config, messages: Messages) -> None:
    index = config.index
    own = rendered(page(""), config, messages, cases(5))
    flood = render_marker_page(own, NAMES, cases(17), [], messages, "en", config, own_text=own)
    assert flood_trips(flood, index.max_added_share, index.min_added_rows)
    (reason,) = breaker_reasons(flood, config)
    assert "would gain 12 rows on top of its 5" in reason
    few = render_marker_page(own, NAMES, cases(9), [], messages, "en", config, own_text=own)
    assert not flood_trips(few, index.max_added_share, index.min_added_rows)  # 4 < 10 rows
    # a list the bot never wrote is not held, however long
    fresh = render_marker_page(page(""), NAMES, cases(40), [], messages, "en", config,
                               own_text="")  # fmt: skip
    assert not flood_trips(fresh, index.max_added_share, index.min_added_rows)
    # nor is a list whose view an editor changed
    other = own.replace("{{Advocacy case index}}", "{{Advocacy case index|status=active}}")
    changed = render_marker_page(other, NAMES, cases(17), [], messages, "en", config,
                                 own_text=own)  # fmt: skip
    assert not flood_trips(changed, index.max_added_share, index.min_added_rows)
