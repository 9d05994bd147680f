"""`jobs.yaml` for Toolforge's Jobs framework: one scheduled job per wiki config and bot job.

    advocacy-hub toolforge-jobs --config config/meta.toml --config config/other.toml
    toolforge jobs load jobs.yaml

On Toolforge each job is a Kubernetes cron job that runs `advocacy-hub ... run <job>` once; the
job locks (on the shared NFS state folder) keep runs of one job from overlapping, and the exit
code tells Toolforge whether to mail the maintainers (`emails: onfailure`).

The file carries no secret, by construction and by a final check: credentials reach the jobs
as Toolforge environment variables (`toolforge envvars create`), which every job of the tool
receives, and `PYWIKIBOT_DIR` points at a Pywikibot folder whose `user-config.py` reads them.

Schedules are written so that Toolforge's own cron parser accepts them (it takes weekday names
only alone, no month names, and no step on a range) while meaning exactly what the config says.
Toolforge runs cron jobs in UTC, so a config with another `schedule.timezone` is refused.
The YAML is written by a tiny emitter (every string double-quoted, JSON-escaped), so PyYAML is
not needed at run time.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bots.config.cron import CronSchedule, parse_cron
from bots.config.model import JOB_NAMES, Config, ConfigError
from bots.operations.scheduler import schedule_expression

DEFAULT_IMAGE = "python3.11"
DEFAULT_MEMORY = "512Mi"
DEFAULT_WORKDIR = "$TOOL_DATA_DIR/advocacy-hub"
DEFAULT_EXECUTABLE = ".venv/bin/advocacy-hub"

# Kubernetes names (RFC 1123 labels); Toolforge caps job names at 52 characters (cron jobs).
_JOB_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
MAX_JOB_NAME = 52

# Anything that looks like a credential must never be written into the file.
_SECRET_LIKE = re.compile(
    r"(?i)password|passwd|secret|token|botpassword\(|bearer\s|api_?key|cookie|[0-9a-f]{32}\+"
)


class ToolforgeError(ValueError):
    """The jobs file cannot be written as asked (name clash, time zone, secret-like value)."""


@dataclass(frozen=True)
class ToolforgeJob:
    name: str
    command: str
    schedule: str
    image: str
    mem: str
    emails: str = "onfailure"
    filelog: bool = True
    mount: str = "all"  # the state folder and the Pywikibot folder live on the NFS home


def wiki_slug(config: Config) -> str:
    """A DNS-safe name for the wiki of a config: its file name without `.toml`."""
    slug = re.sub(r"[^a-z0-9]+", "-", Path(config.path).stem.lower()).strip("-")
    if not slug:
        raise ToolforgeError(f"{config.path}: cannot make a job name from this file name")
    return slug


def job_name(wiki: str, job: str) -> str:
    name = f"{wiki}-{job}".replace("_", "-")
    if len(name) > MAX_JOB_NAME or not _JOB_NAME.match(name):
        raise ToolforgeError(
            f"job name {name!r} is not a valid Toolforge name (lowercase letters, digits and "
            f"dashes, at most {MAX_JOB_NAME} characters): rename the config file"
        )
    return name


# ------------------------------------------------------------------------------ schedules
_TOOLFORGE_MAX = (59, 23, 31, 12, 6)
_TOOLFORGE_MIN = (0, 0, 1, 1, 0)
# "7" is left out: Kubernetes only knows 0-6 for weekdays
_WEEKDAY_ALIASES = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}


def _toolforge_accepts(text: str, index: int) -> bool:
    """Whether Toolforge's cron parser accepts this field as written (mirrors its rules)."""
    low, high = _TOOLFORGE_MIN[index], _TOOLFORGE_MAX[index]

    def number(token: str) -> bool:
        return token.isdigit() and low <= int(token) <= high

    for entry in text.lower().split(","):
        if "-" in entry:
            if "/" in entry:
                return False
            first, _, last = entry.partition("-")
            if not (number(first) and number(last) and int(first) <= int(last)):
                return False
            continue
        base, slash, step = entry.partition("/")
        if slash and not (step.isdigit() and 1 <= int(step) <= high and int(step) >= low):
            return False
        if base == "*" or number(base) or (index == 4 and base in _WEEKDAY_ALIASES):
            continue
        return False
    return True


