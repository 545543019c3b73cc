"""`dockerls fix --reorder`: the copy-manifests-first refactor (DKL301) on the command line,
through a subprocess. The rewrites are the editor's (``dockerls.actions.reorder``)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import run

NPM = (
    "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n"
    'CMD ["node", "dist/s.js"]\n'
)
NPM_REORDERED = (
    "FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\n"
    'COPY . .\nRUN npm run build\nCMD ["node", "dist/s.js"]\n'
)
TWO_STAGES = (
    "FROM golang:1.22 AS api\nWORKDIR /src\nCOPY . .\nRUN go build -o /api .\n"
    "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"
    'CMD ["python", "app.py"]\n'
)
TWO_STAGES_REORDERED = (
    "FROM golang:1.22 AS api\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n"
    "RUN go build -o /api .\n"
    "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt ./\n"
    "RUN pip install -r requirements.txt\nCOPY . .\n"
    'CMD ["python", "app.py"]\n'
)
NOTHING = 'FROM alpine:3.20\nCOPY app /app\nCMD ["/app"]\n'


def _app(tmp_path: Path, text: str, *files: str, package: dict[str, object] | None = None) -> Path:
    """A build context in ``tmp_path``: the Dockerfile and ``files`` (package.json from
    ``package`` when given)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    for name in files:
        (tmp_path / name).write_text("{}\n" if name.endswith(".json") else "x\n", encoding="utf-8")
    if package is not None:
        (tmp_path / "package.json").write_text(json.dumps(package), encoding="utf-8")
    path = tmp_path / "Dockerfile"
    path.write_text(text, encoding="utf-8")
    return path


def test_reorder_rewrites_the_file_with_the_lockfile_that_exists(tmp_path: Path) -> None:
    path = _app(tmp_path, NPM, "package.json", "package-lock.json")
    result = run("fix", "--reorder", str(path))
    assert path.read_text(encoding="utf-8") == NPM_REORDERED
    assert result.stderr == (
        f"dockerls: {path}: Copy package.json and package-lock.json before COPY . . (npm)\n"
    )
    assert result.stdout.endswith("Fixed 1 finding in 1 file (DKL301: 1); 3 findings left\n")
    assert " DKL301 " not in result.stdout
    assert result.returncode == 1  # findings the reorder does not remedy are left


def test_reorder_diff_changes_nothing(tmp_path: Path) -> None:
    path = _app(tmp_path, NPM, "package.json", "package-lock.json")
    result = run("fix", "--reorder", "--diff", str(path))
    assert path.read_text(encoding="utf-8") == NPM
    assert result.stdout.endswith(
        " WORKDIR /app\n+COPY package.json package-lock.json ./\n+RUN npm ci\n COPY . .\n"
        '-RUN npm ci && npm run build\n+RUN npm run build\n CMD ["node", "dist/s.js"]\n'
    )
    assert "Would fix 1 finding in 1 file (DKL301: 1)" in result.stderr


def test_reorder_from_standard_input_prints_the_result() -> None:
    # No build context: a pattern that always matches the manifest.
    result = run("fix", "--reorder", "-", stdin=NPM.encode())
    assert result.stdout == NPM_REORDERED.replace("package.json package-lock.json", "package*.json")
    assert "dockerls: -: Copy package*.json before COPY . . (npm)\n" in result.stderr


def test_every_stage_is_reordered(tmp_path: Path) -> None:
    path = _app(tmp_path, TWO_STAGES, "go.mod", "go.sum", "requirements.txt")
    result = run("fix", "--reorder", str(path))
    assert path.read_text(encoding="utf-8") == TWO_STAGES_REORDERED
    assert "Fixed 2 findings in 1 file (DKL301: 2)" in result.stdout


def test_an_unsafe_rewrite_is_applied_with_its_reason_as_a_note(tmp_path: Path) -> None:
    package = {"scripts": {"postinstall": "node scripts/setup.js"}}
    path = _app(tmp_path, NPM, "package-lock.json", package=package)
    result = run("fix", "--reorder", str(path))
    assert path.read_text(encoding="utf-8") == NPM_REORDERED
    (note,) = [line for line in result.stderr.splitlines() if ": note: " in line]
    assert note.startswith(f"dockerls: {path}: note: ") and "postinstall" in note


def test_a_file_with_nothing_to_reorder_is_an_error_and_the_others_are_reordered(
    tmp_path: Path,
) -> None:
    path = _app(tmp_path / "static", NOTHING)
    other = _app(tmp_path / "web", NPM, "package.json", "package-lock.json")
    result = run("fix", "--reorder", str(path), str(other))
    assert result.returncode == 2
    assert path.read_text(encoding="utf-8") == NOTHING
    assert (
        f"dockerls: {path}: not reordered: no dependency install runs after a copy of the "
        "sources (DKL301), so there is nothing to reorder\n"
    ) in result.stderr
    assert other.read_text(encoding="utf-8") == NPM_REORDERED
    assert "Traceback" not in result.stderr


def test_a_refused_rewrite_says_why_in_one_line(tmp_path: Path) -> None:
    path = _app(tmp_path, NPM, "server.js")  # a known context without package.json
    result = run("fix", "--reorder", str(path))
    assert result.returncode == 2
    assert path.read_text(encoding="utf-8") == NPM
    (line,) = [line for line in result.stderr.splitlines() if "not reordered" in line]
    assert line == (
        f"dockerls: {path}: not reordered: line 4: package.json is not at the root of the "
        "build context."
    )


def test_a_refusal_beside_a_rewrite_is_a_note(tmp_path: Path) -> None:
    # The Go stage is reordered; the npm stage has no package.json in the context.
    go = TWO_STAGES.split("FROM python", maxsplit=1)[0]
    text = go + NPM
    path = _app(tmp_path, text, "go.mod", "go.sum")
    result = run("fix", "--reorder", str(path))
    assert path.read_text(encoding="utf-8").startswith(
        TWO_STAGES_REORDERED.split("FROM python", maxsplit=1)[0]
    )
    assert (
        f"dockerls: {path}: note: not reordered: line 8: package.json is not at the root of the "
        "build context.\n"
    ) in result.stderr
    assert "Fixed 1 finding in 1 file (DKL301: 1)" in result.stdout


def test_split_and_reorder_are_exclusive(tmp_path: Path) -> None:
    path = _app(tmp_path, NPM)
    result = run("fix", "--split", "--reorder", str(path))
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr
    assert path.read_text(encoding="utf-8") == NPM
