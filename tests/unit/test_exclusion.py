"""`{{bots}}` / `{{nobots}}` decided on page text (bots.wikitext.exclusion)."""

from __future__ import annotations

import pytest

from bots.wikitext.exclusion import find_exclusion, find_exclusions

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


# ---------------------------------------------------------------------------------------------
# Degenerate and unusual forms fail closed (issue 17 point 6): each row is one member of a class
# the bot cannot read with certainty, and every one keeps it away.

FAIL_CLOSED = [
    # empty values, in every parameter and spelling
    ("{{nobots|}}", "nobots"),
    ("{{nobots| }}", "nobots"),
    ("{{nobots|1=}}", "nobots"),
    ("{{nobots|deny=}}", "nobots"),
    ("{{nobots|allow=}}", "nobots"),
    ("{{bots|deny=}}", "unclear"),
    ("{{bots|deny= }}", "unclear"),
    ("{{bots|deny=,}}", "unclear"),
    ("{{bots|deny= , ;}}", "unclear"),
    ("{{bots|deny=<!-- nobody -->}}", "unclear"),
    ("{{bots|allow=}}", "unclear"),
    ("{{bots|optout=}}", "unclear"),
    ("{{bots|}}", "unclear"),
    # values the bot cannot evaluate: templates, parser functions, links, tags
    ("{{bots|deny={{User:Me/bots}}}}", "unclear"),
    ("{{bots|deny={{#if:x|AdvocacyBot}}}}", "unclear"),
    ("{{bots|allow={{{1|AdvocacyBot}}}}}", "unclear"),
    ("{{bots|deny=[[User:AdvocacyBot]]}}", "unclear"),
    ("{{bots|deny=<span>AdvocacyBot</span>}}", "unclear"),
    ("{{nobots|{{BOTNAME}}}}", "nobots"),
    # parameters the convention does not define, or unnamed values on {{bots}}
    ("{{bots|AdvocacyBot}}", "unclear"),
    ("{{bots|reason=please no}}", "unclear"),
    ("{{bots|den y=AdvocacyBot}}", "unclear"),
    ("{{nobots|reason=quiet please}}", "nobots"),
    # odd spacing, case and invisible marks in the template's name
    ("{{ NoBots }}", "nobots"),
    ("{{NOBOTS}}", "nobots"),
    ("{{nobots\u200e}}", "nobots"),
    ("{{\u200fnobots}}", "nobots"),
    ("{{no\u00adbots}}", "nobots"),
    ("{{nobots\u00a0}}", "nobots"),
    ("{{template:NOBOTS}}", "nobots"),
    ("{{Template_:_nobots}}", "nobots"),
    ("{{msg:nobots}}", "nobots"),
    ("{{safesubst:nobots}}", "nobots"),
    ("{{\nnobots\n}}", "nobots"),
    # odd spacing, case and invisible marks in parameter names and values
    ("{{bots| DENY = AdvocacyBot }}", "deny"),
    ("{{bots|Deny=AdvocacyBot}}", "deny"),
    ("{{bots|deny=ADVOCACYBOT}}", "deny"),
    ("{{bots|deny=AdvocacyBot\u200e}}", "deny"),
    ("{{bots|deny=\u202bAdvocacyBot\u202c}}", "deny"),
    ("{{bots|deny=Advocacy\u200bBot}}", "deny"),
    ("{{bots|deny=user:AdvocacyBot}}", "deny"),
    ("{{bots|deny= Other ;AdvocacyBot }}", "deny"),
    ("{{bots|deny=ALL}}", "deny"),
    ("{{bots|optout=DIGEST}}", "optout"),
    ("{{bots|optout= MassMessage }}", "optout"),
    ("{{bots|allow=OtherBot\u200e}}", "not-allowed"),
    # Pywikibot's script forms, our kinds being the script names
    ("{{bots|denyscript=all}}", "deny"),
    ("{{bots|denyscript=digest}}", "deny"),
    ("{{bots|allowscript=replace}}", "not-allowed"),
    # opt-outs inside other templates' parameters are transcluded: they count
    ("{{Talk header|{{nobots}}}}", "nobots"),
    ("{{Talk header|note=x|1={{bots|deny=all}}}}", "deny"),
    ("{{Archives|{{Box|{{nobots|}}}}}}", "nobots"),
    ("{{#if:1|{{nobots}}}}", "nobots"),
    ("[[File:X.png|thumb|{{nobots}}]]", "nobots"),
    # several calls: any refusal wins, whichever comes first
    ("{{bots|allow=all}}{{bots|deny=}}", "unclear"),
    ("{{bots|deny=OtherBot}}\n{{nobots|}}", "nobots"),
]


@pytest.mark.parametrize(("text", "expected"), FAIL_CLOSED)
def test_degenerate_and_unusual_forms_fail_closed(text: str, expected: str) -> None:
    found = find_exclusion(text, BOT)
    assert found is not None, text
    assert found.code == expected


STILL_ALLOWED = [
    "{{bots}}",
    "{{ bots }}",
    "{{bots|deny=none}}",
    "{{bots|deny=OtherBot, Another}}",
    "{{bots|allow=AdvocacyBot, OtherBot}}",
    "{{bots|optout=nosource, orfud}}",
    "{{bots|allowscript=digest}}",
    "{{nobots|OtherBot}}",
    "{{Robots|deny=all}}",  # another template
    "<nowiki>{{nobots|}}</nowiki>",
]


@pytest.mark.parametrize("text", STILL_ALLOWED)
def test_clear_permissions_still_allow(text: str) -> None:
    assert find_exclusion(text, BOT) is None


def test_redirect_names_need_no_word_bots() -> None:
    """A wiki's own redirect to {{nobots}} may be called anything (asked from the wiki)."""
    found = find_exclusion("{{Keine Roboter}}", BOT, nobots_names=("Nobots", "Keine Roboter"))
    assert found is not None and found.code == "nobots"
    found = find_exclusion("{{keine_Roboter|}}", BOT, nobots_names=("Nobots", "Keine Roboter"))
    assert found is not None and found.code == "nobots"


def test_every_refusing_call_and_every_call_is_returned() -> None:
    found, called = find_exclusions("{{bots|deny=all}} {{nobots}} {{Stop|why=x}}", BOT,
                                    nobots_names=("Nobots", "Stop"))
    assert [f.code for f in found] == ["deny", "nobots", "nobots"]
    assert called == {"bots", "nobots", "stop"}
