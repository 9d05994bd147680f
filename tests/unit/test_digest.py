"""The digest's content model and wikitext (bots.digest.content, .message, .archive), with
golden files (``tests/unit/golden_files.py``).

A golden case is ``golden/digest/<name>.toml``: ``render`` (``message`` or ``archive``),
``lang``/``regions``/``topics`` (the subscriber, for messages), ``complete`` and
``[[delivery]]``/``[[warning]]`` entries (archives), and the content, either ``content =
"shared"`` (``_content.toml``) or its own ``[period]``, ``[[case]]`` (``page``, optional
``before``, ``after`` wikitext), ``[[talk]]`` (``page``, ``subject``, ``before``, ``after``,
``hub``), ``[[need]]`` and ``[[position]]`` (``page``, optional ``before``, ``after``: a
positions page) tables. The content is the run's own (``digest_content`` of the
revisions the case lists), and so is the rendering: a
message is ``subscriber_message`` (what the build step plans and delivery posts), an archive is
the run's ``DeliveryLedger`` fed the delivery entries and ``render_archive`` of its report
(what ``save_archive`` saves). ``ADVOCACY_UPDATE_GOLDEN=1`` rewrites the expected files.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import mwparserfromhell
import pytest
from mwparserfromhell.nodes import Wikilink

from bots.cases.knowledge_pages import POSITION_FIELDS
from bots.cases.parser import parse_case_page
from bots.config.load import load_config
from bots.config.model import Config
from bots.digest.archive import render_archive
from bots.digest.changes import PeriodRevisions, digest_content
from bots.digest.content import (
    CaseFacts,
    CaseUpdate,
    DigestContent,
    added_sections,
    build_content,
    case_facts,
    compare_case,
    for_subscriber,
)
from bots.digest.ids import (
    ArchiveRecord,
    delivery_marker,
    digest_id,
    has_delivery_marker,
    parse_archive_record,
    summary_has_token,
    summary_token,
)
from bots.digest.ledger import DeliveryLedger, DeliveryLine, DeliveryReport
from bots.digest.message import RenderContext, subscriber_message
from bots.digest.period import Period
from bots.digest.recipients import Target
from bots.digest.subscribers import LineIssue, Subscriber, parse_subscriber_list
from bots.i18n.messages import Messages
from bots.outcomes import JobReport
from bots.translation_status.records import TranslationRecord
from bots.wiki.records import PageSnapshot
from bots.wikitext.escape import escape_inline
from bots.wikitext.problems import Problem
from tests.unit.golden_files import GOLDEN_ROOT, check_golden, golden_cases

HERE = Path(__file__).parent
GOLDEN = GOLDEN_ROOT / "digest"
GOLDEN_CASES = golden_cases("digest")
SUBSCRIBERS = "Advocacy/Digest/Subscribers"


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(HERE / "golden" / "cases" / "config.toml")


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


def ctx(messages: Messages) -> RenderContext:
    # the goldens' digest is 2026-11-30: its archive page, and the hub (issue 13)
    return RenderContext(messages, SUBSCRIBERS, SUBSCRIBERS,
                         "Advocacy/Digest/Archive/2026-11-30", "Advocacy/Hub")


def _facts(title: str, text: str | None, config: Config) -> CaseFacts | None:
    if text is None:
        return None
    case = parse_case_page(title, text, config).case
    return case_facts(case) if case else None


def content_of(spec: dict[str, Any], config: Config) -> DigestContent:
    """The content the run makes (``digest_content``) of the revisions a golden case lists."""
    if spec.get("content") == "shared":
        spec = tomllib.loads((GOLDEN / "_content.toml").read_text("utf-8"))
    period = spec["period"]
    texts: dict[int, str | None] = {}

    def revision(text: str | None) -> int:
        if text is None:
            return 0  # no page yet
        texts[len(texts) + 1] = text
        return len(texts)

    cases = {c["page"]: (revision(c.get("before")), revision(c["after"]))
             for c in spec.get("case", [])}
    talks = {t["page"]: (t["subject"], revision(t["before"]), revision(t["after"]))
             for t in spec.get("talk", [])}
    positions = {p["page"]: (revision(p.get("before")), revision(p["after"]))
                 for p in spec.get("position", [])}
    figures = tuple(
        TranslationRecord(n["page"], n["language"], n["total"], n["translated"], n["outdated"])
        for n in spec.get("need", [])
    )
    revisions = PeriodRevisions(
        period=Period(period["id"], period["start"], period["end"], f"Archive/{period['id']}"),
        hubs=frozenset(t["subject"] for t in spec.get("talk", []) if t.get("hub")),
        cases=cases, talks=talks, translations=frozenset((f.page, f.language) for f in figures),
        texts=texts, subject_texts={}, translation_figures=figures,
        positions=positions, position_names=frozenset({config.knowledge.position_template}),
    )
    notes: list[str] = []
    content = digest_content(revisions, config, frozenset(), notes)
    assert notes == []
    for page, (_before, after) in cases.items():
        assert _facts(page, texts[after], config), f"{page}: no case on the page"
    return content


def target(sub: Subscriber, page: str = "") -> Target:
    page = page or sub.page
    return Target(sub, page, 3, PageSnapshot(page, 3, exists=True))


def archive_report(spec: dict[str, Any], messages: Messages) -> DeliveryReport:
    """The delivery entries of a golden case, recorded the way a run records them: subscriber
    list problems as line issues, refusals as skips, deliveries as received or pending."""
    ledger = DeliveryLedger(JobReport(job="digest"), messages)
    pending = []
    for d in spec.get("delivery", []):
        sub = Subscriber(d["page"], d["line"], d.get("lang", "en"))
        if "reason" in d:
            problem = Problem(d["reason"][0], tuple(d["reason"][1:]))
            if problem.code.startswith("subscriber-"):
                ledger.line_issue(LineIssue(sub.line, sub.page, problem, True), SUBSCRIBERS)
            else:
                ledger.skip(sub, problem, d.get("delivered_to", ""))
        elif d.get("pending"):
            pending.append(target(sub, d.get("delivered_to", "")))
        else:
            ledger.received(target(sub, d.get("delivered_to", "")))
    for w in spec.get("warning", []):
        problem = Problem(w["code"], tuple(w["params"]))
        ledger.line_issue(LineIssue(w["line"], "", problem, False), SUBSCRIBERS)
    return ledger.delivery_report(pending)


def render_golden(path: Path, config: Config, messages: Messages) -> str:
    spec = tomllib.loads(path.read_text("utf-8"))
    content = content_of(spec, config)
    if spec["render"] == "archive":
        return render_archive(content, archive_report(spec, messages), ctx(messages),
                              complete=spec["complete"])
    sub = Subscriber("User talk:Reader", 1, spec["lang"], tuple(spec.get("regions", ())),
                     tuple(spec.get("topics", ())))
    msg = subscriber_message(content, sub, ctx(messages))
    return (
        f"heading: {msg.heading}\nsummary: {msg.summary}\nlang: {msg.lang}\n"
        f"items: {msg.item_count}\n----\n{msg.text}\n"
    )


@pytest.mark.parametrize("path", GOLDEN_CASES, ids=lambda p: p.stem)
def test_golden(path: Path, config: Config, messages: Messages) -> None:
    check_golden(path.with_suffix(".wiki"), render_golden(path, config, messages))


@pytest.mark.parametrize("path", GOLDEN_CASES, ids=lambda p: p.stem)
def test_golden_output_is_safe(path: Path, config: Config, messages: Messages) -> None:
    """Whatever the pages said, the output links only where the bot links, calls no template,
    holds no signature but the bot's own, no category, no behaviour switch, no ping."""
    out = render_golden(path, config, messages)
    body = out.split("----\n", 1)[-1]
    assert "⧼" not in body
    code = mwparserfromhell.parse(body)
    assert not code.filter_templates(), "no template may be called"
    for link in code.filter_wikilinks():
        assert isinstance(link, Wikilink)
        assert str(link.title).startswith(":"), f"every link is a colon link: {link}"
        assert not str(link.title).lstrip(":").lower().startswith(("user:", "category:"))
    assert "__" not in body
    assert body.count("~~~") == (1 if "render = \"message\"" in path.read_text() else 0)
    assert "SecretContact" not in body and "Gamma" not in body and "Alpha" not in body
    assert "\n=" not in body.split("\n== ", 1)[0].replace("== ", "")  # no heading from values


