"""`advocacy-hub`: the operators' command line.

    advocacy-hub [--config FILE] check
    advocacy-hub [--config FILE] setup-wiki [--simulate] [--diff]
    advocacy-hub [--config FILE] run JOB... [--simulate] [--diff] [--force]

Pywikibot's own global options (single dash: `-simulate`, `-dir:PATH`, `-user:NAME`, ...) pass
through. Exit codes: 0 success, 1 a job failed, 2 usage or config error, 3 refused because the
shutoff page says stop.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bots.config.model import JOB_NAMES, Config, ConfigError
from bots.errors import EXIT_JOB_FAILED, EXIT_OK, EXIT_SHUTOFF, EXIT_USAGE, BotStop
from bots.operations import commands
from bots.operations.config_checks import load_checked_config
from bots.operations.jobs import check_pages_to_write, run_job
from bots.operations.runlog import RunOutcome, record_unstarted
from bots.operations.setup_wiki import install_onwiki_pages
from bots.operations.source_checks import check_sources
from bots.run_options import RunOptions
from bots.shutdown import graceful_stop, stop_requested
from bots.wiki.connect import open_session, wiki_description
from bots.wiki.credentials import install_log_redaction, redact
from bots.wiki.pywikibot_dir import PywikibotSetupError, check_pywikibot_dir
from bots.wiki.runtime import apply_global_options
from bots.wiki.session import WikiSession

log = logging.getLogger("bots")

DEFAULT_CONFIG = "config/meta.toml"
# commands that log in to the wiki: Pywikibot's folder must be set up before they start
WIKI_COMMANDS = frozenset({"check", "setup-wiki", "run", "schedule", "watch"})


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="advocacy-hub",
        description="Advocacy Hub bot: case index, translation status and digest jobs.",
        epilog="Pywikibot global options such as -simulate or -dir:PATH are passed through.",
    )
    parser.add_argument(
        "--config",
        default=os.environ.get("ADVOCACY_HUB_CONFIG", DEFAULT_CONFIG),
        help="TOML config file (default: $ADVOCACY_HUB_CONFIG or %(default)s)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    sub.add_parser("check", help="validate config, log in, show account, rights and shutoff")

    setup = sub.add_parser("setup-wiki", help="create or update the on-wiki templates and docs")
    setup.add_argument("--simulate", action="store_true", help="never write")
    setup.add_argument("--diff", action="store_true", help="print the diff of each edit")

    run = sub.add_parser("run", help="run jobs once")
    run.add_argument("jobs", nargs="+", choices=(*JOB_NAMES, "all"), metavar="JOB",
                     help=f"one or more of: {', '.join(JOB_NAMES)}, all")
    run.add_argument("--simulate", action="store_true", help="never write (dry run)")
    run.add_argument("--diff", action="store_true", help="print the diff of each edit")
    run.add_argument("--force", action="store_true",
                     help="save even when the circuit breaker would refuse")
    run.add_argument("--stop-after", type=int, default=None, help=argparse.SUPPRESS)

    commands.add_commands(sub)
    return parser


def split_pywikibot_args(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """Separate Pywikibot's single-dash global options from ours."""
    ours: list[str] = []
    theirs: list[str] = []
    for arg in argv:
        if arg.startswith("-") and not arg.startswith("--") and len(arg) > 2:
            theirs.append(arg)
        else:
            ours.append(arg)
    return ours, theirs


