"""The case box's data module and the new-case preload pages are generated from the bot's own
configuration and messages (``bots/index/case_box_data.py``): the shipped files are exactly what
the generator makes, so the box cannot drift from the bot (regenerate with
``python -m bots.index.case_box_data``). What the box does with the data is tested on the real
wiki (tests/wiki/test_case_box.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bots.config.load import load_config
from bots.config.model import CASE_FIELDS
from bots.i18n.messages import Messages
from bots.index.case_box_data import (
    ONWIKI,
    box_message_keys,
    generated_files,
    preload_languages,
    render_preload,
)

REPO = Path(__file__).resolve().parents[2]
META = load_config(REPO / "config" / "meta.toml")
DEVWIKI = load_config(REPO / "config" / "devwiki.toml")


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


def test_shipped_files_are_what_the_generator_makes(messages: Messages) -> None:
    for name, text in generated_files(META, messages).items():
        assert (ONWIKI / name).read_text(encoding="utf-8") == text, (
            f"bots/onwiki/{name} is stale: run python -m bots.index.case_box_data"
        )


def test_the_development_wiki_needs_the_same_data(messages: Messages) -> None:
    # the shipped data is made from config/meta.toml; the local wiki must not need other data
    assert generated_files(DEVWIKI, messages) == generated_files(META, messages)


def test_every_generated_page_is_installed(messages: Messages) -> None:
    manifest = tomllib.loads((ONWIKI / "pages.toml").read_text(encoding="utf-8"))
    files = {entry["file"] for entry in manifest["page"]}
    assert set(generated_files(META, messages)) <= files
    assert "Module-Advocacy_case.wikitext" in files


def test_the_box_has_every_label_in_every_language_of_the_bot(messages: Messages) -> None:
    keys = box_message_keys(messages, META)
    assert {f"advocacyhub-field-{f}" for f in CASE_FIELDS} <= set(keys)
    assert "advocacyhub-problem-end-before-start" in keys
    assert "advocacyhub-topic-copyright" in keys and "advocacyhub-method-lobbying" in keys
    data = (ONWIKI / "Module-Advocacy_case-data.wikitext").read_text(encoding="utf-8")
    for lang in ("ar", "zh", "fr", "es"):
        assert f'\t\t["{lang}"] = {{' in data
    assert '"advocacyhub-field-status"] = "الحالة"' in data


@pytest.mark.parametrize("lang", ["en", "ar", "zh", "fr", "es"])
def test_a_preload_page_per_language_uses_its_parameter_names(
    lang: str, messages: Messages
) -> None:
    assert lang in preload_languages(messages)
    text = render_preload(META, messages, lang)
    assert text.count("{{Advocacy case") == 1
    names = {"ar": "العنوان", "zh": "标题"}.get(lang, "title")
    assert f"| {names}" in text
    assert messages.msg("advocacyhub-casebox-preload-background", lang) in text
