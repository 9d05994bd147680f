"""The wiki's own data from ``meta=siteinfo``: namespace names, and the facts a translation
status run needs (content language, whether Translate is installed, language names, the
namespaces that exist, the largest page it accepts); and what the wiki makes of titles that
editors wrote (:func:`resolve_titles`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bots.wiki.session import WikiSession
from bots.wiki.translate_api import has_translate

DEFAULT_MAX_ARTICLE_SIZE = 2 * 1024 * 1024  # bytes: MediaWiki's default $wgMaxArticleSize


def namespace_names(session: WikiSession) -> dict[int, str]:
    """The wiki's namespaces by number (one ``meta=siteinfo`` request)."""
    result = session.api(action="query", meta="siteinfo", siprop="namespaces")
    spaces = result.get("query", {}).get("namespaces", {})
    return {int(k): str(v.get("name", "")) for k, v in spaces.items()}


def extension_names(session: WikiSession) -> frozenset[str]:
    """The names of the wiki's extensions (one ``meta=siteinfo`` request)."""
    result = session.api(action="query", meta="siteinfo", siprop="extensions")
    extensions = result.get("query", {}).get("extensions", [])
    return frozenset(str(ext.get("name", "")) for ext in extensions)


@dataclass(frozen=True)
class SiteFacts:
    """What a translation status run needs to know about the wiki."""

    content_language: str
    has_translate: bool
    language_names: Mapping[str, str] = field(default_factory=dict)  # code -> autonym
    namespaces: frozenset[int] = frozenset()  # every namespace number the wiki has (none: unknown)
    max_article_size: int = DEFAULT_MAX_ARTICLE_SIZE  # bytes ($wgMaxArticleSize)


# The parameters of the site facts' request; they can ride along with any other query
# (``embedded_in(extra=...)``): :func:`site_facts_from` reads the answer from its ``query`` part.
SITE_FACTS_PARAMS: Mapping[str, str] = {
    "meta": "siteinfo",
    "siprop": "general|extensions|languages|namespaces",
}


def template_redirects_params(template: str) -> dict[str, str | int]:
    """``list=backlinks`` parameters that can ride along with another query: the redirects
    to a template (its full title) in the Template namespace, the only ones ``{{Name}}`` can
    reach. :func:`redirect_names_from` reads them from the answer's ``query`` part."""
    return {"list": "backlinks", "bltitle": template, "blfilterredir": "redirects",
            "blnamespace": NS_TEMPLATE, "bllimit": "max"}  # fmt: skip


def redirect_names_from(query: Mapping[str, Any]) -> set[str]:
    """The names, without namespace, of the redirects :func:`template_redirects_params` asked
    for (in one response of several, when the list was continued)."""
    return {str(b["title"]).split(":", 1)[-1] for b in query.get("backlinks", [])}


def read_site_facts(session: WikiSession) -> SiteFacts:
    """The wiki's content language, Translate's presence, its language names, namespaces and
    maximum page size (one ``meta=siteinfo`` request)."""
    result = session.api(action="query", **SITE_FACTS_PARAMS)
    return site_facts_from(result.get("query", {}))


def has_site_facts(query: Mapping[str, Any]) -> bool:
    """Whether a query's answer carries the site facts (:data:`SITE_FACTS_PARAMS`)."""
    return "general" in query


def site_facts_from(query: Mapping[str, Any]) -> SiteFacts:
    """:class:`SiteFacts` from the ``query`` part of an answer to :data:`SITE_FACTS_PARAMS`."""
    general = query.get("general", {})
    languages = query.get("languages", [])
    return SiteFacts(
        content_language=str(general.get("lang", "en")),
        has_translate=has_translate(query.get("extensions", [])),
        language_names={str(lang.get("code")): str(lang.get("name", "")) for lang in languages},
        namespaces=frozenset(int(k) for k in query.get("namespaces", {})),
        max_article_size=_max_size(general.get("maxarticlesize")),
    )


def _max_size(value: int | str | None) -> int:
    """``maxarticlesize`` (bytes); the default when the wiki does not say."""
    text = str(value or "")
    return (
        int(text)
        if text.isascii() and text.isdigit() and int(text) > 0
        else (DEFAULT_MAX_ARTICLE_SIZE)
    )


NS_TEMPLATE = 10


