"""The CI integrations: action.yml's scripts run as GitHub would run them, the pre-commit hook."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))

# A stand-in for domaincheck: records its argv, writes the Markdown report it is asked for, exits
# with $STUB_EXIT. It lets the test check the action's shell logic without a network run.
STUB = """#!/usr/bin/env python3
import os, sys
with open(os.environ["STUB_ARGV"], "w") as f:
    f.write("\\n".join(sys.argv[1:]))
args = sys.argv[1:]
for i, a in enumerate(args):
    if a == "--report" and args[i + 1].startswith("markdown:") and os.environ["STUB_MARKDOWN"]:
        with open(args[i + 1].split(":", 1)[1], "w") as f:
            f.write("STUB MARKDOWN\\n")
sys.exit(int(os.environ.get("STUB_EXIT", "0")))
"""


def _step(step_id_or_name: str) -> dict[str, Any]:
    for step in ACTION["runs"]["steps"]:
        if step.get("id") == step_id_or_name or step.get("name") == step_id_or_name:
            return dict(step)
    raise AssertionError(f"no step {step_id_or_name!r} in action.yml")


def test_action_is_composite_and_keeps_inputs_out_of_scripts() -> None:
    assert ACTION["runs"]["using"] == "composite"
    for step in ACTION["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], (
                f"step {step['name']!r}: pass inputs through env, not into the script"
            )
            assert step["shell"] == "bash"
    install = _step("install")
    assert '"$GITHUB_ACTION_PATH"' in install["run"]


def test_action_leaves_the_jobs_python_alone_and_pins_what_it_uses() -> None:
    """domaincheck gets a venv of its own from a Python that setup-python does not put on PATH;
    every action it uses is pinned to a commit."""
    python = _step("python")
    assert python["with"]["update-environment"] is False
    install = _step("install")
    assert '-m venv "$venv"' in install["run"]
    assert "GITHUB_PATH" not in install["run"] and "GITHUB_ENV" not in install["run"]
    for step in ACTION["runs"]["steps"]:
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


def _run_check_step(
    tmp_path: Path,
    inputs: dict[str, str],
    exit_code: int,
    runner: dict[str, str] | None = None,
    write_markdown: bool = True,
) -> tuple[list[str], dict[str, str], str]:
    """Runs the check step's script as the runner would, with a stub domaincheck; returns the
    stub's argv, the step's outputs and the job summary."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    stub = bin_dir / "domaincheck"
    stub.write_text(STUB, encoding="utf-8")
    stub.chmod(stub.stat().st_mode | stat.S_IXUSR)
    step = _step("check")
    env_defaults = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    env_defaults.update(inputs)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "STUB_ARGV": str(tmp_path / "argv"),
        "STUB_EXIT": str(exit_code),
        "STUB_MARKDOWN": "1" if write_markdown else "",
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
        "GITHUB_JOB": "domaincheck",
        "RUNNER_OS": "Linux",
        **(runner or {}),
    }
    for path in (tmp_path / "output", tmp_path / "summary"):
        path.write_text("", encoding="utf-8")
    for name, expression in step["env"].items():
        if expression == "${{ steps.install.outputs.domaincheck }}":
            env[name] = str(stub)  # the venv's console script
            continue
        input_name = expression.removeprefix("${{ inputs.").removesuffix(" }}")
        env[name] = env_defaults[input_name]
    completed = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr  # the step itself never fails: the gate does
    argv = (tmp_path / "argv").read_text(encoding="utf-8").split("\n")
    lines = (tmp_path / "output").read_text(encoding="utf-8").splitlines()
    outputs = dict(line.split("=", 1) for line in lines)
    return argv, outputs, (tmp_path / "summary").read_text(encoding="utf-8")


def test_action_check_step_builds_the_command_and_writes_the_summary(tmp_path: Path) -> None:
    argv, output, summary = _run_check_step(
        tmp_path,
        {"platform": "wechat", "regions": "cn1  sgp1", "strict": "true", "args": "--timeout 5"},
        exit_code=1,
    )
    assert argv[0] == "check"
    joined = " ".join(argv)
    for report in ("json", "junit", "sarif", "html", "markdown"):
        assert f"--report {report}:domaincheck-reports/domaincheck." in joined
    assert "--platform wechat --region cn1 --region sgp1" in joined
    assert "--strict" in argv and "--offline" not in argv
    assert argv[-2:] == ["--timeout", "5"]
    assert "--no-progress" in argv
    assert output["exit-code"] == "1" and output["passed"] == "false"
    assert output["sarif-file"] == "domaincheck-reports/domaincheck.sarif"
    assert output["junit-file"] == "domaincheck-reports/domaincheck.xml"
    assert summary == "STUB MARKDOWN\n"


def test_action_check_step_with_defaults(tmp_path: Path) -> None:
    argv, output, _ = _run_check_step(tmp_path, {"offline": "true"}, exit_code=0)
    assert "--platform" not in argv and "--region" not in argv and "--strict" not in argv
    assert "--offline" in argv
    assert output["exit-code"] == "0" and output["passed"] == "true"


