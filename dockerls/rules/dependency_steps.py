"""The commands that install, download or resolve a project's dependencies.

``dependency_step(cmd)`` recognises them for every ecosystem (DKL204, DKL205, DKL301,
DKL304 and the reorder refactor): which manager, which word names the step, which
files it reads, and whether it needs the sources too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dockerls.context import PackageManager
from dockerls.rules.programs import program, unwrap
from dockerls.shell import Command, Word

# --------------------------------------------------------------------------- dependency steps

# npm's spellings of ``install`` and of ``ci``.
NPM_INSTALL = frozenset(
    {"install", "add", "i", "in", "ins", "inst", "insta", "instal"}
    | {"isnt", "isnta", "isntal", "isntall"}
)
NPM_CI = frozenset({"ci", "clean-install", "ic", "install-clean", "isntall-clean"})


def shown(cmd: Command, word: Word) -> str:
    """The command up to ``word``, as written: ``npm ci``, ``go mod download``."""
    words = []
    for w in cmd.argv:
        words.append(w.text)
        if w is word:
            break
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class DependencyStep:
    """A command that installs, downloads or resolves a project's dependencies."""

    manager: PackageManager
    command: Command
    word: Word  # the word that names the step: ``ci``, ``install``, ``build``, ``yarn``
    files: tuple[str, ...] = ()  # inputs it names: ``-r requirements.txt``, ``App.csproj``
    implicit: bool = False  # a build that resolves dependencies on the way (``go build``)
    local: bool = False  # installs the project from its sources (``pip install .``)
    download_only: bool = False  # fills a cache or store, installs nothing (``pnpm fetch``)

    @property
    def needs_sources(self) -> bool:
        """Whether the step reads the project's sources, not only its manifests."""
        return self.implicit or self.local

    @property
    def shown(self) -> str:
        return shown(self.command, self.word)


_Detector = Callable[[Command], DependencyStep | None]
_INFO_OPTIONS = ("-v", "--version", "-h", "--help")


def _is_local(text: str) -> bool:
    return text.startswith((".", "/")) and "://" not in text


def _requirement_files(cmd: Command) -> tuple[str, ...]:
    return tuple(
        opt.value.text
        for opt in cmd.options()
        if opt.name in ("-r", "--requirement") and opt.value is not None
    )


def _installs_project(cmd: Command, targets: Sequence[Word]) -> bool:
    """Whether pip (or ``uv pip``) installs a requirements file or a local path."""
    if any(_is_local(w.text) for w in targets):
        return True
    return any(
        opt.name in ("-e", "--editable") and opt.value is not None and _is_local(opt.value.text)
        for opt in cmd.options()
    )


def _pip(cmd: Command) -> DependencyStep | None:
    pos = cmd.positionals()
    if not pos or pos[0].text not in ("install", "wheel", "download"):
        return None
    files = _requirement_files(cmd)
    local = _installs_project(cmd, pos[1:])
    if not files and not local:
        return None
    download = pos[0].text == "download"
    return DependencyStep(
        PackageManager.PIP, cmd, pos[0], files, local=local and not files, download_only=download
    )


def _uv(cmd: Command) -> DependencyStep | None:
    pos = cmd.positionals()
    if pos and pos[0].text == "sync":
        return DependencyStep(PackageManager.UV, cmd, pos[0])
    if len(pos) >= 2 and pos[0].text == "pip" and pos[1].text in ("install", "sync"):
        files = _requirement_files(cmd)
        if pos[1].text == "sync":
            files += tuple(w.text for w in pos[2:])
        local = _installs_project(cmd, pos[2:])
        if files or local:
            return DependencyStep(PackageManager.UV, cmd, pos[1], files, local=local and not files)
    return None


def _subcommand_step(
    manager: PackageManager,
    names: frozenset[str],
    *,
    alone: bool = False,
    bare: bool = False,
    fetch: str | None = None,
) -> _Detector:
    """A detector for ``<program> <one of names>``, global installs excepted.

    ``alone``: nothing may follow the subcommand (``npm install x`` adds a
    package); ``bare``: the program by itself installs too (``yarn``, ``bundle``);
    ``fetch``: the subcommand that only downloads (``pnpm fetch``).
    """

    def detect(cmd: Command) -> DependencyStep | None:
        pos = cmd.positionals()
        location = cmd.option_value("--location")
        if cmd.has_option("-g", "--global") or (location is not None and location.text == "global"):
            return None
        if not pos:
            bare_install = bare and not cmd.has_option(*_INFO_OPTIONS)
            return DependencyStep(manager, cmd, cmd.argv[0]) if bare_install else None
        if pos[0].text in names and (not alone or len(pos) == 1):
            return DependencyStep(manager, cmd, pos[0], download_only=pos[0].text == fetch)
        return None

    return detect


def _remote_package(text: str) -> bool:
    """``github.com/x/y`` or ``tool@v1``: something fetched, not the project's own code."""
    if "@" in text:
        return True
    first = text.split("/", 1)[0]
    return not text.startswith(".") and "." in first


