"""Translation status tells the truth (issue #17 point 7), on the local wiki.

Two classes of pages that are no translation, several members of each:

* redirects: a language subpage turned into a redirect (to its source, or elsewhere), a unit
  translation page that is a redirect, a source page that is a redirect;
* subpages whose name only has the shape of a language code: ``/new`` (Newar), ``/arc``
  (Aramaic), ``/ext`` (Extremaduran), ``/no`` (Norwegian) under a page translated by hand, when
  the table (``languages=``) or the configuration's languages do not ask for that language;
  ``/doc`` and ``/archive`` are no codes at all.

The expected cells are written out, not computed by the code under test.
"""

from __future__ import annotations

from typing import Any

import pytest

from bots.config.model import Config
from bots.translation_status.collect import case_translations, translation_needs
from bots.wiki.session import WikiSession
from tests.support.devwiki import Devwiki, import_pages
from tests.support.mwapi import WikiClient
from tests.wiki.test_translation_support import (
    cells,
    hand_page,
    regions,
    row_pages,
    run_translations,
    status_page,
    translations_config,
    units_page,
)

CODE_LIKE = ("new", "arc", "ext", "no")  # real codes of the wiki, no language the table asks for
NOT_CODES = ("doc", "archive")


@pytest.fixture
def tconfig(config: Config, prefix: str) -> Config:
    # the configuration's languages are what a table without languages= expects
    return translations_config(config, prefix, languages=("zh", "fr", "es", "ar", "fa", "de"))


def pages(prefix: str, status_text: str) -> list[dict[str, Any]]:
    guide, handbook = f"{prefix}Guide", f"{prefix}Handbook"
    return [
        units_page(guide, 2, age_days=40),
        {"title": f"Translations:{guide}/1/fr", "text": "Paragraphe 1.", "age_days": 10},
        # a unit translation page that is a redirect translates nothing
        {"title": f"Translations:{guide}/2/fr", "text": f"#REDIRECT [[Translations:{guide}/1/fr]]",
         "age_days": 10},
        hand_page(handbook, "The handbook.", age_days=30),
        hand_page(f"{handbook}/fr", "Le manuel.", age_days=10, user="Tester1"),
        # subpages turned into redirects: no translation, whatever their age
        hand_page(f"{handbook}/de", f"#REDIRECT [[{handbook}]]", age_days=5),
        hand_page(f"{handbook}/es", f"#REDIRECT [[{prefix}Elsewhere]]", age_days=5),
        hand_page(f"{prefix}Elsewhere", "Another page.", age_days=50),
        # a moved source page (now a redirect) with a subpage left behind
        hand_page(f"{prefix}Moved", f"#REDIRECT [[{handbook}]]", age_days=3),
        hand_page(f"{prefix}Moved/fr", "Ancienne page.", age_days=20),
        *(hand_page(f"{handbook}/{name}", f"Notes ({name}) about the handbook.", age_days=2)
          for name in (*CODE_LIKE, *NOT_CODES)),
        {"title": f"{prefix}Status", "text": status_text, "age_days": 1},
    ]  # fmt: skip


def test_redirects_and_code_like_subpages_are_no_translations(
    tconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient
) -> None:
    title = f"{prefix}Status"
    text = status_page(
        f"prefix={prefix}|languages=fr, de, es",
        f"prefix={prefix}",
        f"pages={prefix}Handbook",
    )
    import_pages(devwiki, pages(prefix, text))
    assert admin.page_info(f"{prefix}Handbook/de").get("redirect") is True  # the import's doing

    result = run_translations(tconfig)
    assert result.exit_code == 0, result.error
    fixed, seen, single = regions(admin.page_text(title) or "")
    g, h = f"{prefix}Guide", f"{prefix}Handbook"

    # languages=fr, de, es: the redirects show "missing"; the redirect unit translates nothing
    assert row_pages(fixed) == [g, h]
    assert {k: v for k, v in cells(fixed).items() if "*" not in k} == {
        f"{g}/fr": "50%<br /><small>0 outdated</small>",
        f"{g}/de": "0%<br /><small>0 outdated</small>",
        f"{g}/es": "0%<br /><small>0 outdated</small>",
        f"{h}/fr": "up to date",
        f"{h}/de": "missing",
        f"{h}/es": "missing",
    }
    # no languages=: the columns are the languages seen that the configuration expects; no
    # Newar, Aramaic, Extremaduran or Norwegian column, and those subpages are no rows either
    assert row_pages(seen) == [g, h]
    assert set(cells(seen)) == {f"{g}/fr", f"{h}/fr", f"{g}/*", f"{h}/*", "*/fr", "*/*"}
    # the table proper; under it (#14) the pages with no translation at all are listed
    table, _, untranslated = seen.partition("'''Not translated into any language yet")
    for name in (*CODE_LIKE, *NOT_CODES):
        assert f"({name})" not in table and f"Handbook/{name}" not in table
    assert f"{prefix}Moved" not in table and f"{prefix}Elsewhere" not in table
    # such subpages are pages of their own, never a translation of the handbook
    for name in (*CODE_LIKE, *NOT_CODES):
        assert f"* [[:{h}/{name}|Handbook/{name}]]: " in untranslated, name
    assert f"* [[:{prefix}Elsewhere|Elsewhere]]: " in untranslated
    assert f"[[:{prefix}Moved|" not in untranslated  # a redirect is no page to translate
    # one page: its languages are the rows; only the real translation is one
    assert cells(single) == {
        f"{h}/fr": "up to date",
        f"{h}/*": "100%<br /><small>0 outdated</small>",
    }


def test_the_functions_for_other_jobs_tell_the_same_truth(
    tconfig: Config, prefix: str, devwiki: Devwiki
) -> None:
    import_pages(devwiki, pages(prefix, status_page(f"prefix={prefix}")))
    session = WikiSession(tconfig)
    session.login()
    g, h = f"{prefix}Guide", f"{prefix}Handbook"
    found = case_translations(session, tconfig, [g, h])
    assert (found[g].existing, found[g].complete) == (("fr",), ())
    assert (found[h].existing, found[h].outdated) == (("fr",), ())
    # the digest: the configured languages; the redirected subpages still need translating
    needs = translation_needs(session, tconfig, [h])
    assert [(r.language, r.translated, r.outdated) for r in needs] == [
        ("zh", 0, 0), ("es", 0, 0), ("ar", 0, 0), ("fa", 0, 0), ("de", 0, 0),
    ]  # fmt: skip
