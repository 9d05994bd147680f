"""`advocacy-hub check` with several source wikis (issue 16), on the two real local wikis: the
central English wiki and the French one. The participation page on the central wiki, a wiki
not listed (skipped), a wiki that is down (an error, exit 1, the other wikis still checked), a
case template that does not exist."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from bots.errors import EXIT_JOB_FAILED, EXIT_OK
from bots.operations.cli import main
from tests.support.devwiki import Devwiki, bring_up_second, server_stopped, start_server
from tests.support.mwapi import WikiClient
from tests.support.requestlog import RequestLog, count_writes

REPO = Path(__file__).resolve().parents[2]
FRENCH_TEMPLATE = "Modèle:Cas de plaidoyer"  # config/seed/fr/seed.toml


@pytest.fixture(scope="module")
def second(devwiki: Devwiki) -> Iterator[Devwiki]:
    wiki = bring_up_second(devwiki)
    yield wiki
    start_server(wiki)  # whatever a test did, leave it running for the next one


def source_table(wiki_id: str, family: str, code: str, language: str, namespaces: str,
                 prefix: str, template: str) -> str:  # fmt: skip
    return (f'\n[[sources]]\nid = "{wiki_id}"\nfamily = "{family}"\ncode = "{code}"\n'
            f'language = "{language}"\ncase_namespaces = {namespaces}\n'
            f'case_prefixes = ["{prefix}"]\ncase_template = "{template}"\n')  # fmt: skip


def write_config(tmp_path: Path, prefix: str, *, french_first: bool = False,
                 central_template: str = "Advocacy case",
                 french_namespaces: str = "[4]") -> Path:  # fmt: skip
    """config/devwiki.toml with a participation page under the test's prefix and two source
    wikis (the central one and the French one), plus one that is never listed."""
    text = (REPO / "config" / "devwiki.toml").read_text(encoding="utf-8")
    text = text.replace('state_dir = "var/state/devwiki"', f'state_dir = "{tmp_path}/state"')
    central = source_table("dev", "advocacydev", "en", "en", "[0]", prefix, central_template)
    french = source_table("frdev", "advocacydevfr", "fr", "fr", french_namespaces,
                          "Advocacy Dev Wiki:Plaidoyer/", "Cas de plaidoyer")
    # in the configuration, never on the list: skipped, never contacted (nothing listens there)
    ghost = ('\n[[sources]]\nid = "ghost"\napi_url = "http://127.0.0.1:9/api.php"\n'
             'language = "de"\ncase_namespaces = [4]\n')
    tables = french + central if french_first else central + french
    text += (f'\n[participation]\npage = "{prefix}Participating wikis"\n' + tables + ghost)
    path = tmp_path / "two-wikis.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run_check(path: Path) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["--config", str(path), "check"], out=out)
    return code, out.getvalue()


def section(out: str, wiki_id: str) -> str:
    """The lines `check` printed for one source wiki."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"source {wiki_id}:"))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith("  ")),
               len(lines))  # fmt: skip
    return "\n".join(lines[start:end])


