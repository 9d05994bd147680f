"""The case box (``{{Advocacy case}}`` through ``Module:Advocacy case``) rendered by the real
MediaWiki: it reports what the bot reports, speaks the page's language in the page's direction,
shows a language bar, links contacts' talk pages and the hub; the edit notice and the pre-filled
new case pages (issue 13, editors' path; issue 14, points 1 and 2).

The problems are compared with the bot's own parser (``bots.cases.parser``) case by case: the
box and the bot must report the same problem codes for every row of ``AGREEMENT``.
"""

from __future__ import annotations

import re
import urllib.parse

import pytest

from bots.cases.parser import parse_case_page
from bots.config.model import Config
from tests.support.devwiki import Devwiki, import_pages
from tests.support.mwapi import WikiClient

# Problem codes both the bot and the box report. The bot alone reports bounds (value-truncated,
# too-many-values, case-too-long), several templates on one page, and a parameter given twice
# under the very same name (MediaWiki hands the box only the last one).
AGREEMENT: list[tuple[str, str]] = [
    (
        "complete",
        "|title=T|region=europe|status=active|topic=copyright, privacy|start=2019"
        "|end=2020-02-29|methods=lobbying",
    ),
    ("missing required", "|summary=only a summary"),
    ("empty required", "|title= |region=|status="),
    ("unknown codes", "|title=T|region=atlantis|status=actve|topic=copyright, privcy, x"),
    (
        "labels instead of codes",
        "|title=T|region=Asia Pacific|status=Partial success|topic=Freedom of panorama",
    ),
    ("bad dates", "|title=T|region=africa|status=active|start=2019-02-30|end=2019-13"),
    ("end before start", "|title=T|region=africa|status=active|start=2020-05|end=2020-04-30"),
    ("same month is fine", "|title=T|region=africa|status=active|start=2020-05-10|end=2020-05"),
    ("unknown and unnamed parameters", "|title=T|region=africa|status=active|colour=red|stray"),
    ("a field under two names", "|title=T|titre=U|region=africa|status=active"),
    ("localised names", "|العنوان=ع|المنطقة=africa|الحالة=success|主题=privacy"),
    ("unclear sensitive flag", "|title=T|region=africa|status=active|sensitive=maybe"),
    ("sensitive given twice", "|title=T|region=africa|status=active|sensitive=no|sensible=yes"),
]


def box_codes(html: str) -> list[str]:
    return re.findall(r'data-problem="([a-z-]+)"', html)


@pytest.mark.parametrize("name,params", AGREEMENT, ids=[n for n, _ in AGREEMENT])
def test_the_box_reports_what_the_bot_reports(
    admin: WikiClient, config: Config, prefix: str, name: str, params: str
) -> None:
    text = "{{Advocacy case\n" + params + "\n}}"
    bot = parse_case_page(f"{prefix}Case", text, config)
    assert bot.case is not None, name
    expected = sorted({p.code for p in bot.problems})
    if bot.case.sensitive:
        # a sensitive case's problems are told without their values in the bot's lists
        expected = sorted(c for c in expected if not c.startswith("hidden-"))
    parsed = admin.parse(f"{prefix}Case", text=text, prop="text|categories")
    html = parsed["text"]
    assert sorted(set(box_codes(html))) == expected, name
    categories = {c["category"] for c in parsed["categories"]}
    assert ("Advocacy_cases_with_problems" in categories) is bool(expected), name


def test_a_sensitive_case_withholds_problems_the_bot_hides(
    admin: WikiClient, config: Config, prefix: str
) -> None:
    text = "{{Advocacy case|title=T|region=atlantis|status=active|sensitive=yes}}"
    bot = parse_case_page(f"{prefix}Case", text, config)
    assert bot.case is not None and bot.case.sensitive
    assert {p.code for p in bot.problems} == {"hidden-value"}
    # on the page itself the editor sees the value they wrote, and which problem it has
    assert box_codes(admin.parse_html(f"{prefix}Case", text=text)) == ["unknown-region"]


ARABIC_CASE = """{{Advocacy case
|العنوان = حالة تجريبية
|المنطقة = middle-east-north-africa
|الحالة = active
|الموضوع = copyright, privacy
|الأساليب = lobbying, campaign
|البداية = 2021
|جهة الاتصال = Tester1, User:Tester2
}}
نص الصفحة."""

ENGLISH_CASE = """{{Advocacy case
|title = Test case
|region = middle-east-north-africa
|status = active
|topic = copyright, privacy
|methods = lobbying, campaign
|start = 2021
|contact = Tester1
}}
Page text."""


@pytest.fixture
def translated_case(devwiki: Devwiki, admin: WikiClient, prefix: str) -> str:
    base = f"{prefix}Case"
    import_pages(devwiki, [
        {"title": base, "text": ENGLISH_CASE, "user": "Tester1"},
        {"title": f"{base}/ar", "text": ARABIC_CASE, "user": "Tester2"},
        {"title": f"{base}/zh", "text": ENGLISH_CASE.replace("Test case", "测试案例"),
         "user": "Tester2"},
    ])  # fmt: skip
    # the import rendered each page before its translations existed; on the wiki, creating a
    # translation re-renders the pages that showed its absence (the job queue); here, at once
    admin.post(action="purge", titles="|".join([base, f"{base}/ar", f"{base}/zh"]))
    return base


