"""The naive baseline of the index job: a straightforward Pywikibot loop.

    PYWIKIBOT_DIR=... python -m benchlib.naive --config BENCH.toml

It does what a first script would do: list the pages that use the case template, read each one
with `page.text` (one request per page), parse it with the same parser as the bot, read each
index page with `page.text`, render it with the same renderer and save it with `page.save()`.
So its output equals the bot's, and the benchmark can compare the cost of getting there.
Translation subpages are found with one prefix listing, as the bot does (checking each case
and language with `page.exists()` would be even slower).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from datetime import UTC, datetime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="naive")
    parser.add_argument("--config", required=True)
    args = parser.parse_args(argv)

    import pywikibot
    from pywikibot import config as pwb_config

    from bots.cases.parser import parse_case_page
    from bots.cases.record import CaseParseResult
    from bots.config.load import load_config
    from bots.config.permissions import case_page_allowed, edit_refusal
    from bots.i18n.messages import Messages
    from bots.index.collect import without_sensitive_contacts
    from bots.index.languages import page_language, split_translation_subpages
    from bots.index.marker_pages import views_show_languages
    from bots.index.pages import MarkerNames, render_marker_page
    from bots.wiki.records import PageSnapshot
    from bots.wikitext.problems import Problem

    config = load_config(args.config)
    pwb_config.put_throttle = 0
    pwb_config.user_agent_format = (
        "AdvocacyHubNaiveBaseline/0.1 (benchmark wiki; operator: Admin) {pwb}"
    )
    site = pywikibot.Site(config.wiki.code, config.wiki.family, user=config.wiki.user)
    site.login()
    messages = Messages.load()

    def names_of(template: str) -> frozenset[str]:
        page = pywikibot.Page(site, template, ns=10)
        redirects = page.backlinks(filter_redirects=True, namespaces=[10])
        return frozenset({page.title(with_ns=False)} | {r.title(with_ns=False) for r in redirects})

    case_template = pywikibot.Page(site, config.templates.case, ns=10)
    case_names = names_of(config.templates.case)
    listing = {
        p.title(): p
        for p in case_template.embeddedin(namespaces=list(config.permissions.case_namespaces))
        if case_page_allowed(p.title(), p.namespace().id, config)
    }
    existing = set(listing)
    for prefix in config.permissions.case_prefixes:
        for ns in config.permissions.case_namespaces:
            existing.update(p.title() for p in site.allpages(prefix=prefix, namespace=ns))
    case_titles, languages = split_translation_subpages(listing, existing, config, messages)

    # the bot hides the contacts of sensitive cases right after parsing; so does the baseline
    hide = without_sensitive_contacts
    results: list[CaseParseResult] = []
    for title in sorted(case_titles):
        page = listing[title]
        text = page.text  # one request per page
        if not page.exists():
            continue
        result = hide(parse_case_page(title, text, config, template_names=case_names))
        if result.case is not None:
            rev = page.latest_revision
            result = dataclasses.replace(result, case=dataclasses.replace(
                result.case, revid=rev.revid, last_edit=rev.timestamp.isoformat(),
                languages=tuple(languages.get(title, ()))))  # fmt: skip
        results.append(result)
    cases = [r.case for r in results if r.case is not None]

    start = config.templates.index_start
    end = config.templates.index_end
    names = MarkerNames(
        start=start, end=end,
        start_redirects=tuple(sorted(names_of(start) - {start})),
        end_redirects=tuple(sorted(names_of(end) - {end})),
    )  # fmt: skip
    marker_template = pywikibot.Page(site, start, ns=10)
    pages = []
    for page in marker_template.embeddedin(namespaces=list(config.permissions.edit_namespaces)):
        if edit_refusal(page.title(), page.namespace().id, config) is None:
            pages.append(page)
    texts = {page.title(): page.text for page in pages}  # one request per page
    if any(views_show_languages(names.scan(text)) for text in texts.values()):
        # the languages column marks outdated translations: a subpage older than its source
        from bots.translation_status.records import page_translations, status_from_subpages

        marked = []
        for result in results:
            case = result.case
            if case is not None and case.languages:
                times = {}
                for lang in case.languages:  # one request per translation
                    sub = pywikibot.Page(site, f"{case.page}/{lang}")
                    if sub.exists():
                        times[lang] = sub.latest_revision.timestamp.isoformat()
                facts = page_translations(status_from_subpages(
                    case.page, case.last_edit, times, source_language=site.lang))
                outdated = tuple(c for c in case.languages if c in facts.outdated)
                result = dataclasses.replace(
                    result, case=dataclasses.replace(case, outdated_languages=outdated))
            marked.append(result)
        results = marked
        cases = [r.case for r in results if r.case is not None]
    default_lang = site.lang or "en"
    today = datetime.now(UTC).date().isoformat()  # the date note, as the job writes it
    renders = {}
    problems: list[CaseParseResult] = []
    for page in pages:
        text = texts[page.title()]
        snap = PageSnapshot(page.title(), page.namespace().id, True, text,
                            language=page.site.lang)  # fmt: skip
        lang = page_language(snap, config, messages, default_lang)
        render = render_marker_page(text, names, cases, results, messages, lang, config,
                                    today=today)  # fmt: skip
        renders[page.title()] = (page, lang)
        if render.error is not None:
            problems.append(CaseParseResult(page.title(), None,
                                            (Problem("marker-error", (render.error.reason,)),)))
        elif render.human_edited:
            problems.append(CaseParseResult(page.title(), None,
                                            (Problem("human-edit", ("?",)),)))
    attention = (*results, *problems)
    edits = 0
    for page, lang in renders.values():
        render = render_marker_page(page.text, names, cases, attention, messages, lang, config,
                                    today=today)  # fmt: skip
        if render.text is None or render.text.rstrip() == page.text.rstrip():
            continue
        page.text = render.text
        page.save(summary=f"Naive baseline: case index ({len(cases)} cases)", minor=True,
                  bot=True)  # fmt: skip
        edits += 1
    print(f"naive: {len(cases)} cases on {len(results)} pages, {len(pages)} index pages, "
          f"{edits} edits")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
