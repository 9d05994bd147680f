"""`{{bots}}` / `{{nobots}}` decided on page text (bots.wikitext.exclusion)."""

from __future__ import annotations

import pytest

from bots.wikitext.exclusion import find_exclusion

BOT = "AdvocacyBot"

CASES = [
    # (page text, expected refusal code or None)
    ("", None),
    ("Hello, no templates here.", None),
    ("{{bots}}", None),
    ("{{nobots}}", "nobots"),
    ("{{Nobots}}", "nobots"),
    ("{{ template:nobots }}", "nobots"),
    ("{{Template: Nobots}}", "nobots"),
    ("{{bots|deny=AdvocacyBot}}", "deny"),
    ("{{bots|deny=OtherBot, AdvocacyBot}}", "deny"),
    ("{{bots|deny=advocacybot}}", "deny"),
    ("{{bots|deny=Advocacy_Bot}}", None),  # a different account name
    ("{{bots|deny=User:AdvocacyBot}}", "deny"),
    ("{{bots|deny=all}}", "deny"),
    ("{{bots|deny=none}}", None),
    ("{{bots|deny=OtherBot}}", None),
    ("{{bots|allow=AdvocacyBot}}", None),
    ("{{bots|allow=all}}", None),
    ("{{bots|allow=OtherBot}}", "not-allowed"),
    ("{{bots|allow=none}}", "not-allowed"),
    ("{{bots|optout=all}}", "optout"),
    ("{{bots|optout=digest}}", "optout"),
    ("{{bots|optout=advocacy-digest}}", "optout"),
    ("{{bots|optout=newsletter,nosource}}", "optout"),
    ("{{bots|optout=nosource}}", None),
    ("{{nobots|deny=AdvocacyBot}}", "deny"),
    ("{{nobots|deny=OtherBot}}", None),
    ("{{nobots|allow=AdvocacyBot}}", None),
    ("{{nobots|AdvocacyBot}}", "deny"),
    ("{{nobots|OtherBot}}", None),
    ("{{nobots|whatever=1}}", "nobots"),
    # any refusal wins over an allowance elsewhere on the page
    ("{{bots|allow=AdvocacyBot}}\n{{nobots}}", "nobots"),
    # not expanded by MediaWiki, so not counted
    ("<!-- {{nobots}} -->", None),
    ("<nowiki>{{nobots}}</nowiki>", None),
    ("<pre>{{bots|deny=all}}</pre>", None),
    ("text <!-- unclosed comment {{nobots}}", None),
    ("<syntaxhighlight lang=text>{{nobots}}</syntaxhighlight>", None),
    # nested calls are transcluded, so they count
    ("{{User talk header|note={{nobots}}}}", "nobots"),
    ("<div>{{nobots}}</div>", "nobots"),
    # a comment inside the call does not hide it
    ("{{bots<!-- x -->|deny=AdvocacyBot}}", "deny"),
    # other templates whose name merely contains the word
    ("{{Robots}} {{nobots-ish}}", None),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_exclusion(text: str, expected: str | None) -> None:
    found = find_exclusion(text, BOT)
    assert (found.code if found else None) == expected


def test_refusal_names_the_call_on_one_line() -> None:
    found = find_exclusion("{{bots\n|deny = AdvocacyBot\n}}", BOT)
    assert found is not None
    assert found.call == "{{bots |deny = AdvocacyBot }}"


def test_redirect_names_of_the_templates_count() -> None:
    text = "{{Stop bots}}"
    assert find_exclusion(text, BOT) is None
    found = find_exclusion(text, BOT, nobots_names=("Nobots", "Stop bots"))
    assert found is not None and found.code == "nobots"


def test_message_types_are_configurable() -> None:
    assert find_exclusion("{{bots|optout=weekly}}", BOT) is None
    found = find_exclusion("{{bots|optout=weekly}}", BOT, message_types=("weekly",))
    assert found is not None and found.code == "optout"


def test_bot_name_with_underscores_and_spaces() -> None:
    found = find_exclusion("{{bots|deny=Advocacy Hub Bot}}", "Advocacy_Hub_Bot")
    assert found is not None and found.code == "deny"
