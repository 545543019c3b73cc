"""Package managers as data: where they keep caches, and which commands install.

The ``Cache`` values say where tools leave bytes an image does not need (the
package rules, DKL102-DKL109). ``MANAGERS`` is the one table of package managers:
their caches, the options and variables that turn caching off, and where a BuildKit
cache mount keeps their downloads instead (DKL304), so that a mount DKL304 adds is
one the package rules count as clean. ``PACKAGE_INSTALLS`` and ``PACKAGE_REMOVALS``:
the subcommands of the system package managers.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from dockerls.context import PackageManager
from dockerls.rules.build_state import ROOT_HOME
from dockerls.shell import Command

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
