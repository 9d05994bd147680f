"""The digest's batched reads of recipients, and of the evidence of where it already arrived.

* :func:`digest_site`: the wiki's maximum page size (``bots.wiki.limits.max_page_bytes``, the
  one every job uses, read with the login), the name of MassMessage's opt-out category
  (the wiki's message ``massmessage-optout-category``, in whatever form the wiki has it; the
  MassMessage default when the wiki has no such message), the Category namespace's names and
  every namespace's name (which the period's reads use), and the names of the templates the
  digest reads: one request (the page size comes with the login).
* :func:`read_recipients`: talk pages with their text, whether they are in the opt-out category
  (``prop=categories``) and whether they transclude ``{{bots}}``/``{{nobots}}`` at all, even
  through another template (``prop=templates``). One request per batch of titles.
* :func:`category_members`: which pages are in a category (the cases' required category).
* Evidence (``with_evidence``): the bot's own contributions since a moment and the page moves
  since then (``list=usercontribs|logevents``), riding along in the first batch's request.
* The pre-write check (``carry_check``): the shutoff page and the account, riding along in the
  first batch's request too (``WikiSession.preflight_params``/``accept_preflight``).

Nothing here decides anything: ``bots.digest.plan`` judges the pages.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bots.wiki.batches import chunks
from bots.wiki.contributions import Contribution
from bots.wiki.limits import max_page_bytes
from bots.wiki.records import DEFAULT_MAX_PAGE_BYTES, PageSnapshot, merge_page, snapshot_from
from bots.wiki.session import WikiSession
from bots.wiki.templates import template_names

NS_CATEGORY = 14
NS_TEMPLATE = 10
OPTOUT_MESSAGE = "massmessage-optout-category"
OPTOUT_DEFAULT = "Opted-out of message delivery"  # MassMessage's own default for the message


@dataclass(frozen=True)
class DigestSite:
    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES  # what bots.wiki.limits.max_page_bytes says
    optout_categories: tuple[str, ...] = (OPTOUT_DEFAULT,)  # names without the namespace
    category_names: tuple[str, ...] = ("Category",)  # the namespace's names and aliases
    namespaces: Mapping[int, str] = field(default_factory=dict)  # number -> name (as siteinfo)


@dataclass(frozen=True)
class Move:
    """A page move logged after the moment asked: ``source`` is now ``target``."""

    source: str
    target: str


@dataclass(frozen=True)
class Evidence:
    contributions: tuple[Contribution, ...] = ()
    moves: tuple[Move, ...] = ()


@dataclass(frozen=True)
class EvidenceQuery:
    user: str
    namespaces: tuple[int, ...]
    since: str  # ISO 8601, UTC


@dataclass(frozen=True)
class RecipientPage:
    """A talk page as read for a delivery."""

    snapshot: PageSnapshot
    optout_category: str = ""  # the opt-out category the page is in ("" when none)
    exclusion_templates: frozenset[str] = field(default_factory=frozenset)  # transcluded


def digest_site(
    session: WikiSession, templates: Sequence[str]
) -> tuple[DigestSite, dict[str, frozenset[str]]]:
    """The wiki's facts a delivery depends on, and the names of ``templates`` (with the
    redirects to them, ``bots.wiki.templates.template_names``): one request."""
    query: dict[str, Any] = {}

    def keep(part: Mapping[str, Any]) -> None:
        for key in ("namespaces", "namespacealiases", "allmessages"):
            query.setdefault(key, part.get(key))

    names = template_names(session, templates, on_query=keep, along={
        "meta": "siteinfo|allmessages", "siprop": "namespaces|namespacealiases",
        "ammessages": OPTOUT_MESSAGE, "amincludelocal": True})
    query = {k: v for k, v in query.items() if v is not None}
    spaces = {"Category"}
    space = query.get("namespaces", {}).get(str(NS_CATEGORY), {})
    spaces |= {str(space.get(k)) for k in ("name", "canonical") if space.get(k)}
    spaces |= {str(a.get("alias")) for a in query.get("namespacealiases", [])
               if a.get("id") == NS_CATEGORY and a.get("alias")}
    categories = [OPTOUT_DEFAULT]
    for message in query.get("allmessages", []):
        text = str(message.get("content", "")).strip()
        if "missing" not in message and text and text not in categories:
            categories.insert(0, text)
    return DigestSite(
        max_page_bytes=max_page_bytes(session),
        optout_categories=tuple(categories),
        category_names=tuple(sorted(spaces)),
        namespaces={int(k): str(v.get("name", ""))
                    for k, v in query.get("namespaces", {}).items()},
    ), names


def category_members(session: WikiSession, titles: Iterable[str], category: str) -> frozenset[str]:
    """Which of ``titles`` are in ``category`` (a full title) now, as the wiki spells them:
    ``prop=categories`` with ``clcategories``, one request per batch of titles."""
    out: set[str] = set()
    for batch in chunks(sorted(set(titles)), session.batch_size(content=False)):
        for page in session.query_pages(titles=list(batch), prop="categories",
                                        clcategories=category, cllimit="max"):
            if page.get("categories"):
                out.add(str(page.get("title", "")))
    return frozenset(out)


def existing_pages(session: WikiSession, titles: Iterable[str]) -> frozenset[str]:
    """Which of ``titles`` exist and are no redirects (batched, no text)."""
    snaps = session.read_pages(titles, content=False)
    return frozenset(t for t, s in snaps.items() if s.exists and not s.is_redirect)


def _evidence_params(ask: EvidenceQuery) -> dict[str, Any]:
    params: dict[str, Any] = {
        "list": "usercontribs|logevents",
        "ucuser": ask.user, "ucnamespace": sorted(set(ask.namespaces)), "ucend": ask.since,
        "ucprop": "title|comment", "uclimit": "max",
        "letype": "move", "leend": ask.since, "leprop": "title|details", "lelimit": "max",
    }
    if len(set(ask.namespaces)) == 1:
        params["lenamespace"] = ask.namespaces[0]
    return params


def _collect_evidence(query: dict[str, Any], contribs: list[Contribution],
                      moves: list[Move]) -> None:
    for c in query.get("usercontribs", []):
        contribs.append(Contribution(str(c.get("title", "")), str(c.get("comment", ""))))
    for entry in query.get("logevents", []):
        target = (entry.get("params") or {}).get("target_title")
        if entry.get("title") and target:
            moves.append(Move(str(entry["title"]), str(target)))


def _info_only(session: WikiSession, titles: Sequence[str]) -> dict[str, RecipientPage]:
    """Pages by title (as asked and as the wiki spells them), without their text."""
    return {title: RecipientPage(snap)
            for title, snap in session.read_pages(titles, content=False).items()}


def _carry_check(session: WikiSession, params: dict[str, Any]) -> str:
    """Merge the pre-write check into a first batch's query (``WikiSession.preflight_params``):
    the shutoff page joins the titles, the account joins ``meta``. Returns the shutoff page."""
    check = session.preflight_params()
    page = check["titles"]
    params["titles"] = [*params.get("titles", []), page]
    params["meta"] = "|".join(filter(None, (params.get("meta"), check["meta"])))
    params["uiprop"] = check["uiprop"]
    if "prop" not in params:  # the page's text, for a batch without titles of its own
        params.update(prop=check["prop"], rvprop=check["rvprop"], rvslots=check["rvslots"])
    return page


def read_recipients(
    session: WikiSession, titles: Iterable[str], *, site: DigestSite,
    exclusion_templates: Sequence[str], with_evidence: EvidenceQuery | None = None,
    carry_check: bool = False, without_text: frozenset[str] = frozenset(),
) -> tuple[dict[str, RecipientPage], Evidence]:
    """Pages by title (as asked and as the wiki spells them), and the evidence when asked.

    ``carry_check``: the first request also carries the pre-write check (the shutoff page and
    the account), evaluated at once by ``WikiSession.accept_preflight``: a stop raises, a go
    on stands for the next writes as a check of their own would; an answer that does not
    settle it leaves the next write to check itself.

    ``without_text``: of these titles only what ``prop=info`` says (existence, namespace,
    redirect), in batches of their own (pages that already have the digest: their text, often
    long, decides nothing)."""
    wanted = [t for t in dict.fromkeys(titles) if t not in without_text]
    bare = [t for t in dict.fromkeys(titles) if t in without_text]
    out: dict[str, RecipientPage] = _info_only(session, bare) if bare else {}
    categories = [f"Category:{c}" for c in site.optout_categories]
    templates = [t if ":" in t else f"Template:{t}" for t in exclusion_templates]
    contribs: list[Contribution] = []
    moves: list[Move] = []
    size = session.batch_size(content=True) - (1 if carry_check else 0)
    batches = list(chunks(wanted, size)) or ([[]] if with_evidence or carry_check else [])
    for number, batch in enumerate(batches):
        params: dict[str, Any] = {"action": "query", "curtimestamp": True}
        if batch:
            params.update({
                "titles": list(batch), "prop": "revisions|info|categories|templates",
                "rvprop": "ids|timestamp|user|content", "rvslots": "main",
                "clcategories": categories, "cllimit": "max",
                "tltemplates": templates, "tlnamespace": NS_TEMPLATE, "tllimit": "max",
            })
        if with_evidence is not None and number == 0:
            params.update(_evidence_params(with_evidence))
        shutoff = _carry_check(session, params) if carry_check and number == 0 else ""
        records: dict[str, dict[str, Any]] = {}
        aliases: dict[str, str] = {}
        read_at = ""
        cont: dict[str, Any] = {}
        while True:
            sent = time.monotonic()
            result = session.api(**params, **cont)
            read_at = str(result.get("curtimestamp", read_at))
            query = result.get("query", {})
            if shutoff and not cont:
                session.accept_preflight(query, sent_at=sent)
            for item in query.get("normalized", []):
                aliases[str(item["from"])] = str(item["to"])
            for page in query.get("pages", []):
                merge_page(records.setdefault(str(page.get("title", "")), {}), page)
            _collect_evidence(query, contribs, moves)
            if "continue" not in result:
                break
            cont = dict(result["continue"])
        in_batch = {aliases.get(t, t) for t in batch}
        if shutoff and aliases.get(shutoff, shutoff) not in in_batch:
            records.pop(aliases.get(shutoff, shutoff), None)  # not a recipient: only the check
        for title, page in records.items():
            cats = {str(c.get("title", "")).split(":", 1)[-1] for c in page.get("categories", [])}
            used = {str(t.get("title", "")).split(":", 1)[-1] for t in page.get("templates", [])}
            found = next((c for c in site.optout_categories if c in cats), "")
            out[title] = RecipientPage(snapshot_from(page, read_at), found, frozenset(used))
        for asked in batch:
            name = aliases.get(asked, asked)
            if name in out:
                out[asked] = out[name]
    return out, Evidence(tuple(contribs), tuple(moves))
