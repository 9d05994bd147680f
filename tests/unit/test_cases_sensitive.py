"""The sensitive flag fails closed, and the case template's box decides as the bot does.

:data:`FLAG_TABLE` is the one table of inputs: each row is the sensitive part of a case
template call, whether the bot counts the case as sensitive, and what the box shows. The box
column equals the bot's except in the documented places where MediaWiki hands the template
something the bot cannot see (a template in the value, one name given twice, a spelling the box
does not read): there the bot is the stricter one. ``tests/wiki/test_sensitive_template.py``
renders every row on the real wiki and compares.

A sensitive case leaves the parser with only what every list shows of any case, and its
problems never echo a value: checked here on pages that carry a contact everywhere a person
could put one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bots.cases.parser import parse_case_page
from bots.cases.record import HIDDEN_CONTACT
from bots.cases.sensitive import (
    NO_WORDS,
    YES_WORDS,
    compared,
    decide_sensitive,
    php_trim,
    sensitive_spellings,
)
from bots.config.load import load_config
from bots.config.model import Config

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "bots" / "onwiki" / "Template-Advocacy_case.wikitext"


class Row(NamedTuple):
    params: str  # the sensitive part of the call, e.g. "|sensitive=no"
    bot: bool  # the bot counts the case as sensitive
    box: bool  # the box hides the contact (differs from `bot` only where documented)
    problem: str | None = None  # the problem code the bot reports, if any


FLAG_TABLE: tuple[Row, ...] = (
    # nothing at all, or one plain no-word
    Row("", False, False),
    Row("|sensitive=", False, False),
    Row("|sensitive=   ", False, False),
    *(Row(f"|sensitive={w}", False, False) for w in NO_WORDS),
    *(Row(f"|sensitive={w}", False, False) for w in ("No", "NO", "False", "NON", "N")),
    Row("|sensitive= no ", False, False),
    Row("|sensitive=no<!-- said the advocate -->", False, False),
    Row("|sensitive=n<!-- -->o", False, False),
    Row("|sensitive=<!-- yes -->", False, False),
    Row("|sensible=non", False, False),
    Row("|Sensitive=no", False, False),
    Row("|敏感=否", False, False),
    Row("|sensitive=|sensible=", False, False),
    # numeric character references are decoded, as #switch does
    Row("|sensitive=&#110;o", False, False),
    Row("|sensitive=&#X6E;O", False, False),
    Row("|sensitive=&#48;", False, False),
    Row("|sensitive=no&#32;&#x0A;", False, False),  # #switch trims after decoding
    Row("|敏感=&#21542;", False, False),
    Row("|sensitive=no|sensitive=no", False, False),
    Row("| sensitive = no ", False, False),
    Row("|sensitve=", False, False, "unknown-parameter"),  # a misspelt name without a value
    # a plain yes-word
    *(Row(f"|sensitive={w}", True, True) for w in YES_WORDS),
    Row("|SENSITIVE=YES", True, True),
    Row("|Sensible=oui", True, True),
    Row("|敏感=是", True, True),
    # any other value
    Row("|sensitive=maybe", True, True, "unclear-sensitive"),
    Row("|sensitive=no!", True, True, "unclear-sensitive"),
    Row("|sensitive=no, ask Jane at +90 555 0100", True, True, "unclear-sensitive"),
    Row("|sensitive=no no", True, True, "unclear-sensitive"),
    Row("|sensitive=nope", True, True, "unclear-sensitive"),
    Row("|sensitive=0.0", True, True, "unclear-sensitive"),  # #switch compares numbers
    Row("|sensitive=00", True, True, "unclear-sensitive"),
    Row("|sensitive=+0", True, True, "unclear-sensitive"),
    Row("|sensitive=no&nbsp;", True, True, "unclear-sensitive"),
    Row("|sensitive=no\u00a0", True, True, "unclear-sensitive"),  # PHP's trim keeps it
    Row("|sensitive=\u3000no", True, True, "unclear-sensitive"),
    Row("|sensitive=no\u200e", True, True, "unclear-sensitive"),
    Row("|sensitive=''no''", True, True, "unclear-sensitive"),
    Row("|sensitive=[[no]]", True, True, "unclear-sensitive"),
    Row("|sensitive=<nowiki>no</nowiki>", True, True, "unclear-sensitive"),
    Row("|sensitive=&#78;O", True, True, "unclear-sensitive"),  # lower case first: "No"
    Row("|sensitive=&#32;no", True, True, "unclear-sensitive"),
    Row("|sensitive=&#1234567890123;", True, True, "unclear-sensitive"),
    Row("|sensitive=<span>no</span>", True, True, "unclear-sensitive"),
    Row("|sensitive={{lc:YES}}", True, True, "unclear-sensitive"),
    # several spellings: contradictions, agreement, an empty one beside a filled one
    Row("|sensitive=yes|sensible=no", True, True, "several-sensitive"),
    Row("|sensitive=no|sensible=yes", True, True, "several-sensitive"),
    Row("|sensitive=no|sensible=no", True, True, "several-sensitive"),
    Row("|sensitive=|sensible=no", True, True, "several-sensitive"),
    Row("|sensitive=no|Sensitive=", True, True, "several-sensitive"),
    Row("|sensitive=no|敏感=否", True, True, "several-sensitive"),
    Row("|sensitive=no|sensitive=yes", True, True, "several-sensitive"),  # MediaWiki: last wins
    # documented differences: MediaWiki hands the box what the bot cannot see
    Row("|sensitive={{lc:NO}}", True, False, "unclear-sensitive"),  # expanded before the box
    Row("|sensitive={{#if:1|no}}", True, False, "unclear-sensitive"),
    Row("|sensitive={{{x|no}}}", True, False, "unclear-sensitive"),
    Row("|sensitive=<noinclude>no</noinclude>", True, False, "unclear-sensitive"),
    Row("|sensitive=yes|sensitive=no", True, False, "several-sensitive"),  # the box sees "no"
    Row("|sEnsitive=no", True, False, "sensitive-spelling"),  # the box reads other spellings
    Row("|sensitive_=no", True, False, "sensitive-spelling"),
    Row("|sensitve=yes", True, False, "unknown-parameter"),  # a misspelt name with a value
    Row("|Sensibel=no", True, False, "unknown-parameter"),
)


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(ROOT / "config" / "devwiki.toml")


def case_call(row: Row, contact: str = "Advocate") -> str:
    return (
        f"{{{{Advocacy case|title=T|region=europe|status=active|contact={contact}{row.params}}}}}"
    )


@pytest.mark.parametrize("row", FLAG_TABLE, ids=lambda r: repr(r.params))
def test_the_parser_decides_as_the_table_says(config: Config, row: Row) -> None:
    result = parse_case_page("Advocacy/P", case_call(row), config)
    assert result.case is not None
    assert result.case.sensitive is row.bot
    codes = [p.code for p in result.problems]
    problem = row.problem
    if problem == "unknown-parameter" and row.bot:
        problem = "hidden-unknown-parameter"  # a sensitive case names no parameter as written
    if problem is None:
        assert codes == []
    else:
        assert problem in codes
    # never stricter in the box than in the bot: a case the box hides is hidden by the bot
    assert row.bot or not row.box


def test_the_table_covers_every_class() -> None:
    differing = [r for r in FLAG_TABLE if r.bot != r.box]
    assert all(r.bot and not r.box for r in differing)  # where they differ, the bot hides
    assert len(differing) == 9
    assert {r.problem for r in FLAG_TABLE} >= {
        None, "unclear-sensitive", "several-sensitive", "sensitive-spelling", "unknown-parameter"
    }  # fmt: skip


def _sensitive_line(template: str) -> str:
    includeonly = re.search(r"<includeonly>(.*?)</includeonly>", template, re.S)
    assert includeonly
    m = re.search(r"^\|sensitive=(.*?)^\|lessons=", includeonly.group(1), re.S | re.M)
    assert m, "the case template passes no sensitive= to its box"
    return m.group(1)


@pytest.mark.parametrize("name", ["devwiki.toml", "meta.toml"])
def test_the_template_reads_exactly_the_spellings_of_the_rule(name: str) -> None:
    config = load_config(ROOT / "config" / name)
    spellings = sensitive_spellings(
        ("sensitive", *config.templates.case_aliases.get("sensitive", ()))
    )
    line = _sensitive_line(TEMPLATE.read_text("utf-8"))
    read = set(re.findall(r"\{\{\{([^{}|]+)\|", line))
    assert read == set(spellings)
    # the no-words of the rule, each once, behind the "x" that keeps #switch from comparing
    # numbers ("00" would equal "0")
    cases = re.search(r"\| x \| (.*?) =\n", line)
    assert cases
    assert cases.group(1).split(" | ") == [f"x{w}" for w in NO_WORDS]


def test_values_are_compared_as_mediawiki_compares_them() -> None:
    assert php_trim(" \t\nno\r\n ") == "no"
    assert php_trim("no\u00a0") == "no\u00a0"
    assert php_trim("\u2003no") == "\u2003no"
    assert compared(" &#78;&#x4f; ") == "NO"  # lower case before the references are decoded
    assert compared("&#0;&#xD800;&#99999999;") == "\ufffd" * 3
    assert compared("&nbsp;&#12") == "&nbsp;&#12"


@given(st.lists(st.tuples(st.sampled_from(("sensitive", "sensible", "敏感", "Sensitive")),
                          st.text(max_size=12)), max_size=4))  # fmt: skip
@settings(max_examples=300)
def test_not_sensitive_only_for_nothing_or_one_plain_no(params: list[tuple[str, str]]) -> None:
    spellings = sensitive_spellings(("sensitive", "sensible", "敏感"))
    flag = decide_sensitive(params, spellings)
    values = {name: [] for name, _ in params}  # type: dict[str, list[str]]
    for name, value in params:
        values[name].append(php_trim(value).lower())
    distinct = [v for vs in values.values() for v in dict.fromkeys(vs)]
    plain = not any(distinct) or (len(distinct) == 1 and compared(distinct[0]) in NO_WORDS)
    assert flag.sensitive is not plain
    for problem in flag.problems:  # a problem never carries a value
        assert all(p in spellings or p in ", ".join(values) for p in problem.params)


# ---------------------------------------------------------------------------------------------
# What a sensitive case yields

SECRETS = ("Jane Doe", "+90 555 0100", "jane@example.org", "Secret Partner", "SecretLesson")
LEAKY_PAGE = """{{Advocacy case
|title = Blocked in Somewhere
|summary = Ask Jane Doe (+90 555 0100) for details.
|region = Narnia of jane@example.org
|country = Turkey
|topic = censorship, Jane Doe topic
|status = active
|start = 2020
|end = Jane Doe
|methods = lobbying, Jane Doe method
|partners = Secret Partner
|contact = Jane Doe
|contacts = jane@example.org
|联系人 = +90 555 0100
|lessons = SecretLesson
|Jane Doe
|contakt = +90 555 0100
|jane@example.org = 1
|sensitive = yes, Jane Doe said so
}}
{{Advocacy case|title=Second|region=europe|status=active|contact=Jane Doe|sensitive=no}}"""


def test_a_sensitive_case_keeps_only_what_every_list_shows(config: Config) -> None:
    result = parse_case_page("Advocacy/Leaky", LEAKY_PAGE, config)
    case = result.case
    assert case is not None and case.sensitive
    assert (case.title, case.countries, case.topics, case.methods) == (
        "Blocked in Somewhere", ("Turkey",), ("censorship",), ("lobbying",)
    )
    assert (case.summary, case.lessons, case.partners, case.region) == ("", "", (), "")
    assert case.contacts == (HIDDEN_CONTACT,)  # the last of the three names wins
    blob = json.dumps(result.to_json(), ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in blob, secret
    codes = {p.code for p in result.problems}
    assert codes >= {"hidden-unnamed-parameter", "hidden-unknown-parameter", "hidden-value",
                     "unclear-sensitive", "multiple-case-templates", "duplicate-field"}  # fmt: skip


def test_a_later_sensitive_template_makes_the_case_sensitive(config: Config) -> None:
    page = (
        "{{Advocacy case|title=A|region=europe|status=active|contact=Jane Doe|sensitive=no}}\n"
        "{{Advocacy case|title=B|region=europe|status=active|sensitive=yes}}"
    )
    result = parse_case_page("Advocacy/Two", page, config)
    assert result.case is not None and result.case.sensitive
    assert "Jane Doe" not in json.dumps(result.to_json())


def test_an_open_case_keeps_its_values_and_problems(config: Config) -> None:
    page = LEAKY_PAGE.replace("|sensitive = yes, Jane Doe said so", "|sensitive = no").split(
        "\n{{Advocacy case|title=Second"
    )[0]
    result = parse_case_page("Advocacy/Open", page, config)
    assert result.case is not None and not result.case.sensitive
    assert "Jane Doe" in result.case.summary and result.case.contacts == ("+90 555 0100",)
    assert ("unnamed-parameter", ("Jane Doe",)) in [(p.code, p.params) for p in result.problems]
