"""The command line: pure pieces in-process, the whole command through a subprocess."""

from __future__ import annotations

import errno
import gc
import json
import os
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import dockerls
from dockerls import __version__, cli
from dockerls.analysis import Analysis, Finding, Fix, TextEdit
from dockerls.cli import formats, sources
from dockerls.cli.commands import fix
from dockerls.cli.report import FileError, FileReport, Report, severity_label
from dockerls.config import Settings
from dockerls.syntax import Severity, Span, parse

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "check-output.schema.json").read_text(encoding="utf-8"))
CORPUS = Path(__file__).parents[2] / "shared" / "corpus"

CLEAN = "FROM alpine:3.20\nRUN echo hi\nUSER nobody\n"
# Nothing to report but the unterminated heredoc (DKL003) at line 3, column 5.
UNTERMINATED = "FROM alpine:3.20\nUSER nobody\nRUN <<EOF\necho hi"


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    # cwd is the repository so that ``-m dockerls`` imports this checkout.
    result = subprocess.run(
        [sys.executable, "-m", "dockerls", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=120,  # far beyond what any command here needs: a hang fails, not blocks
        check=False,
    )
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode(), result.stderr.decode()
    )


def validate(output: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(output)
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    return document


def finding(
    code: str,
    line: int,
    column: int,
    severity: Severity = Severity.WARNING,
    *,
    fixable: bool = False,
    message: str = "Something is off.",
) -> Finding:
    span = Span.of(line, column, end=column + 3)
    fixes = (Fix("Fix it", (TextEdit(span, "x"),)),) if fixable else ()
    return Finding(code, f"rule-{code.lower()}", severity, message, span, fixes=fixes)


# ---------------------------------------------------------------------------
# In process: discovery


@pytest.mark.parametrize(
    "name",
    [
        "Dockerfile",
        "dockerfile",
        "DOCKERFILE",
        "Dockerfile.prod",
        "dockerfile.dev",
        "api.Dockerfile",
        "api.dockerfile",
        "Containerfile",
        "containerfile",
        "Containerfile.alpine",
    ],
)
def test_dockerfile_names(name: str) -> None:
    assert sources.is_dockerfile_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "Dockerfile.dockerignore",
        ".dockerignore",
        "README.md",
        "Dockerfile-parent",
        "mydockerfile",
        "docker-compose.yml",
        "Containerfiles",
    ],
)
def test_other_names(name: str) -> None:
    assert not sources.is_dockerfile_name(name)


def test_discover_walks_sorted_and_skips(tmp_path: Path) -> None:
    for rel in [
        "Dockerfile",
        "b/Containerfile",
        "a/z/dockerfile",
        "a/web.Dockerfile",
        "a/Dockerfile.dockerignore",
        "a/notes.txt",
        ".git/Dockerfile",
        "node_modules/pkg/Dockerfile",
        ".venv/Dockerfile",
        "deep/.git/Dockerfile",
    ]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("FROM scratch\n")
    (tmp_path / "a" / "loop").symlink_to(tmp_path, target_is_directory=True)

    files, errors = sources.discover([str(tmp_path)])

    assert errors == []
    assert [Path(f).relative_to(tmp_path).as_posix() for f in files] == [
        "Dockerfile",
        "a/web.Dockerfile",
        "a/z/dockerfile",
        "b/Containerfile",
    ]


def test_discover_keeps_files_and_stdin_as_given(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "Dockerfile").write_text("FROM scratch\n")
    named = str(tmp_path / "build.txt")
    missing = str(tmp_path / "missing")

    files, errors = sources.discover([named, "-", missing, str(tmp_path / "d"), named, "-"])

    assert files == [named, "-", missing, str(tmp_path / "d" / "Dockerfile")]
    assert errors == []


# ---------------------------------------------------------------------------
# In process: decoding


def test_decode_keeps_the_byte_order_mark() -> None:
    assert sources.decode(b"\xef\xbb\xbfFROM alpine\n") == "\ufeffFROM alpine\n"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"FROM alpine\nRUN \xff\n", "not valid UTF-8 (byte 0xff at offset 16)"),
        (b"FROM alpine\n\xc3", "not valid UTF-8 (byte 0xc3 at offset 12)"),
        (b"FROM\0alpine\n", "binary file (contains NUL bytes)"),
        ("FROM alpine\n".encode("utf-16"), "encoded as UTF-16, not UTF-8"),
    ],
)
def test_decode_rejects(data: bytes, reason: str) -> None:
    with pytest.raises(
        sources.SourceError, match=r"^" + reason.replace("(", r"\(").replace(")", r"\)")
    ):
        sources.decode(data)


