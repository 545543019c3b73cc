"""How many bytes each instruction adds to an image, before building it (pure core).

For each stage: the base image's size (from ``knowledge/``), then per instruction the
bytes it adds: apt installs (the dependency closure minus what the base already holds,
``--no-install-recommends`` honoured, purges in the same RUN subtracted), the apt lists,
pip and npm caches left behind, ``pip install -r`` / ``npm ci`` from the lockfiles in the
build context, COPY of the context (from the files' sizes), ``COPY --from`` of what the
source stage wrote there. What cannot be sized is named, never guessed silently: an
:class:`Amount` is "at least ``known`` bytes, plus these unknown parts".

Never raises on input; the facts load lazily on the first estimate.
"""

from __future__ import annotations

import posixpath
import re
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from dockerls import wording
from dockerls.knowledge.images import ImageInfo, classify
from dockerls.rules.dependency_steps import NPM_CI, dependency_step
from dockerls.rules.instruction_parts import cache_targets, operands
from dockerls.rules.package_managers import (
    MANAGERS,
    PACKAGE_INSTALLS,
    PACKAGE_REMOVALS,
    Cache,
    package_name,
)
from dockerls.rules.programs import program, unwrap
from dockerls.shell import Command, script_of
from dockerls.shell.instruction import active_shell
from dockerls.size.data import AptRelease, Registry, load
from dockerls.size.inputs import ContextFiles, LockedPackage
from dockerls.syntax import Dockerfile, Instruction, Stage, parse

__all__ = [
    "Amount",
    "Assumptions",
    "Part",
    "StageEstimate",
    "StepEstimate",
    "before_after",
    "estimate",
    "megabytes_of",
]

# Commands that add nothing worth counting (or only remove).
_QUIET = frozenset(
    {
        "cd",
        "mkdir",
        "rm",
        "chmod",
        "chown",
        "chgrp",
        "ln",
        "echo",
        "printf",
        "true",
        "false",
        "test",
        "[",
        "set",
        "export",
        "unset",
        "useradd",
        "groupadd",
        "adduser",
        "addgroup",
        "usermod",
        "userdel",
        "id",
        "whoami",
        "sed",
        "mv",
        "cp",
        "touch",
        "cat",
        "ls",
        "exit",
        "umask",
        "apt-mark",
        "dpkg-reconfigure",
        "update-alternatives",
        "update-ca-certificates",
        "ldconfig",
        "locale-gen",
        "sleep",
        "command",
        "which",
        "env",
        "sh",
        "bash",
        "grep",
        "find",
        "xargs",
        "tee",
        "rmdir",
        ".",
        "source",
    }
)
_APT = frozenset({"apt-get", "apt", "aptitude"})
_RPM = frozenset({"yum", "dnf", "dnf5", "microdnf", "tdnf", "zypper"})
_DEFAULT_RELEASE = "trixie"  # the Debian release of the untagged official images (2026)
_RELEASE_NAMES = {"bookworm": "bookworm", "12": "bookworm", "debian12": "bookworm"}
_RELEASE_NAMES |= {"trixie": "trixie", "13": "trixie", "debian13": "trixie"}
_PYTHON_PRESENT = frozenset({"pip", "setuptools", "wheel"})  # in the Python images already
_PYTHON_LOCKS = {"uv": "uv.lock", "poetry": "poetry.lock"}
_PER_PACKAGE = 12_000
# Debian byte-compiles Python modules when they are installed (py3compile): the .pyc files
# are not in Installed-Size. Measured on an e2e build of python3 on bookworm (stdlib: +110 %).
_BYTE_COMPILED = re.compile(
    r"^(?:libpython3\.\d+-(?:stdlib|minimal)|python3-(?!.*-(?:whl|dev)$).+)$"
)
_PYC_FACTOR = 1.1
_KNOWN_SETS = frozenset(
    {"debian", "buildpack-deps", "node", "python"}
)  # dpkg's database entries and maintainer-script leftovers per package


