"""What package managers and build tools leave on disk that the image does not need.

``leftovers`` lists, for one command, each cache it fills (a ``package_managers.Cache``) and the
word to underline; the tool's own opt-outs (``--no-cache-dir``…) are taken into account.
Read through ``run_view.Run.leftovers`` by the cache rules (DKL102 to DKL106, DKL108,
DKL109), and directly by DKL102.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass

from dockerls.rules.dependency_steps import NPM_CI, NPM_INSTALL
from dockerls.rules.package_managers import (
    APK_CACHE,
    APT_LISTS,
    CARGO_REGISTRY,
    COMPOSER_CACHE,
    GO_BUILD,
    GO_MODULES,
    GRADLE_HOME,
    MANAGERS,
    MAVEN_REPO,
    NPM_CACHE,
    NUGET_CACHE,
    PIP_CACHE,
    POETRY_CACHE,
    RPM_CACHE,
    RPM_MANAGERS,
    UV_CACHE,
    YARN_CACHE,
    ZYPP_CACHE,
    Cache,
)
from dockerls.shell import Command, Word


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _cargo_target(cwd: str | None) -> Cache:
    paths = (posixpath.join(cwd, "target"),) if cwd is not None else ()
    return Cache(
        "the Cargo target directory",
        paths=paths,
        env=(("CARGO_TARGET_DIR", ""),),
        cleaners=(("cargo", "clean"),),
    )


@dataclass(frozen=True, slots=True)
class Leftover:
    tool: str  # "apt", "pip", "uv", "npm", "dnf"…: how rules pick theirs
    place: Cache
    word: Word  # the word to underline


_APK_INDEX = frozenset({"add", "update", "upgrade"})
_RPM_FILLS = _words(
    "install reinstall update upgrade groupinstall localinstall downgrade distro-sync"
    " makecache swap builddep upgrade-minimal group module"
)
_ZYPPER_FILLS = _words("install in update up dist-upgrade dup patch source-install si refresh ref")
_NPM_FILLS = NPM_INSTALL | NPM_CI | {"update", "up", "upgrade"}
_YARN_FILLS = frozenset({"install", "add", "global", "upgrade", "up"})
_GO_BUILDS = frozenset({"build", "install", "test", "run", "vet"})
_CARGO_BUILDS = frozenset({"build", "b", "test", "t", "run", "r", "bench"})
_POETRY_FILLS = frozenset({"install", "add", "update", "lock", "sync"})
_UV_FILLS = frozenset({"sync", "add", "run"})
_COMPOSER_FILLS = frozenset({"install", "i", "update", "u", "upgrade", "require", "create-project"})
_DOTNET_FILLS = frozenset({"restore", "build", "publish", "test", "pack", "run"})


def leftovers(
    prog: str,
    view: Command,
    env: Mapping[str, str],
    cwd: str | None,
    unknown: frozenset[str] = frozenset(),
) -> list[Leftover]:
    """What running ``view`` puts on disk that the image does not need afterwards (the
    tool's own opt-outs, such as ``--no-cache-dir``, already taken into account; a
    variable in ``unknown`` is set to a value the Dockerfile does not show)."""
    sub = view.subcommand()
    name = sub.text if sub is not None else ""
    positionals = view.positionals()
    found: list[Leftover] = []

    def add(tool: str, place: Cache, word: Word | None) -> None:
        found.append(Leftover(tool, place, word if word is not None else view.argv[0]))

    if prog in ("apt-get", "aptitude") and name == "update":
        add("apt", APT_LISTS, sub)
    elif prog == "add-apt-repository" and not view.has_option("-n", "--no-update"):
        add("apt", APT_LISTS, None)
    elif prog == "apk" and name in _APK_INDEX:
        if name == "update" or not MANAGERS["apk"].cache_off(view, env, unknown):
            add("apk", APK_CACHE, sub)
    elif prog == "pip" and name == "install":
        if not MANAGERS["pip"].cache_off(view, env, unknown):
            add("pip", PIP_CACHE, sub)
    elif prog == "uv" and sub is not None:
        if MANAGERS["uv"].cache_off(view, env, unknown):
            return found
        second = positionals[1] if len(positionals) > 1 else None
        if name == "pip" and second is not None and second.text in ("install", "sync"):
            add("uv", UV_CACHE, second)
        elif name in _UV_FILLS:
            add("uv", UV_CACHE, sub)
        elif name == "tool" and second is not None and second.text == "install":
            add("uv", UV_CACHE, second)
    elif prog in RPM_MANAGERS and name in _RPM_FILLS:
        add(prog, RPM_CACHE, sub)
    elif prog == "zypper" and name in _ZYPPER_FILLS:
        add("zypper", ZYPP_CACHE, sub)
    elif prog == "npm" and name in _NPM_FILLS:
        add("npm", _with_option(NPM_CACHE, view, "--cache"), sub)
    elif prog == "yarn" and (sub is None or name in _YARN_FILLS):
        add("yarn", _with_option(YARN_CACHE, view, "--cache-folder"), sub)
    elif prog == "go":
        second_text = positionals[1].text if len(positionals) > 1 else ""
        mode = view.option_value("-mod")
        vendored = mode is not None and mode.text == "vendor"
        if name in _GO_BUILDS:
            add("go", GO_BUILD, sub)
        if not vendored and (name in _GO_BUILDS or name == "get"):
            add("go", GO_MODULES, sub)
        elif name == "mod" and second_text == "download":
            add("go", GO_MODULES, positionals[1])
    elif prog == "cargo" and name in (*_CARGO_BUILDS, "install", "fetch"):
        add("cargo", CARGO_REGISTRY, sub)
        if name in _CARGO_BUILDS:
            add("cargo", _cargo_target(cwd), sub)
    elif prog == "mvn" and sub is not None:
        add("maven", MAVEN_REPO, view.argv[0])
    elif prog == "gradle" and sub is not None:
        add("gradle", GRADLE_HOME, view.argv[0])
    elif prog == "poetry" and name in _POETRY_FILLS:
        if not MANAGERS["poetry"].cache_off(view, env, unknown):
            add("poetry", POETRY_CACHE, sub)
    elif prog == "composer" and name in _COMPOSER_FILLS:
        moved = env.get("COMPOSER_CACHE_DIR") == "/dev/null"
        if not moved and not MANAGERS["composer"].cache_off(view, env, unknown):
            add("composer", COMPOSER_CACHE, sub)
    elif prog == "dotnet" and name in _DOTNET_FILLS:
        add("dotnet", NUGET_CACHE, sub)
    return found


def _with_option(place: Cache, view: Command, option: str) -> Cache:
    """``place`` moved by a command-line option such as ``npm --cache /tmp/npm``."""
    value = view.option_value(option)
    if value is None or not value.text.startswith("/"):
        return place
    return Cache(place.label, (value.text,), cleaners=place.cleaners)
