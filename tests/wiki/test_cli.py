"""The operator's CLI against the real local wiki: check, setup-wiki, templates that render."""

from __future__ import annotations

import io
import os
import secrets
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bots.errors import EXIT_OK, EXIT_SHUTOFF, EXIT_USAGE
from bots.operations.cli import main
from tests.support import Devwiki, RequestLog, WikiClient
from tests.support.requestlog import count_writes

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = (
    "Template:Advocacy case",
    "Template:Advocacy case index",
    "Template:Advocacy case index end",
    "Template:Advocacy translation status",
    "Template:Advocacy translation status end",
    "Template:Advocacy digest subscriber",
)


def run_cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(args), out=out)
    return code, out.getvalue()


def test_check_prints_account_groups_rights_and_scope(devwiki: Devwiki) -> None:
    code, out = run_cli("--config", str(devwiki.config_path), "check")
    assert code == EXIT_OK, out
    assert f"wiki:       advocacydev:en {devwiki.base_url}" in out
    assert "account:    AdvocacyBot" in out
    assert "groups:     bot, user, autoconfirmed" in out
    assert "bot=yes, apihighlimits=yes" in out
    assert "shutoff:    User:AdvocacyBot/Run: run" in out
    assert "may edit:   titles starting with Advocacy/, Advocacy Hub/ in namespaces 0, 4" in out


def test_check_reports_a_stopped_shutoff_page_with_exit_3(
    devwiki: Devwiki, admin: WikiClient
) -> None:
    admin.edit("User:AdvocacyBot/Run", "stop: testing the shutoff", "test")
    try:
        code, out = run_cli("--config", str(devwiki.config_path), "check")
    finally:
        admin.edit("User:AdvocacyBot/Run", "run", "test done")
    assert code == EXIT_SHUTOFF
    assert "it says 'stop: testing the shutoff', not 'run'" in out


def test_setup_wiki_installs_only_the_manifest_pages_and_is_idempotent(
    devwiki: Devwiki, tmp_path: Path, request_log: RequestLog, admin: WikiClient
) -> None:
    """A config kept anywhere (here a temporary folder far from the repository, with nothing
    beside it): setup-wiki installs the pages shipped with the package (bots/onwiki)."""
    # A config with renamed templates: the shipped pages go to the configured names.
    suffix = secrets.token_hex(3)  # the wiki outlives test sessions: a fresh name each time
    folder = tmp_path / "tool-home" / "advocacy"
    folder.mkdir(parents=True)
    text = (REPO / "config" / "devwiki.toml").read_text(encoding="utf-8")
    text = text.replace('case = "Advocacy case"', f'case = "Advocacy case {suffix}"')
    text = text.replace('state_dir = "var/state/devwiki"', f'state_dir = "{tmp_path}/state"')
    cfg = folder / "test.toml"
    cfg.write_text(text, encoding="utf-8")
    assert REPO not in cfg.resolve().parents and sorted(folder.iterdir()) == [cfg]

    mark = request_log.mark()
    code, out = run_cli("--config", str(cfg), "setup-wiki", "--simulate")
    assert code == EXIT_OK, out
    assert count_writes(request_log.since(mark)) == 0  # a dry run never writes
    assert not admin.exists(f"Template:Advocacy case {suffix}")

    code, out = run_cli("--config", str(cfg), "setup-wiki")
    assert code == EXIT_OK, out
    assert f"saved:     Template:Advocacy case {suffix}" in out
    shipped = REPO / "bots" / "onwiki"
    source = (shipped / "Template-Advocacy_case.wikitext").read_text(encoding="utf-8")
    assert admin.page_text(f"Template:Advocacy case {suffix}") == source.rstrip()

    mark = request_log.mark()
    code, out = run_cli("--config", str(cfg), "setup-wiki")
    assert code == EXIT_OK, out
    assert "saved:" not in out  # second run: nothing changed, no null edits
    assert count_writes(request_log.since(mark)) == 0


