"""Every fixture built for real: the original, every split dockerls offers, fix-all, the reorder.

For each fixture under e2e/fixtures/ (see e2e/apps.py for the variants):

- ``original``: built, its size recorded, run, and its smoke answer (HTTP status and body, or
  stdout and exit code) kept as the reference;
- ``split-<kind>``: ``dockerls fix --split --runtime <kind>`` on a copy, built, run: the same
  answer, still running a few seconds later, and a smaller image without the files the
  fixture's ``only_in_original`` patterns match (the original must have one of them);
- ``fix-all``: ``dockerls fix`` on a copy, built, run: the same answer;
- ``reorder``: ``dockerls fix --reorder`` on a copy, built, run: the same answer; then one
  source file (the fixture's ``edit``) changes and the rebuild takes the dependency install
  step (``install_step``) from the cache, which it did not do for the original.

A runtime that cannot be made here (Alpine) is a skip saying "not verifiable here"; a
``[known_failures]`` entry makes its variant an expected failure (strict: it must fail).
Each variant's row goes to e2e/RESULTS.md.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from e2e import results
from e2e.apps import App, Smoke, Split, apps, images
from e2e.engine import Engine
from e2e.images import Made

SECTION = "Builds"
DOCKERLS = Path(sys.executable).with_name("dockerls")
BUILD_SECONDS = 1200.0
ANSWER_SECONDS = 90.0  # an HTTP server's start, polled
ALIVE_SECONDS = 5.0  # still running this long after its first answer
PREFIX = "dockerls-e2e-test/"

APPS = apps()
results.SESSION.keyed(SECTION, "fixture", "variant")


@dataclass(frozen=True)
class Answer:
    """What the smoke check saw: (status, body) over HTTP or (exit code, stdout)."""

    code: int | None
    text: str
    alive: bool = True  # an HTTP server still running ALIVE_SECONDS after answering

    def show(self) -> str:
        body = self.text if len(self.text) <= 200 else self.text[:200] + "…"
        return f"{self.code} {body!r}" + ("" if self.alive else " (then exited)")


@dataclass
class Built:
    """An image built from one variant, its size, and its smoke answer."""

    tag: str
    size: int
    answer: Answer
    shipped: tuple[str, ...] = ()  # the files ``only_in_original`` matches in the image


@dataclass
class Row:
    """One line of the results table, filled in as the test goes."""

    app: App
    variant: str
    runtime: str = ""
    builds: str = ""
    same: str = ""
    size: str = ""
    cache: str = ""
    notes: list[str] = field(default_factory=list)

    def record(self) -> None:
        results.record(
            SECTION,
            {
                "fixture": self.app.name,
                "variant": self.variant,
                "runtime": self.runtime,
                "builds": self.builds,
                "runs the same": self.same,
                "size before → after": self.size,
                "cache check": self.cache,
                "notes": "; ".join(self.notes),
            },
        )


# -- engine helpers ------------------------------------------------------------------------


def build(engine: Engine, folder: Path, tag: str, *, plain: bool = False) -> str:
    """Build ``folder`` as ``tag``; BuildKit's plain progress output. Fails the test with
    the last lines of the log when the build fails."""
    args = ["build", "--network", "host", "-t", tag]
    if plain:
        args += ["--progress", "plain"]
    done = engine.docker(*args, str(folder), check=False, timeout=BUILD_SECONDS)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        pytest.fail(f"docker build failed:\n{tail}", pytrace=False)
    return done.stderr


def size(engine: Engine, tag: str) -> int:
    return int(engine.docker("image", "inspect", "-f", "{{.Size}}", tag).stdout.strip())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str) -> Answer | None:
    """One GET: the answer, or None when nothing listens yet."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return Answer(response.status, response.read().decode(errors="replace"))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read().decode(errors="replace"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _running(engine: Engine, cid: str) -> bool:
    done = engine.docker("inspect", "-f", "{{.State.Running}}", cid, check=False, timeout=30)
    return done.stdout.strip() == "true"


def _logs(engine: Engine, cid: str) -> str:
    done = engine.docker("logs", "--tail", "15", cid, check=False, timeout=30)
    return (done.stdout + done.stderr).strip()


