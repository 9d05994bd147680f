"""The colours and symbols of status table cells, and their legend. Pure.

Colours follow the convention translators know from translation tools: complete green,
outdated amber, not translated grey (partly translated: a paler green). Colour is never the
only cue: every state also has a symbol (✓ ◐ ↻ ○) printed in the cell and the legend, every
cell prints its figures, and each background keeps a contrast of at least 4.5:1 with its text,
so the table reads the same with any colour-vision deficiency, in greyscale and in a screen
reader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bots.translation_status.records import SOURCE_SUBPAGE, TranslationRecord

__all__ = [
    "NEUTRAL_STYLE",
    "STATE_STYLES",
    "CellState",
    "StateStyle",
    "cell_state",
    "legend_lines",
    "score",
]


class CellState(StrEnum):
    """What a translator sees in a cell: nothing to do, or which kind of work."""

    COMPLETE = "complete"  # everything translated and current
    PARTIAL = "partial"  # some units translated, none outdated
    OUTDATED = "outdated"  # something translated has fallen behind its source
    MISSING = "missing"  # nothing translated yet


@dataclass(frozen=True)
class StateStyle:
    background: str
    text: str
    symbol: str  # printed before the figures: the cue that does not depend on colour


STATE_STYLES: dict[CellState, StateStyle] = {
    CellState.COMPLETE: StateStyle("#a3e0a8", "#000000", "✓"),
    CellState.PARTIAL: StateStyle("#dcf2d8", "#000000", "◐"),
    CellState.OUTDATED: StateStyle("#ffcc5c", "#000000", "↻"),
    CellState.MISSING: StateStyle("#eaecf0", "#000000", "○"),  # links keep their contrast
}
# the page's own language, or nothing to translate: no state, no symbol
NEUTRAL_STYLE = StateStyle("#f8f9fa", "#202122", "")
SUBPAGE_OUTDATED_SCORE = 50  # an outdated hand translation: present, but needs work


def cell_state(rec: TranslationRecord) -> CellState:
    if rec.outdated:
        return CellState.OUTDATED
    if rec.complete:
        return CellState.COMPLETE
    if rec.translated:
        return CellState.PARTIAL
    return CellState.MISSING


def score(rec: TranslationRecord) -> int:
    """A cell's sort value: the share translated and current; an outdated hand translation
    sorts halfway."""
    if rec.source == SOURCE_SUBPAGE and rec.outdated:
        return SUBPAGE_OUTDATED_SCORE
    return rec.percent


def legend_lines(msg: Callable[..., str]) -> list[str]:
    """The legend under a table: one swatch per state, symbol and name, in the table's
    language."""
    swatches = []
    for state, style in STATE_STYLES.items():
        css = f"background-color:{style.background};color:{style.text};padding:0 0.4em"
        label = msg(f"advocacyhub-translations-state-{state.value}")
        swatches.append(f'<span style="{css}">{style.symbol} {label}</span>')
    return [
        "",
        '<div class="advocacyhub-translation-legend">'
        + msg("advocacyhub-translations-legend", " ".join(swatches))
        + "</div>",
    ]
