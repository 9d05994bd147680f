"""Synthetic but realistic wiki content for the benchmark. Pure: no wiki, no network.

Everything is generated from a seeded random generator, so a size always yields the same pages.
Pages come out in the seed format of `scripts/devwiki import` (title, revisions with text, user,
age_days, comment).

What a size N holds:
* N case pages `Advocacy/<subject> in <country> <year>` (about 1 KB each): every region, topic
  and status, dates from 2005 on, one to three partners, some French or Chinese parameter names,
  some sensitive cases, about 4% invalid ones (unknown region, misspelt status, end before
  start, impossible date, missing region), 1% created in the last days and 1% whose status
  changed in the last days (digest news);
* translation subpages (`…/fr`, `…/zh`, …) of about 5% of the cases;
* talk pages of some cases with a new section in the last days;
* V = 4 index views (marker pairs) on 3 pages, with filters, grouping and a `lang=zh` view;
* P guide pages with 12 translation units each, translated into 20 languages in the layout of
  the Translate extension (`Translations:<page>/<n>/<lang>`, some units `!!FUZZY!!`), and a
  translation status page;
* a subscriber list with 200 lines (user talk pages of 190 accounts, 10 project talk pages),
  some of them with filters, `{{nobots}}` or `{{bots|deny=…}}`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

BOT = "AdvocacyBot"
HUMANS = ("Tester1", "Tester2", "Admin")

LANGUAGES_20: tuple[str, ...] = (
    "fr", "es", "de", "zh", "ar", "fa", "ru", "pt", "it", "ja",
    "ko", "id", "hi", "tr", "pl", "uk", "nl", "sv", "vi", "bn",
)  # fmt: skip

# (country, region code)
COUNTRIES: tuple[tuple[str, str], ...] = (
    ("Kenya", "africa"), ("Nigeria", "africa"), ("South Africa", "africa"), ("Ghana", "africa"),
    ("Uganda", "africa"), ("Senegal", "africa"), ("Egypt", "middle-east-north-africa"),
    ("Morocco", "middle-east-north-africa"), ("Tunisia", "middle-east-north-africa"),
    ("Iran", "middle-east-north-africa"), ("Jordan", "middle-east-north-africa"),
    ("India", "asia-pacific"), ("Indonesia", "asia-pacific"), ("Japan", "asia-pacific"),
    ("Philippines", "asia-pacific"), ("Australia", "asia-pacific"), ("Pakistan", "asia-pacific"),
    ("Bangladesh", "asia-pacific"), ("Vietnam", "asia-pacific"), ("Taiwan", "asia-pacific"),
    ("Germany", "europe"), ("France", "europe"), ("Poland", "europe"), ("Italy", "europe"),
    ("Sweden", "europe"), ("Ukraine", "europe"), ("European Union", "europe"),
    ("Turkey", "europe"), ("Spain", "europe"), ("Brazil", "latin-america"),
    ("Mexico", "latin-america"), ("Argentina", "latin-america"), ("Chile", "latin-america"),
    ("Colombia", "latin-america"), ("Peru", "latin-america"), ("United States", "north-america"),
    ("Canada", "north-america"), ("Worldwide", "global"),
)  # fmt: skip

# (subject, topics)
SUBJECTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Copyright reform", ("copyright",)),
    ("Freedom of panorama", ("freedom-of-panorama", "copyright")),
    ("Wikipedia access block", ("censorship",)),
    ("Data protection law", ("privacy",)),
    ("Public domain term extension", ("public-domain", "copyright")),
    ("Platform liability bill", ("intermediary-liability",)),
    ("Open access mandate", ("access-to-knowledge",)),
    ("Orphan works rules", ("copyright", "access-to-knowledge")),
    ("Text and data mining exception", ("copyright",)),
    ("Internet shutdown", ("censorship", "access-to-knowledge")),
    ("Press publishers' right", ("copyright", "intermediary-liability")),
    ("Government open data", ("access-to-knowledge", "public-domain")),
    ("Digital services rules", ("intermediary-liability", "privacy")),
    ("Library lending right", ("access-to-knowledge",)),
    ("Site blocking order", ("censorship", "intermediary-liability")),
    ("Surveillance law", ("privacy", "censorship")),
    ("Official works in the public domain", ("public-domain",)),
    ("Educational use exception", ("copyright", "access-to-knowledge")),
    ("Content filtering mandate", ("intermediary-liability", "censorship")),
    ("Real-name registration rule", ("privacy",)),
)
STATUSES = ("planned", "active", "success", "partial", "failure", "closed")
STATUS_WEIGHTS = (1, 4, 3, 2, 2, 1)
METHODS = (
    "public-consultation", "lobbying", "campaign", "litigation", "coalition", "research",
    "blackout", "Open letter", "Edit-a-thon",
)  # fmt: skip
PARTNERS = (
    "Free Knowledge Advocacy Group EU", "Wikimedia Deutschland", "Wikimedia France",
    "Creative Commons", "Electronic Frontier Foundation", "Open Knowledge Foundation",
    "Access Now", "Article 19", "Communia", "Internet Society", "Wikimedia Indonesia",
    "Wikimedia South Africa", "Wikimedia Argentina", "Wikimedia Ukraine", "Centre for Internet "
    "and Society", "Derechos Digitales", "Paradigm Initiative", "SMEX", "IFLA", "EIFL",
)  # fmt: skip
FRENCH_NAMES = {
    "title": "titre", "summary": "résumé", "region": "région", "country": "pays",
    "topic": "sujet", "status": "statut", "start": "début", "end": "fin",
    "methods": "méthodes", "partners": "partenaires", "lessons": "leçons",
    "sensitive": "sensible",
}  # fmt: skip
CHINESE_NAMES = {
    "title": "标题", "summary": "摘要", "region": "地区", "country": "国家", "topic": "主题",
    "status": "状态", "start": "开始", "end": "结束", "methods": "方法", "partners": "合作伙伴",
    "lessons": "经验", "sensitive": "敏感", "contact": "联系人",
}  # fmt: skip
INVALID_KINDS = ("unknown-region", "misspelt-status", "end-before-start", "bad-date",
                 "missing-region")  # fmt: skip

INDEX_PAGES: dict[str, str] = {
    "Advocacy/Hub": """'''Welcome to the Advocacy Hub.''' This page collects the advocacy cases \