def _explicit(schedule: CronSchedule, index: int) -> str:
    return "*" if schedule.is_every(index) else ",".join(map(str, sorted(schedule.values[index])))


def toolforge_schedule(expression: str) -> str:
    """The expression as Toolforge accepts it, with the same meaning as in cron."""
    schedule = parse_cron(expression)
    parts = [
        text if _toolforge_accepts(text, i) else _explicit(schedule, i)
        for i, text in enumerate(schedule.fields)
    ]
    return " ".join(parts)


# ------------------------------------------------------------------------------ jobs
def _config_argument(config: Config, base_dir: Path) -> str:
    path = Path(config.path).resolve()
    try:
        return path.relative_to(base_dir.resolve()).as_posix()
    except ValueError:
        return path.as_posix()  # outside the checkout: the operator's path, used as given


def _quote(word: str) -> str:
    # POSIX shell quoting, leaving $VARIABLES in the work folder to the job's shell
    return word if re.fullmatch(r"[A-Za-z0-9_./:=@%+-]+", word) else "'" + word.replace(
        "'", "'\\''"
    ) + "'"


def build_jobs(
    configs: Sequence[Config],
    *,
    jobs: Sequence[str] = JOB_NAMES,
    image: str = DEFAULT_IMAGE,
    mem: str = DEFAULT_MEMORY,
    workdir: str = DEFAULT_WORKDIR,
    executable: str = DEFAULT_EXECUTABLE,
    base_dir: Path | None = None,
) -> list[ToolforgeJob]:
    """One Toolforge job per (config, job), named `<wiki>-<job>`."""
    base = base_dir or Path.cwd()
    out: list[ToolforgeJob] = []
    seen: dict[str, str] = {}
    for config in configs:
        if config.schedule.timezone not in ("UTC", "Etc/UTC", "UTC0"):
            raise ToolforgeError(
                f"{config.path}: schedule.timezone is {config.schedule.timezone!r}, but "
                "Toolforge runs cron jobs in UTC; set it to \"UTC\" (and adjust the hours)"
            )
        wiki = wiki_slug(config)
        for job in jobs:
            name = job_name(wiki, job)
            if name in seen:
                raise ToolforgeError(
                    f"job name {name!r} comes from both {seen[name]} and {config.path}; "
                    "give the config files different names"
                )
            seen[name] = config.path
            expression = schedule_expression(config, job)
            try:
                schedule = toolforge_schedule(expression)
            except ValueError as exc:
                raise ConfigError(config.path, f"schedule.{job}", str(exc)) from exc
            command = (
                f"cd {workdir} && {_quote(executable)} "
                f"--config {_quote(_config_argument(config, base))} run {job}"
            )
            out.append(ToolforgeJob(name, command, schedule, image, mem))
    return out


# ------------------------------------------------------------------------------ YAML
def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value))  # a JSON string is a valid double-quoted YAML scalar


def render_jobs_yaml(jobs: Sequence[ToolforgeJob], sources: Sequence[str] = ()) -> str:
    lines = [
        "# Generated by `advocacy-hub toolforge-jobs`"
        + (f" from {', '.join(sources)}" if sources else "")
        + "; load with `toolforge jobs load jobs.yaml`.",
        "# No secrets here: the BotPassword reaches the jobs as Toolforge envvars",
        "# (`toolforge envvars create`); see docs/operations.md.",
        "---",
    ]
    for job in jobs:
        entries = [
            ("name", job.name),
            ("command", job.command),
            ("image", job.image),
            ("schedule", job.schedule),
            ("mem", job.mem),
            ("emails", job.emails),
            ("filelog", job.filelog),
            ("mount", job.mount),
        ]
        for i, (key, value) in enumerate(entries):
            lines.append(("- " if i == 0 else "  ") + f"{key}: {_scalar(value)}")
    text = "\n".join(lines) + "\n"
    leaks = secret_like_values(text)
    if leaks:
        raise ToolforgeError(f"refusing to write a jobs file with secret-like values: {leaks}")
    return text


def secret_like_values(text: str) -> list[str]:
    """Lines of a jobs file (comments aside) that look like they carry a credential."""
    return [
        line.strip()
        for line in text.splitlines()
        if not line.lstrip().startswith("#") and _SECRET_LIKE.search(line)
    ]


def write_jobs_yaml(path: str | os.PathLike[str], text: str) -> None:
    Path(path).write_text(text, encoding="utf-8")