# ---------------------------------------------------------------------------
# In process: formatting


def test_text_format() -> None:
    report = Report(
        (
            FileReport(
                "app/Dockerfile",
                (
                    finding("DKL001", 0, 0, Severity.ERROR, message="Two\nlines."),
                    finding("DKL002", 4, 7, fixable=True),
                ),
            ),
            FileReport("other/Dockerfile", ()),
        ),
        (),
    )
    assert formats.format_text(report) == (
        "app/Dockerfile:1:1: DKL001 [error] Two lines. (rule-dkl001)\n"
        "app/Dockerfile:5:8: DKL002 [warning] Something is off. (rule-dkl002)\n"
        "2 findings in 2 files (1 fixable)\n"
    )


def test_text_format_summaries() -> None:
    one = FileReport("Dockerfile", (finding("DKL002", 0, 0),))
    clean = FileReport("Dockerfile", ())
    error = FileError("bad", "binary file (contains NUL bytes)")
    assert formats.format_text(Report((clean,), ())) == "All checked: no findings in 1 file\n"
    assert formats.format_text(Report((), ())) == "All checked: no findings in 0 files\n"
    assert formats.format_text(Report((clean,), (error,))) == (
        "No findings in 1 file; 1 file could not be read\n"
    )
    assert formats.format_text(Report((one,), (error, error))).endswith(
        "1 finding in 1 file (0 fixable); 2 files could not be read\n"
    )


def test_json_format_matches_the_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    report = Report(
        (FileReport("-", (finding("DKL002", 0, 4, Severity.HINT, fixable=True),)),),
        (FileError("gone", "No such file or directory"),),
    )
    document = validate(formats.format_json(report))
    assert document == {
        "version": 1,
        "tool": "dockerls",
        "toolVersion": __version__,
        "files": [
            {
                "path": "-",
                "findings": [
                    {
                        "code": "DKL002",
                        "name": "rule-dkl002",
                        "severity": "hint",
                        "message": "Something is off.",
                        "start": {"line": 1, "column": 5},
                        "end": {"line": 1, "column": 8},
                        "fixable": True,
                    }
                ],
            }
        ],
        "errors": [{"path": "gone", "message": "No such file or directory"}],
    }


def test_every_severity_has_a_label() -> None:
    assert [severity_label(s) for s in Severity] == ["error", "warning", "info", "hint"]


# ---------------------------------------------------------------------------
# In process: ``main`` with a stand-in analysis


@pytest.fixture
def fake_analysis(monkeypatch: pytest.MonkeyPatch) -> list[Settings]:
    """Stands in for ``analyze``; returns the settings each call got.

    Each line of a file is one finding, in the given order: ``CODE SEVERITY LINE:COLUMN``
    (0-based, as in the model), then ``fix`` for a fixable one.
    """
    seen: list[Settings] = []

    def analyze(text: str, settings: Settings | None = None, context: object = None) -> Analysis:
        assert settings is not None
        seen.append(settings)
        findings = []
        for row in text.splitlines():
            code, severity, position, *rest = row.split()
            line, column = map(int, position.split(":"))
            findings.append(
                finding(code, line, column, Severity[severity], fixable=rest == ["fix"])
            )
        return Analysis(parse(""), tuple(findings))

    monkeypatch.setattr("dockerls.analysis.analyze", analyze)
    return seen