documented by Wikimedians. Each case has its own page under <code>Advocacy/</code> with an \
[[Template:Advocacy case|Advocacy case]] box. The lists below are kept up to date by a bot.

== Latest cases by region ==
{{Advocacy case index|group=region|sort=-start|limit=300|attention=yes}}
The bot will fill this in.
{{Advocacy case index end}}

== Copyright cases ==
{{Advocacy case index|topic=copyright|status=active,success|group=status|sort=-start\
|columns=title, country, status, start, end, languages}}
The bot will fill this in.
{{Advocacy case index end}}
""",
    "Advocacy/Hub/zh": """'''欢迎来到倡导中心。''' 以下列表由机器人自动更新。

== 亚洲及太平洋地区的案例 ==
{{Advocacy case index|region=asia-pacific|group=topic|sort=title|lang=zh}}
机器人会在此处填写内容。
{{Advocacy case index end}}
""",
    "Advocacy Hub/Europe by year": """Cases in Europe that started from 2015 to 2020, by year.

{{Advocacy case index|region=europe|year=2015-2020|group=year|sort=start\
|columns=title, country, topic, status, start, end, updated}}
The bot will fill this in.
{{Advocacy case index end}}
""",
}
INDEX_VIEWS = 4  # marker pairs in INDEX_PAGES
TRANSLATION_STATUS_PAGE = "Advocacy/Translation status"
SUBSCRIBER_PAGE = "Advocacy/Digest/Subscribers"
GUIDE_PREFIX = "Advocacy/Guides/"
UNITS_PER_GUIDE = 12
SUBSCRIBERS = 200  # lines; 95% user talk pages, the rest project talk pages


@dataclass(frozen=True)
class CaseSpec:
    """One case page's content, as fields (so a change can re-render it)."""

    title: str
    name: str
    country: str
    region: str
    topics: tuple[str, ...]
    status: str
    start: str
    end: str
    methods: tuple[str, ...]
    partners: tuple[str, ...]
    contact: str
    sensitive: bool
    lessons: str
    summary: str
    names: str = "en"  # parameter names: en, fr or zh
    invalid: str = ""  # one of INVALID_KINDS, or ""
    translations: tuple[str, ...] = ()
    age_days: float = 400.0
    recent: str = ""  # "new" (created in the last days) or "status" (status changed lately)
    previous_status: str = ""

    def render(self) -> str:
        names = {"fr": FRENCH_NAMES, "zh": CHINESE_NAMES}.get(self.names, {})
        region = self.region
        status = self.status
        start, end = self.start, self.end
        if self.invalid == "unknown-region":
            region = "Europa Centrale"
        elif self.invalid == "missing-region":
            region = ""
        elif self.invalid == "misspelt-status":
            status = {"success": "sucess", "active": "actve"}.get(status, status + "d")
        elif self.invalid == "end-before-start":
            end = str(int(start[:4]) - 1)
        elif self.invalid == "bad-date":
            start = start[:4] + "-13"
        fields: list[tuple[str, str]] = [
            ("title", self.name),
            ("summary", self.summary),
            ("region", region),
            ("country", self.country),
            ("topic", ", ".join(self.topics)),
            ("status", status),
            ("start", start),
            ("end", end),
            ("methods", ", ".join(self.methods)),
            ("partners", ", ".join(self.partners)),
            ("contact", self.contact),
        ]
        if self.sensitive:
            fields.append(("sensitive", "yes"))
        if self.lessons:
            fields.append(("lessons", self.lessons))
        width = max(len(names.get(k, k)) for k, _ in fields)
        lines = ["{{Advocacy case"]
        for key, value in fields:
            if not value and key not in ("region", "end"):
                continue
            lines.append(f"|{names.get(key, key).ljust(width)} = {value}")
        lines.append("}}")
        body = (
            f"\n\n== Background ==\n{self.summary} The case is documented here so that other "
            f"communities can learn from it; see the talk page for sources and open questions."
            f"\n\n== What the community did ==\n"
            + "".join(f"* {m.replace('-', ' ').capitalize()}\n" for m in self.methods)
            + "\n== See also ==\n* [[Advocacy/Hub]]\n"
        )
        return "\n".join(lines) + body