def test_setup_wiki_from_another_working_directory_uses_the_packaged_pages(
    devwiki: Devwiki, tmp_path: Path, request_log: RequestLog
) -> None:
    """The console script, started in a folder with no repository around it."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    text = (REPO / "config" / "devwiki.toml").read_text(encoding="utf-8")
    text = text.replace('state_dir = "var/state/devwiki"', f'state_dir = "{tmp_path}/state"')
    (folder / "hub.toml").write_text(text, encoding="utf-8")
    mark = request_log.mark()
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("advocacy-hub")), "--config", "hub.toml",
         "setup-wiki", "--simulate"],
        cwd=folder, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PYWIKIBOT_DIR": str(devwiki.pywikibot_dir)},
    )
    assert proc.returncode == EXIT_OK, proc.stdout + proc.stderr
    manifest = tomllib.loads((REPO / "bots" / "onwiki" / "pages.toml").read_text("utf-8"))
    shown = [line.split(":", 1)[1].strip().removesuffix(" (simulated)")
             for line in proc.stdout.splitlines() if line.startswith(("saved:", "unchanged:"))]
    assert sorted(shown) == sorted(entry["title"] for entry in manifest["page"]), proc.stdout
    assert count_writes(request_log.since(mark)) == 0


def test_run_refuses_pages_to_write_outside_permissions_in_a_namespace_only_the_wiki_knows(
    devwiki: Devwiki, tmp_path: Path, request_log: RequestLog
) -> None:
    """The project namespace is called "Advocacy Dev Wiki" on this wiki (as "Meta" on
    Meta-Wiki): loading the file cannot place the archive pages, the run does, from the
    namespaces that came with the login, before the job reads or writes anything."""
    text = (REPO / "config" / "devwiki.toml").read_text(encoding="utf-8")
    text = text.replace('archive_prefix = "Advocacy/Digest/Archive/"',
                        'archive_prefix = "Advocacy Dev Wiki:Digest archive/"')
    text = text.replace('state_dir = "var/state/devwiki"', f'state_dir = "{tmp_path}/state"')
    cfg = tmp_path / "project.toml"
    cfg.write_text(text, encoding="utf-8")
    mark = request_log.mark()
    code, out = run_cli("--config", str(cfg), "run", "digest")
    assert code == EXIT_USAGE, out
    assert (f"  error: config error: {cfg}: digest.archive_prefix: the bot must write "
            "'Advocacy Dev Wiki:Digest archive/' but may not edit it: the title is outside "
            "permissions.edit_prefixes (see [permissions])") in out
    assert count_writes(request_log.since(mark)) == 0
    code, out = run_cli("--config", str(cfg), "check")
    assert code == EXIT_USAGE
    # allowed once the permissions name the project namespace's prefix
    allowed = text.replace('edit_prefixes = ["Advocacy/", "Advocacy Hub/"]',
                           'edit_prefixes = ["Advocacy/", "Advocacy Hub/", '
                           '"Advocacy Dev Wiki:Digest archive/"]')
    cfg.write_text(allowed, encoding="utf-8")
    code, out = run_cli("--config", str(cfg), "run", "digest", "--simulate")
    assert "config error" not in out, out


@pytest.mark.parametrize("title", TEMPLATES)
def test_templatedata_is_valid_on_the_wiki(admin: WikiClient, title: str) -> None:
    data = admin.get(action="templatedata", titles=title, lang="en")
    pages = data["pages"]
    [page] = pages.values() if isinstance(pages, dict) else pages
    assert page["title"] == title
    if not title.endswith(" end"):  # end markers take no parameters
        assert page["params"], title
    assert "description" in page


def test_case_template_renders_an_infobox_with_its_fields(admin: WikiClient) -> None:
    html = admin.parse_html(
        "Advocacy/Rendering test",
        text="{{Advocacy case|title=Freedom of panorama test|region=europe|status=active"
        "|topic=freedom-of-panorama|start=2015-06|contact=Tester1|lessons=Build coalitions"
        "|partners=Wikimedia Deutschland}}",
    )
    for shown in ("Freedom of panorama test", "Europe", "Active", "2015-06",
                  "Build coalitions", "Wikimedia Deutschland", "Tester1"):
        assert shown in html, shown
    hidden = admin.parse_html(
        "Advocacy/Rendering test",
        text="{{Advocacy case|title=T|region=europe|status=active|contact=SecretPerson"
        "|sensitive=yes}}",
    )
    assert "SecretPerson" not in hidden


def test_simulate_run_of_every_job_sends_no_write(
    devwiki: Devwiki, request_log: RequestLog
) -> None:
    mark = request_log.mark()
    code, out = run_cli("--config", str(devwiki.config_path), "run", "all", "--simulate")
    assert code in (EXIT_OK, 1), out
    assert "index:" in out and "translations:" in out and "digest:" in out
    assert count_writes(request_log.since(mark)) == 0