@dataclass(frozen=True, slots=True)
class Assumptions:
    """What the estimate assumes about the base images.

    ``gzip_indexes``: apt keeps its lists compressed (the official Debian images'
    ``docker-gzip-indexes``); ``doc_factor``: the share of a package's ``Installed-Size``
    left when documentation is excluded by dpkg (the slim images), measured on made images.
    """

    gzip_indexes: bool = True
    doc_factor: float = 0.9
    docs_excluded: bool | None = None  # None: as the base image's variant says (slim: yes)
    pip_cache: bool = True  # False: the base's pip writes none (Debian's pip as root does not)
    base_packages: tuple[tuple[str, frozenset[str]], ...] = ()  # (reference, dpkg's list)


@dataclass(frozen=True, slots=True)
class Part:
    label: str
    bytes: int


@dataclass(frozen=True, slots=True)
class Amount:
    """At least ``known`` bytes; ``unknown`` names what could not be sized."""

    known: int = 0
    unknown: tuple[str, ...] = ()

    def __add__(self, other: Amount) -> Amount:
        unknown = tuple(dict.fromkeys((*self.unknown, *other.unknown)))
        return Amount(self.known + other.known, unknown)

    def describe(self, *, sign: str = "") -> str:
        """``≈ +245 MB``, ``≈ 1480 MB + unknown: go build``, ``unknown: apk add``."""
        if self.known == 0 and self.unknown:
            return f"unknown: {_listed(self.unknown)}"
        text = f"≈ {sign}{megabytes_of(self.known)} MB"
        return f"{text} + unknown: {_listed(self.unknown)}" if self.unknown else text


@dataclass(frozen=True, slots=True)
class StepEstimate:
    instruction: Instruction
    amount: Amount
    parts: tuple[Part, ...] = ()  # the breakdown, heaviest first
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StageEstimate:
    stage: Stage
    base: Amount
    base_label: str
    steps: tuple[StepEstimate, ...]
    installed: frozenset[str] = frozenset()  # apt packages present at the end of the stage
    outputs: tuple[tuple[str, int], ...] = ()  # (absolute path, bytes) the stage's steps wrote

    @property
    def added(self) -> Amount:
        total = Amount()
        for step in self.steps:
            total += step.amount
        return total

    @property
    def total(self) -> Amount:
        return self.base + self.added


def megabytes_of(count: int) -> str:
    """``count`` bytes in decimal megabytes, as ``docker images`` prints them."""
    return wording.megabytes(count / 1e6)


def _listed(names: Sequence[str], limit: int = 3) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" (+{len(names) - limit} more)" if len(names) > limit else "")


# --------------------------------------------------------------------------- entry point

_MEMO: OrderedDict[tuple[str, ContextFiles | None, Assumptions], tuple[StageEstimate, ...]] = (
    OrderedDict()
)
_MEMO_SIZE = 8


def estimate(
    doc: Dockerfile,
    files: ContextFiles | None = None,
    assumptions: Assumptions = Assumptions(),
) -> tuple[StageEstimate, ...]:
    """One estimate per stage, in order (kept for the last few texts asked about)."""
    key = (doc.text, files, assumptions)
    found = _MEMO.get(key)
    if found is not None:
        _MEMO.move_to_end(key)
        return found
    try:
        result = _Estimator(doc, files, assumptions).run()
    except Exception:
        result = ()
    _MEMO[key] = result
    if len(_MEMO) > _MEMO_SIZE:
        _MEMO.popitem(last=False)
    return result


def before_after(before: str, after: str) -> tuple[float, float] | None:
    """The final stage's estimated MB (its known part) in two versions of a Dockerfile (a
    refactor's input and result); None when either base image's size is not known."""
    found = []
    for text in (before, after):
        stages = estimate(parse(text))
        if not stages or stages[-1].base.unknown:
            return None
        found.append(stages[-1].total.known / 1e6)
    return found[0], found[1]


# --------------------------------------------------------------------------- bases


