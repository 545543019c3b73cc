"""Package managers as data: where they keep caches, and which commands install.

The ``Cache`` values say where tools leave bytes an image does not need (the
package rules, DKL102-DKL109). ``MANAGERS`` is the one table of package managers:
their caches, the options and variables that turn caching off, and where a BuildKit
cache mount keeps their downloads instead (DKL304), so that a mount DKL304 adds is
one the package rules count as clean. ``dependency_step`` says which commands
install or resolve a project's dependencies (DKL204, DKL205, DKL301, DKL304).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from dockerls.context import PackageManager
from dockerls.rules.common import ROOT_HOME, program, unwrap
from dockerls.shell import Command, Word

# --------------------------------------------------------------------------- caches


@dataclass(frozen=True, slots=True)
class Cache:
    """A place where a tool leaves bytes the image does not need."""

    label: str  # how messages name it
    paths: tuple[str, ...] = ()  # absolute
    home: tuple[str, ...] = ()  # relative to a home directory
    env: tuple[tuple[str, str], ...] = ()  # (variable, sub-path) that move it
    cleaners: tuple[tuple[str, ...], ...] = ()  # commands that empty it

    def locations(self, env: Mapping[str, str]) -> list[str]:
        found = [*self.paths, *(f"{ROOT_HOME}/{h}" for h in self.home)]
        for var, sub in self.env:
            value = env.get(var, "")
            if value.startswith("/"):
                found.append(posixpath.normpath(posixpath.join(value, sub)))
        return found

    def mentioned(self, text: str) -> bool:
        """Whether shell text names this place or one of its cleaning commands."""
        names = (*self.paths, *self.home, *(" ".join(c) for c in self.cleaners))
        return any(name in text for name in names)


def _spec(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_XDG = "XDG_CACHE_HOME"
RPM_MANAGERS = ("yum", "dnf", "microdnf", "tdnf")

APT_LISTS = Cache(
    "/var/lib/apt/lists",
    paths=("/var/lib/apt/lists",),
    cleaners=(_spec("apt-get dist-clean"), _spec("apt-get distclean")),
)
APK_CACHE = Cache("/var/cache/apk", paths=("/var/cache/apk", "/etc/apk/cache"))
PIP_CACHE = Cache(
    "~/.cache/pip",
    home=(".cache/pip",),
    env=(("PIP_CACHE_DIR", ""), (_XDG, "pip")),
    cleaners=(_spec("pip cache purge"), _spec("pip cache remove")),
)
UV_CACHE = Cache(
    "~/.cache/uv",
    home=(".cache/uv",),
    env=(("UV_CACHE_DIR", ""), (_XDG, "uv")),
    cleaners=(_spec("uv cache clean"), _spec("uv cache prune")),
)
NPM_CACHE = Cache(
    "~/.npm",
    home=(".npm",),
    env=(("npm_config_cache", ""), ("NPM_CONFIG_CACHE", "")),
    cleaners=(_spec("npm cache clean"), _spec("npm cache clear")),
)
YARN_CACHE = Cache(
    "the yarn cache",
    paths=("/usr/local/share/.cache/yarn",),
    home=(".cache/yarn", ".yarn/berry/cache"),
    env=(("YARN_CACHE_FOLDER", ""),),
    cleaners=(_spec("yarn cache clean"),),
)
PNPM_STORE = Cache(
    "the pnpm store",
    home=(".local/share/pnpm/store",),
    env=(("PNPM_HOME", "store"), ("NPM_CONFIG_STORE_DIR", ""), ("XDG_DATA_HOME", "pnpm/store")),
)
BUN_CACHE = Cache(
    "the Bun cache", home=(".bun/install/cache",), env=(("BUN_INSTALL_CACHE_DIR", ""),)
)
RPM_CACHE = Cache(
    "/var/cache/yum, /var/cache/dnf",
    paths=("/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5", "/var/cache/tdnf"),
    cleaners=tuple(_spec(f"{m} clean {w}") for m in RPM_MANAGERS for w in ("all", "metadata")),
)
ZYPP_CACHE = Cache(
    "/var/cache/zypp",
    paths=("/var/cache/zypp",),
    cleaners=(_spec("zypper clean"), _spec("zypper cc")),
)
GO_BUILD = Cache(
    "the Go build cache (~/.cache/go-build)",
    home=(".cache/go-build",),
    env=(("GOCACHE", ""), (_XDG, "go-build")),
    cleaners=(_spec("go clean -cache"),),
)
GO_MODULES = Cache(
    "the Go module cache (/go/pkg/mod)",
    paths=("/go/pkg/mod",),
    home=("go/pkg/mod",),
    env=(("GOMODCACHE", ""), ("GOPATH", "pkg/mod")),
    cleaners=(_spec("go clean -modcache"),),
)
CARGO_REGISTRY = Cache(
    "the Cargo registry (/usr/local/cargo/registry)",
    paths=("/usr/local/cargo/registry", "/usr/local/cargo/git"),
    home=(".cargo/registry", ".cargo/git"),
    env=(("CARGO_HOME", "registry"),),
)
MAVEN_REPO = Cache("the Maven repository (~/.m2)", home=(".m2",), env=(("MAVEN_CONFIG", ""),))
GRADLE_HOME = Cache(
    "the Gradle home (~/.gradle)", home=(".gradle",), env=(("GRADLE_USER_HOME", ""),)
)
POETRY_CACHE = Cache(
    "the Poetry cache (~/.cache/pypoetry)",
    home=(".cache/pypoetry",),
    env=(("POETRY_CACHE_DIR", ""), (_XDG, "pypoetry")),
    cleaners=(_spec("poetry cache clear"),),
)
COMPOSER_CACHE = Cache(
    "the Composer cache",
    home=(".composer/cache", ".cache/composer"),
    env=(("COMPOSER_CACHE_DIR", ""), ("COMPOSER_HOME", "cache")),
    cleaners=(_spec("composer clear-cache"), _spec("composer clearcache"), _spec("composer cc")),
)
NUGET_CACHE = Cache(
    "the NuGet packages folder (~/.nuget/packages)",
    home=(".nuget/packages",),
    env=(("NUGET_PACKAGES", ""),),
    cleaners=(_spec("dotnet nuget locals"),),
)


@dataclass(frozen=True, slots=True)
class Manager:
    """A package manager: its caches, what turns caching off, where to mount them."""

    label: str  # how messages name the manager
    caches: tuple[Cache, ...] = ()
    mounts: tuple[str, ...] = ()  # cache-mount targets for root; () when none is suggested
    locked: bool = False  # a mount needs ``sharing=locked`` (apt takes exclusive locks)
    no_cache: tuple[str, ...] = ()  # options, then environment variables, that turn caching off

    @property
    def moved_by(self) -> frozenset[str]:
        """The environment variables that move one of its caches."""
        return frozenset(var.upper() for cache in self.caches for var, _ in cache.env)

    def cache_off(
        self, cmd: Command, env: Mapping[str, str], unknown: Collection[str] = ()
    ) -> bool:
        """Whether ``cmd`` runs with caching turned off. pip takes any value of
        PIP_NO_CACHE_DIR as set (``0`` and ``false`` included, and one it cannot be
        seen, in ``unknown``); the other tools a true one."""
        for name in self.no_cache:
            if name.startswith("-"):
                if cmd.has_option(name):
                    return True
                continue
            value = env.get(name)
            if name == "PIP_NO_CACHE_DIR" and (value or (value is None and name in unknown)):
                return True
            if value is not None and value.lower() in _TRUE:
                return True
        return False


_TRUE = frozenset({"1", "true", "yes", "on", "y", "t"})

# By ``PackageManager.value``, and apt and apk.
MANAGERS: dict[str, Manager] = {
    "apt": Manager("apt", (APT_LISTS,), ("/var/cache/apt", "/var/lib/apt"), locked=True),
    "apk": Manager("apk", (APK_CACHE,), ("/etc/apk/cache",), no_cache=("--no-cache",)),
    "pip": Manager(
        "pip",
        (PIP_CACHE,),
        ("/root/.cache/pip",),
        no_cache=("--no-cache-dir", "PIP_NO_CACHE_DIR"),
    ),
    "uv": Manager(
        "uv", (UV_CACHE,), ("/root/.cache/uv",), no_cache=("--no-cache", "-n", "UV_NO_CACHE")
    ),
    "poetry": Manager(
        "Poetry", (POETRY_CACHE,), ("/root/.cache/pypoetry",), no_cache=("--no-cache",)
    ),
    "pipenv": Manager("Pipenv"),
    "npm": Manager("npm", (NPM_CACHE,), ("/root/.npm",)),
    "yarn": Manager("Yarn", (YARN_CACHE,), ("/usr/local/share/.cache/yarn",)),
    "pnpm": Manager("pnpm", (PNPM_STORE,), ("/root/.local/share/pnpm/store",)),
    "bun": Manager("Bun", (BUN_CACHE,), ("/root/.bun/install/cache",)),
    "go": Manager("Go", (GO_MODULES, GO_BUILD), ("/go/pkg/mod", "/root/.cache/go-build")),
    "cargo": Manager(
        "Cargo", (CARGO_REGISTRY,), ("/usr/local/cargo/registry", "/usr/local/cargo/git/db")
    ),
    "bundler": Manager("Bundler"),
    "composer": Manager("Composer", (COMPOSER_CACHE,), no_cache=("--no-cache",)),
    "maven": Manager("Maven", (MAVEN_REPO,), ("/root/.m2",)),
    "gradle": Manager("Gradle", (GRADLE_HOME,), ("/root/.gradle",)),
    "dotnet": Manager("NuGet", (NUGET_CACHE,), ("/root/.nuget/packages",)),
}


def manager(pm: PackageManager) -> Manager:
    return MANAGERS[pm.value]


# --------------------------------------------------------------------------- system packages

_RPM = (*RPM_MANAGERS, "dnf5")
# The subcommands that install and that remove packages, by program as written.
PACKAGE_INSTALLS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("apt-get", "apt", "aptitude"), frozenset({"install"})),
    "apk": frozenset({"add"}),
    **dict.fromkeys(_RPM, frozenset({"install"})),
    "zypper": frozenset({"install", "in"}),
}
PACKAGE_REMOVALS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("apt-get", "apt"), frozenset({"purge", "remove", "autoremove"})),
    "aptitude": frozenset({"purge", "remove"}),
    "apk": frozenset({"del"}),
    **dict.fromkeys(_RPM, frozenset({"remove", "erase", "autoremove"})),
    "zypper": frozenset({"remove", "rm"}),
}
# ``gcc=4:12.2`` pins a version, ``libpq-dev:amd64`` an architecture.
_PIN = re.compile(r"[=<>~]|:(?=[a-z0-9]+$)")


def package_name(text: str) -> str:
    """A package as an install command names it, without its version or architecture."""
    return _PIN.split(text, maxsplit=1)[0]


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