class TitleKind(StrEnum):
    """What the wiki makes of a title an editor wrote."""

    PAGE = "page"  # a page of this wiki (it may not exist)
    INVALID = "invalid"  # no title at all (empty, bad characters, too long)
    INTERWIKI = "interwiki"  # a page of another wiki
    SPECIAL = "special"  # a special page or a media link: namespaces below 0


@dataclass(frozen=True)
class TitleAnswer:
    """The wiki's reading of one title: its canonical form and namespace, or why it is none."""

    asked: str
    kind: TitleKind
    title: str = ""
    namespace: int = 0


def resolve_titles(
    session: WikiSession,
    titles: Iterable[str],
    *,
    listing: tuple[int, str] | None = None,
    redirects_of: str = "",
) -> tuple[dict[str, TitleAnswer], list[str] | None, frozenset[str] | None]:
    """How the wiki reads each title (``action=query&titles=…``, no page data: one request per
    50 titles, 500 for a bot). Nothing is guessed here: the wiki normalises the title, names
    the other wiki of an interwiki title and flags special and invalid ones.

    Riding along in the first request (then it is made even without titles):

    * ``listing`` (namespace, prefix): the titles under that prefix (redirects left out,
      ``list=allpages``), returned when that one answer held them all, else None (the caller
      lists them itself);
    * ``redirects_of`` (a template's full title): the names, without namespace, of the
      template and of the redirects to it in the Template namespace (``prop=redirects``), as
      :func:`bots.wiki.templates.template_names` gives them; None when the answer did not
      hold them all (the caller asks on its own)."""
    wanted = list(dict.fromkeys(t for t in titles if t))
    out: dict[str, TitleAnswer] = {}
    listed: list[str] | None = None
    redirects: frozenset[str] | None = None
    size = session.batch_size(content=False) - 1  # room for the template riding along
    batches = [wanted[i : i + size] for i in range(0, len(wanted), size)]
    if not batches and (listing is not None or redirects_of):
        batches = [[]]
    for number, batch in enumerate(batches):
        extra: dict[str, str | int] = {}
        if listing is not None and number == 0:
            extra |= {"list": "allpages", "apnamespace": listing[0], "apprefix": listing[1],
                      "aplimit": "max", "apfilterredir": "nonredirects"}  # fmt: skip
        asked = batch
        if redirects_of and number == 0:
            asked = [*batch, redirects_of]
            extra |= {"prop": "redirects", "rdprop": "title", "rdnamespace": NS_TEMPLATE,
                      "rdlimit": "max"}  # fmt: skip
        result = session.api(action="query", titles=asked, **extra)
        query = result.get("query", {})
        complete = "continue" not in result
        if listing is not None and number == 0 and complete:
            listed = [str(page["title"]) for page in query.get("allpages", [])]
        if redirects_of and number == 0 and complete:
            redirects = _redirect_names(redirects_of, query)
        out.update(_answers(batch, query))
    return out, listed, redirects


def _redirect_names(template: str, query: Mapping[str, Any]) -> frozenset[str]:
    renamed = {str(n["from"]): str(n["to"]) for n in query.get("normalized", [])}
    title = renamed.get(template, template)
    names = {title.split(":", 1)[1] if ":" in title else title}
    for page in query.get("pages", []):
        if page.get("title") == title:
            names.update(str(r["title"]).split(":", 1)[1] for r in page.get("redirects", []))
    return frozenset(names)


def _answers(batch: list[str], query: Mapping[str, Any]) -> dict[str, TitleAnswer]:
    renamed = {str(n["from"]): str(n["to"]) for n in query.get("normalized", [])}
    foreign = {str(i["title"]) for i in query.get("interwiki", [])}
    pages = {str(p.get("title", "")): p for p in query.get("pages", [])}
    out: dict[str, TitleAnswer] = {}
    for asked in batch:
        title = renamed.get(asked, asked)
        page = pages.get(title)
        if title in foreign or asked in foreign:
            out[asked] = TitleAnswer(asked, TitleKind.INTERWIKI)
        elif page is None or page.get("invalid"):
            out[asked] = TitleAnswer(asked, TitleKind.INVALID)
        elif page.get("special") or int(page.get("ns", 0)) < 0:
            out[asked] = TitleAnswer(asked, TitleKind.SPECIAL, title, int(page.get("ns", -1)))
        else:
            out[asked] = TitleAnswer(asked, TitleKind.PAGE, title, int(page.get("ns", 0)))
    return out
