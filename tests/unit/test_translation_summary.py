"""Edit summaries of translation status updates: which cells changed, and the summary text."""

from __future__ import annotations

import pytest

from bots.i18n.messages import Messages
from bots.translation_status.records import UnitPage, status_from_units
from bots.translations.summary import describe_changes, edit_summary
from bots.translations.table import render_status_view
from bots.translations.view import StatusView


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


def _body(fr_translated: int, messages: Messages, extra_page: bool = False) -> str:
    units = tuple(str(n) for n in range(1, 13))
    pages = [UnitPage(u, "fr", int(u) > fr_translated) for u in units]
    statuses = [status_from_units("Advocacy/Guide", units, pages, source_language="en")]
    if extra_page:
        statuses.append(status_from_units("Advocacy/New", ("1",), [], source_language="en"))
    view = StatusView(prefix="Advocacy/", languages=("fr", "de"))
    return render_status_view(view, statuses, messages, "en")


def test_describe_changes_names_the_changed_cell(messages: Messages) -> None:
    old, new = _body(12, messages), _body(11, messages)
    changes = describe_changes(old, new)
    assert [(c.key, c.old, c.new) for c in changes.changed] == [("Advocacy/Guide/fr", 100, 91)]
    assert (changes.added, changes.removed, changes.other) == (0, 0, False)
    assert describe_changes(old, old).anything is False
    grown = describe_changes(old, _body(12, messages, extra_page=True))
    assert (grown.added, grown.removed) == (2, 0)
    assert describe_changes(_body(12, messages, extra_page=True), old).removed == 2


def test_edit_summaries(messages: Messages) -> None:
    old, new = _body(12, messages), _body(11, messages)
    change = describe_changes(old, new)
    assert (
        edit_summary([change], messages, "en")
        == "Translation status: one cell changed: Advocacy/Guide (fr) 100% → 91%"
    )
    assert (
        edit_summary([change], messages, "fr")
        == "État des traductions : 1 case modifiée : Advocacy/Guide (fr) 100\u00a0% → 91\u00a0%"
    )
    created = describe_changes("", old)
    assert (
        edit_summary([created], messages, "en", created=True)
        == "Translation status: table created (2 cells)"
    )
    assert edit_summary([change], messages, "en", human_revid=42).endswith(
        "; replaced a manual edit inside the bot's table ([[Special:Diff/42]])"
    )
    assert edit_summary([], messages, "zh", errors=True) == "翻译状态：标记的参数需要修正（见页面）"
