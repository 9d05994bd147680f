"""The bot's region is the bot's, on the real wiki: the circuit breaker compares with the bot's
own last rendering (its last revision of the page), never with rows someone put on the page.
Rows inserted by hand are replaced and named; they can neither trip the breaker nor keep
themselves in place; rows removed by hand cannot hide a blanking from it; a mass addition of
cases is held until --force."""

from __future__ import annotations

import re

import pytest

from bots.config.model import Config
from bots.wikitext.markers import stamp_content, strip_stamp
from tests.support.devwiki import Devwiki, import_pages
from tests.support.mwapi import WikiClient
from tests.support.requestlog import RequestLog, api_requests
from tests.wiki.test_index_support import (
    END,
    index_config,
    marker,
    region_bodies,
    row_pages,
    run_index,
)


@pytest.fixture
def iconfig(config: Config, prefix: str) -> Config:
    return index_config(config, case_prefix=prefix, edit_prefix=prefix)


def case_record(prefix: str, name: str, status: str = "active") -> dict[str, object]:
    text = f"{{{{Advocacy case|title={name}|region=africa|status={status}}}}}"
    return {"title": f"{prefix}{name}", "text": text, "age_days": 3, "user": "Tester1"}


def fake_rows(count: int) -> str:
    return "".join(
        f'|- data-advocacy-case="Advocacy/Fake {n:02d}"\n| [[Advocacy/Fake {n:02d}|Call me]]\n'
        for n in range(count)
    )


def with_rows_inserted(text: str, rows: str, *, forge: bool) -> str:
    """The page with `rows` put inside its region, just before the table ends; with `forge`,
    the region's stamp recomputed so that the edit does not show."""
    start = text.index("}}", text.index("{{Advocacy case index")) + 2  # the region's inside
    end = text.index("{{" + END + "}}")
    inner = text[start:end].replace("\n|}", "\n" + rows.rstrip("\n") + "\n|}", 1)
    if forge:
        inner = stamp_content(strip_stamp(inner))
    return text[:start] + inner + text[end:]


@pytest.mark.parametrize(("forge", "pages"), [(False, 1), (True, 4)],
                         ids=["plain-one-page", "forged-stamp-four-pages"])  # fmt: skip
def test_rows_inserted_by_hand_are_replaced_and_never_trip_the_breaker(
    iconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient, tester2: WikiClient,
    request_log: RequestLog, forge: bool, pages: int,
) -> None:  # fmt: skip
    titles = [f"{prefix}Index {n}" for n in range(pages)]
    cases = [case_record(prefix, n) for n in ("Benin", "Chad", "Ghana", "Kenya")]
    import_pages(devwiki, [*cases, *({"title": t, "text": f"Intro.\n{marker()}\nOutro."}
                                     for t in titles)])  # fmt: skip
    first = run_index(iconfig)
    assert first.exit_code == 0, first.error
    good = {t: admin.page_text(t) or "" for t in titles}

    for title in titles:
        tester2.edit(title, with_rows_inserted(good[title], fake_rows(20), forge=forge),
                     "adding some cases")  # fmt: skip
        (body,) = region_bodies(admin.page_text(title) or "")
        assert len(row_pages(body, "")) == 24

    mark = request_log.mark()
    result = run_index(iconfig)
    assert result.exit_code == 0, result.error  # 20 of 24 rows "gone" would have tripped it
    assert sorted(e.title for e in result.report.edits) == titles
    for title in titles:
        after = admin.page_text(title) or ""
        assert "Fake" not in after
        (body,) = region_bodies(after)
        assert row_pages(body, prefix) == ["Benin", "Chad", "Ghana", "Kenya"]
        if forge:  # nothing tells the edit apart on the page: the bot's own rendering is back
            assert after == good[title]
        else:  # the edit is named in the needs-attention list until the next run
            assert "edited inside the bot's list" in body
        note = next(n for n in result.report.notes if n.startswith(f"{title}: 20 row(s)"))
        assert "inserted by hand inside the bot's lists" in note
        assert "'Advocacy/Fake 00'" in note and "and 10 more" in note
    # the bot's own last revisions: one request per page for a few pages; for more, its
    # contributions and then their texts, two requests for all of them
    requests = api_requests(request_log.since(mark))
    by_page = [r for r in requests if "rvuser" in r.params]
    batched = [r for r in requests
               if r.params.get("list") == "usercontribs" or "revids" in r.params]  # fmt: skip
    assert (len(by_page), len(batched)) == ((0, 2) if pages > 3 else (pages, 0))
    run_index(iconfig)
    assert run_index(iconfig).report.edits == []


def test_rows_removed_by_hand_cannot_hide_blanked_cases_from_the_breaker(
    iconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient, tester2: WikiClient
) -> None:
    title = f"{prefix}Index"
    names = ("Benin", "Chad", "Ghana", "Kenya", "Mali", "Niger")
    import_pages(devwiki, [*(case_record(prefix, n) for n in names),
                           {"title": title, "text": marker()}])  # fmt: skip
    assert run_index(iconfig).exit_code == 0
    good = admin.page_text(title) or ""
    # the vandal blanks four case pages, takes their rows out of the list by hand, and the
    # bot's stamp too (nothing on the page shows that the bot ever wrote there)
    for name in names[:4]:
        tester2.edit(f"{prefix}{name}", "", "blanking")
    text = re.sub(r"<!-- advocacy-hub: generated content[^>]*-->\n", "", good)
    for name in names[:4]:
        start = text.index(f'|- data-advocacy-case="{prefix}{name}"')
        text = text[:start] + text[text.index("|-", start + 2):]
    assert "generated content" not in text
    tester2.edit(title, text, "tidying the list")

    result = run_index(iconfig)
    assert result.exit_code == 1
    (failure,) = result.report.failures
    assert "would lose 4 of its 6 rows" in failure.reason
    assert admin.page_text(title) == text  # held: nothing saved
    forced = run_index(iconfig, force=True)
    assert forced.exit_code == 0
    (body,) = region_bodies(admin.page_text(title) or "")
    assert row_pages(body, prefix) == ["Mali", "Niger"]


def test_a_mass_addition_of_cases_is_held_until_force(
    iconfig: Config, prefix: str, devwiki: Devwiki, admin: WikiClient
) -> None:
    assert (iconfig.index.max_added_share, iconfig.index.min_added_rows) == (1.0, 10)
    title = f"{prefix}Index"
    import_pages(devwiki, [*(case_record(prefix, f"Case {n:02d}") for n in range(5)),
                           {"title": title, "text": marker()}])  # fmt: skip
    assert run_index(iconfig).exit_code == 0  # a new list is not held, however long
    before = admin.page_text(title)
    import_pages(devwiki, [case_record(prefix, f"Spam {n:02d}") for n in range(12)])

    held = run_index(iconfig)
    assert held.exit_code == 1
    (failure,) = held.report.failures
    assert "would gain 12 rows on top of its 5" in failure.reason
    assert "mass addition" in failure.reason and "--force" in failure.reason
    assert admin.page_text(title) == before

    forced = run_index(iconfig, force=True)
    assert forced.exit_code == 0
    assert any("overridden by --force" in n for n in forced.report.notes)
    (body,) = region_bodies(admin.page_text(title) or "")
    assert len(row_pages(body, prefix)) == 17
    # a few new cases are ordinary news
    import_pages(devwiki, [case_record(prefix, f"New {n}") for n in range(3)])
    assert run_index(iconfig).exit_code == 0