@dataclass(frozen=True, slots=True)
class _Base:
    amount: Amount
    label: str
    release: AptRelease | None
    installed: frozenset[str]
    docs_excluded: bool
    python_site: str = "/usr/local/lib/python3"


def _release_of(info: ImageInfo) -> str | None:
    suite = info.suite or (info.version if info.family == "debian" else None)
    if suite is None:
        return _DEFAULT_RELEASE if info.package_manager == "apt" else None
    return _RELEASE_NAMES.get(suite) or _RELEASE_NAMES.get(suite.split(".", 1)[0])


def _set_name(info: ImageInfo) -> str:
    if info.family == "buildpack-deps" or info.is_full_language_base:
        return "buildpack-deps"
    if info.kind == "slim" and info.family in ("node", "python"):
        return f"{info.family}-slim"
    return "debian-slim"


def _image_base(reference: str | None) -> _Base:
    if reference is None:
        return _Base(
            Amount(unknown=("the base image",)), "an unresolved image", None, frozenset(), True
        )
    if reference == "scratch":
        return _Base(Amount(), "scratch (empty)", None, frozenset(), True)
    info = classify(reference)
    if info is None:
        return _Base(
            Amount(unknown=(reference,)), f"`{reference}` (not known)", None, frozenset(), True
        )
    size = info.size("uncompressed")
    if size is not None:
        amount = Amount(int(size.mb * 1e6))
        label = f"`{reference}`: {size.describe()}"
    else:
        compressed = info.size("compressed")
        amount = Amount(
            int(compressed.mb * 1e6) if compressed else 0,
            (f"{reference} on disk",),
        )
        label = f"`{reference}`: " + (
            f"only the compressed size is known, {compressed.describe()}"
            if compressed
            else "no size known"
        )
    release_name = _release_of(info) if info.package_manager == "apt" else None
    release = load().apt.get(release_name) if release_name else None
    known_set = info.family in _KNOWN_SETS or info.is_full_language_base
    if not known_set:
        release = None  # an apt image whose package set is not known (Ubuntu, a JDK…)
    installed = release.sets.get(_set_name(info), frozenset()) if release else frozenset()
    return _Base(amount, label, release, installed, docs_excluded=info.kind == "slim")


# --------------------------------------------------------------------------- the walk


@dataclass
class _State:
    """What the walk knows at one point of a stage."""

    base: _Base
    installed: set[str]
    env: dict[str, str] = field(default_factory=dict)
    cwd: str = "/"
    outputs: list[tuple[str, int]] = field(default_factory=list)


