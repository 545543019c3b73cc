"""Commands that install a project's dependencies, by package manager.

Used by DKL203 (installs that may compile), DKL204 (development dependencies) and
DKL205 (``npm install``).
"""

from __future__ import annotations

from collections.abc import Iterable

from dockerls.context import PackageManager
from dockerls.rules.dependency_steps import dependency_step
from dockerls.rules.stages.run_commands import Run
from dockerls.shell import Command, Word


def install_word(cmd: Command, subcommands: Iterable[str]) -> Word | None:
    """The subcommand that makes ``cmd`` an install, when it is one of ``subcommands``."""
    word = cmd.subcommand()
    return word if word is not None and word.text in subcommands else None


NODE_MANAGERS = frozenset(
    {PackageManager.NPM, PackageManager.YARN, PackageManager.PNPM, PackageManager.BUN}
)


def project_install(
    run: Run, managers: Iterable[PackageManager]
) -> tuple[PackageManager, Word] | None:
    """The manager and install word when the command installs the project's dependencies
    (not a tool, not only into a cache) with one of ``package_managers.MANAGERS``."""
    step = dependency_step(run.program)
    if step is None or step.download_only or step.manager not in managers:
        return None
    return step.manager, step.word