def test_golden_cases_exist() -> None:
    assert len(GOLDEN_CASES) >= 10


# ---------------------------------------------------------------------------------------------
# Ids, markers, archive records


def test_digest_id_is_the_end_date() -> None:
    assert digest_id("2026-11-30T07:00:00Z") == "2026-11-30"
    with pytest.raises(ValueError):
        digest_id("2026-11-30")


def test_delivery_marker_and_summary_token() -> None:
    text = f"x\n{delivery_marker('2026-11-30')}\ny"
    assert has_delivery_marker(text, "2026-11-30")
    assert not has_delivery_marker(text, "2026-11-23")
    assert not has_delivery_marker("&lt;!-- advocacy-hub-digest: 2026-11-30 --&gt;", "2026-11-30")
    assert not has_delivery_marker(None, "2026-11-30")
    assert summary_token("2026-11-30") == "advocacy-hub-digest:2026-11-30"
    assert summary_has_token("Digest (advocacy-hub-digest:2026-11-30)", "2026-11-30")
    assert not summary_has_token("Digest (advocacy-hub-digest:2026-11-3)", "2026-11-30")
    assert not summary_has_token("(advocacy-hub-digest:2026-11-300)", "2026-11-30")


def test_archive_record_round_trip_and_damage() -> None:
    record = ArchiveRecord("2026-11-30", "2026-11-23T07:00:00Z", "2026-11-30T07:00:00Z", True)
    assert parse_archive_record(record.marker() + "\nrest") == record
    pending = ArchiveRecord("2026-11-30", "2026-11-23T07:00:00Z", "2026-11-30T07:00:00Z", False)
    assert parse_archive_record("x\n" + pending.marker()) == pending
    assert parse_archive_record("") is None
    assert parse_archive_record(record.marker().replace("07:00:00Z", "7h")) is None
    # the id must be the end's date, and the period must not run backwards
    assert parse_archive_record(record.marker().replace("id=2026-11-30", "id=2026-12-01")) is None
    swapped = ArchiveRecord("2026-11-23", "2026-11-30T07:00:00Z", "2026-11-23T07:00:00Z", True)
    assert parse_archive_record(swapped.marker()) is None


