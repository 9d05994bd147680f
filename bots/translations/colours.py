"""The colour scale of status tables and its legend. Pure.

Viridis samples, lightness rising with completeness so that the order survives any
colour-vision deficiency and greyscale printing; each with the text colour that keeps a contrast
of at least 4.5:1. The figure is always printed; colour only helps scanning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bots.translation_status.records import SOURCE_SUBPAGE, TranslationRecord

__all__ = ["COLOUR_BANDS", "NEUTRAL_BAND", "ColourBand", "band", "legend_lines", "score"]


@dataclass(frozen=True)
class ColourBand:
    minimum: int  # lowest score in the band
    background: str
    text: str


COLOUR_BANDS: tuple[ColourBand, ...] = (
    ColourBand(100, "#fde725", "#000000"),
    ColourBand(75, "#a0da39", "#000000"),
    ColourBand(50, "#4ac16d", "#000000"),
    ColourBand(25, "#1fa187", "#000000"),
    ColourBand(1, "#365c8d", "#ffffff"),
    ColourBand(0, "#46327e", "#ffffff"),
)
NEUTRAL_BAND = ColourBand(-1, "#eaecf0", "#000000")  # source language, nothing to translate
SUBPAGE_OUTDATED_SCORE = 50  # an outdated hand translation: present, but needs work


def band(value: int) -> ColourBand:
    for candidate in COLOUR_BANDS:
        if value >= candidate.minimum:
            return candidate
    return NEUTRAL_BAND


def score(rec: TranslationRecord) -> int:
    if rec.source == SOURCE_SUBPAGE and rec.outdated:
        return SUBPAGE_OUTDATED_SCORE
    return rec.percent


def legend_lines(msg: Callable[..., str], percent: Callable[[int], str]) -> list[str]:
    """The legend under a table: one swatch per band, in the table's language."""
    labels = {
        100: percent(100),
        75: msg("advocacyhub-translations-range", 75, 99),
        50: msg("advocacyhub-translations-range", 50, 74),
        25: msg("advocacyhub-translations-range", 25, 49),
        1: msg("advocacyhub-translations-range", 1, 24),
        0: percent(0),
    }
    swatches = []
    for colour in COLOUR_BANDS:
        style = f"background-color:{colour.background};color:{colour.text};padding:0 0.4em"
        swatches.append(f'<span style="{style}">{labels[colour.minimum]}</span>')
    return [
        "",
        '<div class="advocacyhub-translation-legend">'
        + msg("advocacyhub-translations-legend", " ".join(swatches))
        + "</div>",
    ]
