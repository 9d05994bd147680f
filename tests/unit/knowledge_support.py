"""Pure helpers of the knowledge tests: pages (wikitext) in, one knowledge page rendered out,
through the production path (case parser, partner and position records, build)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from bots.cases.knowledge_pages import parse_partner_pages, parse_positions
from bots.cases.parser import parse_case_page
from bots.cases.record import Case
from bots.config.load import load_config
from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.knowledge.build import KnowledgeContent, MarkerPage, PageRender
from bots.knowledge.partners import build_partners
from bots.knowledge.views import view_markers
from bots.wiki.records import PageSnapshot

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 7)


def dev_config() -> Config:
    return load_config(ROOT / "config" / "devwiki.toml")


def parse_cases(config: Config, pages: Mapping[str, str]) -> list[Case]:
    """Case pages (title -> text) parsed as the job parses them; last edit 2026-12-01."""
    out = []
    for title, text in sorted(pages.items()):
        case = parse_case_page(title, text, config).case
        if case is not None:
            out.append(dataclasses.replace(case, last_edit="2026-12-01T00:00:00Z"))
    return out


def content(
    config: Config,
    cases: Sequence[Case],
    partner_pages: Mapping[str, str] | None = None,
    position_pages: Mapping[str, str] | None = None,
    languages: Mapping[str, Sequence[str]] | None = None,
    *,
    budget: int = 1_000_000,
    today: date = TODAY,
) -> KnowledgeContent:
    k = config.knowledge
    partners = [
        p
        for title, text in sorted((partner_pages or {}).items())
        for p in parse_partner_pages(title, text, [k.partner_template], config.vocabulary)
    ]
    positions = [
        dataclasses.replace(p, languages=tuple((languages or {}).get(title, ())))
        for title, text in sorted((position_pages or {}).items())
        for p in parse_positions(title, text, [k.position_template], config.vocabulary)
    ]
    entries = build_partners(cases, partners, k.partner_aliases, today=today,
                             dormant_years=k.dormant_years,
                             active_statuses=k.active_statuses)  # fmt: skip
    return KnowledgeContent(
        config=config, messages=Messages.load(), markers=view_markers(config, {}),
        cases=tuple(cases), partners=tuple(entries), positions=tuple(positions), today=today,
        ask_page="Talk:Advocacy/Hub", budget=budget,
    )  # fmt: skip


def render(
    built: KnowledgeContent, text: str, lang: str = "en", title: str = "Advocacy/K"
) -> PageRender:
    snap = PageSnapshot(title=title, namespace=0, exists=True, text=text, revid=1)
    return built.render(MarkerPage(snap, lang), snap)
