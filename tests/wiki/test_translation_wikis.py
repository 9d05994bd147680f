"""Translation status across wikis (issue 16), on two real local wikis: the central English
wiki and the French source wiki. A page of the French wiki translates a page of the central
wiki when it has the same title, or the title the configuration's ``translation_prefixes``
maps it to. When the French wiki is down, its cells stay, marked as not refreshed.

The expected cells are written out, not computed by the code under test.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Iterator

import pytest

from bots.config.model import Config
from bots.config.source_model import SourcesConfig, SourceWiki
from tests.support.devwiki import (
    Devwiki,
    bring_up_second,
    import_pages,
    start_server,
    stop_server,
)
from tests.support.mwapi import WikiClient
from tests.wiki.test_translation_support import (
    cell_links,
    cells,
    hand_page,
    regions,
    run_translations,
    status_page,
    translations_config,
)

FR_NS_PREFIX = "Advocacy Dev Wiki:Tests/"  # the French wiki's test pages, apart from its seed


@pytest.fixture(scope="module")
def second(devwiki: Devwiki) -> Iterator[Devwiki]:
    wiki = bring_up_second(devwiki)
    yield wiki
    start_server(wiki)  # whatever a test did, leave it running for the next one


def two_wiki_config(config: Config, prefix: str, fr_prefix: str) -> Config:
    central = SourceWiki(id="dev", language="en", family="advocacydev", code="en",
                         case_namespaces=(0,), case_prefixes=(prefix,))
    french = SourceWiki(id="frdev", language="fr", family="advocacydevfr", code="fr",
                        case_namespaces=(4,), case_prefixes=(fr_prefix,),
                        case_template="Cas de plaidoyer", interwiki="frdev",
                        translation_prefixes={f"{prefix}Mapped/": f"{fr_prefix}Guides/"})
    cfg = translations_config(config, prefix, languages=("fr", "de"))
    return dataclasses.replace(cfg, sources=SourcesConfig(
        wikis=(central, french), participation_page=f"{prefix}Participating wikis"))  # fmt: skip


def test_pages_on_the_french_wiki_translate_pages_here_and_stay_when_it_is_down(
    devwiki: Devwiki, second: Devwiki, config: Config, prefix: str, admin: WikiClient
) -> None:
    fr_prefix = f"{FR_NS_PREFIX}T-{secrets.token_hex(3)}/"
    cfg = two_wiki_config(config, prefix, fr_prefix)
    title = f"{prefix}Status"
    handbook, old, local = f"{prefix}Handbook", f"{prefix}Old", f"{prefix}Local"
    mapped, alone = f"{prefix}Mapped/Guide", f"{prefix}Alone"
    import_pages(devwiki, [
        hand_page(handbook, age_days=30), hand_page(old, age_days=30),
        hand_page(local, age_days=30), hand_page(f"{local}/fr", "Le local.", age_days=20),
        hand_page(mapped, age_days=30), hand_page(alone, age_days=30),
        {"title": f"{prefix}Participating wikis", "text": "* frdev\n", "age_days": 1},
        {"title": title, "text": status_page(f"prefix={prefix}"), "age_days": 1},
    ])  # fmt: skip
    import_pages(second, [
        hand_page(handbook, "Le manuel, traduit sur le wiki français.", age_days=2),  # same title
        hand_page(old, "Une ancienne traduction.", age_days=10.5),
        hand_page(local, "Traduit ici aussi, mais la traduction locale l'emporte.", age_days=2),
        hand_page(f"{fr_prefix}Guides/Guide", "Le guide.", age_days=2),  # the mapped prefix
        hand_page(mapped, "Même titre, mais le préfixe est associé ailleurs.", age_days=2),
        hand_page(f"{prefix}Redirected", f"#REDIRECTION [[{handbook}]]", age_days=2),
    ])  # fmt: skip
    admin.edit(old, "The source, edited after its French translation.")  # now: 10 days later

    result = run_translations(cfg)
    assert result.exit_code == 0, result.error
    (body,) = regions(admin.page_text(title) or "")
    shown = {k: v for k, v in cells(body).items() if "*" not in k}
    assert shown == {
        f"{handbook}/fr": "up to date<br /><small>on frdev</small>",
        f"{old}/fr": "outdated: 10 days behind the source<br /><small>on frdev</small>",
        f"{local}/fr": "up to date",  # this wiki's own translation wins
        f"{mapped}/fr": "up to date<br /><small>on frdev</small>",
    }, body
    links = cell_links(body)
    assert links[f"{handbook}/fr"] == f"frdev:{handbook}"  # through the interwiki prefix
    assert links[f"{mapped}/fr"] == f"frdev:{fr_prefix}Guides/Guide"
    assert links[f"{local}/fr"] == f"{local}/fr"
    assert alone in body.partition("'''Not translated into any language yet")[2]

    stop_server(second)  # the French wiki goes away: its cells stay, marked
    try:
        again = run_translations(cfg)
    finally:
        start_server(second)
    assert again.exit_code == 0, again.error
    (body,) = regions(admin.page_text(title) or "")
    kept = {k: v for k, v in cells(body).items() if "*" not in k}
    assert set(kept) == set(shown)
    assert kept[f"{local}/fr"] == "up to date"
    for page in (handbook, old, mapped):
        assert "<small>on frdev, not refreshed: as read 20" in kept[f"{page}/fr"], kept
    assert kept[f"{handbook}/fr"].startswith("up to date<br />")
    assert kept[f"{old}/fr"].startswith("outdated: 10 days behind the source<br />")
    assert any("frdev: translations not refreshed" in note for note in again.report.notes)