@dataclass
class BenchData:
    n: int
    cases: list[CaseSpec]
    pages: list[dict[str, Any]]  # everything to import, seed format
    users: list[str]  # accounts to create (subscribers)
    guides: list[str]
    unit_pages: int
    views: int = INDEX_VIEWS
    index_pages: tuple[str, ...] = tuple(INDEX_PAGES)
    case_subpages: int = 0
    notes: dict[str, int] = field(default_factory=dict)


def guide_count(n: int) -> int:
    """Pages with translation units: 5 at N = 100, 20 at 2,000, 50 at 10,000."""
    return max(5, min(50, n // 100 if n < 2000 else 20 + (n - 2000) * 30 // 8000))


def _summary(rng: random.Random, subject: str, country: str, year: int) -> str:
    verbs = ("proposed", "introduced", "debated", "announced", "drafted")
    effects = (
        "would have made it harder to share freely licensed photos and texts",
        "threatened the reuse of public information on Wikimedia projects",
        "would have required platforms to filter uploads",
        "blocked readers' access to Wikipedia for months",
        "put the privacy of volunteer editors at risk",
        "could open the archives of public institutions to everyone",
    )
    return (
        f"In {year} the authorities of {country} {rng.choice(verbs)} a measure on "
        f"{subject.lower()} that {rng.choice(effects)}. Local Wikimedians explained the "
        f"consequences to lawmakers and the public."
    )


def make_cases(n: int, rng: random.Random) -> list[CaseSpec]:
    seen: dict[str, int] = {}
    cases: list[CaseSpec] = []
    for i in range(n):
        subject, topics = rng.choice(SUBJECTS)
        country, region = rng.choice(COUNTRIES)
        year = rng.randint(2005, 2025)
        base = f"{subject} in {country} {year}"
        if i % 97 == 13:
            base = f"{subject} ({country}, {year}): the long road"  # comma, colon-free
        if i % 211 == 7:
            base = f"维基百科在{country}的倡导 {year}"  # a Chinese title
        seen[base] = seen.get(base, 0) + 1
        name = base if seen[base] == 1 else f"{base} ({seen[base]})"
        status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
        month = rng.randint(1, 12)
        start = f"{year}-{month:02d}" if rng.random() < 0.7 else str(year)
        end = ""
        if status in ("success", "partial", "failure", "closed"):
            end_year = min(2026, year + rng.randint(0, 3))
            end = f"{end_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            if end[:7] < start[:7]:
                end = f"{year}-12-31"
        r = rng.random()
        invalid = INVALID_KINDS[int(r * 1000) % len(INVALID_KINDS)] if r < 0.04 else ""
        names = "fr" if 0.04 <= r < 0.09 else ("zh" if 0.09 <= r < 0.11 else "en")
        recent = ""
        age = rng.uniform(30, 1500)
        previous = ""
        if i % 100 == 50:
            recent, age = "new", rng.uniform(0.5, 5)
        elif i % 100 == 75 and status in ("success", "partial", "failure"):
            recent, previous = "status", "active"
        lessons = ""
        if status != "planned" and rng.random() < 0.5:
            lessons = rng.choice((
                "Working with a coalition made the message stronger than acting alone.",
                "Concrete examples from Wikipedia and Commons convinced more than principles.",
                "Starting early, at the consultation stage, mattered most.",
                "A blackout drew attention but came late in the process.",
            ))  # fmt: skip
        translations: tuple[str, ...] = ()
        if rng.random() < 0.05:
            translations = tuple(sorted(rng.sample(("fr", "zh", "ar", "es", "de"),
                                                   rng.randint(1, 3))))
        cases.append(
            CaseSpec(
                title=f"Advocacy/{name}",
                name=name,
                country=country,
                region=region,
                topics=topics if rng.random() < 0.7 else topics[:1],
                status=status,
                start=start,
                end=end,
                methods=tuple(rng.sample(METHODS, rng.randint(1, 3))),
                partners=tuple(rng.sample(PARTNERS, rng.randint(1, 3))),
                contact=rng.choice(HUMANS[:2]),
                sensitive=rng.random() < 0.03,
                lessons=lessons,
                summary=_summary(rng, subject, country, year),
                names=names,
                invalid=invalid,
                translations=translations,
                age_days=round(age, 3),
                recent=recent,
                previous_status=previous,
            )
        )
    return cases


def case_page(spec: CaseSpec, rng: random.Random) -> dict[str, Any]:
    user = spec.contact
    if spec.recent == "status":
        old = replace(spec, status=spec.previous_status, end="", lessons="")
        revisions = [
            {"text": old.render(), "user": user, "age_days": spec.age_days, "comment": "New case"},
            {"text": spec.render(), "user": user, "age_days": round(rng.uniform(0.5, 5), 3),
             "comment": f"Status: {spec.status}"},
        ]
    else:
        revisions = [
            {"text": spec.render(), "user": user, "age_days": spec.age_days, "comment": "New case"}
        ]
    return {"title": spec.title, "revisions": revisions}


def translation_subpages(spec: CaseSpec) -> list[dict[str, Any]]:
    out = []
    for lang in spec.translations:
        names = "fr" if lang == "fr" else ("zh" if lang == "zh" else "en")
        text = replace(spec, names=names, summary=f"({lang}) {spec.summary}").render()
        out.append({
            "title": f"{spec.title}/{lang}",
            "revisions": [{"text": text, "user": "Tester2",
                           "age_days": max(0.2, spec.age_days / 2), "comment": f"({lang})"}],
        })  # fmt: skip
    return out


def case_talk_pages(cases: Sequence[CaseSpec], count: int) -> list[dict[str, Any]]:
    """Talk pages with an old section and a new one (the digest's "new discussions")."""
    out = []
    for spec in cases[:: max(1, len(cases) // count)][:count]:
        old = ("== Sources ==\nDoes anyone have the official text of the bill? "
               "[[User:Tester2|Tester2]] 10:00, 1 October 2026 (UTC)")  # fmt: skip
        new = old + ("\n\n== Status update ==\nThe vote is scheduled for next month; "
                     "should we write to the committee? [[User:Tester1|Tester1]] "
                     "10:00, 25 November 2026 (UTC)")  # fmt: skip
        out.append({
            "title": f"Talk:{spec.title}",
            "revisions": [
                {"text": old, "user": "Tester2", "age_days": 50, "comment": "/* Sources */"},
                {"text": new, "user": "Tester1", "age_days": 2, "comment": "/* Status update */"},
            ],
        })  # fmt: skip
    return out


def guide_pages(count: int, rng: random.Random) -> tuple[list[dict[str, Any]], list[str], int]:
    """Source pages with units, their unit translations in 20 languages and rendered pages."""
    pages: list[dict[str, Any]] = []
    titles: list[str] = []
    units_total = 0
    subjects = [s for s, _ in SUBJECTS]
    for g in range(count):
        title = f"{GUIDE_PREFIX}Guide {g + 1:02d}: {subjects[g % len(subjects)]}"
        titles.append(title)
        body = ["<languages/>", "<translate>"]
        for u in range(1, UNITS_PER_GUIDE + 1):
            if u % 4 == 1:
                body.append(f"== Part {u // 4 + 1} == <!--T:{u}-->\n")
            else:
                body.append(f"<!--T:{u}-->\nParagraph {u} of the guide on "
                            f"{subjects[g % len(subjects)].lower()}: what the rules are, why "
                            "they matter to Wikimedia and how volunteers can help.\n")
        body.append("</translate>")
        pages.append({"title": title, "revisions": [
            {"text": "\n".join(body), "user": "Tester1", "age_days": 60, "comment": "New guide"},
        ]})  # fmt: skip
        for lang in LANGUAGES_20:
            r = rng.random()
            if r < 0.1:
                continue  # not translated
            done = UNITS_PER_GUIDE if r < 0.5 else rng.randint(2, UNITS_PER_GUIDE - 1)
            fuzzy = set(rng.sample(range(1, done + 1), rng.randint(1, min(4, done)))) if (
                0.75 <= r < 0.95) else set()
            for u in range(1, done + 1):
                text = f"[{lang}] unit {u} of guide {g + 1}"
                if u in fuzzy:
                    text = "!!FUZZY!!" + text
                pages.append({"title": f"Translations:{title}/{u}/{lang}", "revisions": [
                    {"text": text, "user": "Tester2", "age_days": 30, "comment": f"({lang})"}]})
                units_total += 1
            pages.append({"title": f"{title}/{lang}", "revisions": [
                {"text": f"[{lang}] rendered translation of {title}", "user": "Admin",
                 "age_days": 30, "comment": "Updating to match new version of source page"}]})
    return pages, titles, units_total


def status_page() -> dict[str, Any]:
    text = (
        "Translation status of the advocacy guides, kept up to date by a bot.\n\n"
        f"{{{{Advocacy translation status|prefix={GUIDE_PREFIX}|languages="
        f"{','.join(LANGUAGES_20)}|sort=complete}}}}\nThe bot will fill this in.\n"
        "{{Advocacy translation status end}}\n"
    )
    return {"title": TRANSLATION_STATUS_PAGE,
            "revisions": [{"text": text, "user": "Admin", "age_days": 90}]}


def subscriber_users(total: int = SUBSCRIBERS) -> list[str]:
    """Accounts behind the user talk targets: 95% of the lines (the rest are project talk)."""
    users = total - total // 20 if total >= 20 else total
    return [f"Bench advocate {i:03d}" for i in range(1, users + 1)]


def subscriber_pages(rng: random.Random, total: int = SUBSCRIBERS) -> list[dict[str, Any]]:
    langs = ("en", "en", "fr", "es", "zh", "ar", "de", "pt")
    regions = ("europe", "africa", "asia-pacific", "latin-america")
    topics = ("copyright", "censorship", "privacy")
    lines = []
    pages: list[dict[str, Any]] = []
    users = subscriber_users(total)
    for i, user in enumerate(users, start=1):
        target = f"User talk:{user}"
        if i > len(users) * 0.9:
            lines.append(f"{{{{Target|page={target}}}}}")
        else:
            extra = ""
            if i % 3 == 0:
                extra += f"|regions={regions[i % len(regions)]}"
            if i % 7 == 0:
                extra += f"|topics={topics[i % len(topics)]}"
            lines.append(f"{{{{Advocacy digest subscriber|page={target}|lang={langs[i % 8]}"
                         f"{extra}}}}}")
        r = rng.random()
        if r < 0.6 or i % 40 in (1, 2):
            text = ("== Welcome ==\nWelcome to the wiki! [[User:Admin|Admin]] "
                    "10:00, 1 January 2026 (UTC)\n")
            if i % 40 == 1:
                text = "{{nobots}}\n" + text
            elif i % 40 == 2:
                text = f"{{{{bots|deny={BOT}}}}}\n" + text
            pages.append({"title": target, "revisions": [
                {"text": text, "user": "Admin", "age_days": 200}]})  # fmt: skip
    for j in range(1, total - len(users) + 1):
        target = f"Project talk:Advocacy Hub/Team {j:02d}"
        lines.append(f"{{{{Advocacy digest subscriber|page={target}|lang=en}}}}")
        pages.append({"title": target, "revisions": [
            {"text": "Team page for advocacy news.\n", "user": "Admin", "age_days": 200}]})
    text = (
        "Subscribers of the '''Advocacy Hub digest'''. Add a line to subscribe, remove it to "
        "unsubscribe.\n\n== Subscribers ==\n" + "\n".join(lines) + "\n"
    )
    pages.append({"title": SUBSCRIBER_PAGE, "revisions": [
        {"text": text, "user": "Admin", "age_days": 100}]})  # fmt: skip
    return pages


def hub_talk_page() -> dict[str, Any]:
    old = "== How to use this page ==\nCorrect cases on their own pages. [[User:Admin|Admin]]"
    new = old + "\n\n== More views ==\nCould we add a list by partner? [[User:Tester2|Tester2]]"
    return {"title": "Talk:Advocacy/Hub", "revisions": [
        {"text": old, "user": "Admin", "age_days": 60},
        {"text": new, "user": "Tester2", "age_days": 1}]}  # fmt: skip


def generate(n: int, seed: int = 7, *, subscribers: int = SUBSCRIBERS,
             guides: int | None = None) -> BenchData:
    rng = random.Random(f"advocacy-bench-{seed}-{n}")
    cases = make_cases(n, rng)
    pages: list[dict[str, Any]] = []
    subpages = 0
    for spec in cases:
        pages.append(case_page(spec, rng))
        subs = translation_subpages(spec)
        subpages += len(subs)
        pages.extend(subs)
    pages.extend(case_talk_pages(cases, max(3, n // 200)))
    pages.append(hub_talk_page())
    for title, text in INDEX_PAGES.items():
        pages.append({"title": title, "revisions": [
            {"text": text, "user": "Admin", "age_days": 100, "comment": "Index views"}]})
    guide_list, guide_titles, units = guide_pages(
        guide_count(n) if guides is None else guides, rng)
    pages.extend(guide_list)
    pages.append(status_page())
    pages.extend(subscriber_pages(rng, subscribers))
    return BenchData(
        n=n, cases=cases, pages=pages, users=subscriber_users(subscribers), guides=guide_titles,
        unit_pages=units, case_subpages=subpages,
    )


def changed_cases(data: BenchData, k: int, round_no: int) -> list[tuple[str, str]]:
    """k valid cases edited by a person, each in a column the index shows: a new status (with
    an end date), a corrected end date or start month; also new partners and lessons.
    Different rounds pick different cases. No row leaves a view's filters (the circuit
    breaker stays quiet)."""
    valid = [c for c in data.cases if not c.invalid and not c.recent]
    rng = random.Random(f"changes-{data.n}-{round_no}")
    picked = rng.sample(valid, min(k, len(valid)))
    out = []
    for spec in picked:
        new = replace(
            spec,
            partners=(*spec.partners[:1], "Wikimedia Chapters Association"),
            lessons=f"Update {round_no}: the committee published its report.",
        )
        if spec.status == "active":
            new = replace(new, status="success", end="2026-11-20")
        elif spec.status == "planned":
            new = replace(new, status="active")
        elif spec.end:  # a corrected end date (one day later: never before the start)
            day = int(spec.end[8:10]) % 28 + 1
            new = replace(new, end=f"{spec.end[:8]}{day:02d}")
        else:  # a corrected start month
            month = (int(spec.start[5:7]) if len(spec.start) > 4 else 6) % 12 + 1
            new = replace(new, start=f"{spec.start[:4]}-{month:02d}")
        out.append((spec.title, new.render()))
    return out


def changed_units(data: BenchData, k: int) -> list[tuple[str, str]]:
    """k translation unit pages: half marked outdated, half newly translated."""
    out = []
    rng = random.Random(f"units-{data.n}")
    for i in range(k):
        guide = data.guides[i % len(data.guides)]
        lang = LANGUAGES_20[rng.randrange(len(LANGUAGES_20))]
        unit = rng.randint(1, UNITS_PER_GUIDE)
        prefix = "!!FUZZY!!" if i % 2 == 0 else ""
        out.append((f"Translations:{guide}/{unit}/{lang}", f"{prefix}[{lang}] unit {unit} (new)"))
    return out
