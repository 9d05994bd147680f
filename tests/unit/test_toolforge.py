"""`jobs.yaml` for Toolforge: it parses, one job per (wiki, job), config schedules, no secret."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest
import yaml

from bots.config.cron import parse_cron
from bots.config.load import load_config
from bots.config.model import JOB_NAMES, Config
from bots.operations.toolforge import (
    ToolforgeError,
    build_jobs,
    render_jobs_yaml,
    secret_like_values,
    toolforge_schedule,
)

REPO = Path(__file__).resolve().parents[2]
META = REPO / "config" / "meta.toml"
DEVWIKI = REPO / "config" / "devwiki.toml"

# Keys `toolforge jobs load` turns into `toolforge jobs run` options (jobs-cli 16.x).
TOOLFORGE_KEYS = {"name", "command", "image", "schedule", "mem", "cpu", "emails", "filelog",
                  "no-filelog", "filelog-stdout", "filelog-stderr", "mount", "retry", "timeout"}
DNS_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
SECRETISH = re.compile(r"(?i)password|passwd|secret|token|botpassword\(|bearer|cookie|api_?key")


def configs() -> list[Config]:
    return [load_config(META), load_config(DEVWIKI)]


def generate(cfgs: list[Config], **options: object) -> tuple[str, list[dict]]:
    text = render_jobs_yaml(build_jobs(cfgs, base_dir=REPO, **options),  # type: ignore[arg-type]
                            sources=[c.path for c in cfgs])
    return text, yaml.safe_load(text)


def test_one_job_per_wiki_and_bot_job_with_everything_toolforge_needs() -> None:
    _, jobs = generate(configs())
    assert isinstance(jobs, list) and len(jobs) == 2 * len(JOB_NAMES)
    names = [job["name"] for job in jobs]
    assert names == [f"{wiki}-{job}" for wiki in ("meta", "devwiki") for job in JOB_NAMES]
    for job in jobs:
        assert set(job) <= TOOLFORGE_KEYS
        assert DNS_NAME.match(job["name"]) and len(job["name"]) <= 52
        assert job["image"] == "python3.11"
        assert job["mem"] == "512Mi"
        assert job["emails"] == "onfailure"
        assert job["filelog"] is True
        assert job["mount"] == "all"
    assert jobs[0]["command"] == (
        "cd $TOOL_DATA_DIR/advocacy-hub && .venv/bin/advocacy-hub "
        "--config config/meta.toml run index"
    )
    assert jobs[-1]["command"].endswith(f"--config config/devwiki.toml run {JOB_NAMES[-1]}")


def test_schedules_equal_the_configs() -> None:
    cfgs = configs()
    _, jobs = generate(cfgs)
    by_name = {job["name"]: job["schedule"] for job in jobs}
    for cfg, wiki in zip(cfgs, ("meta", "devwiki"), strict=True):
        for job in JOB_NAMES:
            configured = getattr(cfg.schedule, job)
            assert by_name[f"{wiki}-{job}"] == configured  # the defaults need no rewriting
            assert parse_cron(by_name[f"{wiki}-{job}"]).values == parse_cron(configured).values


@pytest.mark.parametrize(
    ("expression", "written"),
    [
        ("0 7 * * mon", "0 7 * * mon"),
        ("0 7 * * mon-fri", "0 7 * * 1,2,3,4,5"),  # Toolforge takes names only alone
        ("30 2 * * 7", "30 2 * * 0"),  # Kubernetes knows 0-6 only
        ("*/15 * * jan-mar *", "*/15 * * 1,2,3 *"),  # no month names on Toolforge
        ("0 0 1-10/2 * *", "0 0 1,3,5,7,9 * *"),  # no step on a range either
        ("15 */6 * * *", "15 */6 * * *"),
    ],
)
def test_schedules_are_rewritten_only_where_toolforge_would_refuse(
    expression: str, written: str
) -> None:
    assert toolforge_schedule(expression) == written
    assert parse_cron(written).values == parse_cron(expression).values


def test_the_file_carries_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVOCACY_HUB_BOTPASSWORD", "Do-Not-Write-Me-1")
    text, jobs = generate(configs())
    assert "Do-Not-Write-Me-1" not in text
    for job in jobs:
        for value in job.values():
            assert not SECRETISH.search(str(value)), value
    assert secret_like_values(text) == []
    assert "toolforge envvars create" in text  # the comment tells where secrets go instead


def test_a_secret_like_value_is_refused() -> None:
    with pytest.raises(ToolforgeError, match="secret-like"):
        generate(configs(), executable=".venv/bin/advocacy-hub --password=x")


def test_options_and_quoting_survive_the_round_trip() -> None:
    _, jobs = generate([load_config(META)], image="tool-advocacy/tool-advocacy:latest",
                       mem="1Gi", workdir="/workspace", executable="advocacy-hub",
                       jobs=["digest"])
    assert jobs == [{
        "name": "meta-digest",
        "command": "cd /workspace && advocacy-hub --config config/meta.toml run digest",
        "image": "tool-advocacy/tool-advocacy:latest",
        "schedule": "0 7 * * mon",
        "mem": "1Gi",
        "emails": "onfailure",
        "filelog": True,
        "mount": "all",
    }]


def test_a_config_path_with_spaces_is_quoted_for_the_shell(tmp_path: Path) -> None:
    folder = tmp_path / "my configs"
    folder.mkdir()
    shutil.copy(META, folder / "meta.toml")
    _, jobs = generate([load_config(folder / "meta.toml")])
    assert f"--config '{folder / 'meta.toml'}' run index" in jobs[0]["command"]


def test_another_time_zone_is_refused() -> None:
    cfg = load_config(META)
    berlin = dataclasses.replace(
        cfg, schedule=dataclasses.replace(cfg.schedule, timezone="Europe/Berlin")
    )
    with pytest.raises(ToolforgeError, match="Toolforge runs cron jobs in UTC"):
        build_jobs([berlin])


def test_two_configs_with_one_name_are_refused(tmp_path: Path) -> None:
    (tmp_path / "other").mkdir()
    shutil.copy(META, tmp_path / "other" / "meta.toml")
    with pytest.raises(ToolforgeError, match="give the config files different names"):
        build_jobs([load_config(META), load_config(tmp_path / "other" / "meta.toml")])


def test_a_name_toolforge_would_refuse_is_refused(tmp_path: Path) -> None:
    long = tmp_path / ("wiki" * 12 + ".toml")
    shutil.copy(META, long)
    with pytest.raises(ToolforgeError, match="not a valid Toolforge name"):
        build_jobs([load_config(long)])


def test_cli_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    from bots.operations.cli import main

    monkeypatch.chdir(REPO)
    output = tmp_path / "jobs.yaml"
    code = main(["toolforge-jobs", "--config", "config/meta.toml", "--config",
                 "config/devwiki.toml", "--output", str(output)])
    assert code == 0
    assert f"wrote {2 * len(JOB_NAMES)} jobs" in capsys.readouterr().out
    jobs = yaml.safe_load(output.read_text("utf-8"))
    assert [j["name"] for j in jobs][:3] == ["meta-index", "meta-translations", "meta-digest"]

    assert main(["toolforge-jobs", "--output", "-", "--jobs", "index"]) == 0
    assert [j["name"] for j in yaml.safe_load(capsys.readouterr().out)] == ["meta-index"]
