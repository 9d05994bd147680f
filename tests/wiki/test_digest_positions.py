"""The digest reports new and changed positions (issue 13 point 4) on the local wiki.

Positions pages are imported with past dates (before the period) and then edited in the period,
by import with real authors and by a live edit; the digest's post and archive list the positions
that are new or changed (linked to the reader's translation when there is one, topics in the
reader's language), never an unchanged one, one written only in prose around the
templates, or one on a page outside the bot's area.

These tests' positions pages live under a prefix of their own that only their configuration
adds to ``permissions.edit_prefixes``: every positions page in the bot's area counts for a
digest, and other tests' digests must not see these.
"""

from __future__ import annotations

import dataclasses
import re

from bots.config.model import Config
from tests.support import Devwiki, WikiClient, import_pages
from tests.wiki.test_digest_cases import archive_text
from tests.wiki.test_digest_trust import case, dcfg, one_reader, run_digest, tag_of, talk


def position(title: str, summary: str, topic: str = "copyright") -> str:
    return (f"{{{{Advocacy position|title={title}|topic={topic}|summary={summary}"
            f"|reviewed=2026-01|affiliates=Wikimedia Deutschland}}}}")


def area(tag: str) -> str:
    """This test's positions pages' prefix (inside the bot's area for this test only)."""
    return f"TPositions-{tag}/"


def pcfg(config: Config, prefix: str) -> Config:
    cfg = dcfg(config, prefix)
    return dataclasses.replace(cfg, permissions=dataclasses.replace(
        cfg.permissions, edit_prefixes=(*cfg.permissions.edit_prefixes, area(tag_of(prefix)))))


def positions_section(text: str, tag: str) -> list[tuple[str, str]]:
    """(page, title) of each of this test's positions listed in a digest's "Positions"
    section."""
    match = re.search(r"'''Positions? \(\d+\)'''\n((?:\*.*\n?)*)", text)
    if match is None:
        return []
    found = re.findall(r"\[\[:([^|\]]+)\|([^\]]+)\]\]", match.group(1))
    return [(page, title) for page, title in found if page.startswith(area(tag))]


def test_new_and_changed_positions_reach_the_post_and_the_archive(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient
) -> None:
    tag = tag_of(prefix)
    user, author = f"TReader-{tag}", f"TAuthor-{tag}"
    page, prose = f"{area(tag)}Copyright", f"{area(tag)}Privacy"
    outsider = f"Positions outside the area {tag}"
    old = "\n".join(["Drafted by the working group.",
                     "== Reform ==", position("Copyright reform now", "Reform it."),
                     "== Panorama ==", position("Panorama everywhere", "Photos are free.")])
    private = "Intro.\n" + position("Privacy by default", "Collect little.", "privacy")
    one_reader(
        devwiki, prefix, user,
        {"title": page, "revisions": [
            {"text": old, "user": author, "age_days": 30},
            # in the period: one summary edited, prose around it too
            {"text": old.replace("Reform it.", "Reform it, with exceptions.")
             .replace("Drafted by", "Written by"), "user": author, "age_days": 2},
        ]},
        {"title": prose, "revisions": [
            {"text": private, "user": author, "age_days": 30},
            {"text": private.replace("Intro.", "A longer introduction."), "user": author,
             "age_days": 2},
        ]},
        {"title": outsider, "revisions": [
            {"text": "Notes.", "user": author, "age_days": 30},
            {"text": position("Outsider position", "Not ours."), "user": author,
             "age_days": 2},
        ]},
        news=False,
    )
    # a new position added now, inside the period
    admin.edit(page, (admin.page_text(page) or "") + "\n== Blocking ==\n"
               + position("No network shutdowns", "Keep people online.", "censorship"),
               "new position")
    cfg = pcfg(config, prefix)
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error

    expected = [(page, "No network shutdowns"), (page, "Copyright reform now")]
    archive = archive_text(admin, cfg)
    assert positions_section(archive, tag) == expected, archive
    post = admin.page_text(f"User talk:{user}") or ""
    assert positions_section(post, tag) == expected, post
    line = next(x for x in post.splitlines() if "Copyright reform now" in x)
    assert "summary changed" in line and "<bdi>Reform it, with exceptions.</bdi>" in line
    assert "new position: <bdi>Keep people online.</bdi>" in post
    for absent in ("Panorama everywhere", "Privacy by default", "Outsider position", outsider):
        assert absent not in post and absent not in archive


