"""The case template's box decides as the bot does: every row of the flag table
(``tests/unit/test_cases_sensitive.py``) rendered by the real MediaWiki (``action=parse``, one
request for the whole table) and compared with the parser's decision.

Where the two cannot agree (MediaWiki expands a template in the value before the box sees it,
keeps only the last of two parameters with the same name, and the box cannot read other
spellings), the table says so and the bot is the stricter one; everywhere else they agree.
"""

from __future__ import annotations

import re

import pytest

from bots.cases.parser import parse_case_page
from bots.config.model import Config
from tests.support.mwapi import WikiClient
from tests.unit.test_cases_sensitive import FLAG_TABLE, case_call


def contact(n: int) -> str:
    return f"Contactq{n:03d}z"


@pytest.fixture(scope="module")
def rendered(admin: WikiClient) -> str:
    page = "\n".join(f"\n{case_call(row, contact(n))}\n" for n, row in enumerate(FLAG_TABLE))
    return admin.parse_html("Advocacy/Sensitive flag table", text=page)


@pytest.mark.parametrize("n", range(len(FLAG_TABLE)), ids=lambda n: repr(FLAG_TABLE[n].params))
def test_the_box_hides_the_contact_exactly_when_the_table_says(
    rendered: str, config: Config, n: int
) -> None:
    row = FLAG_TABLE[n]
    assert len(re.findall(r'class="wikitable advocacy-case"', rendered)) == len(FLAG_TABLE)
    box_hides = contact(n) not in rendered
    assert box_hides is row.box
    bot = parse_case_page("Advocacy/P", case_call(row, contact(n)), config).case
    assert bot is not None and bot.sensitive is row.bot
    if row.bot == row.box:
        assert box_hides is bot.sensitive  # the box decides exactly as the parser
    else:
        assert bot.sensitive and not box_hides  # a documented difference: the bot is stricter
