"""PHP: Composer installs from ``composer.json`` and ``composer.lock`` (and the local
``path`` repositories composer.json names, copied with them); an install that runs
scripts or writes the autoloader (which read the sources) gets one without them above
the sources, and stays."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence

from dockerls.actions.reorder.core import Manager, No, PrefetchWords, flag_present
from dockerls.context import BuildContext
from dockerls.rules.dependency_steps import DependencyStep
from dockerls.shell import Word


def _prefetch(
    step: DependencyStep, positionals: Sequence[Word], sub: str
) -> PrefetchWords | No | None:
    cmd = step.command
    missing = [f for f in ("--no-scripts", "--no-autoloader") if not flag_present(cmd, f)]
    if not missing:
        return None
    return False, missing


def _path_repositories(build: BuildContext) -> No | list[str]:
    """A ``path`` repository outside the build context (no rewrite), else nothing to say."""
    for url in build.composer_paths:
        root = _root_of(url)
        if root is None:
            return No(
                f"composer.json names the path repository `{url}`, which is not a directory "
                "inside the build context: the manifests-first COPY cannot take it."
            )
    return []


def _path_directories(build: BuildContext) -> tuple[str, ...]:
    """The root directories holding composer.json's ``path`` repositories."""
    roots = (_root_of(url) for url in build.composer_paths)
    return tuple(dict.fromkeys(r for r in roots if r is not None))


def _root_of(url: str) -> str | None:
    """The build context's root directory a relative ``path`` URL lies in (``packages``
    for ``./packages/*``); None for an absolute path, ``..`` or the root itself."""
    clean = posixpath.normpath(url.strip())
    first = clean.split("/", 1)[0]
    if clean.startswith("/") or first in ("", ".", "..") or any(c in first for c in "*?[{"):
        return None
    return first


COMPOSER = Manager(
    "Composer",
    manifest=("composer.json",),
    lockfiles=("composer.lock",),
    config_files=("auth.json",),
    patterns=("composer.*",),
    elsewhere=("-d", "--working-dir"),
    cache_hints=("composer",),
    prefetch=_prefetch,
    context=_path_repositories,
    directories=_path_directories,
)