def test_an_edit_outside_the_position_templates_is_no_news(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient
) -> None:
    tag = tag_of(prefix)
    user, author = f"TReader-{tag}", f"TAuthor-{tag}"
    page = f"{area(tag)}Positions"
    text = "Intro.\n== Reform ==\n" + position("Copyright reform now", "Reform it.")
    one_reader(
        devwiki, prefix, user,
        {"title": page, "revisions": [
            {"text": text, "user": author, "age_days": 30},
            {"text": text.replace("Intro.", "Intro, rewritten.").replace("== Reform ==",
                                                                        "== Copyright =="),
             "user": author, "age_days": 2},
        ]},
    )  # a case changed too, so the digest goes out
    cfg = pcfg(config, prefix)
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    archive = archive_text(admin, cfg)
    post = admin.page_text(f"User talk:{user}") or ""
    assert "News" in post and "News" in archive  # the digest went out
    assert positions_section(post, tag) == positions_section(archive, tag) == []
    assert page not in post + archive and "Copyright reform now" not in post + archive


def test_a_reader_gets_positions_in_their_language(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient
) -> None:
    tag = tag_of(prefix)
    readers = {lang: f"TReader{lang.upper()}-{tag}" for lang in ("zh", "fr")}
    page = f"{area(tag)}Blocking"
    import_pages(devwiki, [
        {"title": page, "revisions": [
            {"text": "Intro.", "user": f"TAuthor-{tag}", "age_days": 30},
            {"text": "Intro.\n" + position("No network shutdowns", "Keep people online.",
                                           "censorship"),
             "user": f"TAuthor-{tag}", "age_days": 2},
        ]},
        {"title": f"{page}/zh", "text": "不要断网。", "age_days": 2},  # its translation
        {"title": f"{prefix}Digest/Subscribers", "age_days": 30, "text": "\n".join(
            f"{{{{Advocacy digest subscriber|page=User talk:{u}|lang={lang}}}}}"
            for lang, u in readers.items())},
        *(talk(u) for u in readers.values()),
    ])
    cfg = pcfg(config, prefix)
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    zh = admin.page_text(f"User talk:{readers['zh']}") or ""
    assert positions_section(zh, tag) == [] and "'''立场（1）'''" in zh  # the Chinese label
    assert f"[[:{page}/zh|No network shutdowns]]" in zh and "新立场" in zh
    fr = admin.page_text(f"User talk:{readers['fr']}") or ""
    # no French translation: the source page
    assert positions_section(fr, tag) == [(page, "No network shutdowns")]
    assert "nouvelle position" in fr
    archive = archive_text(admin, cfg)
    assert positions_section(archive, tag) == [(page, "No network shutdowns")]


def test_positions_pages_tied_to_a_sensitive_case_are_never_quoted(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient
) -> None:
    """The knowledge views' rule holds in the digest too: a positions page naming a sensitive
    case, or carrying the case template, is left out and named (by title only) in the notes."""
    tag = tag_of(prefix)
    user, author = f"TReader-{tag}", f"TAuthor-{tag}"
    secret_case = f"Quiet campaign {tag}"
    naming, carrying, fine = (f"{area(tag)}{name}" for name in ("Naming", "Carrying", "Fine"))
    one_reader(
        devwiki, prefix, user,
        {"title": f"{prefix}Quiet", "text": case(secret_case, sensitive="yes"), "age_days": 30},
        {"title": naming, "text": position("Shield reporters", f"As in {secret_case}."),
         "age_days": 2, "user": author},
        {"title": carrying, "text": case("Carrier") + position("Carried", "Carried along."),
         "age_days": 2, "user": author},
        {"title": fine, "text": position("Open data", "Publish it."), "age_days": 2,
         "user": author},
    )
    cfg = pcfg(config, prefix)
    result = run_digest(cfg)
    assert result.exit_code == 0, result.error
    post = admin.page_text(f"User talk:{user}") or ""
    archive = archive_text(admin, cfg)
    assert positions_section(post, tag) == [(fine, "Open data")], post
    for text in (post, archive):
        for absent in ("Shield reporters", "Carried", secret_case):
            assert absent not in text
    notes = "\n".join(result.report.notes)
    assert f"{naming}: positions not reported" in notes
    assert f"{carrying}: positions not reported" in notes
    assert secret_case not in notes
