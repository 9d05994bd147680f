"""Which translations of each case are behind their source, for the views' languages column.

Only cases that have translations are looked at, and only when a view shows the column, so a
run whose views don't show it costs nothing more. A case translated by hand into subpages is
outdated where the source changed after the subpage (as the translations job computes it): the
revision times come from the listing of the case pages, which holds every subpage that carries
the case template; the other subpages are read in batches, without their text. Only cases whose
source holds translation units go through the translation status service (their units must be
read).
"""

from __future__ import annotations

import dataclasses

from bots.config.model import Config
from bots.index.collect import CollectedCases
from bots.translation_status.collect import case_translations
from bots.translation_status.records import (
    PageTranslations,
    page_translations,
    status_from_subpages,
)
from bots.wiki.session import WikiSession


def with_outdated_languages(
    session: WikiSession, config: Config, collected: CollectedCases
) -> CollectedCases:
    """The cases with ``outdated_languages`` filled in."""
    # cases of other wikis (row keys ":<wiki>:<title>", bots.index.wikis) are not on this one
    translated = [r.case for r in collected.results
                  if r.case and r.case.languages and not r.case.page.startswith(":")]  # fmt: skip
    if not translated:
        return collected
    by_units = [c.page for c in translated if c.page in collected.with_units]
    by_hand = [c for c in translated if c.page not in collected.with_units]
    times = {title: snap.timestamp for title, snap in collected.listing.items()}
    unlisted = [f"{c.page}/{lang}" for c in by_hand for lang in c.languages
                if f"{c.page}/{lang}" not in times]  # fmt: skip
    if unlisted:
        read = session.read_pages(unlisted, content=False)
        times.update({t: snap.timestamp for t, snap in read.items() if snap.exists})
    default_lang = session.site.lang or "en"
    status: dict[str, PageTranslations] = {}
    for case in by_hand:
        snap = collected.listing.get(case.page)
        subpages = {
            lang: times[f"{case.page}/{lang}"]
            for lang in case.languages
            if f"{case.page}/{lang}" in times
        }
        status[case.page] = page_translations(status_from_subpages(
            case.page, case.last_edit, subpages,
            source_language=(snap.language if snap else "") or default_lang,
        ))  # fmt: skip
    if by_units:
        status.update(case_translations(session, config, by_units))
    results = []
    for result in collected.results:
        facts = status.get(result.case.page) if result.case else None
        if result.case is not None and facts is not None:
            outdated = tuple(c for c in result.case.languages if c in facts.outdated)
            case = dataclasses.replace(result.case, outdated_languages=outdated)
            result = dataclasses.replace(result, case=case)
        results.append(result)
    return dataclasses.replace(collected, results=tuple(results))
