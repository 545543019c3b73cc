"""Go: the install is implicit in ``go build``; ``go mod download`` (from ``go.mod`` and
``go.sum``) is inserted above the sources."""

from __future__ import annotations

from collections.abc import Sequence

from dockerls.actions.reorder.core import Manager, No, PrefetchWords
from dockerls.rules.dependency_steps import DependencyStep
from dockerls.shell import Word


def _prefetch(
    step: DependencyStep, positionals: Sequence[Word], sub: str
) -> PrefetchWords | No | None:
    if sub == "get":
        return No(
            f"`{step.shown}` resolves what the sources import, so it needs them (and in "
            "GOPATH mode there is nothing to download first)."
        )
    if sub == "mod" and len(positionals) > 1 and positionals[1].text == "download":
        return None
    return True, ["mod", "download"]


GO = Manager(
    "Go",
    manifest=("go.mod",),
    lockfiles=("go.sum",),
    patterns=("go.*",),
    elsewhere=("-C", "-modfile"),
    cache_hints=("pkg/mod", "go-build", "modcache"),
    prefetch=_prefetch,
)
