"""One notion of a case (issue 17.5) on the local wiki: the digest's new cases and the index's
case list agree, through moves in and out of case space and translation subpages.

Each test has its own page prefix and accounts (``T<role>-<tag>``); the moves are real moves
made now (inside the digest's period), the older pages are imported with past dates.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.index.collect import collect_cases
from bots.outcomes import JobReport
from bots.wiki.session import WikiSession
from bots.wiki.templates import template_names
from tests.support import Devwiki, WikiClient, import_pages
from tests.wiki.test_digest_trust import case, dcfg, one_reader, run_digest, tag_of, today


def archive_text(client: WikiClient, cfg: Config) -> str:
    return client.page_text(f"{cfg.digest.archive_prefix}{today()}") or ""


def new_cases(text: str) -> list[str]:
    """The pages linked in the "New cases" section of a digest (archive or post)."""
    match = re.search(r"'''New cases? \(\d+\)'''\n((?:\*.*\n?)*)", text)
    if match is None:
        return []
    return re.findall(r"\[\[:([^|\]]+)\|", match.group(1))


def reader_and_list(devwiki: Devwiki, prefix: str) -> str:
    user = f"TReader-{tag_of(prefix)}"
    one_reader(devwiki, prefix, user, news=False)
    return f"User talk:{user}"


def index_cases(cfg: Config) -> list[str]:
    session = WikiSession(cfg)
    session.login()
    names = template_names(session, [cfg.templates.case])[cfg.templates.case]
    collected = collect_cases(session, cfg, Messages.load(), JobReport(job="index"), names=names)
    return sorted(c.page for c in collected.cases)


def test_a_draft_moved_into_case_space_is_a_new_case_once(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient
) -> None:
    tag = tag_of(prefix)
    draft, moved = f"User:TDrafter-{tag}/My draft", f"{prefix}Drafted case"
    old = f"{prefix}Older case"
    reader = reader_and_list(devwiki, prefix)
    import_pages(devwiki, [
        {"title": draft, "revisions": [
            {"text": "Notes.", "user": f"TDrafter-{tag}", "age_days": 20},  # before the period
            {"text": case("Drafted case"), "user": f"TDrafter-{tag}", "age_days": 2},
        ]},
        {"title": old, "text": case("Older case"), "age_days": 30},
    ])
    admin.move(draft, moved, "ready for the hub")
    # edited after the move, in the same period: still new, not "updated"
    admin.edit(moved, case("Drafted case", lessons="Start early."), "lessons")
    # a case renamed inside case space is no new case
    admin.move(old, f"{prefix}Older case (renamed)", "better title")
    cfg = dcfg(config, prefix)
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    archive = archive_text(admin, cfg)
    assert new_cases(archive) == [moved], archive
    post = admin.page_text(reader) or ""
    assert new_cases(post) == [moved]
    assert post.count(f"[[:{moved}|") == 1 and draft not in post
    assert "Other updates" not in post
    assert index_cases(cfg) == sorted([moved, f"{prefix}Older case (renamed)"])


@pytest.mark.parametrize("lang", ["fr", "ja"])
def test_a_translation_subpage_is_never_a_new_case(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient, lang: str
) -> None:
    base, fresh = f"{prefix}Translated case", f"{prefix}Fresh case"
    reader_and_list(devwiki, prefix)
    import_pages(devwiki, [
        {"title": base, "text": case("Translated case"), "age_days": 30},
        {"title": fresh, "text": case("Fresh case"), "age_days": 1},
        # the translation carries its own (translated) case box, made in the period
        {"title": f"{base}/{lang}", "text": case(f"Translated case ({lang})"), "age_days": 1},
    ])
    cfg = dcfg(config, prefix)
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    archive = archive_text(admin, cfg)
    assert new_cases(archive) == [fresh], archive
    assert index_cases(cfg) == sorted([base, fresh])


def test_index_and_digest_agree_on_what_a_case_is(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient
) -> None:
    tag = tag_of(prefix)
    user = f"TDrafter-{tag}"
    reader_and_list(devwiki, prefix)
    made = {
        "Plain": case("Plain"),
        "Plain/ja": case("Plain (ja)"),  # a translation
        "Orphan/de": case("Orphan"),  # the only copy of a case: a case of its own
        "Plain/Sandbox": case("Sandboxed"),  # an excluded subpage name
        "Leaving": case("Leaving"),  # moved out of case space below
        "Plain/new-ideas": case("New ideas"),  # not a language: a case
    }
    import_pages(devwiki, [
        *({"title": f"{prefix}{name}", "text": text, "user": user, "age_days": 2}
          for name, text in made.items()),
        {"title": f"User:{user}/Draft", "text": case("From a draft"), "user": user,
         "age_days": 2},
    ])
    admin.move(f"{prefix}Leaving", f"User:{user}/Leaving", "not ready")
    admin.move(f"User:{user}/Draft", f"{prefix}From a draft", "ready")
    cfg = dcfg(config, prefix)
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    announced = sorted(new_cases(archive_text(admin, cfg)))
    expected = sorted(f"{prefix}{n}" for n in ("Plain", "Orphan/de", "Plain/new-ideas",
                                                "From a draft"))
    assert announced == expected
    assert index_cases(cfg) == expected


def test_the_required_category_narrows_both_alike(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient
) -> None:
    reader_and_list(devwiki, prefix)
    category = "Advocacy reviewed cases"
    import_pages(devwiki, [
        {"title": f"{prefix}Reviewed", "text": case("Reviewed") + f"\n[[Category:{category}]]",
         "age_days": 1},
        {"title": f"{prefix}Unreviewed", "text": case("Unreviewed"), "age_days": 1},
    ])
    base = dcfg(config, prefix)
    cfg = dataclasses.replace(base, index=dataclasses.replace(base.index,
                                                              required_category=category))
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    assert new_cases(archive_text(admin, cfg)) == [f"{prefix}Reviewed"]
    assert index_cases(cfg) == [f"{prefix}Reviewed"]
