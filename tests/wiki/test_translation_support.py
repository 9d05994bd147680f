"""Helpers shared by the translation status job's wiki tests (test_translation_*.py).

* ``translations_config``: the test config with edits allowed only under the test's prefix;
* ``run_translations``: one run of the job in-process with a fresh, logged-in session; the
  ``JobResult`` (exit code, report) is returned whatever the exit code;
* readers of what the job wrote: ``regions`` (bodies between the markers, stamp removed),
  ``cells`` (``data-cell`` key -> the figures shown, without the state symbol and the link),
  ``cell_links`` (``data-cell`` key -> the cell's link target), ``row_pages`` (pages that
  have a row);
* ``status_page``: a page with some status markers and text of its own around them;
* ``units_page`` / ``hand_page``: source pages of the two kinds, as import records.

Import them as ``from tests.wiki.test_translation_support import ...``.
"""

from __future__ import annotations

import dataclasses
import io
import re
from typing import Any

from bots.config.model import Config
from bots.operations.jobs import JobResult, run_job
from bots.run_options import RunOptions
from bots.wiki.session import WikiSession
from bots.wikitext.markers import strip_stamp

START = "Advocacy translation status"
END = "Advocacy translation status end"
PLACEHOLDER = "The bot will fill this in."
AROUND = ("Intro text that is ours.\n\n", "\n\n[[Category:Kept]] Footer text.")


def translations_config(config: Config, prefix: str, **translations: Any) -> Config:
    """Only pages under ``prefix`` may be edited (marker pages of other tests are skipped);
    ``translations`` keys replace those of ``[translations]``."""
    perms = dataclasses.replace(config.permissions, edit_prefixes=(prefix,))
    section = dataclasses.replace(config.translations, **translations)
    return dataclasses.replace(config, permissions=perms, translations=section)


def run_translations(config: Config, **options: Any) -> JobResult:
    session = WikiSession(config, simulate=bool(options.get("simulate")))
    session.login()
    return run_job("translations", session, config, RunOptions(out=io.StringIO(), **options))


def status_page(*markers: str) -> str:
    pairs = (f"{{{{{START}|{m}}}}}\n{PLACEHOLDER}\n{{{{{END}}}}}" for m in markers)
    return AROUND[0] + "\n".join(pairs) + AROUND[1]


def regions(text: str) -> list[str]:
    """Bodies (stamp removed) between each pair of markers."""
    pattern = re.compile(r"\{\{" + START + r"\|[^}]*\}\}(.*?)\{\{" + END + r"\}\}", re.S)
    return [strip_stamp(m.group(1)) for m in pattern.finditer(text)]


SYMBOLS = ("✓ ", "◐ ", "↻ ", "○ ")
_LINK_RE = re.compile(
    r'<span class="plainlinks">\[(?P<url>\S+) (?P<ext>[^\]]*)\]</span>'
    r"|\[\[:(?P<target>[^|\]]*)\|(?P<label>[^\]]*)\]\]"
)


def cell_lines(body: str) -> dict[str, str]:
    """``data-cell`` key -> the cell's content as written."""
    return dict(re.findall(r'^\| data-cell="([^"]+)" [^|]*\| (.*)$', body, re.M))


def figure(content: str) -> str:
    """A cell's figures as a reader sees them: state symbol and link markup removed."""
    for symbol in SYMBOLS:
        content = content.removeprefix(symbol)
    return _LINK_RE.sub(lambda m: m.group("ext") or m.group("label"), content)


def cells(body: str) -> dict[str, str]:
    return {key: figure(content) for key, content in cell_lines(body).items()}


def cell_links(body: str) -> dict[str, str]:
    """``data-cell`` key -> the target of the cell's link (cells without one left out)."""
    out = {}
    for key, content in cell_lines(body).items():
        m = _LINK_RE.search(content)
        if m:
            out[key] = m.group("url") or m.group("target")
    return out


def row_pages(body: str) -> list[str]:
    """Pages with a row, in table order (from the row headers' links)."""
    return re.findall(r'^! scope="row" \| (?:<bdi>)?\[\[:([^|\]]+)\|', body, re.M)


def units_page(title: str, units: int, *, age_days: float = 30, **extra: Any) -> dict[str, Any]:
    """A source page with ``units`` translation units, as Translate lays them out."""
    body = "\n\n".join(f"<!--T:{n}-->\nParagraph {n}." for n in range(1, units + 1))
    return {"title": title, "text": f"<languages/>\n<translate>\n{body}\n</translate>\n",
            "age_days": age_days, **extra}  # fmt: skip


def hand_page(title: str, text: str = "A page translated by hand.", *, age_days: float = 30,
              user: str = "Tester2") -> dict[str, Any]:  # fmt: skip
    return {"title": title, "text": text, "age_days": age_days, "user": user}
