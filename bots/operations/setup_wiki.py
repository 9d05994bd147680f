"""Install the on-wiki templates and documentation shipped with the package in `bots/onwiki/`.

The manifest `bots/onwiki/pages.toml` lists `[[page]]` entries (`title`, `file`). Template
names are configurable, so a shipped page whose title is a default template name is saved under
the configured name. Only the manifest's pages are ever written by `setup-wiki`.

The pages are package data: `setup-wiki` finds them wherever the package is installed, so a
config file kept anywhere (an operator's tool home) works.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Callable
from dataclasses import fields
from importlib import resources
from pathlib import Path
from typing import TextIO

from bots.config.model import Config, ConfigError, TemplatesConfig
from bots.outcomes import JobReport, Skipped
from bots.wiki.records import PageSnapshot
from bots.wiki.saves import save_page
from bots.wiki.session import WikiSession

SUMMARY = "Advocacy Hub: install or update the bot's on-wiki templates and documentation"


def _renamed_titles(config: Config) -> dict[str, str]:
    """Default template titles -> configured titles."""
    defaults = TemplatesConfig()
    out: dict[str, str] = {}
    for f in fields(TemplatesConfig):
        default = getattr(defaults, f.name)
        if isinstance(default, str):
            out[f"Template:{default}"] = f"Template:{getattr(config.templates, f.name)}"
    return out


def shipped_pages() -> Path:
    """The folder of the on-wiki pages shipped with the package (``bots/onwiki``)."""
    return Path(str(resources.files("bots").joinpath("onwiki")))


def load_manifest(folder: Path) -> list[tuple[str, str]]:
    """(title, wikitext) for each page of the manifest, in manifest order."""
    manifest = folder / "pages.toml"
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(manifest, "", f"cannot read the on-wiki manifest: {exc}") from exc
    pages: list[tuple[str, str]] = []
    for i, entry in enumerate(data.get("page", [])):
        try:
            title, file = entry["title"], entry["file"]
            text = (folder / file).read_text(encoding="utf-8")
        except (KeyError, OSError) as exc:
            raise ConfigError(manifest, f"page[{i}]", f"bad entry: {exc}") from exc
        pages.append((title, text))
    return pages


def install_onwiki_pages(
    session: WikiSession, config: Config, folder: Path | None = None, *,
    show_diff: bool = False, out: TextIO | None = None,
) -> JobReport:
    """Save the manifest's pages (by default those shipped with the package) as configured."""
    report = JobReport(job="setup-wiki")
    renamed = _renamed_titles(config)
    pages = [(renamed.get(title, title), text)
             for title, text in load_manifest(folder or shipped_pages())]  # fmt: skip
    snapshots = session.read_pages([t for t, _ in pages])
    report.pages_read = len(pages)
    for title, text in pages:
        name, namespace = session.normalize(title)
        if namespace == 8 or name.lower().endswith((".js", ".css", ".json")):
            report.record(Skipped(name, "setup-wiki never writes interface or code pages"))
            continue
        wanted = text.rstrip()
        outcome = save_page(
            session, name, _always(wanted), SUMMARY,
            base=snapshots.get(title), may_create=True, show_diff=show_diff,
            diff_out=out or sys.stdout, refusal=lambda _t, _ns: None,
        )
        report.record(outcome)
    return report


def _always(text: str) -> Callable[[PageSnapshot], str]:
    """A page builder that ignores the page as it is: the manifest's text is the page."""
    return lambda _base: text
