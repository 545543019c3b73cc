"""BuildKit's own build checks as the oracle for dockerls's BuildKit-equivalent rules.

``docker buildx build --call=check,format=json`` runs BuildKit's checks on a Dockerfile
without building it (and answers ``buildError`` when the file does not even convert);
every rule of dockerls that names a BuildKit check in ``buildkit=`` claims to report the
same thing offline. This module runs both on a text and matches their findings:

- a BuildKit warning and a dockerls finding *agree* when they name the same check on the
  same instruction (and, for UndefinedVar, the same variable);
- what is left on either side is a difference, which ``explain_buildkit`` and
  ``explain_dockerls`` either explain with a reason documented in docs/correctness.md
  (``REASONS``: "BuildKit knows the base image's ENV") or leave unexplained, which the
  e2e test turns into a failure.

The texts are the shared corpus's files (never copied into the project) and the texts the
unit tests of the correctness rules analyse (``record_cases``). Before either side sees a
text, ``prepare`` takes a ``# syntax=`` directive out (BuildKit would fetch a frontend
image from Docker Hub) and drops image digests (a local image made here has none), every
instruction keeping its line; both sides analyse the same prepared text. ``Oracle.build``
builds a text for real, on a busybox image, for the builder-error comparison.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dockerls.analysis import analyze
from dockerls.config import Settings
from dockerls.findings import Finding
from dockerls.rules.buildkit_checks.global_args import arg_defaults
from dockerls.rules.correctness.image_references import reference_problem
from dockerls.rules.correctness.stage_references import stage_refs
from dockerls.rules.correctness.variable_scopes import PLATFORM_ARGS
from dockerls.rules.correctness.word_processing import process_word
from dockerls.rules.registry import all_rules
from dockerls.syntax import Dockerfile, Instruction, parse

if TYPE_CHECKING:
    from e2e.engine import Engine

# --------------------------------------------------------------------------- the mapping


def check_codes() -> dict[str, str]:
    """dockerls rule code -> the BuildKit check it stands for (from each rule's ``buildkit=``)."""
    return {r.code: r.buildkit[0] for r in all_rules() if r.buildkit}


# --------------------------------------------------------------------------- preparing a text

_DIRECTIVE = re.compile(r"^[ \t]*#[ \t]*([A-Za-z][A-Za-z0-9]*)[ \t]*=")
_DIGEST = re.compile(r"@sha256:[0-9a-fA-F]{64}")


def prepare(text: str) -> str:
    """The text both sides analyse: no ``# syntax=`` directive, no image digests.

    The directive is taken out of the leading block of directives and an empty line is
    put after the block instead: the other directives (``# check=``, ``# escape=``) stay
    directives (an empty line above them would end the block), and every instruction
    keeps its line number. A digest is cut out of its line.
    """
    lines = text.split("\n")
    block = 0
    while block < len(lines) and _directive_name(lines[block]) is not None:
        block += 1
    syntax = [i for i in range(block) if _directive_name(lines[i]) == "syntax"]
    if syntax:
        del lines[syntax[0]]
        lines.insert(block - 1, "")
    return _DIGEST.sub("", "\n".join(lines))


def _directive_name(line: str) -> str | None:
    m = _DIRECTIVE.match(line)
    return m.group(1).lower() if m else None


def _valid_image(name: str) -> bool:
    return bool(name) and "$" not in name and "@" not in name and reference_problem(name) is None


@dataclass(frozen=True, slots=True)
class Bases:
    """What a check of a text needs from the engine: each image it resolves (with the
    platform a literal ``FROM --platform`` asks for, else None) and the ``--build-arg``
    values that give a global ARG without default, used in a FROM, a value."""

    images: dict[str, str | None]
    build_args: dict[str, str]


def bases(text: str) -> Bases:
    """The images a build of ``text`` resolves: FROM images as BuildKit expands them,
    ``COPY --from`` and ``RUN --mount from=`` images; stages and ``scratch`` left out."""
    doc: Dockerfile = parse(text)
    env = arg_defaults(doc)
    bare = {p.key.text for i in doc.global_args for p in i.pairs if p.raw_value is None}
    build_args: dict[str, str] = {}
    for stage in doc.stages:
        if stage.from_.args:
            for use in process_word(stage.from_.args[0].text, env, doc.escape).uses:
                if use.name in bare:
                    build_args[use.name] = "arg-" + use.name.lower().replace("_", "-")
    env.update(build_args)
    stages = [s.name_lower for s in doc.stages]
    images: dict[str, str | None] = {}

    def add(
        name: str | None, stages_seen: Sequence[str | None], platform: str | None = None
    ) -> None:
        lower = (name or "").lower()
        if name and lower not in stages_seen and lower != "scratch" and _valid_image(name):
            images.setdefault(name, platform)

    for stage in doc.stages:
        if not stage.from_.args:
            continue
        platform = None
        flag = stage.from_.flag("platform")
        if flag is not None and flag.value is not None and "$" not in flag.value.text:
            platform = process_word(flag.value.text, env, doc.escape).value
        image = process_word(stage.from_.args[0].text, env, doc.escape).value
        add(image, stages[: stage.index], platform)  # a FROM sees the stages above it only
    for ref in stage_refs(doc):
        if not ref.text.isdigit():
            add(ref.text, stages)
    return Bases(images, build_args)


# --------------------------------------------------------------------------- the two sides


@dataclass(frozen=True, slots=True)
class Item:
    """One finding of either side: the check, its lines (1-based, inclusive), and for
    UndefinedVar the variable it names."""

    check: str
    first: int
    last: int
    variable: str | None = None
    detail: str = ""


_UNDEFINED = re.compile(r"undefined variable '?\$?\{?([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True, slots=True)
class Checked:
    """BuildKit's answer for one text: its warnings, or the error that stopped it (a
    Dockerfile that does not parse or convert gets no warnings, only ``buildError``)."""

    warnings: tuple[Item, ...]
    error: str | None = None


def _lines(location: object) -> tuple[int, int]:
    ranges = (location if isinstance(location, dict) else {}).get("ranges") or [{}]
    first = min(int(r.get("start", {}).get("line", 0)) for r in ranges)
    last = max(int(r.get("end", {}).get("line", first)) for r in ranges)
    return first, max(first, last)


def parse_check_output(stdout: str) -> Checked:
    """BuildKit's ``--call=check,format=json`` answer (the source text it echoes is
    dropped here, so nothing of the corpus is kept)."""
    data = json.loads(stdout)
    items: list[Item] = []
    for warning in data.get("warnings") or ():
        first, last = _lines(warning.get("location"))
        detail = str(warning.get("detail", ""))
        check = str(warning.get("ruleName", ""))
        variable = None
        if check == "UndefinedVar":
            m = _UNDEFINED.search(detail)
            variable = m.group(1) if m else None
        items.append(Item(check, first, last, variable, detail))
    error = data.get("buildError")
    if isinstance(error, dict):
        return Checked(tuple(items), str(error.get("message", "")))
    return Checked(tuple(items))


@dataclass(frozen=True, slots=True)
class Ours:
    """dockerls's side of a text: its BuildKit-equivalent findings as items, every finding
    (some differences are explained by another rule's finding), and the parsed text."""

    items: tuple[Item, ...]
    findings: tuple[Finding, ...]
    document: Dockerfile

    def extent(self, line: int) -> tuple[int, int]:
        """The lines (1-based) of the instruction on ``line``; the line alone outside one."""
        ins = self.instruction(line)
        return (ins.start_line + 1, ins.end_line + 1) if ins is not None else (line, line)

    def instruction(self, line: int) -> Instruction | None:
        """The top-level instruction on ``line`` (1-based), if any."""
        for ins in self.document.instructions:
            if ins.start_line + 1 <= line <= ins.end_line + 1:
                return ins
        return None


def dockerls_side(text: str) -> Ours:
    """Every rule of dockerls on ``text``; the items are the BuildKit-equivalent ones."""
    codes = check_codes()
    analysis = analyze(text, Settings(select=("all",)))
    lines = analysis.document.lines
    items: list[Item] = []
    for f in analysis.findings:
        check = codes.get(f.code)
        if check is None:
            continue
        variable = None
        if check == "UndefinedVar" and f.span.start.line == f.span.end.line:
            written = lines[f.span.start.line][f.span.start.column : f.span.end.column]
            variable = written.lstrip("$").lstrip("{").split(":")[0].rstrip("}") or None
        items.append(Item(check, f.span.start.line + 1, f.span.end.line + 1, variable, f.message))
    return Ours(tuple(items), analysis.findings, analysis.document)


# --------------------------------------------------------------------------- matching


@dataclass(slots=True)
class Comparison:
    """The two sides' findings for one text, matched; ``explained`` maps a difference to
    the key of its documented reason (``REASONS``)."""

    both: list[tuple[Item, Item]] = field(default_factory=list)
    only_buildkit: list[Item] = field(default_factory=list)
    only_dockerls: list[Item] = field(default_factory=list)
    explained: dict[int, str] = field(default_factory=dict)  # id(item) -> reason key

    @property
    def unexplained(self) -> list[tuple[str, Item]]:
        return [
            (side, item)
            for side, items in (("BuildKit", self.only_buildkit), ("dockerls", self.only_dockerls))
            for item in items
            if id(item) not in self.explained
        ]


def _agree(theirs: Item, ours: Item, side: Ours) -> bool:
    """Same check, same instruction (BuildKit points at an instruction's first line, or at
    the line after empty continuation lines; dockerls at the token), same variable."""
    if theirs.check != ours.check:
        return False
    first, last = side.extent(theirs.first)
    if not (first <= ours.first <= last or theirs.first <= ours.first <= theirs.last):
        return False
    return theirs.variable is None or ours.variable is None or theirs.variable == ours.variable


def compare(buildkit: Sequence[Item], side: Ours) -> Comparison:
    """Match each BuildKit warning with one dockerls finding of the same check on the same
    instruction (the closest first); explain what is left on either side."""
    result = Comparison()
    left = list(side.items)
    for theirs in sorted(buildkit, key=lambda i: (i.first, i.last, i.check)):
        candidates = [o for o in left if _agree(theirs, o, side)]
        if not candidates:
            result.only_buildkit.append(theirs)
            continue
        best = min(candidates, key=lambda o: abs(o.first - theirs.first))
        left.remove(best)
        result.both.append((theirs, best))
    result.only_dockerls = left
    for item in result.only_buildkit:
        reason = explain_buildkit(item, side)
        if reason is not None:
            result.explained[id(item)] = reason
    for item in result.only_dockerls:
        reason = explain_dockerls(item, side)
        if reason is not None:
            result.explained[id(item)] = reason
    return result


# --------------------------------------------------------------------------- documented reasons

# Each difference between BuildKit and dockerls that is deliberate, with its reason; the
# same keys and reasons are in docs/correctness.md ("Measured against BuildKit").
REASONS = {
    "base-image-env": "UndefinedVar: the name is no ARG anywhere in the file; it may come from "
    "the base image's ENV, which BuildKit reads (here: empty images) and dockerls, offline, "
    "does not",
    "guarded-use": "UndefinedVar: `${NAME:-default}` and the like are not reported by dockerls "
    "(the use says what happens when the name is unset)",
    "value-from-undefined-variable": "WorkdirRelativePath: the path is made of a variable the "
    "file does not define; dockerls does not judge a value it cannot know",
    "windows-path": "WorkdirRelativePath: `C:\\path` is absolute on the Windows images it is "
    "written for; BuildKit here checks for a Linux target",
    "reported-as-another-rule": "JSONArgsRecommended: dockerls reports what is wrong instead: "
    "malformed JSON (DKL004) or a command that is missing (DKL008)",
    "onbuild-trigger": "dockerls checks ONBUILD triggers where they are written; BuildKit "
    "checks them in the child build that runs them",
    "secret-allow-list": "SecretsUsedInArgOrEnv: dockerls also lets names with FILE, VERSION, "
    "GPG, PGP, FINGERPRINT, URL, PATH, DIR or NAME through (they name or describe a secret, "
    "or are public key material)",
    "global-arg-secret": "SecretsUsedInArgOrEnv: dockerls also reports an ARG before the first "
    "FROM; BuildKit checks the ARGs of stages only",
}

_ALLOWED_SECRET = re.compile(
    r"(?:_|^)(?:file|version|gpg|pgp|fingerprint|url|path|dir|name)(?:_|$)", re.IGNORECASE
)
_SECRET_NAME = re.compile(r'\((?:ARG|ENV) "([^"]+)"\)')
_WINDOWS = re.compile(r'"[A-Za-z]:[\\/]')


def _declared_anywhere(document: Dockerfile, name: str) -> bool:
    return any(
        p.key.text == name for ins in document.instructions if ins.name == "ARG" for p in ins.pairs
    )


def explain_buildkit(item: Item, side: Ours) -> str | None:
    """The documented reason why dockerls does not report this BuildKit warning, if any."""
    ins = side.instruction(item.first)
    text = "\n".join(side.document.lines[ins.start_line : ins.end_line + 1]) if ins else ""
    if item.check == "UndefinedVar" and item.variable is not None:
        if re.search(r"\$\{" + re.escape(item.variable) + r":?[-+?]", text):
            return "guarded-use"
        if item.variable not in PLATFORM_ARGS and not _declared_anywhere(
            side.document, item.variable
        ):
            return "base-image-env"
    if item.check == "WorkdirRelativePath":
        if _WINDOWS.search(item.detail):
            return "windows-path"
        if ins is not None and "$" in text:
            return "value-from-undefined-variable"
    if item.check == "JSONArgsRecommended" and any(
        f.code in ("DKL004", "DKL008") and side.extent(f.span.start.line + 1)[0] == item.first
        for f in side.findings
    ):
        return "reported-as-another-rule"
    if item.check == "SecretsUsedInArgOrEnv":
        m = _SECRET_NAME.search(item.detail)
        if m and _ALLOWED_SECRET.search(m.group(1)):
            return "secret-allow-list"
    return None


def explain_dockerls(item: Item, side: Ours) -> str | None:
    """The documented reason why BuildKit does not report this dockerls finding, if any."""
    ins = side.instruction(item.first)
    if ins is not None and ins.name == "ONBUILD":
        return "onbuild-trigger"
    if item.check == "SecretsUsedInArgOrEnv" and any(ins is g for g in side.document.global_args):
        return "global-arg-secret"
    return None


# --------------------------------------------------------------------------- the engine side


def _empty_tar() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w"):
        pass
    return buffer.getvalue()


def cache_root() -> Path:
    """Where the oracle keeps what it downloads (under the e2e cache)."""
    from e2e.engine import cache_dir

    return cache_dir() / "buildkit-oracle"


def shell_tar(cache: Path) -> bytes | None:
    """A root file system with Debian's static busybox as /bin/sh (and its applets), a
    passwd with root and nobody, made once under ``cache``; None when apt cannot fetch it.

    The images a case is built on need a shell, or every RUN would fail for that reason."""
    tar = cache / "busybox-root.tar"
    if tar.exists():
        return tar.read_bytes()
    cache.mkdir(parents=True, exist_ok=True)
    fetched = subprocess.run(
        ["apt-get", "download", "busybox-static"], cwd=cache, capture_output=True, check=False
    )
    debs = sorted(cache.glob("busybox-static_*.deb"))
    if fetched.returncode != 0 or not debs:
        return None
    unpacked = cache / "busybox"
    subprocess.run(["dpkg-deb", "-x", str(debs[-1]), str(unpacked)], check=True)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as out:
        out.add(unpacked / "bin" / "busybox", "bin/busybox")
        for applet in ("sh", "true", "false", "echo", "ls", "cat", "mkdir", "env"):
            link = tarfile.TarInfo(f"bin/{applet}")
            link.type, link.linkname = tarfile.SYMTYPE, "busybox"
            out.addfile(link)
        files = {
            "etc/passwd": "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/sh\n",
            "etc/group": "root:x:0:\nnogroup:x:65534:\n",
        }
        for name, text in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(text)
            out.addfile(info, io.BytesIO(text.encode()))
        for folder in ("tmp", "root"):
            info = tarfile.TarInfo(folder)
            info.type, info.mode = tarfile.DIRTYPE, 0o1777 if folder == "tmp" else 0o700
            out.addfile(info)
    tar.write_bytes(buffer.getvalue())
    return tar.read_bytes()


class Oracle:
    """Runs BuildKit through one engine, making the images a text names first (each name
    once per oracle): a busybox root file system without any ENV in its configuration,
    so that a RUN has a shell and UndefinedVar sees no variable from a base image."""

    BASE = "dockerls-e2e/oracle-base"

    def __init__(self, engine: Engine, workdir: Path, root: bytes | None = None) -> None:
        self.engine = engine
        self.workdir = workdir
        self.context = workdir / "context"  # empty: COPY sources need not exist for a check
        self.context.mkdir(parents=True, exist_ok=True)
        self.can_run = root is not None
        (workdir / "base.tar").write_bytes(root if root is not None else _empty_tar())
        self._made: dict[str, str | None] = {}  # name -> platform it was made for
        self._bases: dict[str, str] = {}  # platform ("" for the engine's) -> base image
        self._checked: dict[str, Checked] = {}

    def _base(self, platform: str | None) -> str:
        """The base image for ``platform`` (None: the engine's own), imported once."""
        key = platform or ""
        tag = self._bases.get(key)
        if tag is None:
            tag = f"{self.BASE}-{len(self._bases)}"
            tar = str(self.workdir / "base.tar")
            args = ["import", *(["--platform", platform] if platform else []), tar, tag]
            if self.engine.docker(*args, check=False).returncode != 0:
                return self._base(None)  # a platform docker does not know: BuildKit says so
            self._bases[key] = tag
        return tag

    def make_images(self, images: dict[str, str | None]) -> None:
        """Tag an empty image (of the platform asked for) under every name not made yet."""
        for name, platform in sorted(images.items()):
            if self._made.get(name, "-") != platform:
                # A name docker can not tag stays unmade: BuildKit's answer says so.
                self.engine.docker("tag", self._base(platform), name, check=False)
                self._made[name] = platform

    def check(self, text: str) -> Checked:
        """BuildKit's checks of ``text`` (already prepared; each text checked once per
        oracle). Raises ``CheckFailed`` when BuildKit gives no check result at all."""
        known = self._checked.get(text)
        if known is None:
            known = self._checked[text] = self._check(text)
        return known

    def prefetch(self, texts: Iterable[str]) -> None:
        """Check many texts at once: the images first, then several ``buildx`` clients in
        parallel (the client's start-up is most of a check's time)."""
        # A text that wants an image for another platform re-tags its name: it is left to
        # check(), one at a time.
        todo = [
            text
            for text in sorted(set(texts) - set(self._checked))
            if all(platform is None for platform in bases(text).images.values())
        ]
        for text in todo:
            self.make_images(bases(text).images)
        with ThreadPoolExecutor(max_workers=max(2, min(4, os.cpu_count() or 2))) as pool:
            for text, checked in zip(todo, pool.map(self._check_or_none, todo), strict=True):
                if checked is not None:
                    self._checked[text] = checked

    def _check_or_none(self, text: str) -> Checked | None:
        try:
            return self._check(text)
        except CheckFailed:
            return None  # check() tries again and raises it

    def _check(self, text: str) -> Checked:
        needs = bases(text)
        self.make_images(needs.images)
        with tempfile.TemporaryDirectory(dir=self.workdir) as tmp:
            dockerfile = Path(tmp) / "Dockerfile"
            dockerfile.write_text(text, encoding="utf-8")
            done = self.engine.docker(
                "buildx",
                "build",
                "--call=check,format=json",
                "--network",
                "host",
                *_build_args(needs),
                "-f",
                str(dockerfile),
                str(self.context),
                check=False,
                timeout=300,
            )
        try:
            return parse_check_output(done.stdout)
        except (json.JSONDecodeError, AttributeError, TypeError, ValueError):
            raise CheckFailed(_last_line(done.stderr)) from None

    def build(self, text: str) -> tuple[bool, str]:
        """Build ``text`` for real (the result thrown away) in a context that holds every
        literal COPY/ADD source it names; (built, the last line of the output)."""
        needs = bases(text)
        self.make_images(needs.images)
        with tempfile.TemporaryDirectory(dir=self.workdir) as tmp:
            context = Path(tmp) / "context"
            make_sources(text, context)
            dockerfile = Path(tmp) / "Dockerfile"
            dockerfile.write_text(text, encoding="utf-8")
            done = self.engine.docker(
                "build",
                "--network",
                "host",
                "--output",
                "type=cacheonly",
                *_build_args(needs),
                "-f",
                str(dockerfile),
                str(context),
                check=False,
                timeout=300,
            )
        return done.returncode == 0, _last_line(done.stderr)


def _build_args(needs: Bases) -> list[str]:
    return [a for k, v in sorted(needs.build_args.items()) for a in ("--build-arg", f"{k}={v}")]


def make_sources(text: str, context: Path) -> None:
    """Create every literal COPY/ADD source of the build context ``text`` names (not
    ``--from``, URLs, heredocs or words with variables); a wildcard becomes an ``x``."""
    context.mkdir(parents=True, exist_ok=True)
    doc = parse(text)
    for stage in doc.stages:
        for ins in stage.instructions:
            if ins.name not in ("COPY", "ADD") or ins.flag("from") is not None:
                continue
            heredocs = {h.marker.span for h in ins.heredocs}
            words = (
                ins.exec_form.elements[:-1]
                if ins.exec_form is not None
                else [t for t in ins.args[:-1] if t.span not in heredocs]
            )
            for word in words:
                path = process_word(word.text, {}, doc.escape).value
                if not path or "$" in word.text or "://" in path or path.startswith("<<"):
                    continue
                target = context / re.sub(r"[*?\[\]]", "x", path.lstrip("/"))
                if not target.resolve().is_relative_to(context.resolve()):
                    continue
                if path.endswith("/") or path in (".", "./"):
                    target.mkdir(parents=True, exist_ok=True)
                elif not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text("x\n")


class CheckFailed(Exception):
    """BuildKit answered with an error instead of check results; str() is its last line."""


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


# --------------------------------------------------------------------------- totals


@dataclass(slots=True)
class Tally:
    """Per BuildKit check: agreements, differences each way, and those explained."""

    both: Counter[str] = field(default_factory=Counter)
    only_buildkit: Counter[str] = field(default_factory=Counter)
    only_dockerls: Counter[str] = field(default_factory=Counter)
    explained: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)  # reason key -> differences

    def add(self, comparison: Comparison) -> None:
        for theirs, _ in comparison.both:
            self.both[theirs.check] += 1
        for counter, items in (
            (self.only_buildkit, comparison.only_buildkit),
            (self.only_dockerls, comparison.only_dockerls),
        ):
            for item in items:
                counter[item.check] += 1
                if id(item) in comparison.explained:
                    self.explained[item.check] += 1
                    self.reasons[comparison.explained[id(item)]] += 1

    def rows(self) -> Iterator[dict[str, object]]:
        checks = sorted(
            set(check_codes().values())
            | set(self.both)
            | set(self.only_buildkit)
            | set(self.only_dockerls)
        )
        for check in checks:
            yield {
                "BuildKit check": check,
                "both": self.both[check],
                "only BuildKit": self.only_buildkit[check],
                "only dockerls": self.only_dockerls[check],
                "explained": self.explained[check],
            }


# --------------------------------------------------------------------------- the unit tests' cases

CASE_TESTS = ("tests/rules/correctness", "tests/rules/buildkit_checks", "tests/rules/security")


@dataclass(frozen=True, slots=True)
class Case:
    """A Dockerfile text a unit test analyses, and the rule codes the test selected."""

    text: str
    codes: tuple[str, ...]
    test: str


class _Recorder:
    """A pytest plugin that records every text a test hands to ``Analyzer.analyze``."""

    def __init__(self) -> None:
        self.cases: list[Case] = []
        self.test = ""

    def pytest_configure(self) -> None:
        from dockerls import analysis

        original = analysis.Analyzer.analyze
        recorder = self

        def recording(
            self: analysis.Analyzer,
            text: str,
            settings: Settings | None = None,
            context: object = None,
        ) -> analysis.Analysis:
            codes = tuple(settings.select) if settings is not None else ()
            recorder.cases.append(Case(text, codes, recorder.test))
            return original(self, text, settings, context)  # type: ignore[arg-type]

        analysis.Analyzer.analyze = recording  # type: ignore[method-assign]

    def pytest_runtest_setup(self, item: object) -> None:
        self.test = str(getattr(item, "nodeid", ""))


def record_cases(test_files: Sequence[str] = CASE_TESTS) -> list[Case]:
    """Run the unit tests of the correctness rules and return the texts they analyse
    (in this process: call it from a subprocess of a test session, see ``main``)."""
    import pytest

    recorder = _Recorder()
    pytest.main(["-q", "-p", "no:cacheprovider", "-x", *test_files], plugins=[recorder])
    return recorder.cases


def main(argv: Sequence[str]) -> int:
    """``python -m e2e.buildkit_oracle cases``: the unit tests' cases as JSON lines."""
    if list(argv) != ["cases"]:
        print("usage: python -m e2e.buildkit_oracle cases", file=sys.stderr)
        return 2
    cases = record_cases()
    for case in cases:
        print("CASE " + json.dumps({"text": case.text, "codes": case.codes, "test": case.test}))
    return 0


def load_cases(stdout: str) -> list[Case]:
    """The cases ``main`` printed (pytest's own output lines are skipped)."""
    found: list[Case] = []
    for line in stdout.splitlines():
        if line.startswith("CASE "):
            data = json.loads(line[5:])
            found.append(Case(data["text"], tuple(data["codes"]), data["test"]))
    return found


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