def test_action_artifact_names_are_unique_across_a_matrix(tmp_path: Path) -> None:
    """Each job of a platform matrix uploads under its own name (upload-artifact refuses a name
    twice in a run); the same job and inputs always get the same name."""
    names = []
    for index, platform in enumerate(("alipay", "wechat", "alipay")):
        run_dir = tmp_path / str(index)
        run_dir.mkdir()
        _, output, _ = _run_check_step(run_dir, {"platform": platform}, exit_code=0)
        names.append(output["artifact-name"])
    assert names[0] != names[1] and names[0] == names[2]
    assert all(re.fullmatch(r"domaincheck-reports-domaincheck-[0-9a-f]{8}", n) for n in names)
    other_os = tmp_path / "windows"
    other_os.mkdir()
    _, output, _ = _run_check_step(other_os, {"platform": "alipay"}, 0, {"RUNNER_OS": "Windows"})
    assert output["artifact-name"] not in names
    named = tmp_path / "named"
    named.mkdir()
    _, output, _ = _run_check_step(named, {"artifact-name": "mine"}, exit_code=0)
    assert output["artifact-name"] == "mine"


def test_action_summary_never_shows_a_previous_runs_report(tmp_path: Path) -> None:
    reports = tmp_path / "domaincheck-reports"
    reports.mkdir()
    (reports / "domaincheck.md").write_text("OLD REPORT\n", encoding="utf-8")
    (reports / "domaincheck.sarif").write_text("{}", encoding="utf-8")
    _, outputs, summary = _run_check_step(tmp_path, {}, exit_code=2, write_markdown=False)
    assert outputs["exit-code"] == "2"
    assert "OLD REPORT" not in summary
    assert summary == "domaincheck exited 2 before writing a report; see the step log.\n"
    assert (
        not (reports / "domaincheck.md").exists() and not (reports / "domaincheck.sarif").exists()
    )
    quiet = tmp_path / "quiet"
    quiet.mkdir()
    _, _, summary = _run_check_step(quiet, {"summary": "false"}, exit_code=0)
    assert summary == ""


@pytest.mark.parametrize(
    ("code", "allow", "expected"),
    [("0", "false", 0), ("1", "false", 1), ("2", "false", 2), ("", "false", 1), ("1", "true", 0)],
)
def test_action_gate_step_exits_with_domainchecks_code(
    code: str, allow: str, expected: int
) -> None:
    gate = _step("Gate on domaincheck's exit code")
    env = {"DC_EXIT": code, "DC_ALLOW_FAILURE": allow, "PATH": os.environ["PATH"]}
    completed = subprocess.run(["bash", "-c", gate["run"]], env=env, check=False)
    assert completed.returncode == expected


def test_action_keeps_the_reports_even_when_the_check_failed() -> None:
    upload = _step("Keep the reports")
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["if"].startswith("always()")
    steps = [s.get("name") for s in ACTION["runs"]["steps"]]
    assert steps.index("Keep the reports") < steps.index("Gate on domaincheck's exit code")


def test_pre_commit_hook_runs_the_offline_checks() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "domaincheck"
    assert hook["entry"].split() == ["domaincheck", "check", "--offline"]
    assert hook["language"] == "python" and hook["pass_filenames"] is False


def _readme_block(heading: str) -> Any:
    """The first ```yaml block after a README heading, parsed."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    start = section.index("```yaml\n") + len("```yaml\n")
    return yaml.safe_load(section[start : section.index("```", start)])


def test_readme_github_example_uses_only_inputs_the_action_has() -> None:
    workflow = _readme_block("### GitHub Actions")
    steps = workflow["jobs"]["domaincheck"]["steps"]
    (ours,) = [s for s in steps if s.get("uses") == "./"]
    assert set(ours.get("with", {})) <= set(ACTION["inputs"])


def test_readme_gitlab_example_writes_the_artifacts_it_keeps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs the example's domaincheck command in-process (offline: tests never leave the machine)."""
    import shlex

    from typer.testing import CliRunner

    from domaincheck.cli import app

    job = _readme_block("### GitLab CI")["domaincheck"]
    (command,) = [line for line in job["script"] if line.startswith("domaincheck ")]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOMAINCHECK_CACHE_DIR", str(tmp_path / "cache"))
    result = CliRunner().invoke(app, [*shlex.split(command)[1:], "--offline"])
    assert result.exit_code == 0, result.stderr
    kept = [job["artifacts"]["reports"]["junit"], *job["artifacts"]["paths"]]
    for name in kept:
        assert (tmp_path / name).is_file(), name
    assert job["artifacts"]["when"] == "always"  # reports are kept when the check fails too


def _recipe(name: str) -> Any:
    return yaml.safe_load((ROOT / "docs" / "ci" / name).read_text(encoding="utf-8"))


