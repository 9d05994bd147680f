"""Pages the bot must never edit, whatever the wiki says (issue 8, item 15, index side; digest
targets, including redirects into other namespaces, are in test_digest_faults.py).

Every such page carries the index markers (so the wiki "asks" for an index there) and a marker
text of the test; after the runs each must have exactly its text and no revision by the bot,
and the server must have received no edit request for it.
"""

from __future__ import annotations

import dataclasses

import pytest

from bots.config.model import Config
from bots.wiki.saves import save_page
from tests.faults.helpers import bot_edits, bot_revisions, case, open_session, run
from tests.support import Devwiki, RequestLog, WikiClient, import_pages


def marked(tag: str, where: str) -> str:
    return (f"FAULT-MARKER-{tag} {where}\n{{{{Advocacy case index}}}}\n"
            "{{Advocacy case index end}}\n")


def same(text: str | None, expected: str) -> bool:
    """Equal, but for the final newline (imports keep it, API edits trim it)."""
    return text is not None and text.rstrip("\n") == expected.rstrip("\n")


def tag_of(prefix: str) -> str:
    return prefix.rstrip("/").rsplit("-", 1)[1]


def forbidden_pages(prefix: str) -> dict[str, str]:
    tag = tag_of(prefix)
    return {
        f"Elsewhere-{tag}/Index": "outside the prefixes",
        f"Project:{prefix}Index": "project namespace, prefix does not match",
        f"Talk:{prefix}Index": "talk namespace",
        f"Help:{prefix}Index": "help namespace",
        f"User:Tester1/{prefix}Index": "user namespace",
        f"MediaWiki:Fault-{tag}-index": "interface message",
    }


def test_index_markers_outside_the_allowed_pages_are_never_edited(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
) -> None:
    tag = tag_of(prefix)
    pages = forbidden_pages(prefix)
    import_pages(devwiki, [
        {"title": f"{prefix}A", "text": case("Case A", "europe", "copyright", "active")},
        {"title": f"{prefix}Index", "text": marked(tag, "allowed")},
        *({"title": t, "text": marked(tag, why)} for t, why in pages.items()),
    ])
    mark = request_log.mark()
    result = run("index", fcfg)
    assert result.exit_code == 0, result.error
    assert [s.title for s in result.report.edits] == [f"{prefix}Index"]
    assert [r.params["title"] for r in bot_edits(request_log, mark)] == [f"{prefix}Index"]
    for title, why in pages.items():
        assert same(admin.page_text(title), marked(tag, why)), title
        assert bot_revisions(admin, title) == [], title
    # (the index job ignores such pages quietly: they are not its to edit or to report)
    assert all(s.title != f"{prefix}Index" for s in result.report.skipped)


@pytest.mark.parametrize("title_of, reason", [
    (lambda tag: f"MediaWiki:Fault-{tag}-index",
     "interface pages (MediaWiki namespace) are never edited by the bot"),
    (lambda tag: f"User:Tester1/fault-{tag}.js",
     "script, style and JSON pages are never edited by the bot"),
    (lambda tag: f"User:Tester1/fault-{tag}.css",
     "script, style and JSON pages are never edited by the bot"),
    (lambda tag: f"User:Tester1/fault-{tag}.json",
     "script, style and JSON pages are never edited by the bot"),
])
def test_hard_refusals_hold_even_when_the_config_would_allow_the_page(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
    title_of, reason: str,  # type: ignore[no-untyped-def]
) -> None:
    """An operator widened the config to the MediaWiki and User namespaces: the interface
    and code pages are still refused, before any write, by the save gate itself."""
    tag = tag_of(prefix)
    title = title_of(tag)
    # wikitext content, so that the markers are real transclusions the index job would see
    admin.edit(title, marked(tag, "hostile config"), "fault test", contentmodel="wikitext")
    hostile = dataclasses.replace(fcfg, permissions=dataclasses.replace(
        fcfg.permissions, edit_namespaces=(0, 2, 4, 8),
        edit_prefixes=(prefix, "MediaWiki:", "User:Tester1/")))
    mark = request_log.mark()
    result = run("index", hostile)
    session = open_session(hostile)
    direct = save_page(session, title, lambda base: "replaced by the bot", "fault test")
    assert (type(direct).__name__, direct.reason) == ("Skipped", reason)  # type: ignore
    assert result.exit_code == 0, result.error
    assert [r for r in bot_edits(request_log, mark) if r.params["title"] == title] == []
    assert same(admin.page_text(title), marked(tag, "hostile config"))
    assert bot_revisions(admin, title) == []
    # and the index job's embedded-in listing did see it: the refusal was needed
    assert title in admin.embeddedin("Template:Advocacy case index")


def test_a_redirect_in_the_prefix_is_not_followed_to_edit_its_target(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
) -> None:
    """A page the config allows redirects into the MediaWiki namespace and elsewhere: the save
    gate refuses to edit through it, and the targets keep their text."""
    tag = tag_of(prefix)
    targets = {f"{prefix}ToInterface": f"MediaWiki:Fault-{tag}-target",
               f"{prefix}ToUser": f"User:Tester1/Fault-{tag}-target",
               f"{prefix}ToElsewhere": f"Elsewhere-{tag}/Target"}
    import_pages(devwiki, [
        *({"title": src, "text": f"#REDIRECT [[{dst}]]"} for src, dst in targets.items()),
        *({"title": dst, "text": marked(tag, "redirect target")} for dst in targets.values()),
    ])
    session = open_session(fcfg)
    mark = request_log.mark()
    for source, target in targets.items():
        outcome = save_page(session, source, lambda base: "replaced by the bot", "fault test")
        assert (type(outcome).__name__, outcome.reason) == (  # type: ignore[union-attr]
            "Skipped", "the page is a redirect; the bot does not follow it to edit"), source
        assert admin.page_text(source) == f"#REDIRECT [[{target}]]"
        assert same(admin.page_text(target), marked(tag, "redirect target"))
        assert bot_revisions(admin, target) == []
    assert bot_edits(request_log, mark) == []