def _go(cmd: Command) -> DependencyStep | None:
    pos = cmd.positionals()
    if not pos:
        return None
    mode = cmd.option_value("-mod")
    if mode is not None and mode.text == "vendor":
        return None
    sub, rest = pos[0], pos[1:]
    if sub.text == "mod":
        if rest and rest[0].text in ("download", "tidy", "vendor"):
            download = rest[0].text == "download"
            return DependencyStep(PackageManager.GO, cmd, rest[0], download_only=download)
        return None
    if sub.text in ("build", "test", "run"):
        return DependencyStep(PackageManager.GO, cmd, sub, implicit=True)
    if sub.text == "install" and not any(_remote_package(w.text) for w in rest):
        return DependencyStep(PackageManager.GO, cmd, sub, implicit=True)
    if sub.text == "get" and all(w.text.startswith(".") for w in rest):
        return DependencyStep(PackageManager.GO, cmd, sub)
    return None


_CARGO_BUILDS = frozenset({"build", "b", "test", "t", "run", "r", "check", "c", "bench"})
# Resolve the dependency graph (and download the index or the crates) without building.
_CARGO_RESOLVES = frozenset({"update", "generate-lockfile", "vendor"})


def _cargo(cmd: Command) -> DependencyStep | None:
    pos = cmd.positionals()
    if not pos:
        return None
    sub = pos[0]
    if sub.text == "fetch":
        return DependencyStep(PackageManager.CARGO, cmd, sub, download_only=True)
    if sub.text in _CARGO_RESOLVES:
        return DependencyStep(PackageManager.CARGO, cmd, sub)
    if sub.text in _CARGO_BUILDS:
        return DependencyStep(PackageManager.CARGO, cmd, sub, implicit=True)
    if sub.text == "install" and (cmd.has_option("--path") or len(pos) == 1):
        return DependencyStep(PackageManager.CARGO, cmd, sub, implicit=True)
    if sub.text == "chef" and len(pos) > 1 and pos[1].text == "cook":
        return DependencyStep(PackageManager.CARGO, cmd, pos[1])
    return None


def _maven(cmd: Command) -> DependencyStep | None:
    pos = cmd.positionals()
    if not pos or cmd.has_option("-o", "--offline"):
        return None
    explicit = any(w.text.startswith("dependency:") for w in pos)
    return DependencyStep(PackageManager.MAVEN, cmd, pos[-1], implicit=not explicit)


# ``dependencies``, ``resolveDependencies``, ``copyDependencies``, ``downloadDependencies``:
# tasks that only resolve or fetch the dependencies.
_GRADLE_RESOLVES = re.compile(r"dependencies|[a-z]+Dependencies")


def _gradle(cmd: Command) -> DependencyStep | None:
    pos = cmd.positionals()
    if not pos or cmd.has_option("--offline"):
        return None
    explicit = any(_GRADLE_RESOLVES.fullmatch(w.text.rsplit(":", 1)[-1]) for w in pos)
    return DependencyStep(PackageManager.GRADLE, cmd, pos[-1], implicit=not explicit)


_DOTNET_PROJECT = re.compile(r"\.(csproj|fsproj|vbproj|sln|slnx)$", re.IGNORECASE)


def _dotnet(cmd: Command) -> DependencyStep | None:
    pos = cmd.positionals()
    if not pos:
        return None
    files = tuple(w.text for w in pos[1:] if _DOTNET_PROJECT.search(w.text))
    if pos[0].text == "restore":
        return DependencyStep(PackageManager.DOTNET, cmd, pos[0], files)
    if pos[0].text in ("build", "publish", "test", "pack", "run") and not cmd.has_option(
        "--no-restore"
    ):
        return DependencyStep(PackageManager.DOTNET, cmd, pos[0], files, implicit=True)
    return None


_DETECTORS: dict[str, _Detector] = {
    "npm": _subcommand_step(PackageManager.NPM, NPM_INSTALL | NPM_CI, alone=True),
    "yarn": _subcommand_step(PackageManager.YARN, frozenset({"install"}), bare=True),
    "pnpm": _subcommand_step(
        PackageManager.PNPM, frozenset({"install", "i", "fetch"}), fetch="fetch"
    ),
    "bun": _subcommand_step(PackageManager.BUN, frozenset({"install", "i"}), alone=True),
    "pip": _pip,
    "uv": _uv,
    "poetry": _subcommand_step(PackageManager.POETRY, frozenset({"install", "sync"})),
    "pipenv": _subcommand_step(PackageManager.PIPENV, frozenset({"install", "sync"}), alone=True),
    "go": _go,
    "cargo": _cargo,
    "bundle": _subcommand_step(PackageManager.BUNDLER, frozenset({"install"}), bare=True),
    "composer": _subcommand_step(PackageManager.COMPOSER, frozenset({"install", "update", "i"})),
    "mvn": _maven,
    "gradle": _gradle,
    "dotnet": _dotnet,
}


def dependency_step(cmd: Command) -> DependencyStep | None:
    """The dependency install or resolve step ``cmd`` performs, if it is one.

    Explicit installs (``npm ci``, ``pip install -r``, ``go mod download``,
    ``dotnet restore``) and builds that resolve on the way (``go build``, ``mvn
    package``, ``cargo build``, ``dotnet publish`` without ``--no-restore``)
    count; installing a named tool (``npm install -g x``, ``go install x@v1``,
    ``pip install --upgrade pip``) does not.
    """
    cmd = unwrap(cmd)
    detect = _DETECTORS.get(program(cmd.name))
    return detect(cmd) if detect is not None else None