# ---------------------------------------------------------------------------------------------
# Comparing cases


def facts(**kw: Any) -> CaseFacts:
    base = dict(page="Advocacy/X", title="X", region="europe", topics=("copyright",),
                status="active")
    base.update(kw)
    return CaseFacts(**base)  # type: ignore[arg-type]


def test_compare_case() -> None:
    assert compare_case(None, facts()).new  # type: ignore[union-attr]
    assert compare_case(facts(), facts()) is None
    assert compare_case(facts(summary="old"), facts(summary="new")) is None
    assert compare_case(facts(lessons="a  b"), facts(lessons="a b")) is None
    assert compare_case(facts(lessons="a"), facts(lessons="")) is None
    change = compare_case(facts(), facts(status="success"))
    assert change is not None and change.old_status == "active" and not change.updates
    change = compare_case(
        facts(partners=("A",), methods=("x",)),
        facts(partners=("a", "B", "C"), methods=("x",), lessons="L", end="2020",
              countries=("France",), topics=("copyright", "privacy")),
    )
    assert change is not None and change.old_status == ""
    assert change.updates == (
        CaseUpdate("lessons"), CaseUpdate("partners", 2), CaseUpdate("countries", 1),
        CaseUpdate("topics", 1), CaseUpdate("end", value="2020"),
    )


def test_case_facts_never_carry_contacts(config: Config) -> None:
    case = parse_case_page(
        "Advocacy/S", "{{Advocacy case|title=S|region=europe|status=active|contact=Secret|"
        "sensitive=yes}}", config,
    ).case
    # the parser already withholds a sensitive case's contacts; the digest's facts drop even that
    assert case is not None and "Secret" not in repr(case)
    assert "Secret" not in repr(case_facts(case)) and "(hidden)" not in repr(case_facts(case))


# ---------------------------------------------------------------------------------------------
# Sections


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("", "== A ==\nx", ("A",)),
        ("== A ==\nx", "== A ==\nx\n== B ==\ny", ("B",)),
        ("== A ==\nx", "== B ==\ny", ("B",)),  # A archived, B new
        ("== A ==\nx", "== A ==\nx\n== A ==\ny", ("A",)),  # a second section of that name
        ("== A ==", "== A ==\n=== Sub ===\n", ()),  # subsections are part of a discussion
        ("", "<!--\n== Hidden ==\n-->", ()),
        ("", "<nowiki>\n== Literal ==\n</nowiki>", ()),
        ("", "== [[Link|Shown]] ''x'' ==", ("Shown x",)),
        ("", "== Digest ==\n<!-- advocacy-hub-digest: 2026-11-30 -->\nbot post", ()),
        (None, None, ()),
    ],
)
def test_added_sections(before: str | None, after: str | None, expected: tuple[str, ...]) -> None:
    assert added_sections(before, after) == expected


