"""The on-wiki contract (bots/onwiki/) and the dev wiki's sample content (config/seed/),
checked without a wiki: manifest, TemplateData, aliases and vocabularies against the config,
and the shape of the seed."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import mwparserfromhell
import pytest

from bots.config.load import load_config
from bots.config.model import CASE_FIELDS, Config
from bots.i18n.messages import autonym

ROOT = Path(__file__).resolve().parents[2]
ONWIKI = ROOT / "bots" / "onwiki"
SEED = ROOT / "config" / "seed" / "seed.toml"
CONFIG_FILES = ("devwiki.toml", "meta.toml")
TEST_USERS = frozenset({"Admin", "Tester1", "Tester2", "AdvocacyBot"})

# What the TemplateData extension accepts (TemplateDataValidator).
TD_ROOT_KEYS = frozenset({"description", "params", "paramOrder", "sets", "maps", "format"})
TD_PARAM_KEYS = frozenset(
    {
        "label",
        "required",
        "suggested",
        "description",
        "example",
        "deprecated",
        "aliases",
        "autovalue",
        "default",
        "inherits",
        "type",
        "suggestedvalues",
    }
)
TD_TYPES = frozenset(
    {
        "content",
        "line",
        "number",
        "boolean",
        "string",
        "date",
        "unbalanced-wikitext",
        "unknown",
        "url",
        "wiki-page-name",
        "wiki-user-name",
        "wiki-file-name",
        "wiki-template-name",
    }
)
TD_FORMAT = re.compile(r"^\n?\{\{ *_+\n? *\|\n? *_+ *= *_+\n? *\}\}\n?$")
TEMPLATEDATA = re.compile(r"<templatedata>(.*?)</templatedata>", re.S)


@pytest.fixture(scope="module", params=CONFIG_FILES)
def config(request: pytest.FixtureRequest) -> Config:
    return load_config(ROOT / "config" / request.param)


@pytest.fixture(scope="module")
def dev() -> Config:
    return load_config(ROOT / "config" / "devwiki.toml")


@pytest.fixture(scope="module")
def manifest() -> list[dict]:
    return tomllib.loads((ONWIKI / "pages.toml").read_text("utf-8"))["page"]


@pytest.fixture(scope="module")
def pages(manifest: list[dict]) -> dict[str, str]:
    return {p["title"]: (ONWIKI / p["file"]).read_text("utf-8") for p in manifest}


@pytest.fixture(scope="module")
def seed() -> list[dict]:
    return tomllib.loads(SEED.read_text("utf-8"))["page"]


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def _templatedata(text: str) -> list[dict]:
    return [json.loads(block) for block in TEMPLATEDATA.findall(text)]


def _case_td(pages: dict[str, str], cfg: Config) -> dict:
    (td,) = _templatedata(pages[f"Template:{cfg.templates.case}"])
    return td


def _includeonly(text: str) -> str:
    return "".join(re.findall(r"<includeonly>(.*?)</includeonly>", text, re.S))


# ---------------------------------------------------------------------------------------------
# Manifest


def test_manifest_lists_existing_files(manifest: list[dict]) -> None:
    assert manifest
    titles = [p["title"] for p in manifest]
    files = [p["file"] for p in manifest]
    assert len(set(titles)) == len(titles), "duplicate titles"
    assert len(set(files)) == len(files), "duplicate files"
    for entry in manifest:
        assert set(entry) == {"title", "file"}, entry
        path = ONWIKI / entry["file"]
        assert path.resolve().parent == ONWIKI.resolve(), f"{entry['file']}: stay in bots/onwiki"
        assert path.is_file(), f"{entry['file']} does not exist"
        assert path.read_text("utf-8").strip(), f"{entry['file']} is empty"


def test_pages_are_stored_as_mediawiki_stores_them(pages: dict[str, str], seed: list[dict]) -> None:
    # MediaWiki trims trailing whitespace when it saves a page; an imported trailing newline
    # would be transcluded after </noinclude> and leave an empty paragraph under every box.
    for title, text in pages.items():
        assert text == text.rstrip(), f"{title}: trailing whitespace"
    for page in seed:
        for rev in page["revisions"]:
            assert rev["text"] == rev["text"].rstrip(), f"{page['title']}: trailing whitespace"


def test_every_wikitext_file_is_in_the_manifest(manifest: list[dict]) -> None:
    listed = {p["file"] for p in manifest}
    on_disk = {p.name for p in ONWIKI.glob("*.wikitext")}
    assert on_disk == listed


def test_manifest_has_the_configured_templates_and_the_documentation(
    manifest: list[dict], config: Config
) -> None:
    titles = {p["title"] for p in manifest}
    t = config.templates
    for name in (
        t.case,
        t.index_start,
        t.index_end,
        t.translation_start,
        t.translation_end,
        t.subscriber,
    ):
        assert f"Template:{name}" in titles
    assert "Advocacy Hub/Bot documentation" in titles
    # MassMessage's Target template belongs to Meta-Wiki; the dev wiki gets one from the seed.
    assert f"Template:{t.massmessage_target}" not in titles


# ---------------------------------------------------------------------------------------------
# TemplateData


def _check_interface_text(value: object, where: str) -> None:
    if isinstance(value, dict):
        assert value, f"{where}: empty object"
        for lang, text in value.items():
            assert isinstance(lang, str) and lang.strip(), where
            assert isinstance(text, str), where
    else:
        assert isinstance(value, str), f"{where}: expected string or object"


def _check_templatedata(td: object) -> None:
    assert isinstance(td, dict)
    assert set(td) <= TD_ROOT_KEYS, f"unknown keys {set(td) - TD_ROOT_KEYS}"
    if "description" in td:
        _check_interface_text(td["description"], "description")
    if "format" in td:
        fmt = td["format"]
        assert fmt in ("block", "inline") or (isinstance(fmt, str) and TD_FORMAT.match(fmt))
    params = td["params"]
    assert isinstance(params, dict)
    for name, param in params.items():
        assert isinstance(param, dict), name
        assert set(param) <= TD_PARAM_KEYS, f"{name}: unknown keys {set(param) - TD_PARAM_KEYS}"
        for key in ("label", "description", "example", "default"):
            if key in param:
                _check_interface_text(param[key], f"{name}.{key}")
        for key in ("required", "suggested"):
            if key in param:
                assert isinstance(param[key], bool), f"{name}.{key}"
        if "deprecated" in param:
            assert isinstance(param["deprecated"], bool | str)
        if "type" in param:
            assert param["type"] in TD_TYPES, f"{name}: type {param['type']!r}"
        for key in ("aliases", "suggestedvalues"):
            if key in param:
                assert isinstance(param[key], list), f"{name}.{key}"
                assert all(isinstance(v, str) for v in param[key]), f"{name}.{key}"
        if "autovalue" in param:
            assert isinstance(param["autovalue"], str)
        if "inherits" in param:
            assert param["inherits"] in params
    if "paramOrder" in td:
        order = td["paramOrder"]
        assert isinstance(order, list)
        assert len(order) == len(set(order)), "duplicate in paramOrder"
        assert set(order) == set(params), "paramOrder must list every parameter exactly once"
    for key in ("sets", "maps"):
        assert key not in td or td[key] is not None


def test_every_templatedata_block_is_valid(pages: dict[str, str]) -> None:
    found = 0
    for title, text in pages.items():
        for block in TEMPLATEDATA.findall(text):
            try:
                td = json.loads(block)
            except json.JSONDecodeError as exc:  # pragma: no cover - the failure message
                pytest.fail(f"{title}: <templatedata> is not valid JSON: {exc}")
            _check_templatedata(td)
            found += 1
    assert found >= 6


def test_each_template_documents_itself(pages: dict[str, str]) -> None:
    for title, text in pages.items():
        # the box's layout is documented by its template; a preload page is a new page's text
        if not title.startswith("Template:") or title.endswith("/box") or "/preload/" in title:
            continue
        assert len(TEMPLATEDATA.findall(text)) == 1, f"{title}: one <templatedata> block"
        noinclude = "".join(re.findall(r"<noinclude>(.*?)</noinclude>", text, re.S))
        assert "<templatedata>" in noinclude, f"{title}: TemplateData belongs in <noinclude>"
        assert "==" in noinclude, f"{title}: documentation is missing"


def test_templatedata_params_are_used_by_the_template(pages: dict[str, str], dev: Config) -> None:
    text = pages[f"Template:{dev.templates.case}"]
    for name in _case_td(pages, dev)["params"]:
        assert "{{{" + name + "|" in text, f"{name} is documented but not used"


# ---------------------------------------------------------------------------------------------
# The case template against the configuration


def test_case_params_are_the_case_fields(pages: dict[str, str], config: Config) -> None:
    td = _case_td(pages, config)
    assert list(td["params"]) == list(CASE_FIELDS)
    assert td["paramOrder"] == list(CASE_FIELDS)
    assert td["format"] == "block"
    required = {n for n, p in td["params"].items() if p.get("required")}
    assert required == set(config.index.required_fields)


def test_case_aliases_match_the_config(pages: dict[str, str], config: Config) -> None:
    td = _case_td(pages, config)
    for field in CASE_FIELDS:
        documented = td["params"][field].get("aliases", [])
        assert documented == list(config.templates.case_aliases.get(field, ())), field


def test_case_template_accepts_every_alias(pages: dict[str, str], config: Config) -> None:
    text = _includeonly(pages[f"Template:{config.templates.case}"])
    for field in CASE_FIELDS:
        names = (field, *config.templates.case_aliases.get(field, ()))
        chain = "".join("{{{" + n + "|" for n in names)
        assert chain in text, f"{field}: the template does not read {names} in this order"


def test_configs_agree_on_the_contract() -> None:
    dev, meta = (load_config(ROOT / "config" / f) for f in CONFIG_FILES)
    for attr in ("case_aliases", "case", "index_start", "index_end", "subscriber"):
        assert getattr(dev.templates, attr) == getattr(meta.templates, attr), attr
    assert dev.vocabulary == meta.vocabulary


@pytest.mark.parametrize(
    ("param", "section"),
    [("region", "regions"), ("topic", "topics"), ("status", "statuses"), ("methods", "methods")],
)
def test_case_suggested_values_are_the_vocabulary(
    pages: dict[str, str], config: Config, param: str, section: str
) -> None:
    td = _case_td(pages, config)
    assert td["params"][param]["suggestedvalues"] == list(getattr(config.vocabulary, section))


def test_case_box_labels_every_code(pages: dict[str, str], config: Config) -> None:
    box = pages[f"Template:{config.templates.case}/box"]
    v = config.vocabulary
    for vocab in (v.regions, v.topics, v.statuses, v.methods):
        for code, label in vocab.items():
            assert f"| {code} = {label}\n" in box, f"{code} has no label in the box"


def test_case_category_only_in_main_namespace(pages: dict[str, str], config: Config) -> None:
    text = pages[f"Template:{config.templates.case}"]
    body = _includeonly(text)
    assert body.count("{{#ifeq:{{NAMESPACENUMBER}}|0|") == 1
    assert "[[Category:Advocacy cases]]" in body
    # Language subpages (…/fr) are translations, not cases.
    assert "{{#ifeq:{{#language:{{SUBPAGENAME}}}}|{{SUBPAGENAME}}|" in body
    assert "[[Category:Advocacy case translations]]" in body
    outside = re.sub(r"<includeonly>.*?</includeonly>", "", text, flags=re.S)
    outside = re.sub(r"<pre>.*?</pre>", "", outside, flags=re.S)
    assert "[[Category:" not in outside


def test_sensitive_hides_the_contact(pages: dict[str, str], config: Config) -> None:
    box = pages[f"Template:{config.templates.case}/box"]
    assert "{{#switch:{{lc:{{{sensitive|}}}}}|yes|" in box
    assert "=''hidden''|#default=" in box


# ---------------------------------------------------------------------------------------------
# Markers and subscriber lines


@pytest.mark.parametrize(
    "attr", ["index_start", "index_end", "translation_start", "translation_end"]
)
def test_markers_render_nothing_visible(pages: dict[str, str], config: Config, attr: str) -> None:
    text = pages[f"Template:{getattr(config.templates, attr)}"]
    assert text.startswith("<includeonly>") and text.endswith("</noinclude>")
    (shown,) = re.findall(r"<includeonly>(.*?)</includeonly>", text, re.S)
    # One hidden block element and nothing else (no text, no line breaks, no categories).
    assert re.fullmatch(
        r'<div class="advocacyhub-marker [a-z-]+" style="display: none;"></div>', shown
    )
    outside = re.sub(
        r"<includeonly>.*?</includeonly>|<noinclude>.*?</noinclude>", "", text, flags=re.S
    )
    assert outside == ""


def test_index_marker_parameters(pages: dict[str, str], config: Config) -> None:
    (td,) = _templatedata(pages[f"Template:{config.templates.index_start}"])
    assert td["paramOrder"] == [
        *("region", "country", "wiki", "topic", "status", "year", "group", "sort", "columns"),
        *("limit", "lang", "attention", "chart", "create"),
    ]
    p = td["params"]
    assert p["region"]["suggestedvalues"] == list(config.vocabulary.regions)
    assert p["topic"]["suggestedvalues"] == list(config.vocabulary.topics)
    assert p["status"]["suggestedvalues"] == list(config.vocabulary.statuses)
    assert p["group"]["suggestedvalues"] == ["none", "region", "topic", "status", "year"]
    assert {v.lstrip("-") for v in p["sort"]["suggestedvalues"]} == {
        "title", "start", "end", "status", "region", "updated",
    }  # fmt: skip
    columns = (
        "title, region, country, topic, status, start, end, methods, partners, contact, "
        "lessons, summary, languages, updated, wiki"
    )
    assert columns in p["columns"]["description"]


def test_translation_marker_parameters(pages: dict[str, str], config: Config) -> None:
    (td,) = _templatedata(pages[f"Template:{config.templates.translation_start}"])
    assert td["paramOrder"] == ["prefix", "pages", "languages", "sort", "lang", "needed"]
    assert td["params"]["sort"]["suggestedvalues"] == ["page", "language", "complete", "outdated"]


def test_subscriber_parameters(pages: dict[str, str], config: Config) -> None:
    text = pages[f"Template:{config.templates.subscriber}"]
    (td,) = _templatedata(text)
    assert td["paramOrder"] == ["page", "lang", "regions", "topics"]
    assert td["params"]["page"]["required"] is True
    assert td["params"]["regions"]["suggestedvalues"] == list(config.vocabulary.regions)
    assert td["params"]["topics"]["suggestedvalues"] == list(config.vocabulary.topics)
    assert "Target|page=User talk:" in text  # MassMessage lines are documented
    assert "Unsubscribe" in text


def test_bot_documentation_names_the_shutoff_pages(pages: dict[str, str]) -> None:
    doc = pages["Advocacy Hub/Bot documentation"]
    for file in CONFIG_FILES:
        cfg = load_config(ROOT / "config" / file)
        assert f"[[{cfg.shutoff.page}]]" in doc, cfg.shutoff.page
        assert f"<code>{cfg.shutoff.run_value}</code>" in doc
    assert "Everything between the two markers belongs to the bot" in doc
    # Examples in running text must not look like real markers to any parser.
    assert "{{Advocacy case index" not in doc


# ---------------------------------------------------------------------------------------------
# Seed


def _last_text(page: dict) -> str:
    return page["revisions"][-1]["text"]


def _by_title(seed: list[dict]) -> dict[str, dict]:
    return {p["title"]: p for p in seed}


def _is_language_subpage(title: str) -> bool:
    head, _, last = title.rpartition("/")
    return bool(head) and last == last.lower() and autonym(last) != last


def _case_templates(text: str, cfg: Config) -> list:
    code = mwparserfromhell.parse(text)
    return [t for t in code.filter_templates() if _norm(str(t.name)) == _norm(cfg.templates.case)]


def _case_fields(template, cfg: Config) -> dict[str, str]:
    aliases = {_norm(f): f for f in CASE_FIELDS}
    for canonical, names in cfg.templates.case_aliases.items():
        aliases.update({_norm(n): canonical for n in names})
    fields: dict[str, str] = {}
    for param in template.params:
        name = _norm(str(param.name))
        assert name in aliases, f"unknown case parameter {param.name!r}"
        fields[aliases[name]] = str(param.value).strip()
    return fields


def _case_pages(seed: list[dict], cfg: Config) -> dict[str, dict]:
    """Main-namespace pages under the case prefixes that are not translations, hubs or lists."""
    out = {}
    for page in seed:
        title = page["title"]
        if not any(title.startswith(p) for p in cfg.permissions.case_prefixes):
            continue
        if _is_language_subpage(title) or "<translate>" in _last_text(page):
            continue
        text = _last_text(page)
        markers = (cfg.templates.index_start, cfg.templates.translation_start)
        if any("{{" + m in text for m in markers) or "{{" + cfg.templates.subscriber in text:
            continue
        k = cfg.knowledge  # knowledge views, partner and position pages
        knowledge = (k.lessons_start, k.partners_start, k.contacts_start, k.positions_start,
                     k.partner_template, k.position_template)  # fmt: skip
        if any("{{" + name in text for name in knowledge):
            continue
        out[title] = page
    return out


def test_seed_shape(seed: list[dict]) -> None:
    titles = [p["title"] for p in seed]
    assert len(titles) == len(set(titles)), "duplicate pages in the seed"
    for page in seed:
        assert set(page) == {"title", "revisions"}, page["title"]
        assert page["revisions"], f"{page['title']}: no revisions"
        ages = []
        for rev in page["revisions"]:
            assert set(rev) <= {"text", "user", "age_days", "comment"}, page["title"]
            assert isinstance(rev["text"], str) and rev["text"].strip(), page["title"]
            if "user" in rev:
                assert rev["user"] in TEST_USERS, f"{page['title']}: user {rev['user']!r}"
            if "age_days" in rev:
                assert isinstance(rev["age_days"], float) and rev["age_days"] >= 0
                ages.append(rev["age_days"])
        assert ages == sorted(ages, reverse=True), f"{page['title']}: oldest revision first"
        assert len(set(ages)) == len(ages), f"{page['title']}: two revisions at the same time"


def test_seed_leaves_wiki_script_pages_alone(seed: list[dict], dev: Config) -> None:
    titles = {p["title"] for p in seed}
    # scripts/devwiki creates these (and the shutoff page) itself.
    assert not titles & {"Template:Bots", "Template:Nobots", dev.shutoff.page}
    assert f"Template:{dev.templates.massmessage_target}" in titles
    onwiki = {p["title"] for p in tomllib.loads((ONWIKI / "pages.toml").read_text())["page"]}
    assert not titles & onwiki, "on-wiki pages come from bots/onwiki, not from the seed"


def test_seed_only_names_test_accounts(seed: list[dict]) -> None:
    allowed = TEST_USERS | {"YourName", "Example"}
    for page in seed:
        for rev in page["revisions"]:
            for user in re.findall(r"User(?: talk)?:([^|\]}\n&<]+)", rev["text"]):
                assert user.strip() in allowed, f"{page['title']}: {user}"


def test_every_case_page_uses_the_case_template(seed: list[dict], dev: Config) -> None:
    cases = _case_pages(seed, dev)
    assert 12 <= len(cases) <= 15, sorted(cases)
    for title, page in cases.items():
        for rev in page["revisions"]:
            (template,) = _case_templates(rev["text"], dev)
            fields = _case_fields(template, dev)
            for field in dev.index.required_fields:
                assert fields.get(field), f"{title}: {field} is empty"
            if "contact" in fields:
                assert fields["contact"] in TEST_USERS, f"{title}: contact {fields['contact']}"


def _current_fields(seed: list[dict], cfg: Config) -> dict[str, dict[str, str]]:
    return {
        title: _case_fields(_case_templates(_last_text(page), cfg)[0], cfg)
        for title, page in _case_pages(seed, cfg).items()
    }


def test_seed_vocabulary_problems_are_exactly_the_intended_ones(
    seed: list[dict], dev: Config
) -> None:
    v = dev.vocabulary
    problems = set()
    for title, f in _current_fields(seed, dev).items():
        if f["region"] not in v.regions:
            problems.add((title, "region", f["region"]))
        if f["status"] not in v.statuses:
            problems.add((title, "status", f["status"]))
        for key, vocab in (("topic", v.topics), ("methods", v.methods)):
            for code in filter(None, (c.strip() for c in f.get(key, "").split(","))):
                if code not in vocab:
                    problems.add((title, key, code))
        if f.get("start") and f.get("end") and f["end"] < f["start"]:
            problems.add((title, "dates", f"{f['start']}>{f['end']}"))
        for key in ("start", "end"):
            if f.get(key):
                assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", f[key]), f"{title}: {key}"
    italy = "Advocacy/Italian Wikipedia strike against the wiretapping bill 2011"
    russia = "Advocacy/Russian Wikipedia blackout 2012"
    assert problems == {
        (italy, "region", "Europa Centrale"),
        (italy, "status", "sucess"),
        (russia, "dates", "2012-07-28>2012-07-10"),
    }


def test_seed_special_cases(seed: list[dict], dev: Config) -> None:
    fields = _current_fields(seed, dev)
    sensitive = [t for t, f in fields.items() if f.get("sensitive") == "yes" and f.get("contact")]
    assert sensitive == ["Advocacy/Wikipedia blocked in China"]
    localized = [
        title
        for title, page in _case_pages(seed, dev).items()
        if any(
            _norm(str(p.name)) not in {_norm(f) for f in CASE_FIELDS}
            for p in _case_templates(_last_text(page), dev)[0].params
        )
    ]
    assert localized == ["Advocacy/Freedom of panorama in France: Digital Republic Act 2016"]
    assert any(":" in t.removeprefix("Advocacy/") for t in fields)
    assert any("," in t for t in fields)


def test_seed_history_for_the_digest(seed: list[dict], dev: Config) -> None:
    changed, new = [], []
    for title, page in _case_pages(seed, dev).items():
        revs = page["revisions"]
        statuses = [_case_fields(_case_templates(r["text"], dev)[0], dev)["status"] for r in revs]
        if revs[0]["age_days"] < 7:
            new.append(title)
        old = [s for r, s in zip(revs, statuses, strict=True) if 20 <= r["age_days"] <= 40]
        if old and revs[-1]["age_days"] <= 3 and statuses[-1] != old[-1]:
            changed.append((title, old[-1], statuses[-1]))
    assert ("Advocacy/Access block of Wikipedia in Turkey 2017–2019", "active", "success") in (
        changed
    )
    assert len(changed) >= 2
    assert len(new) >= 3


def test_seed_hand_made_translations(seed: list[dict], dev: Config) -> None:
    pages = _by_title(seed)
    subpages = [t for t in pages if t.startswith("Advocacy/") and _is_language_subpage(t)]
    sources = {t.rpartition("/")[0] for t in subpages} & set(_case_pages(seed, dev))
    assert len(sources) >= 3
    assert {t.rpartition("/")[2] for t in subpages} >= {"fr", "zh", "ar"}
    outdated = [
        t
        for t in subpages
        if t.rpartition("/")[0] in sources
        and pages[t]["revisions"][-1]["age_days"]
        > pages[t.rpartition("/")[0]]["revisions"][-1]["age_days"]
    ]
    assert outdated == ["Advocacy/Access block of Wikipedia in Turkey 2017–2019/fr"]
    for t in subpages:
        if t.rpartition("/")[0] in sources:
            assert _case_templates(_last_text(pages[t]), dev), f"{t}: no case template"


def test_seed_translate_layout(seed: list[dict], dev: Config) -> None:
    pages = _by_title(seed)
    source = "Advocacy/Freedom of panorama explained"
    text = _last_text(pages[source])
    assert "<translate>" in text
    assert re.findall(r"<!--T:(\d+)-->", text) == [str(n) for n in range(1, 13)]
    ns = "Translations:"
    units: dict[str, dict[int, str]] = {}
    for title, page in pages.items():
        m = re.fullmatch(re.escape(f"{ns}{source}/") + r"(\d+)/([a-z-]+)", title)
        if m:
            units.setdefault(m.group(2), {})[int(m.group(1))] = _last_text(page)
    assert sorted(units["fr"]) == list(range(1, 13))
    assert len(units["es"]) == 7
    assert sum(t.startswith("!!FUZZY!!") for t in units["de"].values()) == 3
    assert "ar" not in units
    assert all(n in range(1, 13) for lang in units.values() for n in lang)
    for lang in ("fr", "es", "de"):
        assert f"{source}/{lang}" in pages
    assert f"{source}/ar" not in pages


def test_seed_hub_and_lists(seed: list[dict], dev: Config) -> None:
    pages = _by_title(seed)
    t = dev.templates
    for hub in dev.digest.hub_pages:
        code = mwparserfromhell.parse(_last_text(pages[hub]))
        starts = [x for x in code.filter_templates() if _norm(str(x.name)) == _norm(t.index_start)]
        ends = [x for x in code.filter_templates() if _norm(str(x.name)) == _norm(t.index_end)]
        assert len(starts) == len(ends) == 3
        params = [{str(p.name).strip(): str(p.value).strip() for p in s.params} for s in starts]
        # "active now" first, with the create-a-case box (issue 13)
        assert params[0]["status"] == "active" and params[0]["create"] == "yes"
        assert params[1]["group"] == "region" and params[1]["attention"] == "yes"
        assert params[2]["topic"] == "copyright" and params[2]["group"] == "status"
        assert "The bot will fill this in." in _last_text(pages[hub])
        assert "lang=zh" in _last_text(pages[f"{hub}/zh"])
    status = _last_text(pages["Advocacy/Translation status"])
    assert "{{Advocacy translation status|prefix=Advocacy/|languages=fr,es,de,zh,ar}}" in status
    assert "{{" + t.translation_end + "}}" in status
    subscribers = _last_text(pages[dev.digest.subscriber_page])
    lines = [line for line in subscribers.splitlines() if line.startswith("{{")]
    assert lines == [
        "{{Advocacy digest subscriber|page=User talk:Tester1|lang=en}}",
        "{{Advocacy digest subscriber|page=User talk:Tester2|lang=zh|regions=europe}}",
        "{{Target|page=User talk:Admin}}",
    ]


def test_seed_discussions(seed: list[dict]) -> None:
    pages = _by_title(seed)
    for title in ("Talk:Advocacy/EU copyright directive 2019", "Talk:Advocacy/Hub"):
        revs = pages[title]["revisions"]
        text = revs[-1]["text"]
        assert text.count("\n== ") + text.startswith("== ") >= 2, title
        assert "[[User:Tester1|Tester1]]" in text and "[[User:Tester2|Tester2]]" in text
        assert any(r["age_days"] < 7 for r in revs) and any(r["age_days"] > 30 for r in revs)
