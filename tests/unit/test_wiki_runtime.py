"""Pywikibot is loaded by the wiki layer only, and only when a session needs it.

Pywikibot reads ``PYWIKIBOT_DIR`` and ``user-config.py`` when it is first imported, so the
command line must be able to apply ``-dir:PATH`` after importing every ``bots`` module.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

IMPORT_ALL = """
import sys
import bots.operations.cli, bots.operations.scheduler, bots.wiki.connect, bots.wiki.saves
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("pywikibot", "apscheduler"))
print(",".join(loaded))
"""


def test_importing_the_command_line_does_not_load_pywikibot() -> None:
    proc = subprocess.run([sys.executable, "-c", IMPORT_ALL], capture_output=True, text=True,
                          cwd=REPO, timeout=60, check=True)
    assert proc.stdout.strip() == "", proc.stdout


# ---------------------------------------------------------------------------------------------
# The wiki's limits, from siteinfo's `general` part (read with the account at login)


def test_site_limits_take_the_wikis_maximum_page_size_in_bytes() -> None:
    from bots.wiki.records import limits_from

    limits = limits_from({"maxarticlesize": 3 * 1024, "lang": "fr"})
    assert (limits.max_page_bytes, limits.content_language) == (3072, "fr")


def test_site_limits_fall_back_to_mediawikis_default_for_missing_or_odd_values() -> None:
    from bots.wiki.records import DEFAULT_MAX_PAGE_BYTES, limits_from

    assert DEFAULT_MAX_PAGE_BYTES == 2 * 1024 * 1024
    for odd in ({}, {"maxarticlesize": 0}, {"maxarticlesize": -5}, {"maxarticlesize": "2048"},
                {"maxarticlesize": True}, {"maxarticlesize": None}):
        limits = limits_from(odd)
        assert limits.max_page_bytes == DEFAULT_MAX_PAGE_BYTES, odd
        assert limits.content_language == "en"


def test_a_saved_outcome_says_whether_it_landed_on_an_unread_revision() -> None:
    from bots.outcomes import JobReport, Saved

    plain = Saved("P", 12, "s", base_revid=11, applied_on=11)
    created = Saved("P", 12, "s")
    landed = Saved("P", 14, "s", base_revid=11, applied_on=12, note="P: an edit came in")
    assert not plain.landed_on_other_edit and not created.landed_on_other_edit
    assert landed.landed_on_other_edit
    report = JobReport("index")
    for outcome in (plain, landed):
        report.record(outcome)
    assert report.edits == [plain, landed]
    assert report.notes == ["P: an edit came in"]  # the note reaches the run's notes