def smoke(engine: Engine, tag: str, spec: Smoke) -> Answer:
    """Run the image and take its smoke answer (the container is removed afterwards)."""
    port = free_port()
    run = ["run", "--pull", "never", "--network", "host", "-e", f"PORT={port}"]
    if spec.kind == "output":
        done = engine.docker(*run, "--rm", tag, *spec.args, check=False, timeout=300)
        return Answer(done.returncode, done.stdout)
    cid = engine.docker(*run, "-d", tag, timeout=120).stdout.strip()
    try:
        url = f"http://127.0.0.1:{port}{spec.path}"
        deadline = time.monotonic() + ANSWER_SECONDS
        answer = _get(url)
        while answer is None:
            if not _running(engine, cid):
                return Answer(None, f"exited before answering: {_logs(engine, cid)}", False)
            if time.monotonic() > deadline:
                return Answer(None, f"no answer in {ANSWER_SECONDS:.0f} s: {_logs(engine, cid)}")
            time.sleep(0.5)  # polling the server's port, with a deadline
            answer = _get(url)
        try:  # `docker wait` returns when the container exits: it must not, for a while
            engine.docker("wait", cid, check=False, timeout=ALIVE_SECONDS)
        except subprocess.TimeoutExpired:
            return answer
        return Answer(answer.code, answer.text, alive=False)
    finally:
        engine.docker("rm", "-f", cid, check=False, timeout=60)


def matching(engine: Engine, tag: str, patterns: tuple[str, ...]) -> tuple[str, ...]:
    """The files of image ``tag`` that the shell glob ``patterns`` match."""
    if not patterns:
        return ()
    script = 'for p in "$@"; do for f in $p; do [ ! -e "$f" ] || echo "$f"; done; done'
    done = engine.docker(
        "run", "--rm", "--pull", "never", "--network", "host", "--user", "0",
        "--entrypoint", "/bin/sh", tag, "-c", script, "sh", *patterns, timeout=120,
    )  # fmt: skip
    return tuple(done.stdout.split())


def dockerls(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DOCKERLS), *args], capture_output=True, text=True, timeout=120, check=False
    )


# -- the originals, built once per session ---------------------------------------------------


class Originals:
    """Each fixture's original, built and run once; its images removed at the session's end."""

    def __init__(self, engine: Engine, made: Made, work: Path) -> None:
        self.engine = engine
        self.made = made
        self.work = work
        self.built: dict[str, Built | str] = {}

    def copy(self, app: App, variant: str) -> Path:
        """A copy of the fixture with its Dockerfile as the engine here can build it."""
        folder = self.work / f"{app.name}-{variant}"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(app.root, folder)
        (folder / "Dockerfile").write_text(app.text(), encoding="utf-8")
        return folder

    def get(self, app: App) -> Built | str:
        """The original's build, or why it failed (a fixture bug)."""
        if app.name not in self.built:
            self.made.retag(self.engine)
            tag = f"{PREFIX}{app.name}:original"
            try:
                build(self.engine, self.copy(app, "original"), tag)
            except pytest.fail.Exception as failure:
                self.built[app.name] = f"the original does not build: {failure}"
                return self.built[app.name]
            self.built[app.name] = Built(
                tag,
                size(self.engine, tag),
                smoke(self.engine, tag, app.smoke),
                matching(self.engine, tag, app.only_in_original),
            )
        return self.built[app.name]

    def need(self, app: App) -> Built:
        found = self.get(app)
        if isinstance(found, str):
            pytest.skip(f"{app.name}: {found.splitlines()[0]}")
        return found

    def close(self) -> None:
        for found in self.built.values():
            if isinstance(found, Built):
                self.engine.docker("rmi", "-f", found.tag, check=False, timeout=120)


@pytest.fixture(scope="session")
def originals(
    engine: Engine, base_images: Made, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Originals]:
    found = Originals(engine, base_images, tmp_path_factory.mktemp("builds"))
    yield found
    found.close()


@pytest.fixture
def row(request: pytest.FixtureRequest) -> Iterator[Row]:
    """The variant's results row, recorded whatever the outcome; a known failure xfails."""
    app, variant = request.param
    reason = app.known_failure(variant)
    if reason is not None:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))
    line = Row(app, variant)
    if reason is not None:
        line.notes.append(f"known failure: {reason}")
    yield line
    line.record()


def _params(variants: list[tuple[App, str]]) -> list[object]:
    return [pytest.param((a, v), id=f"{a.name}-{v}") for a, v in variants]


# -- the tests -----------------------------------------------------------------------------


