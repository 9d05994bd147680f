"""Source wikis in a configuration file: ``[[sources]]`` tables and ``[participation]``.

A central index (issue 16) reads case pages kept on several wikis. Each ``[[sources]]`` table
names one wiki and how its community writes cases there::

    [participation]
    page = "Advocacy/Participating wikis"   # on the central wiki; the community lists wikis

    [[sources]]
    id = "frdev"                  # short, stable: the wiki column and the participation list
    family = "advocacydevfr"      # with code; or api_url = "https://example.org/w/api.php"
    code = "fr"
    language = "fr"               # the wiki's content language
    case_namespaces = [4]
    case_prefixes = ["Advocacy Dev Wiki:Plaidoyer/"]
    case_template = "Cas de plaidoyer"
    interwiki = "frdev"           # the central wiki's interwiki prefix for it (links)
    page_url = "http://127.0.0.1:8471/index.php?title=$1"
    max_pages = 5000              # bound per wiki and run
    [sources.case_aliases]        # the local template's parameter names
    title = ["titre"]
    [sources.translation_prefixes]  # translation status: central prefix -> this wiki's prefix
    "Advocacy/Guides/" = "Advocacy Dev Wiki:Guides/"

A configuration without ``[[sources]]`` describes one wiki, as before: :func:`source_wikis`
returns ``[wiki]`` as its one implicit source. Every problem is a ``ConfigError(file, key,
reason)`` (exit 2), raised before anything touches the network.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, TypeAlias
from urllib.parse import urlsplit

from bots.config.model import CASE_FIELDS, Config, ConfigError
from bots.config.source_model import DEFAULT_MAX_PAGES, SourcesConfig, SourceWiki

# What tomllib yields for a value.
TomlValue: TypeAlias = (
    "str | int | float | bool | dt.date | dt.time | dt.datetime | list[TomlValue] "
    "| dict[str, TomlValue]"
)

SOURCE_KEYS: dict[str, bool] = {  # key -> required
    "id": True,
    "language": True,
    "case_namespaces": True,
    "family": False,
    "code": False,
    "api_url": False,
    "case_prefixes": False,
    "case_template": False,
    "case_aliases": False,
    "interwiki": False,
    "page_url": False,
    "max_pages": False,
    "translation_prefixes": False,
}
PARTICIPATION_KEYS = ("page",)
MAX_SOURCES = 50
MAX_PAGES_CEILING = 100_000

_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,29}")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")
_NAME = re.compile(r"[A-Za-z0-9_.-]+")
_INTERWIKI = re.compile(r"[a-z0-9][a-z0-9_.-]*")


def split_sources(
    file: str, data: Mapping[str, Any]
) -> tuple[dict[str, Any], SourcesConfig]:
    """The document without ``sources`` and ``participation``, and those two, checked."""
    rest = {k: v for k, v in data.items() if k not in ("sources", "participation")}
    raw_sources = data.get("sources", [])
    if not isinstance(raw_sources, list) or not all(isinstance(t, dict) for t in raw_sources):
        raise ConfigError(file, "sources", "expected [[sources]] tables (an array of tables)")
    if len(raw_sources) > MAX_SOURCES:
        raise ConfigError(file, "sources", f"at most {MAX_SOURCES} source wikis")
    wikis = tuple(_source(file, i, table) for i, table in enumerate(raw_sources))
    page = _participation(file, data.get("participation", {}))
    if wikis and not page:
        raise ConfigError(file, "participation.page", "required when [[sources]] are listed: "
                          "the community lists the taking-part wikis on the central wiki")
    seen: dict[str, str] = {}
    for i, wiki in enumerate(wikis):
        where = wiki.api_url or f"{wiki.family}:{wiki.code}"
        for what, value in (("id", wiki.id), ("wiki", where)):
            if f"{what}={value}" in seen:
                raise ConfigError(file, f"sources[{i}].{what}",
                                  f"{value!r} is already {seen[f'{what}={value}']}")
            seen[f"{what}={value}"] = f"sources[{i}]"
    return rest, SourcesConfig(wikis=wikis, participation_page=page)


def _participation(file: str, raw: TomlValue) -> str:
    if not isinstance(raw, dict):
        raise ConfigError(file, "participation", f"expected a table, got {type(raw).__name__}")
    for key in raw:
        if key not in PARTICIPATION_KEYS:
            raise ConfigError(file, f"participation.{key}", "unknown key; known keys: page")
    page = raw.get("page", "")
    if not isinstance(page, str) or (page and not page.strip()):
        raise ConfigError(file, "participation.page", "expected a page title")
    return page.strip()


def _source(file: str, index: int, table: Mapping[str, Any]) -> SourceWiki:
    at = f"sources[{index}]"
    for key in table:
        if key not in SOURCE_KEYS:
            raise ConfigError(file, f"{at}.{key}",
                              f"unknown key; known keys: {', '.join(sorted(SOURCE_KEYS))}")
    for key, required in SOURCE_KEYS.items():
        if required and key not in table:
            raise ConfigError(file, f"{at}.{key}", "required key is missing")

    def text(key: str, pattern: re.Pattern[str] | None = None, what: str = "") -> str:
        value = table.get(key, "")
        if not isinstance(value, str):
            raise ConfigError(file, f"{at}.{key}", f"expected string, got {type(value).__name__}")
        if value and pattern is not None and not pattern.fullmatch(value):
            raise ConfigError(file, f"{at}.{key}", f"{value!r} is not {what}")
        return value

    source_id = text("id", _ID, "a short id (a-z, 0-9, -; up to 30)")
    family, code, api_url = text("family", _NAME, "a family name"), text(
        "code", _NAME, "a site code"), text("api_url")
    if api_url and (family or code):
        raise ConfigError(file, f"{at}.api_url", "give either family and code, or api_url")
    if not api_url and not (family and code):
        raise ConfigError(file, f"{at}.family", "family and code (or api_url) are required")
    if api_url:
        parts = urlsplit(api_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or not parts.path.endswith(
            "/api.php"
        ):
            raise ConfigError(file, f"{at}.api_url", "expected http(s)://host/.../api.php")
    page_url = text("page_url")
    if page_url and (urlsplit(page_url).scheme not in ("http", "https") or "$1" not in page_url):
        raise ConfigError(file, f"{at}.page_url", "expected an http(s) URL with $1 for the title")
    template = text("case_template").strip() or "Advocacy case"
    if template.casefold().startswith(("template:", "modèle:")) or "|" in template:
        raise ConfigError(file, f"{at}.case_template", "the template's name, without namespace")
    max_pages = table.get("max_pages", DEFAULT_MAX_PAGES)
    if isinstance(max_pages, bool) or not isinstance(max_pages, int) or not (
        1 <= max_pages <= MAX_PAGES_CEILING
    ):
        raise ConfigError(file, f"{at}.max_pages", f"expected 1 to {MAX_PAGES_CEILING}")
    return SourceWiki(
        id=source_id, language=text("language", _LANGUAGE, "a language code"),
        case_namespaces=_namespaces(file, f"{at}.case_namespaces", table["case_namespaces"]),
        family=family, code=code, api_url=api_url,
        case_prefixes=_strings(file, f"{at}.case_prefixes", table.get("case_prefixes", [])),
        case_template=template, case_aliases=_aliases(file, f"{at}.case_aliases",
                                                      table.get("case_aliases", {})),
        interwiki=text("interwiki", _INTERWIKI, "an interwiki prefix"), page_url=page_url,
        max_pages=max_pages, translation_prefixes=_prefix_map(
            file, f"{at}.translation_prefixes", table.get("translation_prefixes", {})),
    )  # fmt: skip


def _namespaces(file: str, key: str, value: TomlValue) -> tuple[int, ...]:
    if not isinstance(value, list) or not value or not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value
    ):
        raise ConfigError(file, key, "expected a non-empty list of namespace numbers (>= 0)")
    return tuple(v for v in value if isinstance(v, int))


def _strings(file: str, key: str, value: TomlValue) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(file, key, "expected a list of non-empty strings")
    return tuple(v for v in value if isinstance(v, str))


def _aliases(file: str, key: str, value: TomlValue) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ConfigError(file, key, f"expected a table, got {type(value).__name__}")
    out: dict[str, tuple[str, ...]] = {}
    for name, spellings in value.items():
        if name not in CASE_FIELDS:
            raise ConfigError(file, f"{key}.{name}",
                              f"unknown case field; known: {', '.join(CASE_FIELDS)}")
        out[name] = _strings(file, f"{key}.{name}", spellings)
    return out


def _prefix_map(file: str, key: str, value: TomlValue) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(v, str) and v.strip() and k.strip() for k, v in value.items()
    ):
        raise ConfigError(file, key, "expected a table of title prefixes (central = local)")
    return {k: v for k, v in value.items() if isinstance(v, str)}


def source_wikis(config: Config) -> tuple[SourceWiki, ...]:
    """The wikis to read cases from: the ``[[sources]]``, or ``[wiki]`` as the one source."""
    if config.sources.wikis:
        return config.sources.wikis
    return (
        SourceWiki(
            id=config.wiki.code, language="", family=config.wiki.family, code=config.wiki.code,
            case_namespaces=config.permissions.case_namespaces,
            case_prefixes=config.permissions.case_prefixes, case_template=config.templates.case,
            implicit=True,
        ),
    )  # fmt: skip


def is_central(source: SourceWiki, config: Config) -> bool:
    """True for the central wiki itself listed as a source (it needs no participation line)."""
    return source.implicit or (
        not source.api_url
        and (source.family, source.code) == (config.wiki.family, config.wiki.code)
    )