def _run_action(tmp_path: Path, inputs: dict[str, str]) -> str:
    """The action's main step with the real domaincheck (offline checks only), as GitHub runs it;
    returns the exit code it wrote to $GITHUB_OUTPUT."""
    import sys

    step = _step("check")
    values = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    values.update(inputs)
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
        "DOMAINCHECK_CACHE_DIR": str(tmp_path / "cache"),
    }
    for name, expression in step["env"].items():
        if expression == "${{ steps.install.outputs.domaincheck }}":
            env[name] = ""  # the venv's script; here the test environment's domaincheck on PATH
            continue
        env[name] = values[expression.removeprefix("${{ inputs.").removesuffix(" }}")]
    (tmp_path / "output").unlink(missing_ok=True)
    completed = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    lines = (tmp_path / "output").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines)["exit-code"]


def test_github_vantage_recipe_runs_a_matrix_and_merges_as_the_gate(tmp_path: Path) -> None:
    import json

    workflow = _recipe("github-vantages.yml")
    matrix = workflow["jobs"]["check"]["strategy"]["matrix"]["include"]
    runners = [entry["runner"] for entry in matrix]
    assert "ubuntu-latest" in runners and ["self-hosted", "china"] in runners
    assert any(entry.get("proxy") for entry in matrix)
    (check_step,) = [s for s in workflow["jobs"]["check"]["steps"] if s.get("uses") == "./"]
    assert "DOMAINCHECK_VIA" in check_step["env"]  # the proxy secret never in the arguments
    merge_job = workflow["jobs"]["merge"]
    assert merge_job["needs"] == "check" and merge_job["if"] == "always()"
    (download,) = [s for s in merge_job["steps"] if "download-artifact" in s.get("uses", "")]
    (merge_step,) = [s for s in merge_job["steps"] if s.get("uses") == "./"]
    for step in (check_step, merge_step):
        assert set(step["with"]) <= set(ACTION["inputs"])
    assert merge_step["with"]["mode"] == "merge"

    # Each vantage's job, offline (tests never leave the machine), then the merge job's step.
    for entry in matrix:
        inputs = {
            key: str(value).replace("${{ matrix.vantage }}", entry["vantage"])
            for key, value in check_step["with"].items()
        }
        inputs["args"] = inputs["args"].replace("${{ matrix.args }}", entry["args"])
        assert _run_action(tmp_path, {**inputs, "offline": "true"}) == "0"
    downloaded = download["with"]["path"]
    assert merge_step["with"]["reports"].startswith(downloaded)
    output = _run_action(tmp_path, dict(merge_step["with"]))
    assert output == "0"
    merged = json.loads((tmp_path / "domaincheck-reports" / "domaincheck.json").read_text("utf-8"))
    assert [v["name"] for v in merged["vantages"]] == sorted(e["vantage"] for e in matrix)
    assert "domaincheck passed" in (tmp_path / "summary").read_text("utf-8")


def test_gitlab_vantage_recipe_runs_its_matrix_and_gate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json
    import shlex

    from typer.testing import CliRunner

    from domaincheck.cli import app

    recipe = _recipe("gitlab-vantages.yml")
    job, gate = recipe["domaincheck"], recipe["domaincheck-gate"]
    matrix = job["parallel"]["matrix"]
    assert {e["RUNNER_TAG"] for e in matrix} >= {"china"} and job["tags"] == ["$RUNNER_TAG"]
    assert gate["needs"] == ["domaincheck"] and gate["when"] == "always"
    assert job["allow_failure"] == {"exit_codes": [1]}
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOMAINCHECK_CACHE_DIR", str(tmp_path / "cache"))
    (command,) = [line for line in job["script"] if line.startswith("domaincheck ")]
    for entry in matrix:
        expanded = command.replace('"$VANTAGE"', entry["VANTAGE"]).replace(
            "$VANTAGE", entry["VANTAGE"]
        )
        expanded = expanded.replace("$RESOLVERS", entry["RESOLVERS"])
        result = CliRunner().invoke(app, [*shlex.split(expanded)[1:], "--offline"])
        assert result.exit_code == 0, result.stderr
        kept = job["artifacts"]["paths"][0].replace("$VANTAGE", entry["VANTAGE"])
        assert (tmp_path / kept).is_file()
    (merge,) = [line for line in gate["script"] if line.startswith("domaincheck ")]
    words = shlex.split(merge)[1:]
    pattern = next(w for w in words if "*" in w)
    files = sorted(str(p.name) for p in tmp_path.glob(pattern))
    at = words.index(pattern)
    result = CliRunner().invoke(app, [*words[:at], *files, *words[at + 1 :]])
    assert result.exit_code == 0, result.stderr
    for name in [gate["artifacts"]["reports"]["junit"], *gate["artifacts"]["paths"]]:
        assert (tmp_path / name).is_file(), name
    junit = (tmp_path / "domaincheck.xml").read_text("utf-8")
    assert all(e["VANTAGE"] in junit for e in matrix)  # the vantages are named in the gate's report
    assert json.loads(Path(files[0]).read_text("utf-8"))["vantage"]["name"] == matrix[0]["VANTAGE"]