@pytest.mark.parametrize("row", _params([(a, "original") for a in APPS]), indirect=True)
def test_original(originals: Originals, row: Row) -> None:
    found = originals.get(row.app)
    if isinstance(found, str):
        row.builds = "no"
        row.notes.append(found.splitlines()[0])
        pytest.fail(f"fixture bug: {found}", pytrace=False)
    row.builds = "yes"
    row.size = results.mb(found.size)
    what = "HTTP" if row.app.smoke.kind == "http" else "exit"
    row.same = f"{what} {found.answer.code}" + ("" if found.answer.alive else ", then exits")
    row.runtime = ", ".join(sorted(images(row.app.text())))
    assert found.answer.code is not None, f"the original does not answer: {found.answer.text}"
    assert found.answer.alive, "the original exits after answering"
    if row.app.only_in_original:
        assert found.shipped, f"the original has none of {row.app.only_in_original}"
        row.notes.append(f"ships {', '.join(found.shipped)}")


def _splits(app: App) -> list[tuple[App, str]]:
    found = app.splits()
    if isinstance(found, str):
        return [(app, "split")]
    return [(app, s.variant) for s in found]


def _split(app: App, variant: str) -> Split | str:
    found = app.splits()
    if isinstance(found, str):
        return found
    return next(s for s in found if s.variant == variant)


def compare(row: Row, before: Built, after: Built) -> None:
    """The variant answers as the original did and keeps running."""
    same = after.answer == before.answer
    row.same = "yes" if same else f"no: {after.answer.show()}"
    assert after.answer.text == before.answer.text and after.answer.code == before.answer.code, (
        f"the original answered {before.answer.show()}, this variant {after.answer.show()}"
    )
    assert after.answer.alive == before.answer.alive, "it exits where the original kept running"


def build_and_run(originals: Originals, row: Row, folder: Path) -> tuple[Built, Built]:
    before = originals.need(row.app)
    tag = f"{PREFIX}{row.app.name}:{row.variant}"
    try:
        build(originals.engine, folder, tag)
    except pytest.fail.Exception:
        row.builds = "no"
        raise
    row.builds = "yes"
    try:
        after = Built(
            tag,
            size(originals.engine, tag),
            smoke(originals.engine, tag, row.app.smoke),
            matching(originals.engine, tag, row.app.only_in_original)
            if row.variant.startswith("split")
            else (),
        )
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            originals.engine.docker("rmi", "-f", tag, timeout=120)
    row.size = f"{results.mb(before.size)} → {results.mb(after.size)}"
    return before, after


@pytest.mark.parametrize("row", _params([v for a in APPS for v in _splits(a)]), indirect=True)
def test_split(originals: Originals, row: Row) -> None:
    app = row.app
    split = _split(app, row.variant)
    if isinstance(split, str):
        row.notes.append(f"not offered: {split}")
        if app.split:
            pytest.fail(f"fixture.toml expects a split; dockerls offers none: {split}")
        pytest.skip(f"no split offered (as fixture.toml expects): {split}")
    row.runtime = split.runtime
    unavailable = originals.made.unavailable.get(split.runtime)
    if unavailable is not None:
        row.builds = "not verifiable here"
        pytest.skip(f"not verifiable here: {unavailable}")
    folder = originals.copy(app, row.variant)
    dockerfile = folder / "Dockerfile"
    if split.by_cli:
        done = dockerls("fix", "--split", "--runtime", split.kind, str(dockerfile))
        assert done.returncode in (0, 1), done.stderr
        assert dockerfile.read_text(encoding="utf-8") == split.text, (
            "the CLI's split differs from the one the editor offers"
        )
    else:  # a second runtime of the same kind: the CLI takes the first, apply the action's text
        dockerfile.write_text(split.text, encoding="utf-8")
        row.notes.append("applied through the code action (the CLI picks the first of its kind)")
    before, after = build_and_run(originals, row, folder)
    compare(row, before, after)
    assert after.size < before.size, (
        f"the split is not smaller: {results.mb(before.size)} → {results.mb(after.size)}"
    )
    if app.only_in_original:
        assert not after.shipped, f"the split ships {', '.join(after.shipped)}"
        row.notes.append(f"none of {', '.join(app.only_in_original)}")


