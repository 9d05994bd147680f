"""Which pages the bot may ever edit, whatever a page on the wiki asks for.

The configuration lists namespaces and title prefixes (`[permissions]`); digest deliveries may
additionally go to talk pages. Some pages are refused even when the configuration would allow
them: the MediaWiki namespace (interface messages), user scripts and styles, and JSON pages.

The pages the configuration itself names for the bot to write (:func:`pages_to_write`: the
digest's archive pages and subscriber page) must lie inside those it may edit: the
configuration is refused otherwise (:func:`config_title` reads their namespace from MediaWiki's
canonical names when loading it; a namespace only the wiki knows is checked once connected).
"""

from __future__ import annotations

from collections.abc import Callable

from bots.config.model import Config

NS_USER = 2
NS_MEDIAWIKI = 8
_CODE_SUFFIXES = (".js", ".css", ".json")


def _common_refusal(title: str, namespace: int) -> str | None:
    if namespace == NS_MEDIAWIKI:
        return "interface pages (MediaWiki namespace) are never edited by the bot"
    if namespace < 0:
        return "special and media pages cannot be edited"
    if title.lower().endswith(_CODE_SUFFIXES):
        return "script, style and JSON pages are never edited by the bot"
    return None


def edit_refusal(title: str, namespace: int, config: Config) -> str | None:
    """Why the bot may not edit this page (a report page), or None when it may.

    ``title`` is the full normalised title including its namespace prefix.
    """
    common = _common_refusal(title, namespace)
    if common:
        return common
    perms = config.permissions
    if namespace not in perms.edit_namespaces:
        return f"namespace {namespace} is not in permissions.edit_namespaces"
    if not any(title.startswith(prefix) for prefix in perms.edit_prefixes):
        return "the title is outside permissions.edit_prefixes"
    return None


def delivery_refusal(title: str, namespace: int) -> str | None:
    """Why a digest may not be posted to this page, or None when it may (talk pages only)."""
    common = _common_refusal(title, namespace)
    if common:
        return common
    if namespace % 2 != 1:
        return "digests are only delivered to talk pages"
    return None


def case_page_allowed(title: str, namespace: int, config: Config) -> bool:
    """Whether a page is in the namespaces and prefixes where cases are read."""
    perms = config.permissions
    if namespace not in perms.case_namespaces:
        return False
    return not perms.case_prefixes or any(title.startswith(p) for p in perms.case_prefixes)


# MediaWiki's canonical namespace names (and the aliases every wiki has), lower case. A local
# name (Meta-Wiki's project namespace "Meta") is known only to the wiki itself.
CANONICAL_NAMESPACES: dict[str, int] = {
    "media": -2, "special": -1, "talk": 1, "user": 2, "user talk": 3, "project": 4,
    "project talk": 5, "file": 6, "image": 6, "file talk": 7, "image talk": 7, "mediawiki": 8,
    "mediawiki talk": 9, "template": 10, "template talk": 11, "help": 12, "help talk": 13,
    "category": 14, "category talk": 15, "module": 828, "module talk": 829,
    "translations": 1198, "translations talk": 1199,
}  # fmt: skip

# Stands for the rest of a title under a prefix (an archive page's digest id) in the checks.
PREFIX_SAMPLE = "2000-01-01"


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def config_title(title: str) -> tuple[str, int] | None:
    """A title written in the configuration as the wiki would spell it, and its namespace, from
    MediaWiki's canonical namespace names (spaces for underscores, first letters capitalised).

    None when the part before a colon is no canonical name: it may be a namespace only the
    wiki knows (``Meta:``), or part of a title in the main namespace; only the wiki can tell.
    """
    text = " ".join(title.replace("_", " ").split())
    if ":" in text:
        head, rest = text.split(":", 1)
        key = " ".join(head.split()).lower()
        if key not in CANONICAL_NAMESPACES:
            return None
        namespace = CANONICAL_NAMESPACES[key]
        name = " ".join(w.capitalize() if i == 0 else w for i, w in enumerate(key.split()))
        return f"{name}:{_first_upper(rest.lstrip())}", namespace
    return _first_upper(text), 0


def pages_to_write(config: Config) -> list[tuple[str, str, str]]:
    """(job, config key, a title the bot writes) for each page the configuration names for
    writing. A prefix is represented by a title under it. The shutoff page is not among them:
    the bot only ever reads it."""
    digest = config.digest
    pages = [
        ("digest", "digest.archive_prefix", digest.archive_prefix + PREFIX_SAMPLE),
        ("digest", "digest.subscriber_page", digest.subscriber_page),
    ]
    if config.status_page.page:  # every job writes the status page ("*")
        pages.append(("*", "status_page.page", config.status_page.page))
    return pages


def write_refusals(
    config: Config,
    resolve: Callable[[str], tuple[str, int] | None] = config_title,
    *,
    job: str | None = None,
) -> list[tuple[str, str]]:
    """(config key, reason) for each page the configuration names for writing (of one ``job``,
    or of all) that lies outside the pages the bot may edit. ``resolve`` gives a title's
    spelling and namespace (None: unknown, not checked): by default from the canonical
    namespace names, on a run from the wiki."""
    refusals: list[tuple[str, str]] = []
    for writer, key, title in pages_to_write(config):
        if job is not None and writer not in (job, "*"):
            continue
        try:
            resolved = resolve(title)
        except Exception as exc:  # the wiki's own title check (Pywikibot's InvalidTitleError)
            refusals.append((key, f"{title!r} is not a valid page title: {exc}"))
            continue
        if resolved is None:
            continue
        refusal = edit_refusal(resolved[0], resolved[1], config)
        if refusal is not None:
            shown = title.removesuffix(PREFIX_SAMPLE) if key.endswith("_prefix") else title
            refusals.append((key, f"the bot must write {shown!r} but may not edit it: {refusal}"
                                  " (see [permissions])"))  # fmt: skip
    return refusals