def test_threshold_filters_output_and_exit_status(
    tmp_path: Path, fake_analysis: list[Settings], capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("DKL009 HINT 0:2 fix\nDKL001 INFORMATION 1:2\nDKL002 WARNING 2:2 fix\n")

    assert cli.main(["check", str(path)]) == 1
    assert capsys.readouterr().out == (
        f"{path}:3:3: DKL002 [warning] Something is off. (rule-dkl002)\n"
        "1 finding in 1 file (1 fixable)\n"
    )
    assert cli.main(["check", "--severity-threshold", "error", str(path)]) == 0
    assert capsys.readouterr().out == "All checked: no findings in 1 file\n"
    assert cli.main(["check", "--severity-threshold", "hint", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in out[:-1]] == ["DKL009", "DKL001", "DKL002"]
    assert out[-1] == "3 findings in 1 file (2 fixable)"


def test_findings_are_sorted_by_position(
    tmp_path: Path, fake_analysis: list[Settings], capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("DKL004 WARNING 3:0\nDKL003 WARNING 0:9\nDKL002 ERROR 0:1\nDKL001 ERROR 0:9\n")

    assert cli.main(["check", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines[:-1]] == [
        [f"{path}:1:2:", "DKL002"],
        [f"{path}:1:10:", "DKL001"],
        [f"{path}:1:10:", "DKL003"],
        [f"{path}:4:1:", "DKL004"],
    ]


def test_select_and_ignore_reach_the_settings(
    tmp_path: Path, fake_analysis: list[Settings], capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("")
    argv = ["check", str(path), "--select", "DKL0, unused-stage", "--select=DKL1"]
    assert cli.main([*argv, "--ignore", "DKL003,,"]) == 0
    assert fake_analysis[-1].select == ("DKL0", "unused-stage", "DKL1")
    assert fake_analysis[-1].ignore == ("DKL003",)
    capsys.readouterr()


def test_findings_and_unreadable_files_exit_2(
    tmp_path: Path, fake_analysis: list[Settings], capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "Dockerfile"
    good.write_text("DKL001 ERROR 0:0\n")
    missing = tmp_path / "missing"

    assert cli.main(["check", str(missing), str(good)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"dockerls: {missing}: No such file or directory\n"
    assert "DKL001" in captured.out
    assert captured.out.endswith("1 finding in 1 file (0 fixable); 1 file could not be read\n")


def test_usage_errors_return_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2
    assert cli.main(["check"]) == 2
    assert cli.main(["check", "--format", "xml", "Dockerfile"]) == 2
    assert cli.main(["check", "--severity-threshold", "fatal", "Dockerfile"]) == 2
    assert cli.main(["lint", "Dockerfile"]) == 2
    assert "usage: dockerls" in capsys.readouterr().err


def test_serve_delegates_to_the_server(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[str] = []
    fake = types.ModuleType("dockerls.server")
    fake.main = lambda: calls.append("main")  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "dockerls.server", fake)
    monkeypatch.setattr(dockerls, "server", fake, raising=False)
    # Serving freezes what the import made (see the next test): not this process's heap.
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))

    def no_parser() -> None:
        raise AssertionError("the editors' command line needs no parser")

    monkeypatch.setattr(cli, "build_parser", no_parser)

    assert cli.main(["serve", "--stdio"]) == 0
    assert cli.main(["serve"]) == 0
    assert calls == ["freeze", "main"] * 2
    assert capsys.readouterr().out == ""


def test_serve_freezes_the_protocol_stack_and_builds_no_parser() -> None:
    # ``python -m dockerls serve`` with no input: it serves nothing and stops.
    code = """if True:
        import gc, sys
        from dockerls import cli

        try:
            cli.main(["serve"])
        except SystemExit:
            pass
        # serving sends print() to standard error
        frozen = gc.get_freeze_count() > 20_000
        print(gc.isenabled(), frozen, "argparse" in sys.modules, file=sys.__stdout__)
    """
    result = subprocess.run(
        [sys.executable, "-c", code],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    assert result.stdout.strip() == "True True False"  # and no argument parser was built


def test_importing_the_cli_leaves_the_core_unloaded() -> None:
    code = (
        "import sys, dockerls.cli; "
        "print(sorted(m for m in sys.modules if m.startswith('dockerls')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "['dockerls', 'dockerls.cli']"


# ---------------------------------------------------------------------------
# Through a subprocess


def test_version() -> None:
    result = run("--version")
    assert (result.returncode, result.stdout) == (0, f"dockerls {__version__}\n")


def test_clean_file_exits_0(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(CLEAN)
    result = run("check", str(tmp_path / "Dockerfile"))
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "All checked: no findings in 1 file\n",
        "",
    )


def test_finding_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(UNTERMINATED)
    result = run("check", str(path))
    assert result.returncode == 1, result.stderr
    first, summary = result.stdout.splitlines()
    assert first.startswith(f"{path}:3:5: DKL003 [error] ")
    assert first.endswith(" (unterminated-heredoc)")
    assert summary.startswith("1 finding in 1 file (")
    assert run("check", "--ignore", "unterminated-heredoc", str(path)).returncode == 0


def test_columns_count_code_points(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes("\ufeffFROM alpine\nRUN echo 😀é <<EOF\necho hi".encode())
    result = run("check", "--select", "DKL003", str(path))
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(f"{path}:2:13: DKL003 ")


def test_stdin() -> None:
    result = run("check", "--format", "json", "-", stdin=UNTERMINATED.encode())
    assert result.returncode == 1, result.stderr
    document = validate(result.stdout)
    [file] = document["files"]
    assert file["path"] == "-"
    assert [(f["code"], f["start"]) for f in file["findings"]] == [
        ("DKL003", {"line": 3, "column": 5})
    ]


def test_directory_walk(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "api.dockerfile").write_text(UNTERMINATED)
    (tmp_path / "Containerfile").write_text(CLEAN)
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "Dockerfile").write_bytes(b"\xff")

    result = run("check", "--format", "json", str(tmp_path))

    assert result.returncode == 1, result.stderr
    document = validate(result.stdout)
    assert [(f["path"], len(f["findings"])) for f in document["files"]] == [
        (str(tmp_path / "Containerfile"), 0),
        (str(tmp_path / "svc" / "api.dockerfile"), 1),
    ]
    assert document["errors"] == []


def test_unreadable_files_exit_2_and_the_rest_is_checked(tmp_path: Path) -> None:
    (tmp_path / "a.Dockerfile").write_bytes(b"FROM alpine\nRUN echo \xff\n")
    (tmp_path / "b.Dockerfile").write_bytes(b"FROM alpine\0")
    (tmp_path / "c.Dockerfile").symlink_to("c.Dockerfile")  # a loop: cannot be opened
    (tmp_path / "d.Dockerfile").write_text(CLEAN)
    missing = tmp_path / "missing"

    result = run("check", str(tmp_path), str(missing))

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"dockerls: {tmp_path / 'a.Dockerfile'}: not valid UTF-8 (byte 0xff at offset 21)",
        f"dockerls: {tmp_path / 'b.Dockerfile'}: binary file (contains NUL bytes)",
        f"dockerls: {tmp_path / 'c.Dockerfile'}: {os.strerror(errno.ELOOP)}",
        f"dockerls: {missing}: No such file or directory",
    ]
    assert result.stdout == "No findings in 1 file; 4 files could not be read\n"

    document = validate(run("check", "--format", "json", str(tmp_path)).stdout)
    assert [e["path"] for e in document["errors"]] == [
        str(tmp_path / name) for name in ("a.Dockerfile", "b.Dockerfile", "c.Dockerfile")
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read files without read permission")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(CLEAN)
    path.chmod(0)
    result = run("check", str(path))
    assert (result.returncode, result.stderr) == (2, f"dockerls: {path}: Permission denied\n")


def test_usage_error_exits_2() -> None:
    result = run("check")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not at {CORPUS}")
def test_corpus() -> None:
    manifest = (CORPUS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    paths = [str(CORPUS / row.split("\t")[0]) for row in manifest if row]

    result = run("check", "--format", "json", "--severity-threshold", "hint", *paths)

    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    document = validate(result.stdout)
    assert [f["path"] for f in document["files"]] == paths
    assert document["errors"] == []


# ---------------------------------------------------------------------------
# dockerls fix

# Two safe fixes (DKL405 ADD -> COPY, DKL103 apk --no-cache) and nothing else to report.
FIXABLE = "FROM alpine:3.20\nADD run.sh /app/\nRUN apk add curl\nUSER nobody\n"
FIXED = "FROM alpine:3.20\nCOPY run.sh /app/\nRUN apk add --no-cache curl\nUSER nobody\n"
# DKL101 (apt without --no-install-recommends) has only an unsafe fix.
UNSAFE_ONLY = (
    "FROM debian:12\nRUN apt-get update && apt-get install -y curl "
    "&& rm -rf /var/lib/apt/lists/*\nUSER nobody\n"
)


def test_fix_writes_the_fixed_file(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(FIXABLE)
    path.chmod(0o640)
    result = run("fix", str(path))
    assert (result.returncode, result.stderr) == (0, "")
    assert path.read_text() == FIXED
    assert path.stat().st_mode & 0o777 == 0o640
    assert result.stdout == "Fixed 2 findings in 1 file (DKL103: 1, DKL405: 1); nothing left\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Dockerfile"]  # no temporary left
    again = run("fix", str(path))
    assert (again.returncode, again.stdout) == (0, "Nothing to fix; nothing left\n")


def test_fix_keeps_crlf_and_the_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"\xef\xbb\xbf" + FIXABLE.replace("\n", "\r\n").encode())
    assert run("fix", str(path)).returncode == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + FIXED.replace("\n", "\r\n").encode()


def test_fix_diff_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(FIXABLE)
    result = run("fix", "--diff", str(path))
    assert result.returncode == 0
    assert path.read_text() == FIXABLE
    assert result.stdout == (
        f"--- a/{path}\n+++ b/{path}\n@@ -1,4 +1,4 @@\n FROM alpine:3.20\n"
        "-ADD run.sh /app/\n-RUN apk add curl\n+COPY run.sh /app/\n"
        "+RUN apk add --no-cache curl\n USER nobody\n"
    )
    assert result.stderr == "Would fix 2 findings in 1 file (DKL103: 1, DKL405: 1); nothing left\n"


def test_fix_leaves_unsafe_fixes_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(UNSAFE_ONLY)
    result = run("fix", str(path))
    assert result.returncode == 1
    assert path.read_text() == UNSAFE_ONLY
    assert f"{path}:2:" in result.stdout and "DKL101" in result.stdout
    assert result.stdout.endswith("Nothing to fix; 1 finding left\n")
    unsafe = run("fix", "--unsafe", str(path))
    assert unsafe.returncode == 0, unsafe.stdout
    assert "apt-get install --no-install-recommends -y curl" in path.read_text()


def test_fix_select_and_ignore(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(FIXABLE)
    assert run("fix", "--select", "DKL405", str(path)).returncode == 0
    assert path.read_text() == FIXABLE.replace("ADD", "COPY")
    path.write_text(FIXABLE)
    assert run("fix", "--ignore", "DKL405,DKL103", str(path)).returncode == 0
    assert path.read_text() == FIXABLE


def test_fix_reports_unreadable_files_and_goes_on(tmp_path: Path) -> None:
    bad = tmp_path / "bad" / "Dockerfile"
    bad.parent.mkdir()
    bad.write_bytes(b"FROM alpine\nADD \xff /x\n")
    good = tmp_path / "good" / "Dockerfile"
    good.parent.mkdir()
    good.write_text(FIXABLE)
    result = run("fix", str(bad), str(good))
    assert result.returncode == 2
    assert result.stderr == f"dockerls: {bad}: not valid UTF-8 (byte 0xff at offset 16)\n"
    assert bad.read_bytes() == b"FROM alpine\nADD \xff /x\n"
    assert good.read_text() == FIXED


def test_fix_stdin_prints_the_fixed_text() -> None:
    result = run("fix", "-", stdin=FIXABLE.encode())
    assert (result.returncode, result.stdout) == (0, FIXED)
    assert "Fixed 2 findings" in result.stderr


def test_fix_reports_a_failed_write_and_keeps_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(FIXABLE)

    def refuse(src: str, dst: str) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    assert cli.main(["fix", str(path)]) == 2
    assert path.read_text() == FIXABLE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Dockerfile"]
    err = capsys.readouterr().err
    assert err == f"dockerls: {path}: could not write: Read-only file system\n"


def test_write_atomically_follows_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "real"
    target.write_text("old")
    target.chmod(0o600)
    link = tmp_path / "Dockerfile"
    link.symlink_to(target)
    fix.write_atomically(str(link), b"new")
    assert link.is_symlink()
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o600


def test_unified_diff_marks_a_missing_final_newline() -> None:
    diff = fix.unified_diff("D", "a\nb", "a\nc")
    assert diff.endswith("-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n")


def test_a_development_container_gets_no_size_findings(tmp_path: Path) -> None:
    text = (
        "FROM python:3.12\nRUN apt-get update && apt-get install -y gcc\n"
        "COPY . .\nRUN pip install -r requirements.txt\nUSER vscode\n"
    )
    shipped = tmp_path / "Dockerfile"
    container = tmp_path / ".devcontainer" / "Dockerfile"
    container.parent.mkdir()
    for path in (shipped, container):
        path.write_text(text)

    def codes(path: Path) -> set[str]:
        output = run("check", "--format", "json", "--severity-threshold", "hint", str(path))
        return {f["code"] for f in validate(output.stdout)["files"][0]["findings"]}

    assert {"DKL101", "DKL102", "DKL104", "DKL201", "DKL301"} <= codes(shipped)
    assert {c for c in codes(container) if c.startswith(("DKL1", "DKL20"))} == set()
    assert "DKL301" in codes(container)