@pytest.mark.parametrize("row", _params([(a, "fix-all") for a in APPS]), indirect=True)
def test_fix_all(originals: Originals, row: Row) -> None:
    folder = originals.copy(row.app, row.variant)
    dockerfile = folder / "Dockerfile"
    done = dockerls("fix", str(dockerfile))
    assert done.returncode in (0, 1), done.stderr
    if dockerfile.read_text(encoding="utf-8") == row.app.text():
        row.builds = row.same = "unchanged"
        row.notes.append("nothing to fix")
        return
    before, after = build_and_run(originals, row, folder)
    compare(row, before, after)


def install_cached(log: str, install_step: str) -> bool | None:
    """Whether the first build step running ``install_step`` (the dependency install; a later
    one, such as uv's second ``uv sync`` that installs the project itself, must run again)
    read ``CACHED`` in BuildKit's plain progress output (None: no such step was built)."""
    steps: list[tuple[int, str]] = []
    cached = set()
    for line in log.splitlines():
        number, _, rest = line.partition(" ")
        if not number.startswith("#"):
            continue
        step = re.match(r"\[(?:[^\]]* )?(\d+)/\d+\] RUN (.*)", rest)
        if step and install_step in step.group(2):
            steps.append((int(step.group(1)), number))
        elif rest.strip() == "CACHED":
            cached.add(number)
    return None if not steps else min(steps)[1] in cached


_COMMENTS = {
    "#": (".py", ".sh", ".rb", ".toml", ".yaml", ".yml", ".txt", ".cfg"),
    "//": (
        ".js",
        ".mjs",
        ".cjs",
        ".ts",
        ".tsx",
        ".jsx",
        ".go",
        ".c",
        ".h",
        ".cc",
        ".cpp",
        ".java",
        ".php",
    ),
}


def edit(folder: Path, name: str) -> None:
    """Change the fixture's source file (a new comment line, never seen before by the cache)."""
    path = folder / name
    mark = next((m for m, ext in _COMMENTS.items() if path.suffix in ext), None)
    assert mark is not None, f"no comment syntax known for {name}"
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\n{mark} e2e edit {uuid.uuid4().hex}\n")


def rebuild_after_edit(originals: Originals, app: App, folder: Path) -> bool | None:
    """Build, change the source file, build again: was the install step cached?"""
    assert app.edit is not None and app.install_step is not None
    tag = f"{PREFIX}{app.name}:{folder.name}"
    build(originals.engine, folder, tag)
    edit(folder, app.edit)
    log = build(originals.engine, folder, tag, plain=True)
    originals.engine.docker("rmi", "-f", tag, check=False, timeout=120)
    return install_cached(log, app.install_step)


@pytest.mark.parametrize("row", _params([(a, "reorder") for a in APPS]), indirect=True)
def test_reorder(originals: Originals, row: Row) -> None:
    app = row.app
    folder = originals.copy(app, row.variant)
    dockerfile = folder / "Dockerfile"
    done = dockerls("fix", "--reorder", str(dockerfile))
    if "--reorder" in done.stderr and "unrecognized" in done.stderr:
        row.builds = "not in this dockerls"
        pytest.skip("`dockerls fix --reorder` is not in this dockerls yet")
    reordered = dockerfile.read_text(encoding="utf-8") != app.text()
    if not app.reorder:
        row.notes.append("not expected by fixture.toml")
        if not reordered:
            row.builds = "not offered"
            pytest.skip(f"no reorder offered (as fixture.toml expects): {done.stderr.strip()}")
    assert reordered, f"fixture.toml expects a reorder; dockerls made none: {done.stderr.strip()}"
    assert done.returncode in (0, 1), done.stderr
    before, after = build_and_run(originals, row, folder)
    compare(row, before, after)
    if app.install_step is None or app.edit is None:
        row.cache = "no install_step/edit in fixture.toml"
        return
    was = rebuild_after_edit(originals, app, originals.copy(app, "original-edit"))
    now = rebuild_after_edit(originals, app, folder)
    row.cache = f"install step after an edit: {_cached(was)} before, {_cached(now)} after"
    assert now is not None, f"the reordered file has no RUN step with {app.install_step!r}"
    assert now, "the reordered install step is not CACHED after a source edit"
    # The original may have no such step (`go mod download` is added by the reorder; before
    # it, `go build` fetched the modules): then nothing of it was cached either.
    assert was is not True, "the original's install step was already cached after an edit"


def _cached(value: bool | None) -> str:
    return {True: "CACHED", False: "rebuilt", None: "no such step"}[value]
