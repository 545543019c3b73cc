"""The pre-commit hooks in .pre-commit-hooks.yaml, run by pre-commit itself.

A snapshot of this working tree (tracked and untracked, not ignored files) becomes
a temporary hook repository with one commit, as a user's ``rev:`` would pin it. A
second temporary repository uses it the way a project does: through a
``.pre-commit-config.yaml`` and ``pre-commit run``, and once through
``pre-commit try-repo``. pre-commit builds its own virtual environment and
pip-installs dockerls and its dependencies into it, from PyPI (or whatever the
``PIP_*`` variables point pip at, such as ``PIP_FIND_LINKS`` with
``PIP_NO_INDEX=1`` for an offline wheelhouse); the environment is built once and
shared by the tests of this module. Skipped when pre-commit or git is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
# Building the hook environment downloads dockerls's dependencies: the slow part.
INSTALL_TIMEOUT_S = 600
RUN_TIMEOUT_S = 120

BLOATED = "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm install\nCOPY . .\n"
CLEAN = 'FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\nENTRYPOINT ["/app"]\n'

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "dockerls tests",
    "GIT_AUTHOR_EMAIL": "tests@dockerls.invalid",
    "GIT_COMMITTER_NAME": "dockerls tests",
    "GIT_COMMITTER_EMAIL": "tests@dockerls.invalid",
}


def pre_commit_command() -> list[str] | None:
    if (VENV_BIN / "pre-commit").exists():
        return [str(VENV_BIN / "pre-commit")]
    found = shutil.which("pre-commit")
    return [found] if found else None


def git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    return subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def snapshot_working_tree(destination: Path, env: dict[str, str]) -> str:
    """Copy the files git would see here into a new repository; its commit id."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout.decode()
    destination.mkdir()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():  # deleted but not yet staged: skip
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git("init", "-q", cwd=destination, env=env)
    git("add", "-A", cwd=destination, env=env)
    git("commit", "-q", "-m", "snapshot", cwd=destination, env=env)
    return git("rev-parse", "HEAD", cwd=destination, env=env).strip()


@dataclass
class Project:
    path: Path
    hooks: Path
    rev: str
    env: dict[str, str]
    pre_commit: list[str]

    def run(self, *args: str, timeout: float = RUN_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.pre_commit, *args, "--color", "never"],
            cwd=self.path,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def write(self, name: str, text: str) -> Path:
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    command = pre_commit_command()
    if command is None:
        pytest.skip("pre-commit is not installed (pip install pre-commit, a dev dependency)")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    tmp = tmp_path_factory.mktemp("pre-commit")
    env = {
        **os.environ,
        **GIT_IDENTITY,
        "PRE_COMMIT_HOME": str(tmp / "store"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_INPUT": "1",
    }
    env.pop("GIT_DIR", None)
    env.pop("GIT_INDEX_FILE", None)
    hooks = tmp / "hooks"
    rev = snapshot_working_tree(hooks, env)

    path = tmp / "project"
    path.mkdir()
    git("init", "-q", cwd=path, env=env)
    (path / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {hooks}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: dockerls-check\n"
        "      - id: dockerls-fix\n"
    )
    git("add", ".pre-commit-config.yaml", cwd=path, env=env)
    found = Project(path, hooks, rev, env, command)
    # Build the hook environment once, with its own (longer) deadline.
    installed = found.run("install-hooks", timeout=INSTALL_TIMEOUT_S)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    yield found


def test_check_reports_findings_and_fails(project: Project) -> None:
    project.write("Dockerfile", BLOATED)
    done = project.run("run", "dockerls-check", "--files", "Dockerfile")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "dockerls check" in done.stdout
    assert "Failed" in done.stdout
    assert "Dockerfile:1:11: DKL201 [warning]" in done.stdout


def test_check_passes_a_clean_dockerfile(project: Project) -> None:
    project.write("services/api/Containerfile", CLEAN)
    done = project.run("run", "dockerls-check", "--files", "services/api/Containerfile")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


def test_only_dockerfiles_are_checked(project: Project) -> None:
    project.write("README.md", "FROM node:20 is what we use\n")
    project.write("Dockerfile.dockerignore", "node_modules\n")
    done = project.run("run", "dockerls-check", "--files", "README.md", "Dockerfile.dockerignore")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "(no files to check)Skipped" in done.stdout


def has_fix_command() -> bool:
    """Whether this tree's dockerls has the ``fix`` command (being added alongside)."""
    return (
        subprocess.run(
            [sys.executable, "-m", "dockerls", "fix", "--help"],
            cwd=REPO,
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )


def test_fix_applies_safe_fixes_in_place(project: Project) -> None:
    if not has_fix_command():
        pytest.skip(
            "`dockerls fix` is not in this tree yet: the dockerls-fix hook has nothing to run"
        )
    # DKL205's fix (npm install -> npm ci) is safe when the lockfile is in the context.
    dockerfile = project.write("web/Dockerfile", BLOATED)
    project.write("web/package.json", '{"name": "web", "version": "1.0.0"}\n')
    project.write("web/package-lock.json", '{"name": "web", "lockfileVersion": 3}\n')
    git("add", "web", cwd=project.path, env=project.env)  # staged, as in a commit
    done = project.run("run", "dockerls-fix", "--files", "web/Dockerfile")
    assert "dockerls fix" in done.stdout
    assert done.returncode == 1, "a hook that changes files fails the commit"
    assert "files were modified by this hook" in done.stdout, done.stdout
    fixed = dockerfile.read_text()
    assert "RUN npm ci" in fixed
    assert "npm install" not in fixed


def test_try_repo(project: Project) -> None:
    """``pre-commit try-repo``, the way to try the hooks before adding them to a config."""
    project.write("Dockerfile", BLOATED)
    done = project.run(
        "try-repo",
        str(project.hooks),
        "dockerls-check",
        "--ref",
        project.rev,
        "--files",
        "Dockerfile",
        timeout=INSTALL_TIMEOUT_S,  # try-repo builds its own environment afresh
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "DKL201" in done.stdout