class _Estimator:
    def __init__(self, doc: Dockerfile, files: ContextFiles | None, assumptions: Assumptions):
        self.doc = doc
        self.files = files
        self.assume = assumptions
        self.done: dict[int, StageEstimate] = {}
        self.bases: dict[int, _Base] = {}

    def run(self) -> tuple[StageEstimate, ...]:
        return tuple(self._stage(stage) for stage in self.doc.stages)

    def _image_base(self, reference: str | None) -> _Base:
        base = _image_base(reference)
        known = dict(self.assume.base_packages).get(reference or "")
        if known is not None:
            base = replace(base, installed=known)
        if self.assume.docs_excluded is not None:
            base = replace(base, docs_excluded=self.assume.docs_excluded)
        return base

    def _source_stage(self, name: str | None, before: int) -> StageEstimate | None:
        if name is None:
            return None
        if name.isdigit():
            return self.done.get(int(name)) if int(name) < before else None
        found = self.doc.stage_called(name.lower())
        if found is None or found.index >= before:
            return None
        return self.done.get(found.index)

    def _stage(self, stage: Stage) -> StageEstimate:
        parent = self._source_stage(stage.resolved_image, stage.index)
        if parent is not None:
            name = parent.stage.name.text if parent.stage.name else str(parent.stage.index)
            base = replace(
                self.bases[parent.stage.index], amount=parent.total, label=f"stage `{name}`"
            )
            state = _State(base, set(parent.installed), outputs=list(parent.outputs))
        else:
            base = self._image_base(stage.resolved_image)
            state = _State(base, set(base.installed))
        steps = tuple(self._step(stage, ins, state) for ins in stage.instructions)
        result = StageEstimate(
            stage, base.amount, base.label, steps, frozenset(state.installed), tuple(state.outputs)
        )
        self.done[stage.index] = result
        self.bases[stage.index] = base
        return result

    def _step(self, stage: Stage, ins: Instruction, state: _State) -> StepEstimate:
        if ins.name in ("ENV", "ARG"):
            for pair in ins.pairs:
                if pair.value is not None:
                    state.env[pair.key.text] = pair.value.text
            return StepEstimate(ins, Amount())
        if ins.name == "WORKDIR" and ins.args:
            state.cwd = posixpath.normpath(posixpath.join(state.cwd, ins.args[0].text))
            return StepEstimate(ins, Amount())
        if ins.name in ("COPY", "ADD"):
            return self._copy(stage, ins, state)
        if ins.name == "RUN":
            return _Run(self, stage, ins, state).estimate()
        return StepEstimate(ins, Amount())

    # ----------------------------------------------------------------------- COPY / ADD

    def _copy(self, stage: Stage, ins: Instruction, state: _State) -> StepEstimate:
        words = [w.text for w in operands(ins)]
        if len(words) < 2 or any(w.startswith("<<") for w in words):
            return StepEstimate(ins, Amount())
        sources, dest = words[:-1], posixpath.join(state.cwd, words[-1])
        origin = ins.flag("from")
        parts: list[Part] = []
        unknown: list[str] = []
        if origin is not None and origin.value is not None:
            source_stage = self._source_stage(origin.value.text, stage.index)
            for src in sources:
                size = self._from_stage(source_stage, src)
                if size is None:
                    unknown.append(f"`{src}` from `{origin.value.text}`")
                else:
                    parts.append(Part(f"{src} (from {origin.value.text})", size))
        else:
            for src in sources:
                if "://" in src:
                    unknown.append(f"`{src}` (downloaded)")
                    continue
                size = self.files.size_of(src) if self.files is not None else None
                if size is None:
                    unknown.append(
                        f"`{src}` (context not read)" if self.files is None else f"`{src}`"
                    )
                else:
                    parts.append(Part(f"{src} (build context)", size))
        total = sum(p.bytes for p in parts)
        state.outputs.append((posixpath.normpath(dest), total))
        if origin is None and self.files is not None and not self.files.complete:
            unknown.append("the context's files beyond those read")
        return StepEstimate(ins, Amount(total, tuple(unknown)), _heaviest(parts))

    def _from_stage(self, source: StageEstimate | None, path: str) -> int | None:
        if source is None:
            return None
        path = posixpath.normpath(path)
        if path == "/":
            return source.total.known
        # Each path the source stage wrote under the copied one (or the one it lies in).
        inside = [size for out, size in source.outputs if out == path or out.startswith(path + "/")]
        if inside:
            return sum(inside)
        return None


def _heaviest(parts: list[Part]) -> tuple[Part, ...]:
    return tuple(sorted((p for p in parts if p.bytes > 0), key=lambda p: -p.bytes))


# --------------------------------------------------------------------------- RUN