def _apply_pywikibot_args(args: list[str]) -> bool:
    """Hand global options to Pywikibot; return whether -simulate was among them."""
    applied = apply_global_options(args)
    if applied.unknown:
        raise UsageError(f"unknown option(s): {' '.join(applied.unknown)}")
    return applied.simulate


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("urllib3", "requests"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    install_log_redaction()


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    argv = list(sys.argv[1:] if argv is None else argv)
    ours, pwb_args = split_pywikibot_args(argv)
    try:
        args = build_parser().parse_args(ours)
    except UsageError as exc:
        print(f"advocacy-hub: usage error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    _setup_logging(args.verbose)
    try:
        config = load_checked_config(args.config)
    except ConfigError as exc:
        print(f"advocacy-hub: config error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    simulate = "-simulate" in pwb_args or bool(getattr(args, "simulate", False))
    try:
        if args.command in WIKI_COMMANDS:
            check_pywikibot_dir(pwb_args)
        simulate = _apply_pywikibot_args(pwb_args) or getattr(args, "simulate", False)
    except UsageError as exc:
        print(f"advocacy-hub: usage error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except PywikibotSetupError as exc:
        print(f"advocacy-hub: setup error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # importing Pywikibot runs the operator's user-config.py
        return _crashed(args, config, simulate, exc)
    try:
        return _dispatch(args, config, simulate, out)
    except PywikibotSetupError as exc:
        print(f"advocacy-hub: setup error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BotStop as exc:
        print(f"advocacy-hub: stopped: {exc}", file=sys.stderr)
        return exc.exit_code
    except ConfigError as exc:
        print(f"advocacy-hub: config error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a crash: recorded in the run log, never only a traceback
        return _crashed(args, config, simulate, exc)


def _command_jobs(args: argparse.Namespace) -> list[str]:
    """The run log's job names for what this command line was running."""
    if args.command == "run":
        return list(JOB_NAMES) if "all" in args.jobs else list(dict.fromkeys(args.jobs))
    return [args.command]


def _crashed(args: argparse.Namespace, config: Config, simulate: bool, exc: Exception) -> int:
    error = redact(f"crashed: {type(exc).__name__}: {exc}")
    log.error("%s\n%s", error, redact(traceback.format_exc()))
    try:
        for job in _command_jobs(args):
            record_unstarted(config, job, RunOutcome.FAILED, EXIT_JOB_FAILED, error, simulate)
    except OSError as log_error:  # the state folder itself is the problem
        print(f"advocacy-hub: the run log could not be written: {log_error}", file=sys.stderr)
    print(f"advocacy-hub: {error} (recorded in the run log; the traceback is in the log above)",
          file=sys.stderr)
    return EXIT_JOB_FAILED


def _dispatch(args: argparse.Namespace, config: Config, simulate: bool, out: TextIO) -> int:
    if args.command == "check":
        return cmd_check(config, out)
    if args.command == "setup-wiki":
        return cmd_setup_wiki(config, simulate=simulate, diff=args.diff, out=out)
    if args.command == "run":
        jobs = list(JOB_NAMES) if "all" in args.jobs else list(dict.fromkeys(args.jobs))
        return cmd_run(config, jobs, simulate=simulate, diff=args.diff, force=args.force,
                       out=out, stop_after=args.stop_after)
    return commands.dispatch(args, config, simulate, out)


def cmd_check(config: Config, out: TextIO) -> int:
    session = open_session(config)
    for job in JOB_NAMES:  # with the wiki's namespaces: a ConfigError, exit 2
        check_pages_to_write(session, config, job)
    info = session.account_info(force=True)
    print(f"config:     {config.path}", file=out)
    print(f"wiki:       {wiki_description(session)}", file=out)
    print(f"account:    {info.name}", file=out)
    print(f"groups:     {', '.join(g for g in info.groups if g not in ('*',))}", file=out)
    print(f"rights:     bot={'yes' if 'bot' in info.rights else 'NO'}, "
          f"apihighlimits={'yes' if 'apihighlimits' in info.rights else 'no'}"
          f" ({', '.join(info.rights)})", file=out)
    print(f"blocked:    {'YES: ' + info.block_reason if info.blocked else 'no'}", file=out)
    shutoff = session.shutoff_status()
    print(f"shutoff:    {config.shutoff.page}: {shutoff.describe()}", file=out)
    perms = config.permissions
    print(f"may edit:   titles starting with {', '.join(perms.edit_prefixes)} "
          f"in namespaces {', '.join(map(str, perms.edit_namespaces))}; "
          "digests on talk pages only", file=out)
    print(f"cases from: namespaces {', '.join(map(str, perms.case_namespaces))}"
          + (f", prefixes {', '.join(perms.case_prefixes)}" if perms.case_prefixes else ""),
          file=out)
    pywikibot_dir = check_pywikibot_dir()
    print(f"pywikibot:  {pywikibot_dir.describe()}", file=out)
    state_line, state_ok = describe_state_dir(config)
    print(f"state dir:  {state_line}", file=out)
    sources_code = check_sources(session, config, out)  # every source wiki, even if one fails
    if not state_ok:
        return EXIT_USAGE
    if info.blocked:
        return EXIT_JOB_FAILED
    if not shutoff.says_run:
        return EXIT_SHUTOFF
    if "bot" not in info.groups:
        print("warning:    the account is not in the bot group", file=out)
    return sources_code


def describe_state_dir(config: Config) -> tuple[str, bool]:
    """Where the state folder resolves, from which setting, and whether the bot can write it."""
    folder = config.state_path
    setting = config.runtime.state_dir
    origin = (f"runtime.state_dir = {setting!r}" if Path(setting).is_absolute() else
              f"runtime.state_dir = {setting!r}, relative to "
              f"{Path(config.path).resolve().parent.parent}, the config folder's parent")
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"{folder} ({origin}); NOT USABLE: {existing} is not a folder", False
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{folder} ({origin}); NOT WRITABLE: {existing} refuses this user", False
    state = "exists, writable" if existing == folder else f"created at the first run in {existing}"
    return f"{folder} ({origin}); {state}", True


def cmd_setup_wiki(config: Config, *, simulate: bool, diff: bool, out: TextIO) -> int:
    session = open_session(config, simulate)
    session.preflight()
    report = install_onwiki_pages(session, config, show_diff=diff, out=out)
    for saved in report.edits:
        print(f"saved:     {saved.title}"
              + (f" (simulated), summary: {saved.summary}" if saved.simulated else ""), file=out)
    for same in report.unchanged:
        print(f"unchanged: {same.title}", file=out)
    for skip in report.skipped:
        print(f"skipped:   {skip.title}: {skip.reason}", file=out)
    for fail in report.failures:
        print(f"FAILED:    {fail.title}: {fail.reason}", file=out)
    return EXIT_OK if report.ok else EXIT_JOB_FAILED


def cmd_run(config: Config, jobs: list[str], *, simulate: bool, diff: bool, force: bool,
            out: TextIO, stop_after: int | None = None) -> int:
    try:
        session = open_session(config, simulate)
    except PywikibotSetupError:
        raise
    except Exception as exc:  # the wiki is down, login refused, ...: in the run log too
        code = exc.exit_code if isinstance(exc, BotStop) else EXIT_JOB_FAILED
        error = redact(f"could not open a session: {type(exc).__name__}: {exc}")
        if not isinstance(exc, BotStop):
            log.error("%s\n%s", error, redact(traceback.format_exc()))
        outcome = RunOutcome.STOPPED if code == EXIT_SHUTOFF else RunOutcome.FAILED
        for job in jobs:
            record_unstarted(config, job, outcome, code, error, simulate)
        print(f"advocacy-hub: {error}", file=sys.stderr)
        return code
    options = RunOptions(simulate=simulate, diff=diff, force=force, out=out,
                         stop_after=stop_after)
    # SIGTERM/Ctrl-C: the edit in flight finishes, no further edit or job starts
    with graceful_stop():
        return _run_jobs(jobs, session, config, options)


def _run_jobs(jobs: list[str], session: WikiSession, config: Config, options: RunOptions) -> int:
    out = options.out
    worst = EXIT_OK
    for job in jobs:
        if stop_requested():
            break
        result = run_job(job, session, config, options)
        print(result.report.summary_line() + (" (simulated)" if options.simulate else ""),
              file=out)
        for saved in result.report.edits:
            if saved.simulated:  # a dry run shows what each edit would say in the history
                print(f"  would edit {saved.title}: {saved.summary}", file=out)
        for line in result.report.notes:
            print(f"  note: {line}", file=out)
        for skip in result.report.skipped:
            print(f"  skipped {skip.title}: {skip.reason}", file=out)
        for fail in result.report.failures:
            print(f"  FAILED {fail.title}: {fail.reason}", file=out)
        if result.error:
            print(f"  error: {result.error}", file=out)
        if result.exit_code == EXIT_SHUTOFF:
            return EXIT_SHUTOFF  # the community said stop: run no further job
        worst = max(worst, result.exit_code)
    return worst


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