def test_an_arabic_subpage_is_right_to_left_with_arabic_labels_and_codes(
    admin: WikiClient, translated_case: str
) -> None:
    html = admin.parse_html(f"{translated_case}/ar")
    wrapper = re.search(r'<div class="advocacyhub-case-page" lang="([^"]+)" dir="([^"]+)">', html)
    assert wrapper is not None and wrapper.groups() == ("ar", "rtl")
    # the page's own text is inside the wrapper (the parser closes it at the end)
    assert html.index("نص الصفحة") > wrapper.end()
    for label in ("الحالة", "المنطقة", "الموضوع", "الأساليب", "التواريخ", "جهة الاتصال"):
        assert f"| {label}" in html or f">{label}<" in html or label in html, label
    # codes in Arabic, every value of a multi-value field
    assert "إصلاح حق المؤلف، الخصوصية وحماية البيانات" in html
    assert "لقاءات مع صانعي السياسات، حملة عامة" in html
    assert "منذ 2021" in html
    assert "Copyright reform" not in html and "Status" not in html
    assert "float:left" in html  # the box sits at the start side of a right-to-left page


def test_the_english_page_is_left_to_right_in_english(
    admin: WikiClient, translated_case: str
) -> None:
    html = admin.parse_html(translated_case)
    assert '<div class="advocacyhub-case-page" lang="en" dir="ltr">' in html
    assert "Copyright reform, Privacy and data protection" in html
    assert "Meetings with policymakers, Public campaign" in html
    assert "float:right" in html


def language_bar(html: str) -> str:
    m = re.search(r'<div class="advocacyhub-language-bar".*?</div>', html, re.S)
    assert m is not None
    return m.group(0)


def test_a_language_bar_shows_the_existing_translations_by_autonym(
    admin: WikiClient, translated_case: str
) -> None:
    # Rendered afresh as each page (its text, its title): a stored rendering can predate the
    # translations (the import rendered it; the wiki's job queue re-renders it later), and the
    # purge of the fixture can be refused under a busy run's rate limits.
    def fresh(title: str) -> str:
        return admin.parse_html(title, text=admin.page_text(title) or "")

    english = language_bar(fresh(translated_case))
    assert '<b><span lang="en" dir="ltr">English</span></b>' in english
    for code, autonym in (("ar", "العربية"), ("zh", "中文")):
        target = urllib.parse.quote(f"{translated_case}/{code}".replace(" ", "_"))
        assert target in english, code
        assert f'lang="{code}"' in english and autonym in english
    assert "français" not in english  # no /fr subpage: not listed
    arabic = language_bar(fresh(f"{translated_case}/ar"))
    assert '<b><span lang="ar" dir="rtl">العربية</span></b>' in arabic
    assert "لغات أخرى" in arabic


def test_contacts_link_their_talk_pages_and_the_box_links_the_hub(
    admin: WikiClient, translated_case: str
) -> None:
    html = admin.parse_html(f"{translated_case}/ar")
    for user in ("Tester1", "Tester2"):
        assert f'title="User talk:{user}' in html
        assert f'title="User:{user}' in html
    english = admin.parse_html(translated_case)
    assert 'title="Advocacy/Hub"' in english


def test_a_sensitive_case_hides_its_contacts_in_every_language(
    admin: WikiClient, prefix: str
) -> None:
    text = ARABIC_CASE.replace("}}", "|sensitive = نعم\n}}")
    html = admin.parse_html(f"{prefix}Case/ar", text=text)
    assert "User_talk:Tester1" not in html and "Tester2" not in html
    assert "حالة حساسة" in html


def test_the_edit_notice_of_case_pages(
    admin: WikiClient, tester1: WikiClient, devwiki: Devwiki, translated_case: str
) -> None:
    # an interface administrator installs it once (docs/editors.md); the bot never does
    admin.edit("MediaWiki:Editnotice-0-Advocacy", "{{Advocacy case/editnotice}}", "edit notice")
    url = f"{devwiki.base_url}/index.php"
    editor = tester1.session  # a logged-in editor opens the edit form
    english = editor.get(url, params={"title": translated_case, "action": "edit"}, timeout=60)
    assert 'class="advocacyhub-editnotice" lang="en" dir="ltr"' in english.text
    assert "You are editing an advocacy case" in english.text
    arabic = editor.get(url, params={"title": f"{translated_case}/ar", "action": "edit"},
                        timeout=60)  # fmt: skip
    assert 'class="advocacyhub-editnotice" lang="ar" dir="rtl"' in arabic.text


@pytest.mark.parametrize("lang,name", [("zh", "标题"), ("ar", "العنوان"), ("fr", "title")])
def test_a_new_case_page_opens_pre_filled_in_the_readers_language(
    devwiki: Devwiki, tester1: WikiClient, prefix: str, lang: str, name: str
) -> None:
    page = tester1.session.get(f"{devwiki.base_url}/index.php", params={
        "title": f"{prefix}New case", "action": "edit",
        "preload": f"Template:Advocacy case/preload/{lang}",
    }, timeout=60)  # fmt: skip
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", page.text, re.S)
    assert textarea is not None
    assert "{{Advocacy case" in textarea.group(1)
    assert f"| {name}" in textarea.group(1)
