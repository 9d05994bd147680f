"""The configuration as frozen dataclasses (:class:`Config` and its sections), and
:class:`ConfigError`. :mod:`bots.config.load` reads and validates a TOML file into them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from bots.config.source_model import SourcesConfig

JOB_NAMES: tuple[str, ...] = ("index", "translations", "digest", "knowledge")


# Canonical case fields; aliases in the config map other spellings (and localized names) to these.
CASE_FIELDS: tuple[str, ...] = (
    "title",
    "summary",
    "region",
    "country",
    "topic",
    "status",
    "start",
    "end",
    "methods",
    "partners",
    "contact",
    "sensitive",
    "lessons",
)


class ConfigError(Exception):
    """A configuration problem, always tied to a file and a dotted key."""

    def __init__(self, file: str | Path, key: str, reason: str) -> None:
        self.file = str(file)
        self.key = key
        self.reason = reason
        super().__init__(f"{self.file}: {key or '(top level)'}: {reason}")


@dataclass(frozen=True)
class WikiConfig:
    family: str
    code: str
    user: str
    user_agent: str = "AdvocacyHubBot/0.1 (https://meta.wikimedia.org/wiki/Advocacy_Hub)"
    maxlag: int = 5
    put_throttle: float = 10.0
    max_retries: int = 5
    retry_wait: float = 5.0
    retry_max_wait: float = 120.0


@dataclass(frozen=True)
class TemplatesConfig:
    case: str = "Advocacy case"
    index_start: str = "Advocacy case index"
    index_end: str = "Advocacy case index end"
    translation_start: str = "Advocacy translation status"
    translation_end: str = "Advocacy translation status end"
    subscriber: str = "Advocacy digest subscriber"
    massmessage_target: str = "Target"
    # canonical field name -> other accepted parameter names (localized names included)
    case_aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class VocabularyConfig:
    # code -> English label; localized labels come from i18n messages when present
    regions: Mapping[str, str]
    topics: Mapping[str, str]
    statuses: Mapping[str, str]
    methods: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PermissionsConfig:
    """Where the bot reads cases and which pages it may ever edit."""

    edit_namespaces: tuple[int, ...]
    edit_prefixes: tuple[str, ...]
    case_namespaces: tuple[int, ...]
    case_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShutoffConfig:
    page: str
    run_value: str = "run"
    stop_on_talk_message: bool = False
    # The pre-write check (shutoff page, account, block, talk message) is reused for writes
    # while it is younger than this many seconds and fewer than this many writes went on it
    # (bots.wiki.session.WikiSession.preflight); 0 seconds or 1 write: a check per write.
    check_max_age_seconds: float = 10.0
    check_max_edits: int = 20


@dataclass(frozen=True)
class IndexConfig:
    max_removed_share: float = 0.3
    # fewer removed rows than this never trip the circuit breaker (small views change too)
    min_removed_rows: int = 3
    required_fields: tuple[str, ...] = ("title", "region", "status")
    cache: bool = True
    # mass additions: a view gaining more than this share of its rows (and at least
    # min_added_rows rows) since the bot's last rendering is held until --force
    max_added_share: float = 1.0
    min_added_rows: int = 10
    # what counts as a case page, narrowed (bots.cases.scope): pages under these prefixes are
    # neither cases nor index pages (unless a longer case prefix lies inside one)
    exclude_prefixes: tuple[str, ...] = ()
    exclude_subpages: tuple[str, ...] = ()  # subpage names (any level, any case): "sandbox"
    required_category: str = ""  # a case page must be in this category ("" = any page)
    # the bot's documentation page, linked from every index edit summary
    documentation_page: str = "Advocacy Hub/Bot documentation"


class TranslationSource(StrEnum):
    """Where translation statuses come from (``translations.source``)."""

    AUTO = "auto"  # the Translate extension's statistics when the wiki has it, else computed
    TRANSLATE = "translate"  # the Translate extension's statistics only
    COMPUTED = "computed"  # counted from the translation unit pages


@dataclass(frozen=True)
class TranslationsConfig:
    source: TranslationSource = TranslationSource.AUTO
    languages: tuple[str, ...] = ()
    unit_namespace: int = 1198
    # the circuit breaker: a table losing more than this share of its rows (pages), and at
    # least min_removed_rows of them, is not saved until --force
    max_removed_share: float = 0.3
    min_removed_rows: int = 3


@dataclass(frozen=True)
class DigestConfig:
    subscriber_page: str
    archive_prefix: str
    hub_pages: tuple[str, ...] = ()
    max_targets: int = 200
    send_empty: bool = False
    period_days: int = 7
    unsubscribe_page: str = ""
    # a line subscribing someone's user talk page counts only when that user added it
    require_self_subscription: bool = True


@dataclass(frozen=True)
class KnowledgeConfig:
    """The knowledge views (``bots.knowledge``): lessons, partners, whom to ask, positions."""

    lessons_start: str = "Advocacy lessons"
    lessons_end: str = "Advocacy lessons end"
    partners_start: str = "Advocacy partners"
    partners_end: str = "Advocacy partners end"
    contacts_start: str = "Advocacy whom to ask"
    contacts_end: str = "Advocacy whom to ask end"
    positions_start: str = "Advocacy positions"
    positions_end: str = "Advocacy positions end"
    partner_template: str = "Advocacy partner"
    position_template: str = "Advocacy position"
    # canonical partner name -> spellings of the same partner on case pages
    partner_aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    dormant_years: int = 3  # a partner with no case in this many years is marked
    review_days: int = 365  # a position not reviewed for this long is marked
    active_statuses: tuple[str, ...] = ("active",)  # whom to ask lists cases with these
    ask_page: str = ""  # where to ask when a region has no contact ("": the hub's talk page)


@dataclass(frozen=True)
class ScheduleConfig:
    index: str = "0 * * * *"
    translations: str = "0 */6 * * *"
    digest: str = "0 7 * * mon"
    knowledge: str = "30 * * * *"
    timezone: str = "UTC"
    misfire_grace_seconds: int = 3600


@dataclass(frozen=True)
class RuntimeConfig:
    state_dir: str = "var"
    lock_wait_seconds: float = 0.0


@dataclass(frozen=True)
class StatusPageConfig:
    """The on-wiki status page (issue 15); off while ``page`` is empty."""

    page: str = ""
    start: str = "Advocacy bot status"  # the bot writes between these two markers
    end: str = "Advocacy bot status end"
    language: str = ""  # "" = the wiki's content language


@dataclass(frozen=True)
class WatchConfig:
    """`advocacy-hub watch`: follow recent changes and refresh what they touch."""

    interval_seconds: float = 60.0
    request_page: str = ""  # editors list pages to refresh here ("" = no request page)


@dataclass(frozen=True)
class SuspensionConfig:
    """A page whose bot region failed this many runs in a row is suspended (0 = never)."""

    after_failures: int = 3
    category: str = "Advocacy Hub suspended pages"


@dataclass(frozen=True)
class Config:
    path: str
    wiki: WikiConfig
    templates: TemplatesConfig
    vocabulary: VocabularyConfig
    permissions: PermissionsConfig
    shutoff: ShutoffConfig
    index: IndexConfig
    translations: TranslationsConfig
    digest: DigestConfig
    schedule: ScheduleConfig
    runtime: RuntimeConfig
    knowledge: KnowledgeConfig = field(default_factory=KnowledgeConfig)
    # the source wikis of a central index (bots.config.sources); none: [wiki] alone
    sources: SourcesConfig = field(default_factory=SourcesConfig)
    status_page: StatusPageConfig = field(default_factory=StatusPageConfig)
    watch: WatchConfig = field(default_factory=WatchConfig)
    suspension: SuspensionConfig = field(default_factory=SuspensionConfig)

    @property
    def state_path(self) -> Path:
        """The state folder, relative paths taken from the config file's folder's parent."""
        p = Path(self.runtime.state_dir)
        if p.is_absolute():
            return p
        return (Path(self.path).resolve().parent.parent / p).resolve()
