"""PHP: Composer installs from ``composer.json`` and ``composer.lock``; an install that
runs scripts or writes the autoloader (which read the sources) gets one without them
above the sources, and stays."""

from __future__ import annotations

from collections.abc import Sequence

from dockerls.actions.reorder.core import Manager, No, PrefetchWords, flag_present
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


COMPOSER = Manager(
    "Composer",
    manifest=("composer.json",),
    lockfiles=("composer.lock",),
    config_files=("auth.json",),
    patterns=("composer.*",),
    elsewhere=("-d", "--working-dir"),
    cache_hints=("composer",),
    prefetch=_prefetch,
)
