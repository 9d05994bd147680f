"""Load and validate the bot's TOML configuration into frozen dataclasses.

A configuration file describes one wiki: where it is, which on-wiki templates the bot reads and
owns, the vocabularies case pages are checked against, which pages the bot may edit, the shutoff
page, and the settings of each job. Every problem is reported as a :class:`ConfigError` naming
the file, the dotted key and the reason, before the bot touches the network.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bots.config.cron import parse_cron
from bots.config.model import (
    CASE_FIELDS,
    JOB_NAMES,
    Config,
    ConfigError,
    DigestConfig,
    IndexConfig,
    KnowledgeConfig,
    PermissionsConfig,
    RuntimeConfig,
    ScheduleConfig,
    ShutoffConfig,
    StatusPageConfig,
    SuspensionConfig,
    TemplatesConfig,
    TranslationsConfig,
    TranslationSource,
    VocabularyConfig,
    WatchConfig,
    WikiConfig,
)
from bots.config.permissions import write_refusals
from bots.config.sources import split_sources

_STR = "string"


_INT = "integer"


_FLOAT = "number"


_BOOL = "boolean"


_STRLIST = "list of strings"


_INTLIST = "list of integers"


_STRMAP = "table of strings"


_ALIASMAP = "table of string lists"


_NAMEMAP = "table of name lists"  # any key (a name) -> list of strings


_SCHEMA: dict[str, dict[str, tuple[str, bool]]] = {
    "wiki": {
        "family": (_STR, True),
        "code": (_STR, True),
        "user": (_STR, True),
        "user_agent": (_STR, False),
        "maxlag": (_INT, False),
        "put_throttle": (_FLOAT, False),
        "max_retries": (_INT, False),
        "retry_wait": (_FLOAT, False),
        "retry_max_wait": (_FLOAT, False),
    },
    "templates": {
        "case": (_STR, False),
        "index_start": (_STR, False),
        "index_end": (_STR, False),
        "translation_start": (_STR, False),
        "translation_end": (_STR, False),
        "subscriber": (_STR, False),
        "massmessage_target": (_STR, False),
        "case_aliases": (_ALIASMAP, False),
    },
    "vocabulary": {
        "regions": (_STRMAP, True),
        "topics": (_STRMAP, True),
        "statuses": (_STRMAP, True),
        "methods": (_STRMAP, False),
    },
    "permissions": {
        "edit_namespaces": (_INTLIST, True),
        "edit_prefixes": (_STRLIST, True),
        "case_namespaces": (_INTLIST, True),
        "case_prefixes": (_STRLIST, False),
    },
    "shutoff": {
        "page": (_STR, True),
        "run_value": (_STR, False),
        "stop_on_talk_message": (_BOOL, False),
        "check_max_age_seconds": (_FLOAT, False),
        "check_max_edits": (_INT, False),
    },
    "index": {
        "max_removed_share": (_FLOAT, False),
        "min_removed_rows": (_INT, False),
        "required_fields": (_STRLIST, False),
        "cache": (_BOOL, False),
        "max_added_share": (_FLOAT, False),
        "min_added_rows": (_INT, False),
        "exclude_prefixes": (_STRLIST, False),
        "exclude_subpages": (_STRLIST, False),
        "required_category": (_STR, False),
        "documentation_page": (_STR, False),
    },
    "translations": {
        "source": (_STR, False),
        "languages": (_STRLIST, False),
        "unit_namespace": (_INT, False),
        "max_removed_share": (_FLOAT, False),
        "min_removed_rows": (_INT, False),
    },
    "digest": {
        "subscriber_page": (_STR, True),
        "archive_prefix": (_STR, True),
        "hub_pages": (_STRLIST, False),
        "max_targets": (_INT, False),
        "send_empty": (_BOOL, False),
        "period_days": (_INT, False),
        "unsubscribe_page": (_STR, False),
        "require_self_subscription": (_BOOL, False),
    },
    "schedule": {
        "index": (_STR, False),
        "translations": (_STR, False),
        "digest": (_STR, False),
        "knowledge": (_STR, False),
        "timezone": (_STR, False),
        "misfire_grace_seconds": (_INT, False),
    },
    "knowledge": {
        "lessons_start": (_STR, False),
        "lessons_end": (_STR, False),
        "partners_start": (_STR, False),
        "partners_end": (_STR, False),
        "contacts_start": (_STR, False),
        "contacts_end": (_STR, False),
        "positions_start": (_STR, False),
        "positions_end": (_STR, False),
        "partner_template": (_STR, False),
        "position_template": (_STR, False),
        "partner_aliases": (_NAMEMAP, False),
        "dormant_years": (_INT, False),
        "review_days": (_INT, False),
        "active_statuses": (_STRLIST, False),
        "ask_page": (_STR, False),
    },
    "runtime": {
        "state_dir": (_STR, False),
        "lock_wait_seconds": (_FLOAT, False),
    },
    "status_page": {
        "page": (_STR, False),
        "start": (_STR, False),
        "end": (_STR, False),
        "language": (_STR, False),
    },
    "watch": {
        "interval_seconds": (_FLOAT, False),
        "request_page": (_STR, False),
    },
    "suspension": {
        "after_failures": (_INT, False),
        "category": (_STR, False),
    },
}


_REQUIRED_SECTIONS = ("wiki", "vocabulary", "permissions", "shutoff", "digest")


def _check_type(file: str, key: str, kind: str, value: Any) -> Any:
    def fail(expected: str = kind) -> ConfigError:
        return ConfigError(file, key, f"expected {expected}, got {type(value).__name__} {value!r}")

    if kind == _STR:
        if not isinstance(value, str):
            raise fail()
        return value
    if kind == _BOOL:
        if not isinstance(value, bool):
            raise fail()
        return value
    if kind == _INT:
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail()
        return value
    if kind == _FLOAT:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise fail()
        return float(value)
    if kind == _STRLIST:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail()
        return tuple(value)
    if kind == _INTLIST:
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            raise fail()
        return tuple(value)
    if kind == _STRMAP:
        if not isinstance(value, dict):
            raise fail()
        for k, v in value.items():
            if not isinstance(v, str):
                raise ConfigError(file, f"{key}.{k}", f"expected string, got {type(v).__name__}")
        return dict(value)
    if kind == _NAMEMAP:
        if not isinstance(value, dict):
            raise fail()
        for k, v in value.items():
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise ConfigError(file, f"{key}.{k}", "expected list of strings")
        return {k: tuple(v) for k, v in value.items()}
    if kind == _ALIASMAP:
        if not isinstance(value, dict):
            raise fail()
        out: dict[str, tuple[str, ...]] = {}
        for k, v in value.items():
            if k not in CASE_FIELDS:
                raise ConfigError(
                    file, f"{key}.{k}", f"unknown case field; known: {', '.join(CASE_FIELDS)}"
                )
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise ConfigError(file, f"{key}.{k}", "expected list of strings")
            out[k] = tuple(v)
        return out
    raise AssertionError(kind)  # pragma: no cover


def _section(file: str, data: dict[str, Any], name: str) -> dict[str, Any]:
    raw = data.get(name, {})
    if not isinstance(raw, dict):
        raise ConfigError(file, name, f"expected a table, got {type(raw).__name__}")
    schema = _SCHEMA[name]
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in schema:
            raise ConfigError(
                file, f"{name}.{key}", f"unknown key; known keys: {', '.join(sorted(schema))}"
            )
        out[key] = _check_type(file, f"{name}.{key}", schema[key][0], value)
    for key, (_kind, required) in schema.items():
        if required and key not in out:
            raise ConfigError(file, f"{name}.{key}", "required key is missing")
    return out


def _write_permission_checks(file: str, cfg: Config) -> None:
    """The pages the bot must write lie inside the pages it may edit (``[permissions]``)."""
    for key, reason in write_refusals(cfg):
        raise ConfigError(file, key, reason)


def _semantic_checks(file: str, cfg: Config) -> None:
    if cfg.index.max_removed_share < 0 or cfg.index.max_removed_share > 1:
        raise ConfigError(file, "index.max_removed_share", "must be between 0 and 1")
    if cfg.index.min_removed_rows < 1:
        raise ConfigError(file, "index.min_removed_rows", "must be at least 1")
    if cfg.index.max_added_share < 0:
        raise ConfigError(file, "index.max_added_share", "must not be negative")
    if cfg.index.min_added_rows < 1:
        raise ConfigError(file, "index.min_added_rows", "must be at least 1")
    for name in ("exclude_prefixes", "exclude_subpages"):
        if any(not v.strip() for v in getattr(cfg.index, name)):
            raise ConfigError(file, f"index.{name}", "an empty entry would exclude every page")
    for f in cfg.index.required_fields:
        if f not in CASE_FIELDS:
            raise ConfigError(file, "index.required_fields", f"unknown case field {f!r}")
    if cfg.shutoff.check_max_age_seconds < 0:
        raise ConfigError(file, "shutoff.check_max_age_seconds", "must not be negative")
    if cfg.shutoff.check_max_edits < 1:
        raise ConfigError(file, "shutoff.check_max_edits", "must be at least 1")
    if cfg.digest.max_targets < 1:
        raise ConfigError(file, "digest.max_targets", "must be at least 1")
    if cfg.digest.period_days < 1:
        raise ConfigError(file, "digest.period_days", "must be at least 1")
    for name in ("regions", "topics", "statuses"):
        if not getattr(cfg.vocabulary, name):
            raise ConfigError(file, f"vocabulary.{name}", "must not be empty")
    if cfg.knowledge.dormant_years < 1 or cfg.knowledge.review_days < 1:
        raise ConfigError(file, "knowledge", "dormant_years and review_days must be at least 1")
    if not cfg.permissions.edit_prefixes:
        raise ConfigError(file, "permissions.edit_prefixes", "must list at least one prefix")
    if cfg.watch.interval_seconds <= 0:
        raise ConfigError(file, "watch.interval_seconds", "must be more than 0")
    if cfg.suspension.after_failures < 0:
        raise ConfigError(file, "suspension.after_failures", "must be 0 (never) or more")
    if cfg.wiki.maxlag < 1:
        raise ConfigError(file, "wiki.maxlag", "must be at least 1 (API etiquette)")

    for job in JOB_NAMES:
        expr = getattr(cfg.schedule, job)
        try:
            parse_cron(expr)
        except ValueError as exc:
            raise ConfigError(file, f"schedule.{job}", f"{exc} (in {expr!r})") from exc
    try:
        ZoneInfo(cfg.schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            file, "schedule.timezone", f"unknown time zone {cfg.schedule.timezone!r}"
        ) from exc
    seen: dict[str, str] = {}
    for canonical, aliases in cfg.templates.case_aliases.items():
        for alias in (canonical, *aliases):
            norm = " ".join(alias.split()).casefold()
            if norm in seen and seen[norm] != canonical:
                raise ConfigError(
                    file,
                    f"templates.case_aliases.{canonical}",
                    f"alias {alias!r} is already used for {seen[norm]!r}",
                )
            seen[norm] = canonical
    _write_permission_checks(file, cfg)


def _translations(file: str, section: dict[str, Any]) -> dict[str, Any]:
    share = section.get("max_removed_share", 0.3)
    if not 0 <= share <= 1:
        raise ConfigError(file, "translations.max_removed_share", "must be between 0 and 1")
    if section.get("min_removed_rows", 3) < 1:
        raise ConfigError(file, "translations.min_removed_rows", "must be at least 1")
    if "source" not in section:
        return section
    try:
        return {**section, "source": TranslationSource(section["source"])}
    except ValueError:
        known = ", ".join(repr(s.value) for s in TranslationSource)
        raise ConfigError(file, "translations.source", f"must be one of {known}") from None


def parse_config(data: dict[str, Any], file: str | Path = "<config>") -> Config:
    """Validate an already-parsed TOML document into a :class:`Config`."""
    file = str(file)
    data, sources = split_sources(file, data)  # [[sources]] and [participation]
    for key in data:
        if key not in _SCHEMA:
            raise ConfigError(file, key, f"unknown section; known: {', '.join(sorted(_SCHEMA))}")
    for name in _SCHEMA:  # report a misspelt key before a missing section
        if name in data:
            _section(file, data, name)
    for name in _REQUIRED_SECTIONS:
        if name not in data:
            raise ConfigError(file, name, "required section is missing")
    s = {name: _section(file, data, name) for name in _SCHEMA}
    cfg = Config(
        path=file,
        wiki=WikiConfig(**s["wiki"]),
        templates=TemplatesConfig(**s["templates"]),
        vocabulary=VocabularyConfig(**s["vocabulary"]),
        permissions=PermissionsConfig(**s["permissions"]),
        shutoff=ShutoffConfig(**s["shutoff"]),
        index=IndexConfig(**s["index"]),
        translations=TranslationsConfig(**_translations(file, s["translations"])),
        digest=DigestConfig(**s["digest"]),
        schedule=ScheduleConfig(**s["schedule"]),
        runtime=RuntimeConfig(**s["runtime"]),
        knowledge=KnowledgeConfig(**s["knowledge"]),
        sources=sources,
        status_page=StatusPageConfig(**s["status_page"]),
        watch=WatchConfig(**s["watch"]),
        suspension=SuspensionConfig(**s["suspension"]),
    )
    _semantic_checks(file, cfg)
    return cfg


def load_config(path: str | Path) -> Config:
    """Read and validate a TOML config file; raise :class:`ConfigError` on any problem."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ConfigError(p, "", f"cannot read file: {exc.strerror}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(p, "", "file is not UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(p, "", f"invalid TOML: {exc}") from exc
    return parse_config(data, p)
