"""The command line on hostile input, and what ``dockerls fix`` may write.

Every bad file gets one line on standard error and makes the exit status 2; the
other files are still checked; nothing hangs (each command runs under a timeout)
and no traceback is printed.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dockerls import cli
from dockerls.cli import sources
from dockerls.cli.commands import check, fix
from dockerls.context_io import NotReadable, read_bounded, read_regular_file
from tests import test_cli

AS_ROOT = os.geteuid() == 0

GOOD = "FROM alpine:3.20\nADD run.sh /app/\nUSER nobody\n"  # one finding: DKL405
FIXED = "FROM alpine:3.20\nCOPY run.sh /app/\nUSER nobody\n"
MIB = 1 << 20


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    result = test_cli.run(*args, stdin=stdin)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def binary(size: int) -> bytes:
    """Deterministic bytes of every value, NUL included (as in an image or an archive)."""
    return bytes((i * 131 + 7) % 256 for i in range(size))


# ---------------------------------------------------------------------------
# One tree with every kind of bad file


def hostile_tree(root: Path) -> dict[str, str]:
    """The tree under ``root`` and, per path relative to it, the expected complaint."""
    write(root / "ok" / "Dockerfile", GOOD)
    write(root / "binary" / "Dockerfile", b"\x89PNG\r\n\x1a\n" + binary(4096))
    write(root / "latin1" / "Dockerfile", "FROM alpine\nLABEL author=José\n".encode("latin-1"))
    write(root / "nul" / "Dockerfile", b"FROM alpine\nRUN echo a\0b\n")
    write(root / "huge" / "Dockerfile", b"FROM alpine\n" + b"RUN echo " + b"x" * (5 * MIB) + b"\n")
    (root / "fifo").mkdir()
    os.mkfifo(root / "fifo" / "Dockerfile")  # nobody ever writes to it
    (root / "loop").mkdir()
    (root / "loop" / "Dockerfile").symlink_to("Dockerfile")  # a link to itself
    (root / "loop" / "up").symlink_to("..", target_is_directory=True)  # a directory cycle
    # A directory named like a Dockerfile is searched, not read.
    write(root / "named" / "Dockerfile" / "Dockerfile", GOOD)
    return {
        "binary/Dockerfile": "binary file (contains NUL bytes)",
        "fifo/Dockerfile": "not a regular file: a named pipe (FIFO)",
        "huge/Dockerfile": "too large to check (5.0 MiB; the limit is 1.0 MiB)",
        "latin1/Dockerfile": "not valid UTF-8 (byte 0xe9 at offset 28)",
        "loop/Dockerfile": os.strerror(errno.ELOOP),
        "nul/Dockerfile": "binary file (contains NUL bytes)",
    }


def test_every_bad_file_gets_one_line_and_the_rest_is_checked(tmp_path: Path) -> None:
    bad = hostile_tree(tmp_path)

    result = run("check", str(tmp_path))

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"dockerls: {tmp_path / path}: {message}" for path, message in sorted(bad.items())
    ]
    checked = [line.split(":")[0] for line in result.stdout.splitlines()[:-1]]
    assert checked == [
        str(tmp_path / "named/Dockerfile/Dockerfile"),
        str(tmp_path / "ok/Dockerfile"),
    ]
    assert result.stdout.splitlines()[-1] == (
        "2 findings in 2 files (2 fixable); 6 files could not be read"
    )


def test_fix_goes_on_past_bad_files_and_changes_none_of_them(tmp_path: Path) -> None:
    bad = hostile_tree(tmp_path)
    before = {
        path: (tmp_path / path).read_bytes()
        for path in bad
        if "fifo" not in path and "loop" not in path
    }

    result = run("fix", str(tmp_path))

    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == len(bad)
    assert (tmp_path / "ok" / "Dockerfile").read_text() == FIXED
    assert (tmp_path / "named" / "Dockerfile" / "Dockerfile").read_text() == FIXED
    assert {path: (tmp_path / path).read_bytes() for path in before} == before


# ---------------------------------------------------------------------------
# Paths named on the command line


def test_named_special_files_are_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "Dockerfile"
    os.mkfifo(fifo)
    good = write(tmp_path / "good.Dockerfile", GOOD)

    result = run("check", str(fifo), "/dev/zero", str(good))

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"dockerls: {fifo}: not a regular file: a named pipe (FIFO)",
        "dockerls: /dev/zero: not a regular file: a character device",
    ]
    assert result.stdout.endswith("1 finding in 1 file (1 fixable); 2 files could not be read\n")


def test_standard_input_is_bounded() -> None:
    result = run("check", "-", stdin=b"#" * (MIB + 1))
    assert result.returncode == 2
    assert result.stderr == "dockerls: -: too large to check (over the limit of 1.0 MiB)\n"


def test_a_file_at_the_limit_is_checked(tmp_path: Path) -> None:
    head = b"FROM alpine:3.20\nUSER nobody\n"
    path = write(tmp_path / "Dockerfile", head + b"#" * (MIB - len(head) - 1) + b"\n")
    assert path.stat().st_size == MIB
    result = run("check", str(path))
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.skipif(AS_ROOT, reason="root can read files and directories without permission")
def test_unreadable_files_and_directories(tmp_path: Path) -> None:
    locked_file = write(tmp_path / "a" / "Dockerfile", GOOD)
    locked_file.chmod(0)
    write(tmp_path / "b" / "Dockerfile", "FROM alpine:3.20\n")
    locked_dir = tmp_path / "c"
    write(locked_dir / "Dockerfile", GOOD)
    locked_dir.chmod(0)
    try:
        result = run("check", str(tmp_path))
    finally:
        locked_dir.chmod(0o755)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"dockerls: {locked_dir}: Permission denied",
        f"dockerls: {locked_file}: Permission denied",
    ]


@pytest.mark.skipif(not AS_ROOT, reason="covered by test_unreadable_files_and_directories")
def test_as_root_special_files_stand_in_for_unreadable_ones(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "Dockerfile.fifo")
    write(tmp_path / "Dockerfile.dir" / "Dockerfile", GOOD)  # searched, not read
    locked = write(tmp_path / "Dockerfile.locked", GOOD)
    locked.chmod(0)  # root reads it anyway

    result = run("check", str(tmp_path))

    assert result.returncode == 2
    assert result.stderr == (
        f"dockerls: {tmp_path / 'Dockerfile.fifo'}: not a regular file: a named pipe (FIFO)\n"
    )
    assert result.stdout.endswith("2 findings in 2 files (2 fixable); 1 file could not be read\n")


def test_file_names_that_are_not_utf8_are_printed_as_they_are(tmp_path: Path) -> None:
    directory = os.fsencode(tmp_path)
    with open(os.path.join(directory, b"Dockerfile.\xff"), "w") as f:
        f.write(GOOD)
    strict = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}  # no lenient terminal

    result = subprocess.run(
        [sys.executable, "-m", "dockerls", "check", str(tmp_path)],
        capture_output=True,
        cwd=test_cli.ROOT,
        env=strict,
        timeout=120,
        check=False,
    )

    assert b"Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1
    assert result.stdout.startswith(directory + b"/Dockerfile.\xff:2:1: DKL405 ")


# ---------------------------------------------------------------------------
# Symbolic links


def test_a_symlink_out_of_the_tree_is_not_followed(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside" / "Dockerfile", GOOD)
    tree = tmp_path / "tree"
    write(tree / "Dockerfile", GOOD)
    write(tree / "real.Dockerfile", "FROM alpine:3.20\nUSER nobody\n")
    (tree / "linked.Dockerfile").symlink_to("real.Dockerfile")  # inside: checked
    (tree / "sub").mkdir()
    (tree / "sub" / "Dockerfile").symlink_to(outside)

    result = run("check", str(tree))

    assert result.returncode == 1
    assert result.stderr == (
        f"dockerls: warning: {tree / 'sub' / 'Dockerfile'}: "
        f"not followed: a symbolic link out of {tree}\n"
    )
    assert result.stdout.endswith("1 finding in 3 files (1 fixable)\n")

    # Named on the command line, the same link is the user's choice and is followed.
    named = run("check", str(tree / "sub" / "Dockerfile"))
    assert (named.returncode, named.stderr) == (1, "")


def test_discover_reports_links_out_of_the_tree(tmp_path: Path) -> None:
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "Dockerfile").symlink_to("/etc/hostname")
    warnings: list[str] = []
    files, errors = sources.discover([str(tmp_path / "tree")], warnings)
    assert (files, errors) == ([], [])
    tree = tmp_path / "tree"
    assert warnings == [f"{tree / 'Dockerfile'}: not followed: a symbolic link out of {tree}"]


# ---------------------------------------------------------------------------
# Scale


def test_a_directory_of_ten_thousand_files(tmp_path: Path) -> None:
    """9,950 other files and 50 Dockerfiles, 5 of them bad, spread over 100 directories."""
    expected_bad = []
    for i in range(10_000):
        directory = tmp_path / f"pkg{i % 100:02}"
        directory.mkdir(exist_ok=True)
        if i % 200 == 0:
            path = directory / f"svc{i}.Dockerfile"
            if i % 2000 == 0:
                path.write_bytes(b"FROM alpine\n\xff\n")
                expected_bad.append(path)
            else:
                path.write_text(GOOD)
        else:
            (directory / f"module{i}.py").write_text("x = 1\n")

    result = run("check", "--format", "json", str(tmp_path))

    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == len(expected_bad) == 5
    document = json.loads(result.stdout)
    assert len(document["files"]) == 45
    assert all([f["code"] for f in file["findings"]] == ["DKL405"] for file in document["files"])
    assert sorted(e["path"] for e in document["errors"]) == sorted(map(str, expected_bad))


def test_jobs_give_the_same_report_in_the_same_order(tmp_path: Path) -> None:
    texts = [GOOD, FIXED, "FROM node\nRUN npm install\nCMD node x.js\n", b"\xff"]
    for i in range(3 * check.MIN_FILES_PER_JOB):
        write(tmp_path / f"s{i:02}" / "Dockerfile", texts[i % len(texts)])

    one = run("check", "--format", "json", "--jobs", "1", str(tmp_path))
    two = run("check", "--format", "json", "-j", "2", str(tmp_path))
    every_cpu = run("check", "--format", "json", "--jobs", "0", str(tmp_path))

    assert one.returncode == two.returncode == every_cpu.returncode == 2
    assert one.stdout == two.stdout == every_cpu.stdout
    assert one.stderr == two.stderr == every_cpu.stderr
    assert len(json.loads(one.stdout)["files"]) == 18


# ---------------------------------------------------------------------------
# The reading functions


def test_read_regular_file_refuses_what_is_not_a_small_regular_file(tmp_path: Path) -> None:
    path = write(tmp_path / "f", b"12345")
    assert read_regular_file(path, 5) == b"12345"
    with pytest.raises(
        NotReadable, match=r"^too large to check \(5 bytes; the limit is 4 bytes\)$"
    ):
        read_regular_file(path, 4)
    with pytest.raises(NotReadable, match=r"^not a regular file: a directory$"):
        read_regular_file(tmp_path, 5)
    link = tmp_path / "link"
    link.symlink_to(path)
    assert read_regular_file(link, 5) == b"12345"
    with pytest.raises(OSError, match="symbolic links"):
        read_regular_file(link, 5, follow_symlinks=False)


def test_read_bounded_stops_an_endless_stream() -> None:
    calls: list[int] = []

    def endless(count: int) -> bytes:
        calls.append(count)
        return b"x" * min(count, 3)

    with pytest.raises(NotReadable, match=r"over the limit of 10 bytes"):
        read_bounded(endless, 10)
    assert sum(min(c, 3) for c in calls) == 11
    chunks = iter([b"ab", b"c", b""])
    assert read_bounded(lambda _: next(chunks), 3) == b"abc"


# ---------------------------------------------------------------------------
# What ``dockerls fix`` writes


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every regular file under ``root``: content, modification time and inode."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            info = path.stat()
            found[path.relative_to(root).as_posix()] = (
                path.read_bytes(),
                info.st_mtime_ns,
                info.st_ino,
            )
    return found


def test_fix_writes_only_the_dockerfiles_it_was_asked_to_fix(tmp_path: Path) -> None:
    # DKL351 (no .dockerignore beside a COPY of the whole context) has a quick fix in
    # the editor that creates one; fix must not. The other files are bait.
    app = tmp_path / "app"
    write(app / "Dockerfile", "FROM node:20\nWORKDIR /app\nCOPY . .\nADD run.sh /app/\nUSER node\n")
    write(app / "package.json", '{"name": "x", "scripts": {"build": "tsc"}}\n')
    write(app / "tsconfig.json", '{"compilerOptions": {"outDir": "dist"}}\n')
    write(app / "run.sh", "#!/bin/sh\n")
    web = tmp_path / "web"
    write(web / "web.Dockerfile", GOOD)
    write(web / "web.Dockerfile.dockerignore", "node_modules\n")
    write(web / ".dockerignore", "*.log\n")
    other = write(tmp_path / "other" / "Dockerfile", GOOD)  # not named: not touched
    before = snapshot(tmp_path)

    result = run("fix", str(app), str(web / "web.Dockerfile"))

    assert result.returncode in (0, 1), result.stderr
    after = snapshot(tmp_path)
    changed = {path for path in after if after[path] != before.get(path)}
    assert changed == {"app/Dockerfile", "web/web.Dockerfile"}
    assert set(after) == set(before)  # no file created (no .dockerignore, no temporary)
    assert other.read_text() == GOOD
    assert "COPY run.sh /app/" in (app / "Dockerfile").read_text()


def test_fix_does_not_follow_a_link_out_of_the_tree(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside" / "Dockerfile", GOOD)
    tree = tmp_path / "tree"
    write(tree / "Dockerfile", GOOD)
    (tree / "sub").mkdir()
    (tree / "sub" / "Dockerfile").symlink_to(outside)

    result = run("fix", str(tree))

    assert result.returncode == 0, result.stderr
    assert (tree / "Dockerfile").read_text() == FIXED
    assert outside.read_text() == GOOD
    assert (tree / "sub" / "Dockerfile").is_symlink()


def test_fix_through_a_named_link_replaces_its_target(tmp_path: Path) -> None:
    """As documented: a symbolic link named on the command line is followed."""
    target = write(tmp_path / "shared" / "base.Dockerfile", GOOD)
    link = tmp_path / "Dockerfile"
    link.symlink_to(target)

    assert run("fix", str(link)).returncode == 0
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert target.read_text() == FIXED


@pytest.mark.parametrize(
    "failure",
    [KeyboardInterrupt(), OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))],
    ids=["interrupted", "disk-full"],
)
def test_an_interrupted_write_leaves_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    path = write(tmp_path / "Dockerfile", GOOD)
    written: list[int] = []

    def fail_after_writing(fd: int) -> None:
        written.append(os.fstat(fd).st_size)  # the new content is half way to the disk
        raise failure

    monkeypatch.setattr(os, "fsync", fail_after_writing)
    with pytest.raises(type(failure)):
        fix.write_atomically(str(path), FIXED.encode())

    assert written == [len(FIXED)]
    assert path.read_text() == GOOD
    assert [p.name for p in tmp_path.iterdir()] == ["Dockerfile"]  # no temporary left


def test_fix_reports_a_full_disk_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = write(tmp_path / "a" / "Dockerfile", GOOD)
    second = write(tmp_path / "b" / "Dockerfile", GOOD)
    real_fsync = os.fsync
    calls: list[int] = []

    def full_once(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_once)
    assert cli.main(["fix", str(tmp_path)]) == 2
    assert (first.read_text(), second.read_text()) == (GOOD, FIXED)
    err = capsys.readouterr().err
    assert err == f"dockerls: {first}: could not write: {os.strerror(errno.ENOSPC)}\n"
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["Dockerfile"]