class _Run:
    """One RUN: what its commands install, remove and leave behind."""

    def __init__(self, owner: _Estimator, stage: Stage, ins: Instruction, state: _State):
        self.owner = owner
        self.ins = ins
        self.state = state
        self.commands = script_of(ins, active_shell(stage.instructions, ins)).commands
        self.mounted = cache_targets(ins)
        self.parts: list[Part] = []
        self.unknown: list[str] = []
        self.notes: list[str] = []
        self.added_here: set[str] = set()
        self.manual: set[str] = set()  # what this RUN's installs name (apt marks them manual)

    def estimate(self) -> StepEstimate:
        env = dict(self.state.env)
        lists = False
        for cmd in self.commands:
            if cmd.in_substitution:
                continue  # ``$(uname -m)``: its output is used, nothing is written
            for assign in cmd.assignments:
                env[assign.name] = assign.value.text if assign.value is not None else ""
            work = unwrap(cmd)
            name = program(work.name)
            sub = work.subcommand()
            verb = sub.text if sub is not None else ""
            if work.name in _APT:
                lists |= verb == "update"
                if verb in PACKAGE_INSTALLS.get(work.name, ()):
                    self._apt_install(work)
                elif verb in PACKAGE_REMOVALS.get(work.name, ()):
                    self._apt_remove(work)
            elif work.name == "apk" or work.name in _RPM:
                if verb in PACKAGE_INSTALLS.get(work.name, ()):
                    self.unknown.append(f"`{work.name} {verb}` (no {work.name} package data)")
            elif name == "pip" and verb == "install":
                self._pip(work, env)
            elif name in ("npm", "yarn", "pnpm"):
                self._node(work, name, env)
            elif name in _PYTHON_LOCKS and dependency_step(work) is not None:
                self._python_lock(work, name, env)
            elif name not in _QUIET and not work.name.startswith("$"):
                self.unknown.append(f"`{_shown(work)}`")
        if lists and not self._kept_out("/var/lib/apt/lists", ()):
            release = self.state.base.release
            if release is not None:
                kind = "compressed" if self.owner.assume.gzip_indexes else "uncompressed"
                self.parts.append(Part("apt lists (/var/lib/apt/lists)", release.lists_bytes[kind]))
            else:
                self.unknown.append("apt lists")
        total = sum(p.bytes for p in self.parts)
        return StepEstimate(
            self.ins,
            Amount(total, tuple(dict.fromkeys(self.unknown))),
            _heaviest(self.parts),
            tuple(self.notes),
        )

    def _later(self) -> list[Command]:
        return [unwrap(c) for c in self.commands]

    def _kept_out(self, path: str, cleaners: Sequence[Sequence[str]]) -> bool:
        """Whether a cache mount covers ``path`` or a command of this RUN empties it."""
        if any(path == m.rstrip("/") or path.startswith(m.rstrip("/") + "/") for m in self.mounted):
            return True
        for cmd in self._later():
            argv = [w.text for w in cmd.argv]
            if argv[0] == "rm" and any(a.rstrip("/*").startswith(path) for a in argv[1:]):
                return True
            if (
                argv[0] in _APT
                and path == "/var/lib/apt/lists"
                and argv[1:2]
                in (
                    ["dist-clean"],
                    ["distclean"],
                )
            ):
                return True
            if any(argv[: len(c)] == list(c) for c in cleaners):
                return True
        return False

    def _cache_left(self, cache: Cache, env: Mapping[str, str]) -> bool:
        return not any(self._kept_out(loc, cache.cleaners) for loc in cache.locations(env))

    # ----------------------------------------------------------------------- apt

    def _apt_install(self, cmd: Command) -> None:
        release = self.state.base.release
        names = [w for w in cmd.positionals()[1:]]
        if release is None:
            self.unknown.append(f"`{cmd.name} install` (the base image's packages are not known)")
            return
        seeds: list[str] = []
        for word in names:
            if word.dynamic:
                self.unknown.append(f"`{word.text}`")
                continue
            name = package_name(word.text).lower()
            if release.real(name) is None:
                self.unknown.append(f"`{name}` (not in the {release.name} index data)")
            else:
                seeds.append(name)
        recommends = not cmd.has_option("--no-install-recommends") and not any(
            "Install-Recommends=false" in w.text or "Install-Recommends=0" in w.text
            for w in cmd.args
        )
        have = frozenset(self.state.installed)
        added = release.closure(seeds, recommends=recommends, have=have)
        self.manual |= {r for r in (release.real(n) for n in seeds) if r is not None}
        self.state.installed |= added
        self.added_here |= added
        factor = self.owner.assume.doc_factor if self.state.base.docs_excluded else 1.0
        for pkg in added:
            size = release.installed_bytes(pkg) * factor
            if _BYTE_COMPILED.match(pkg):
                size *= 1 + _PYC_FACTOR
            self.parts.append(Part(pkg, int(size) + _PER_PACKAGE))

    def _apt_remove(self, cmd: Command) -> None:
        release = self.state.base.release
        if release is None:
            return
        verb = cmd.subcommand()
        auto = cmd.has_option("--auto-remove", "--autoremove") or (
            verb is not None and verb.text == "autoremove"
        )
        named = {
            r for r in (release.real(package_name(w.text).lower()) for w in cmd.positionals()[1:])
            if r is not None
        }  # fmt: skip
        gone = named & self.added_here
        if auto:
            # apt keeps what a package still installed depends on or recommends
            # (APT::AutoRemove::RecommendsImportant), whichever alternative is present.
            present = frozenset(self.state.installed - named)
            kept = self._kept(
                release, (self.manual - named) | (self.state.installed - self.added_here), present
            )
            gone |= self.added_here - kept
        if verb is not None and verb.text == "autoremove" and not named:
            return
        if named - self.added_here:
            self.notes.append(
                "packages removed here that an earlier layer installed still weigh in that layer"
            )
        self.parts[:] = [p for p in self.parts if p.label not in gone]
        self.added_here -= gone
        self.state.installed -= gone

    @staticmethod
    def _kept(release: AptRelease, roots: set[str], present: frozenset[str]) -> set[str]:
        kept: set[str] = set()
        todo = list(roots)
        while todo:
            name = todo.pop()
            if name in kept or name not in release.packages:
                continue
            kept.add(name)
            _, depends, recommends = release.packages[name]
            for group in (*depends, *recommends):
                found = next((o for o in release.candidates(group) if o in present), None)
                if found is not None and found not in kept:
                    todo.append(found)
        return kept

    # ----------------------------------------------------------------------- pip

    def _pip(self, cmd: Command, env: Mapping[str, str]) -> None:
        registry = load().pypi
        step = dependency_step(cmd)
        wheels = 0
        if step is not None and step.files:
            files = self.owner.files
            for name in step.files:
                packages = files.locked(posixpath.basename(name)) if files is not None else None
                if packages is None:
                    self.unknown.append(f"`pip install -r {name}` (file not read)")
                    continue
                wheels += self._pypi(registry, packages, f"pip: {name}")
        elif step is not None:
            self.unknown.append(f"`{_shown(cmd)}` (installs the project)")
        else:
            named = [
                LockedPackage(package_name(w.text.split("[", 1)[0]).lower())
                for w in cmd.positionals()[1:]
                if not w.dynamic and not w.text.startswith((".", "/", "-"))
            ]
            if named:
                wheels += self._pypi(registry, tuple(named), "pip")
        manager = MANAGERS["pip"]
        cache = self.owner.assume.pip_cache and self._cache_left(manager.caches[0], env)
        if wheels and cache and not manager.cache_off(cmd, env):
            self.parts.append(Part("pip cache (~/.cache/pip)", wheels))
        self.state.outputs.append((self.state.base.python_site, sum(p.bytes for p in self.parts)))

    def _pypi(self, registry: Registry, packages: tuple[LockedPackage, ...], label: str) -> int:
        """Named packages and their requirements (pip resolves them); the ones a Python
        image already holds are left out. Returns the wheels' bytes."""
        every, unresolved = registry.closure(p.name for p in packages)
        if unresolved:
            self.unknown.append(f"the dependencies of {_listed(unresolved)}")
        chosen = tuple(LockedPackage(n) for n in every if n not in _PYTHON_PRESENT)
        return self._sum(registry, chosen, label, "PyPI")

    def _sum(
        self, registry: Registry, packages: tuple[LockedPackage, ...], label: str, where: str
    ) -> int:
        """Adds a part per known package (and one for the unknown ones at a typical size);
        returns the archives' bytes (what a cache keeps)."""
        archives = 0
        guessed: list[str] = []
        for package in packages:
            size = registry.archive(package.name)
            if size is None:
                guessed.append(package.name)
                size = registry.typical_bytes
            else:
                self.parts.append(
                    Part(f"{package.name} ({where})", int(size * registry.unpack_factor))
                )
            archives += size
        if guessed:
            self.parts.append(
                Part(
                    f"{len(guessed)} {where} packages without data, at a typical size",
                    int(len(guessed) * registry.typical_bytes * registry.unpack_factor),
                )
            )
            self.notes.append(
                f"{label}: {len(guessed)} package(s) sized as a typical one "
                f"({_listed(sorted(guessed))})"
            )
        return archives

    def _python_lock(self, cmd: Command, name: str, env: Mapping[str, str]) -> None:
        lock = _PYTHON_LOCKS[name]
        files = self.owner.files
        packages = files.locked(lock) if files is not None else None
        if packages is None:
            self.unknown.append(f"`{_shown(cmd)}` (no {lock} read)")
            return
        before = sum(p.bytes for p in self.parts)
        wheels = self._sum(load().pypi, packages, _shown(cmd), "PyPI")
        installed = sum(p.bytes for p in self.parts) - before
        manager = MANAGERS[name]
        if name == "uv":
            self.notes.append("uv hard-links its cache into the environment: no extra bytes")
        elif not manager.cache_off(cmd, env) and self._cache_left(manager.caches[0], env):
            self.parts.append(Part(f"{name} cache", wheels))
        self.state.outputs.append((self.state.cwd, installed))

    # ----------------------------------------------------------------------- npm

    def _node(self, cmd: Command, name: str, env: Mapping[str, str]) -> None:
        registry = load().npm
        step = dependency_step(cmd)
        if step is None:
            if cmd.has_option("-g", "--global"):
                named = tuple(
                    LockedPackage(w.text.rsplit("@", 1)[0] if w.text.rfind("@") > 0 else w.text)
                    for w in cmd.positionals()[1:]
                    if not w.dynamic
                )
                self._sum(registry, named, "npm -g", "npm")
                self.unknown.append(f"the dependencies of {_listed([p.name for p in named])}")
            elif cmd.subcommand() is not None and cmd.subcommand().text == "run":  # type: ignore[union-attr]
                self.unknown.append(f"`{_shown(cmd)}`")
            return
        files = self.owner.files
        packages = (
            files.locked("package-lock.json") if files is not None and name == "npm" else None
        )
        if packages is None:
            self.unknown.append(f"`{step.shown}` (no package-lock.json read)")
            return
        if not packages:
            # An empty lockfile installs nothing only if package.json declares nothing;
            # `npm install` resolves what it declares, which this data cannot size.
            self.unknown.append(f"`{step.shown}` (package-lock.json lists no packages)")
            return
        production = (
            cmd.has_option("--production")
            or any(
                o.name == "--omit" and o.value is not None and o.value.text == "dev"
                for o in cmd.options()
            )
            or env.get("NODE_ENV") == "production"
        )
        chosen = tuple(p for p in packages if not (production and p.dev))
        before = sum(p.bytes for p in self.parts)
        packed = self._sum(registry, chosen, step.shown, "npm")
        self.state.outputs.append(
            (
                posixpath.join(self.state.cwd, "node_modules"),
                sum(p.bytes for p in self.parts) - before,
            )
        )
        cache = MANAGERS["npm"].caches[0]
        if self._cache_left(cache, env):
            self.parts.append(Part("npm cache (~/.npm): tarballs", packed))
            # npm install resolves through the registry's metadata (and so does npm ci when
            # the lockfile does not name the downloads): it keeps each package's packument.
            verb = cmd.subcommand()
            resolving = verb is not None and verb.text not in NPM_CI
            fetched = [p for p in chosen if resolving or not p.resolved]
            metadata = sum(
                registry.metadata.get(p.name.lower(), registry.typical_metadata) for p in fetched
            )
            if metadata:
                self.parts.append(Part("npm cache (~/.npm): registry metadata", metadata))


def _shown(cmd: Command) -> str:
    words = [w.text for w in cmd.argv[:3]]
    return " ".join(words) + (" …" if len(cmd.argv) > 3 else "")
