"""Which pages count as case pages. Pure.

A case page is a page in ``[permissions]`` ``case_namespaces`` under ``case_prefixes`` that
*writes* the case template in its own wikitext. The configuration can narrow this (``[index]``):

* ``exclude_prefixes``: pages under these title prefixes are not case pages, and the index job
  leaves their lists alone too (a sandbox area, the test suite's pages on a shared wiki). A
  ``[permissions]`` case or edit prefix that lies *inside* an excluded prefix re-opens the pages
  under it: the longer, more specific setting wins (``Advocacy/T-`` excluded,
  ``Advocacy/T-mine/`` as the case prefix).
* ``exclude_subpages``: pages with a subpage of one of these names, at any level and in any
  case (``Advocacy/Some case/Sandbox``, ``Advocacy/Draft/New case``), are not case pages.
* ``required_category``: only pages in this category are case pages (read with the listing,
  no request of its own).

A page that only *transcludes* case pages (a portal embedding ``{{:Advocacy/Some case}}``)
carries the template without writing it: MediaWiki lists it with the pages that use the
template, but it is neither a case nor a broken one (:func:`writes_template`).

:func:`case_title` is the one notion of a case page's title that every job uses (the index's
case list, the digest's new cases, status changes and translations): a case page, a
translation subpage of one (and of which language), or no case at all.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from dataclasses import dataclass
from enum import Enum

from bots.config.model import Config
from bots.config.permissions import case_page_allowed
from bots.i18n.languages import is_known_language, is_language_code
from bots.wikitext.markers import masked_spans, normalize_template_name

_CALL_RE = re.compile(r"\{\{([^{}|]*?)(?=\||\}\})")


def writes_template(text: str, names: Iterable[str]) -> bool:
    """Whether the page's own wikitext calls one of ``names`` anywhere (at the top level or
    inside another template's parameters), outside comments and ``<nowiki>``-like tags."""
    wanted = {n for n in map(normalize_template_name, names) if n}
    if "{{" not in text or not wanted:
        return False
    spans = masked_spans(text)
    if spans:
        kept, pos = [], 0
        for begin, end in spans:
            kept.append(text[pos:begin])
            pos = end
        text = "".join(kept) + text[pos:]
    return any(normalize_template_name(m.group(1)) in wanted for m in _CALL_RE.finditer(text))


def excluded_prefix(title: str, config: Config) -> str | None:
    """The excluded prefix ``title`` lies under, unless a longer case or edit prefix of
    ``[permissions]`` re-opens it."""
    perms = config.permissions
    for prefix in config.index.exclude_prefixes:
        if not title.startswith(prefix):
            continue
        reopened = any(
            title.startswith(other) and len(other) > len(prefix)
            for other in (*perms.case_prefixes, *perms.edit_prefixes)
        )
        if not reopened:
            return prefix
    return None


def excluded_subpage(title: str, config: Config) -> str | None:
    """The excluded subpage name in ``title`` (after its root page), if any."""
    names = {n.strip().casefold() for n in config.index.exclude_subpages}
    if not names:
        return None
    for part in title.split("/")[1:]:
        if part.strip().casefold() in names:
            return part
    return None


def not_a_case_page(title: str, config: Config) -> str | None:
    """Why the configuration does not count ``title`` as a case page (None: it may be one).
    ``required_category`` is checked by the caller, which lists the category's members."""
    prefix = excluded_prefix(title, config)
    if prefix is not None:
        return f"under the excluded prefix {prefix!r} (index.exclude_prefixes)"
    subpage = excluded_subpage(title, config)
    if subpage is not None:
        return f"an excluded subpage {subpage!r} (index.exclude_subpages)"
    return None


def category_title(config: Config) -> str:
    """``index.required_category`` as a full title (``Category:...``), or "" when not set."""
    name = config.index.required_category.strip()
    if not name:
        return ""
    bare = re.sub(r"^\s*category\s*:\s*", "", name, flags=re.IGNORECASE)
    return f"Category:{bare}"


class TitleKind(Enum):
    """What a title can be, by the configuration and the titles around it."""

    CASE = "case"  # a case page when its own wikitext writes the case template
    TRANSLATION = "translation"  # a translation subpage of a case page
    NOT_A_CASE = "not a case"  # outside the case namespaces and prefixes, or excluded


@dataclass(frozen=True)
class CaseTitle:
    """:func:`case_title`'s answer: ``case_page`` is the page itself (a case), the case the
    subpage translates (a translation) or ""; ``reason`` says why a title is no case."""

    kind: TitleKind
    title: str
    case_page: str = ""
    language: str = ""
    reason: str = ""


def is_translation_language(code: str) -> bool:
    """Whether a subpage named ``code`` is a translation: a real language the bot can name
    (not a pseudo-code such as ``qqq``, nor a word with the shape of a code that is no language)
    spelt as MediaWiki spells codes (lower case). ``config.translations.languages`` holds only
    such codes (checked when the configuration is loaded)."""
    return is_language_code(code) and is_known_language(code)


def case_title(
    title: str, namespace: int | None, config: Config, carries_case: Container[str],
    in_category: Container[str] | None = None,
) -> CaseTitle:
    """The one notion of a case page's title, shared by the index and the digest.

    ``namespace``: the title's namespace (None: the caller listed the title in the case
    namespaces and prefixes itself, so that check is skipped). ``carries_case``: the titles
    whose own wikitext writes the case template (the index's listing; the digest's pages at
    the period's end). ``in_category``: the titles in ``index.required_category`` when it is
    set (None: the caller checks the category itself, as the index does with its listing).

    * outside ``[permissions]`` case namespaces and prefixes, excluded by ``[index]``
      (:func:`not_a_case_page`), or not in its required category: no case;
    * ``Page/zh``, where ``zh`` is a language (:func:`is_translation_language`) and ``Page`` is a
      case page carrying the template: a translation of ``Page``, never a case of its own;
    * anything else: a case page when its text writes the case template. A case on the ``/zh``
      subpage of a page without one is the only copy of that case: it counts as a case.
    """
    if namespace is not None and not case_page_allowed(title, namespace, config):
        return CaseTitle(TitleKind.NOT_A_CASE, title,
                         reason="outside the case namespaces and prefixes ([permissions])")
    reason = not_a_case_page(title, config)
    if reason is not None:
        return CaseTitle(TitleKind.NOT_A_CASE, title, reason=reason)
    base, _, last = title.rpartition("/")
    if (base and base in carries_case and is_translation_language(last)
            and not_a_case_page(base, config) is None):
        return CaseTitle(TitleKind.TRANSLATION, title, case_page=base, language=last)
    if in_category is not None and category_title(config) and title not in in_category:
        return CaseTitle(TitleKind.NOT_A_CASE, title,
                         reason="not in the required category (index.required_category)")
    return CaseTitle(TitleKind.CASE, title, case_page=title)


def translation_parent(title: str, config: Config) -> str:
    """The page ``title`` would translate if that page carries a case ("" when the last part
    of the title is no language): the pages the digest must look at before deciding."""
    base, _, last = title.rpartition("/")
    if base and is_translation_language(last) and not_a_case_page(base, config) is None:
        return base
    return ""
