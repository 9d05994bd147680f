"""Which pages the bot may ever edit, whatever a page on the wiki asks for.

The configuration lists namespaces and title prefixes (`[permissions]`); digest deliveries may
additionally go to talk pages. Some pages are refused even when the configuration would allow
them: the MediaWiki namespace (interface messages), user scripts and styles, and JSON pages.
"""

from __future__ import annotations

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
