"""scripts/devwiki brings up a second local wiki (issue 16): another folder and port, content
language French, its own seed (French case pages in its project namespace, its own case
template), and a Pywikibot family that the central wiki's Pywikibot directory knows."""

from __future__ import annotations

from dataclasses import replace

from bots.config.model import Config
from bots.wiki.connect import open_session
from tests.support.devwiki import Devwiki, bring_up_second, devwiki_status, second_wiki_location
from tests.support.mwapi import WikiClient


def test_second_wiki_is_french_with_its_own_seed_and_known_to_the_central_bot(
    devwiki: Devwiki, config: Config
) -> None:
    second = bring_up_second(devwiki)
    assert second.dir == second_wiki_location(devwiki)[0] and second.port != devwiki.port
    status = devwiki_status(wiki_dir=second.dir, port=second.port)
    assert (status["family"], status["code"], status["lang"]) == ("advocacydevfr", "fr", "fr")
    assert str(second.dir) in devwiki_status()["sources"]

    reader = WikiClient.anonymous(second)
    general = reader.get(action="query", meta="siteinfo")["query"]["general"]
    assert general["lang"] == "fr"
    cases = reader.get(action="query", list="embeddedin", eititle="Modèle:Cas de plaidoyer",
                       einamespace=4, eilimit="max")["query"]["embeddedin"]  # fmt: skip
    titles = {c["title"] for c in cases}
    assert "Advocacy Dev Wiki:Plaidoyer/Liberté de panorama en France" in titles
    assert len(titles) >= 3
    # The English wiki has none of them: two separate wikis.
    assert not WikiClient.anonymous(devwiki).exists(
        "Advocacy Dev Wiki:Plaidoyer/Liberté de panorama en France"
    )

    # One bot process, the central wiki's Pywikibot directory, logs in to the second wiki.
    session = open_session(replace(config, wiki=replace(config.wiki, family="advocacydevfr",
                                                        code="fr")))  # fmt: skip
    assert session.account_info().name == "AdvocacyBot"
    assert session.site.base_url("").startswith(second.base_url)