# ---------------------------------------------------------------------------------------------
# Filters and content


def test_for_subscriber_filters(config: Config) -> None:
    spec = tomllib.loads((GOLDEN / "_content.toml").read_text("utf-8"))
    content = content_of(spec, config)
    assert [c.case.page for c in content.new_cases] == ["Advocacy/Kenya blocking"]
    assert [c.case.page for c in content.status_changes] == [
        "Advocacy/Freedom of panorama in France"]
    assert [c.case.page for c in content.updates] == ["Advocacy/Copyright directive"]
    assert [(d.talk_page, d.heading) for d in content.discussions] == [
        ("Talk:Advocacy/Hub", "Meeting in March"),
        ("Talk:Advocacy/Kenya blocking", "Next steps"),
    ]
    # complete translations are not needs
    assert [(n.page, n.language) for n in content.translation_needs] == [
        ("Advocacy/Freedom of panorama in France", "fr"), ("Advocacy/Kenya blocking", "zh")]
    # a new position and a changed one; the unchanged position and the page whose prose
    # alone changed are no news
    assert [(n.position.title, n.new, n.fields) for n in content.positions] == [
        ("No network shutdowns", True, ()),
        ("Copyright reform now", False, ("summary", "reviewed")),
    ]
    assert content.item_count == 9

    europe = for_subscriber(content, "fr", regions=("europe",))
    assert not europe.new_cases and europe.discussions[0].case is None
    # positions have no region: a region filter keeps them all
    assert len(europe.discussions) == 1 and len(europe.positions) == 2
    assert europe.item_count == 6
    africa_zh = for_subscriber(content, "zh", regions=("africa",), topics=("censorship",))
    assert [n.language for n in africa_zh.translation_needs] == ["zh"]
    assert [n.position.title for n in africa_zh.positions] == ["No network shutdowns"]
    assert africa_zh.item_count == 5  # new case, two discussions, one need, one position
    nothing = for_subscriber(content, "en", regions=("atlantis",))
    assert nothing.item_count == 3  # the hub discussion belongs to no case; two positions


def test_build_content_is_deterministic() -> None:
    a = compare_case(None, facts(page="Advocacy/B", title="beta"))
    b = compare_case(None, facts(page="Advocacy/A", title="Alpha"))
    assert a and b
    one = build_content("2026-11-30", "s", "e", [a, b])
    two = build_content("2026-11-30", "s", "e", [b, a])
    assert one == two and [c.case.title for c in one.new_cases] == ["Alpha", "beta"]


def test_message_structure(config: Config, messages: Messages) -> None:
    spec = tomllib.loads((GOLDEN / "_content.toml").read_text("utf-8"))
    content = content_of(spec, config)
    msg = subscriber_message(content, Subscriber("User talk:A", 1, "en"), ctx(messages))
    lines = msg.text.split("\n")
    assert lines[0] == "<!-- advocacy-hub-digest: 2026-11-30 -->"
    assert lines[-1] == "~~~~"
    assert msg.summary.endswith("(advocacy-hub-digest:2026-11-30)")
    assert summary_has_token(msg.summary, "2026-11-30")
    assert msg.heading == "Advocacy Hub digest: 2026-11-30"
    assert not re.search(r"^=", msg.text, re.MULTILINE)  # the heading is the API's sectiontitle


def test_every_language_file_renders_without_missing_keys(config: Config,
                                                          messages: Messages) -> None:
    spec = tomllib.loads((GOLDEN / "_content.toml").read_text("utf-8"))
    content = content_of(spec, config)
    for lang in ("en", "fr", "es", "zh", "ar"):
        msg = subscriber_message(content, Subscriber("User talk:A", 1, lang), ctx(messages))
        assert "⧼" not in msg.text + msg.heading + msg.summary, lang
        assert msg.lang == lang
    report = DeliveryReport((DeliveryLine("User talk:A", 1, "fr"),))
    assert "⧼" not in render_archive(content, report, ctx(messages), complete=True)


# ---------------------------------------------------------------------------------------------
# Messages: every key used is defined and documented, every key defined is used


