"""Language data from the wiki itself (issue #14 point 6), on the local MediaWiki 1.39.

* ``meta=languageinfo`` gives every language the wiki knows, with autonym, direction and
  fallbacks; the bot's data is exactly that (compared with the API's own answer, asked here
  without the bot's code), and the shipped copy agrees with the wiki it was made from;
* it is kept in the state folder: a second run asks nothing, an expired or damaged copy is
  asked again, another wiki's copy is not used;
* a job run leaves the copy behind and renders with it.
"""

from __future__ import annotations

import json
from pathlib import Path

from bots.config.model import Config
from bots.i18n.languages import bundled_language_data
from bots.i18n.messages import Messages
from bots.wiki.languageinfo import CACHE_FILE, MAX_AGE_SECONDS, language_data
from bots.wiki.session import WikiSession
from tests.support.devwiki import Devwiki
from tests.support.mwapi import WikiClient
from tests.support.requestlog import RequestLog, api_requests
from tests.wiki.test_translation_support import run_translations, translations_config


def languageinfo_requests(log: RequestLog, mark: int) -> int:
    # (Pywikibot sends meta=userinfo along with every query)
    requests = api_requests(log.since(mark))
    return sum(1 for r in requests if "languageinfo" in r.params.get("meta", "").split("|"))


def test_language_data_is_the_wikis_and_is_kept(
    config: Config, devwiki: Devwiki, admin: WikiClient, request_log: RequestLog, tmp_path: Path
) -> None:
    session = WikiSession(config)
    session.login()
    state = tmp_path / "state"

    mark = request_log.mark()
    data = language_data(session, state, now=1_000_000)
    assert languageinfo_requests(request_log, mark) >= 1

    # what the wiki says, asked here directly
    answer = admin.get(action="query", meta="languageinfo", liprop="autonym|dir|fallbacks",
                       licode="ar|fa|he|zh|zh-tw|pt-br|de")["query"]["languageinfo"]  # fmt: skip
    for code, info in answer.items():
        assert data.autonym(code) == info["autonym"], code
        assert data.is_rtl(code) is (info["dir"] == "rtl"), code
        assert data.fallback_chain(code)[1 : 1 + len(info["fallbacks"])] == tuple(
            info["fallbacks"]
        ), code
    # and as written out (FACTS.md, checked on this wiki): ar and fa right to left
    assert (data.autonym("ar"), data.is_rtl("ar")) == ("العربية", True)
    assert (data.autonym("fa"), data.is_rtl("fa")) == ("فارسی", True)
    assert data.fallback_chain("zh")[:3] == ("zh", "zh-hans", "zh-hant")
    assert not data.knows("qqq")  # the wiki does not list pseudo-codes
    # the copy shipped with the bot is this wiki's data
    assert bundled_language_data().languages == data.languages

    # kept: the next run asks nothing
    mark = request_log.mark()
    again = language_data(session, state, now=1_000_000 + 3600)
    assert languageinfo_requests(request_log, mark) == 0
    assert again.languages == data.languages

    # expired: asked again
    mark = request_log.mark()
    language_data(session, state, now=1_000_000 + MAX_AGE_SECONDS + 1)
    assert languageinfo_requests(request_log, mark) >= 1

    # damaged, or another wiki's: asked again, and rewritten
    path = state / CACHE_FILE
    other = {"site": "otherwiki:xx", "fetched": 2e9, "languageinfo": {"xx": {"autonym": "X"}}}
    for broken in ("{not json", json.dumps(other)):
        path.write_text(broken, encoding="utf-8")
        mark = request_log.mark()
        assert language_data(session, state, now=2e9).languages == data.languages
        assert languageinfo_requests(request_log, mark) >= 1
        assert json.loads(path.read_text(encoding="utf-8"))["site"] != "otherwiki:xx"


def test_a_job_uses_and_keeps_the_wikis_language_data(
    config: Config, prefix: str, devwiki: Devwiki
) -> None:
    cfg = translations_config(config, prefix)
    assert not (cfg.state_path / CACHE_FILE).exists()
    result = run_translations(cfg)
    assert result.exit_code == 0, result.error
    kept = json.loads((cfg.state_path / CACHE_FILE).read_text(encoding="utf-8"))
    assert kept["languageinfo"]["ar"] == {"autonym": "العربية", "dir": "rtl", "fallbacks": []}

    session = WikiSession(cfg)
    session.login()
    messages = Messages.load(languages=language_data(session, cfg.state_path))
    assert messages.is_rtl("ar") and messages.autonym("zh-tw") == "中文（臺灣）"
    # a Taiwanese reader reaches the Chinese messages through the wiki's fallbacks
    yes = "advocacyhub-label-yes"
    assert messages.msg(yes, "zh-tw") == messages.msg(yes, "zh") != messages.msg(yes, "en")