def test_check_logs_in_to_each_listed_wiki_and_reads_its_case_template(
    devwiki: Devwiki, second: Devwiki, tmp_path: Path, prefix: str, tester1: WikiClient
) -> None:
    tester1.edit(f"{prefix}Participating wikis", "* frdev — Wikimédia France\n* dewiki\n")
    path = write_config(tmp_path, prefix)
    fr_log, en_log = RequestLog(second), RequestLog(devwiki)
    fr_mark, en_mark = fr_log.mark(), en_log.mark()
    code, out = run_check(path)
    assert code == EXIT_OK, out
    assert f"participation: {prefix}Participating wikis: lists frdev" in out
    assert "listed, but not in the configuration (ignored): dewiki" in out
    dev = section(out, "dev")
    assert f"advocacydev:en {devwiki.base_url}" in dev and "(the central wiki)" in dev
    assert "template: Template:Advocacy case exists" in dev
    assert "cases:    namespaces 0 (main)" in dev
    assert f"prefix:   {prefix}: namespace 0, has pages" in dev  # the participation page
    frdev = section(out, "frdev")
    assert f"source frdev: advocacydevfr:fr {second.base_url}" in frdev
    assert "account:  AdvocacyBot\n" in frdev + "\n"
    assert "language: fr (the wiki's content language)" in frdev
    # the French wiki's own name of the namespace: the template as the wiki knows it
    assert f"template: {FRENCH_TEMPLATE} exists; redirects to it:" in frdev
    assert "cases:    namespaces 4 (Advocacy Dev Wiki)" in frdev
    assert "prefix:   Advocacy Dev Wiki:Plaidoyer/: namespace 4, has pages" in frdev
    assert section(out, "ghost") == (
        f"source ghost: skipped: not listed on the participation page {prefix}Participating wikis")
    # it only read: not one write on either wiki, and the French wiki was asked by the bot
    assert count_writes(fr_log.since(fr_mark)) == count_writes(en_log.since(en_mark)) == 0
    assert any(r.user == "AdvocacyBot" for r in fr_log.since(fr_mark))


def test_a_down_wiki_is_an_error_with_exit_1_and_the_others_are_still_checked(
    devwiki: Devwiki, second: Devwiki, tmp_path: Path, prefix: str, tester1: WikiClient
) -> None:
    tester1.edit(f"{prefix}Participating wikis", "* frdev\n")
    path = write_config(tmp_path, prefix, french_first=True)  # the down wiki comes first
    with server_stopped(second):
        code, out = run_check(path)
    assert code == EXIT_JOB_FAILED, out
    frdev = section(out, "frdev")
    assert frdev.startswith("source frdev: ERROR: WikiUnavailableError:"), frdev
    dev = section(out, "dev")  # checked after the failure, as usual
    assert "template: Template:Advocacy case exists" in dev
    assert section(out, "ghost").startswith("source ghost: skipped:")
    assert out.index("source frdev:") < out.index("source dev:")


def test_a_prefix_outside_the_case_namespaces_and_a_namespace_the_wiki_lacks_fail(
    devwiki: Devwiki, second: Devwiki, tmp_path: Path, prefix: str, tester1: WikiClient
) -> None:
    tester1.edit(f"{prefix}Participating wikis", "* frdev\n")
    path = write_config(tmp_path, prefix, french_namespaces="[0, 3000]")
    code, out = run_check(path)
    assert code == EXIT_JOB_FAILED, out
    frdev = section(out, "frdev")
    assert "cases:    namespaces 0 (main), 3000 (MISSING)" in frdev
    assert "ERROR: the wiki has no namespace 3000" in frdev
    assert ("prefix:   Advocacy Dev Wiki:Plaidoyer/: in namespace 4, which is not in "
            "case_namespaces") in frdev
    assert f"template: {FRENCH_TEMPLATE} exists" in frdev  # the rest is still reported
    assert "template: Template:Advocacy case exists" in section(out, "dev")


def test_a_missing_participation_page_skips_every_other_wiki_and_a_missing_template_fails(
    devwiki: Devwiki, second: Devwiki, tmp_path: Path, prefix: str
) -> None:
    path = write_config(tmp_path, prefix, central_template=f"No such template {prefix[-7:-1]}")
    code, out = run_check(path)
    assert code == EXIT_JOB_FAILED, out
    assert (f"participation: {prefix}Participating wikis: DOES NOT EXIST: every wiki but the "
            "central one is skipped") in out
    assert section(out, "frdev") == (
        f"source frdev: skipped: the participation page {prefix}Participating wikis does not "
        "exist")
    dev = section(out, "dev")
    assert f"template: Template:No such template {prefix[-7:-1]}: MISSING" in dev
    assert f"prefix:   {prefix}: namespace 0, warning: no page under it yet" in dev
