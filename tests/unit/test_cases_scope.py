"""Which pages count as case pages (``bots.cases.scope``): the template written in the page's
own wikitext (not only transcluded), and the ``[index]`` narrowing: excluded prefixes (a longer
``[permissions]`` prefix re-opens them), excluded subpage names, a required category."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bots.cases.parser import parse_case_page, parser_fingerprint
from bots.cases.scope import (
    TitleKind,
    case_title,
    category_title,
    excluded_prefix,
    excluded_subpage,
    is_translation_language,
    not_a_case_page,
    translation_parent,
    writes_template,
)
from bots.config.load import load_config
from bots.config.model import Config

ROOT = Path(__file__).resolve().parents[2]
NAMES = ("Advocacy case", "Advocacy Case Redirect")


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(ROOT / "config" / "devwiki.toml")


def narrowed(config: Config, **index: object) -> Config:
    return dataclasses.replace(config, index=dataclasses.replace(config.index, **index))


@pytest.mark.parametrize(
    "text",
    [
        "{{Advocacy case|title=T}}",
        "{{advocacy case}}",
        "{{ Template : Advocacy_case |x=1}}",
        "{{Advocacy Case Redirect|title=T}}",
        "Intro\n{{Infobox|content={{Advocacy case|title=Nested}}}}",  # unreadable, but written
        "{{Advocacy case\n|title = unclosed",  # broken, but written: a broken case page
        "<!-- x -->{{Advocacy case}}<nowiki>{{:A}}</nowiki>",
    ],
)
def test_pages_that_write_the_template(text: str) -> None:
    assert writes_template(text, NAMES)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "A portal.\n{{:Advocacy/Some case}}\n{{:Advocacy/Another case}}",
        "{{Advocacy/Some case}}",  # a page transcluded as a template
        "{{Advocacy cases}}",
        "<!-- {{Advocacy case}} -->",
        "<nowiki>{{Advocacy case}}</nowiki> explains the template",
        "<pre>{{Advocacy case|title=Example}}</pre>",
        "{{:Advocacy case}}",  # the main-namespace page of that name, not the template
    ],
)
def test_pages_that_only_transclude_or_mention_it(text: str) -> None:
    assert not writes_template(text, NAMES)


def test_excluded_prefixes_and_the_longer_prefix_that_reopens_them(config: Config) -> None:
    assert config.index.exclude_prefixes == ("Advocacy/T-",)  # the demo's config
    assert excluded_prefix("Advocacy/T-x-1a2b3c/Case", config) == "Advocacy/T-"
    assert excluded_prefix("Advocacy/The case", config) is None
    assert excluded_prefix("Advocacy/Hub", config) is None
    for perms in ({"case_prefixes": ("Advocacy/T-x-1a2b3c/",)},
                  {"edit_prefixes": ("Advocacy/T-x-1a2b3c/",)}):  # fmt: skip
        test = dataclasses.replace(
            config, permissions=dataclasses.replace(config.permissions, **perms)
        )
        assert excluded_prefix("Advocacy/T-x-1a2b3c/Case", test) is None
        assert excluded_prefix("Advocacy/T-other-4d5e6f/Case", test) == "Advocacy/T-"
    # a case prefix equal to (not inside) the excluded one does not re-open it
    same = dataclasses.replace(
        config, permissions=dataclasses.replace(config.permissions, case_prefixes=("Advocacy/T-",))
    )
    assert excluded_prefix("Advocacy/T-x/Case", same) == "Advocacy/T-"


@pytest.mark.parametrize(
    ("title", "excluded"),
    [
        ("Advocacy/Some case/Sandbox", "Sandbox"),
        ("Advocacy/Some case/sandbox/zh", "sandbox"),
        ("Advocacy/Draft/New case", "Draft"),
        ("Advocacy/DRAFT", "DRAFT"),
        ("Advocacy/Some case", None),
        ("Advocacy/Sandboxes of the world", None),
        ("Sandbox", None),  # the root page name itself is not a subpage
    ],
)
def test_excluded_subpages(config: Config, title: str, excluded: str | None) -> None:
    assert excluded_subpage(title, config) == excluded
    assert (not_a_case_page(title, config) is None) is (excluded is None)


def test_nothing_is_excluded_by_default(config: Config) -> None:
    bare = narrowed(config, exclude_prefixes=(), exclude_subpages=(), required_category="")
    for title in ("Advocacy/T-x/Case", "Advocacy/Case/Sandbox"):
        assert not_a_case_page(title, bare) is None
    assert category_title(bare) == ""


@pytest.mark.parametrize(
    ("value", "title"),
    [("Advocacy cases", "Category:Advocacy cases"), ("Category:Reviewed", "Category:Reviewed"),
     (" category : Reviewed ", "Category:Reviewed")],
)  # fmt: skip
def test_required_category_title(config: Config, value: str, title: str) -> None:
    assert category_title(narrowed(config, required_category=value)) == title


def test_every_job_reading_cases_agrees_on_the_exclusions(config: Config) -> None:
    """The parser itself says "no case" for a page the configuration excludes, so the digest
    (which parses the pages that changed) announces no sandbox, draft or test page."""
    text = "{{Advocacy case|title=T|region=europe|status=active}}"
    for title in ("Advocacy/T-x-1a2b3c/Case", "Advocacy/Case/Sandbox", "Advocacy/Draft/Case"):
        result = parse_case_page(title, text, config)
        assert (result.case, result.problems) == (None, ())
    assert parse_case_page("Advocacy/Case", text, config).case is not None
    mine = dataclasses.replace(config, permissions=dataclasses.replace(
        config.permissions, case_prefixes=("Advocacy/T-x-1a2b3c/",)))  # fmt: skip
    assert parse_case_page("Advocacy/T-x-1a2b3c/Case", text, mine).case is not None
    assert parser_fingerprint(config) != parser_fingerprint(
        narrowed(config, exclude_subpages=())
    )  # a cache made with other exclusions is read again


# The one notion of a case's title (issue 17.5), shared by the index and the digest.
CARRIES = {"Advocacy/Plain", "Advocacy/Plain/Sandbox"}


@pytest.mark.parametrize(
    ("title", "namespace", "kind", "case_page", "language"),
    [
        ("Advocacy/Plain", 0, TitleKind.CASE, "Advocacy/Plain", ""),
        ("Advocacy/Plain/fr", 0, TitleKind.TRANSLATION, "Advocacy/Plain", "fr"),
        ("Advocacy/Plain/ja", 0, TitleKind.TRANSLATION, "Advocacy/Plain", "ja"),  # no messages
        ("Advocacy/Plain/zh-hant", 0, TitleKind.TRANSLATION, "Advocacy/Plain", "zh-hant"),
        ("Advocacy/Plain/qqq", 0, TitleKind.CASE, "Advocacy/Plain/qqq", ""),  # pseudo-code
        ("Advocacy/Plain/FR", 0, TitleKind.CASE, "Advocacy/Plain/FR", ""),  # not a code's spelling
        ("Advocacy/Plain/new-ideas", 0, TitleKind.CASE, "Advocacy/Plain/new-ideas", ""),
        ("Advocacy/Orphan/de", 0, TitleKind.CASE, "Advocacy/Orphan/de", ""),  # only copy
        ("Advocacy/Plain/Sandbox", 0, TitleKind.NOT_A_CASE, "", ""),  # excluded subpage
        ("Advocacy/Plain/Sandbox/fr", 0, TitleKind.NOT_A_CASE, "", ""),
        ("User:Someone/Advocacy/Plain", 2, TitleKind.NOT_A_CASE, "", ""),  # namespace
        ("Other/Plain", 0, TitleKind.NOT_A_CASE, "", ""),  # prefix
        ("Advocacy/T-x/Case", 0, TitleKind.NOT_A_CASE, "", ""),  # excluded prefix
    ],
)
def test_case_title(
    config: Config, title: str, namespace: int, kind: TitleKind, case_page: str, language: str
) -> None:
    found = case_title(title, namespace, config, CARRIES)
    assert (found.kind, found.case_page, found.language) == (kind, case_page, language)
    assert bool(found.reason) is (kind is TitleKind.NOT_A_CASE)
    # listed by the caller in the case namespaces and prefixes: only that check is skipped
    if namespace == 0 and title.startswith("Advocacy/"):
        assert case_title(title, None, config, CARRIES) == found


def test_translation_languages_and_parents(config: Config) -> None:
    assert all(is_translation_language(code) for code in config.translations.languages)
    assert not any(map(is_translation_language, ("qqq", "und", "xx", "FR", "fr_", "")))
    assert translation_parent("Advocacy/Plain/ar", config) == "Advocacy/Plain"
    assert translation_parent("Advocacy/Plain/Background", config) == ""
    assert translation_parent("Advocacy/Plain/Draft/fr", config) == ""  # an excluded parent


def test_case_title_in_the_required_category(config: Config) -> None:
    narrow = narrowed(config, required_category="Reviewed")
    members = {"Advocacy/Plain"}
    assert case_title("Advocacy/Plain", 0, narrow, CARRIES, members).kind is TitleKind.CASE
    outside = case_title("Advocacy/Other", 0, narrow, CARRIES, members)
    assert outside.kind is TitleKind.NOT_A_CASE and "required category" in outside.reason
    # a translation needs no category of its own; without the setting nothing is checked
    assert case_title("Advocacy/Plain/fr", 0, narrow, CARRIES, members).kind \
        is TitleKind.TRANSLATION
    assert case_title("Advocacy/Other", 0, config, CARRIES, members).kind is TitleKind.CASE