def _used_digest_keys() -> set[str]:
    root = HERE.parent.parent / "bots"
    job_src = "".join(p.read_text("utf-8") for p in sorted((root / "digest").glob("*.py")))
    digest_src = job_src
    subs_src = (root / "digest" / "subscribers.py").read_text("utf-8")
    called = re.findall(r'w\.msg\(\s*["\']([a-z-]+)["\']', digest_src)
    keys = {f"advocacyhub-digest-{k}" for k in called}
    keys |= {f"advocacyhub-digest-{k}" for k in re.findall(r'\(\s*"([a-z-]+)", ', digest_src)
             if k.startswith(("section-", "report-"))}
    keys |= {f"advocacyhub-digest-update-{k}" for k in
             ("lessons", "partners", "methods", "countries", "topics", "end")}
    keys |= {f"advocacyhub-digest-position-field-{f}" for f in POSITION_FIELDS}
    keys |= {"advocacyhub-digest-heading", "advocacyhub-digest-summary",
             "advocacyhub-digest-footer", "advocacyhub-digest-intro",
             "advocacyhub-digest-empty", "advocacyhub-digest-translation-missing",
             "advocacyhub-digest-translation-partial"}
    keys |= set(re.findall(r'"(advocacyhub-digest-[a-z-]+)"', job_src))
    codes = set(re.findall(r'Problem\(\s*"([a-z-]+)"', job_src + subs_src))
    codes |= set(re.findall(r'"(subscriber-[a-z-]+)"', subs_src))
    codes |= {f"digest-{c}" for c in ("nobots", "deny", "not-allowed", "optout", "unclear")}
    return keys | {f"advocacyhub-problem-{c}" for c in codes}


def test_digest_messages_are_complete_and_documented(messages: Messages) -> None:
    defined = set(messages.keys("digest"))
    used = _used_digest_keys()
    assert used - defined == set(), "used but not defined in digest/en.json"
    assert defined - used == set(), "defined but never used"
    for key in defined:
        for lang in ("en", "qqq", "fr", "es", "zh", "ar"):
            assert messages.has(key, lang), (key, lang)
        # every $n of the English text is documented
        for n in set(re.findall(r"\$(\d)", messages.text(key, "en") or "")):
            assert f"${n}" in (messages.text(key, "qqq") or ""), (key, n)


# ---------------------------------------------------------------------------------------------
# Hostile subscriber lines end up in the archive report as text, never as wikitext


def test_injection_corpus_in_subscriber_lines(config: Config, messages: Messages) -> None:
    corpus = json.loads((HERE / "golden" / "injection_corpus.json").read_text("utf-8"))
    lines = []
    for value in corpus:
        flat = value.replace("}}", "").replace("|", "")  # keep each line one template call
        lines.append(f"{{{{Target|page={flat}}}}}")
        lines.append(f"{{{{Advocacy digest subscriber|page=User talk:Fine|lang={flat}"
                     f"|regions={flat}|topics={flat}}}}}")
    parsed = parse_subscriber_list(
        "\n".join(lines), subscriber_names=("Advocacy digest subscriber",),
        target_names=("Target",), regions=config.vocabulary.regions,
        topics=config.vocabulary.topics,
    )
    report = DeliveryReport(
        tuple(DeliveryLine(i.page, i.line, reason=i.problem, linkable=False)
              for i in parsed.issues if i.skipped),
        tuple((i.line, i.page, i.problem) for i in parsed.issues if not i.skipped),
    )
    content = build_content("2026-11-30", "2026-11-23T07:00:00Z", "2026-11-30T07:00:00Z", [])
    archive = render_archive(content, report, ctx(messages), complete=True)
    body = archive.split("\n", 1)[1]
    code = mwparserfromhell.parse(body)
    assert not code.filter_templates()
    assert all(str(link.title).startswith(":") for link in code.filter_wikilinks())
    assert not code.filter_external_links()
    assert "~~~" not in body and "__" not in body
    assert not any(line.startswith(("=", "{|", "|", "!", "#", ":", ";", " ", "-"))
                   for line in body.split("\n")[3:] if not line.startswith("== "))
    # every unusable value is still shown (escaped) in the report
    for issue in parsed.issues:
        if issue.skipped and issue.page:
            assert escape_inline(issue.page, 120) in archive


def test_the_documented_example_is_what_the_bot_writes(config: Config,
                                                       messages: Messages) -> None:
    doc = (HERE.parent.parent / "docs" / "digest.md").read_text("utf-8")
    example = doc.split("### Example", 1)[1].split("```wikitext\n", 1)[1].split("```", 1)[0]
    out = render_golden(GOLDEN / "en_all.toml", config, messages)
    head, body = out.split("----\n", 1)
    heading = head.split("\n", 1)[0].removeprefix("heading: ")
    assert example == f"== {heading} ==\n\n{body}"
    summary = head.split("\n")[1].removeprefix("summary: ")
    assert f"Edit summary: `{summary}`" in doc
