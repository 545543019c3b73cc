"""OS build packages (compilers, ``-dev`` headers) a RUN installs and does not remove
again in the same RUN: what keeps a toolchain in the image.

Used by DKL202 (build tools in the final image) and DKL203 (single-stage build).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from dockerls.knowledge.images import package_kind
from dockerls.rules.package_managers import PACKAGE_INSTALLS, PACKAGE_REMOVALS, package_name
from dockerls.rules.stages.run_commands import Run, subcommand_text
from dockerls.shell import Word
from dockerls.syntax.variables import expand


@dataclass(frozen=True, slots=True)
class BuildPackage:
    run: Run
    word: Word  # the package word as written (possibly ``$BUILD_DEPS``)
    names: tuple[str, ...]  # the build packages it stands for


def bare_package(package: str) -> str:
    return package_name(package.strip("\"'")).lower()


def kept_build_packages(runs: Sequence[Run]) -> Iterator[BuildPackage]:
    """Build packages the commands of one RUN install and do not remove again."""
    for i, run in enumerate(runs):
        cmd = run.program
        if subcommand_text(cmd) not in PACKAGE_INSTALLS.get(cmd.name, ()):
            continue
        removed, everything = _removed(runs[i + 1 :], runs)
        virtual = cmd.option_value("--virtual", "-t") if cmd.name == "apk" else None
        if everything or (virtual is not None and virtual.text.lower() in removed):
            continue
        for word in cmd.positionals()[1:]:
            names = _expanded(word, run.shell_vars)
            build = tuple(
                n
                for n in ([word.text] if names is None else names)
                if package_kind(n, cmd.name) == "build" and bare_package(n) not in removed
            )
            if build:
                yield BuildPackage(run, word, build)


def _removed(later: Sequence[Run], script: Sequence[Run]) -> tuple[set[str], bool]:
    """Package names the ``later`` commands remove; True when they may remove anything.

    ``apt-get purge --auto-remove`` after ``apt-mark auto`` (the pattern of the
    official images) and a removal list that cannot be expanded count as
    removing everything installed before.
    """
    marked_auto = any(
        r.program.name == "apt-mark" and subcommand_text(r.program) == "auto" for r in script
    )
    names: set[str] = set()
    for run in later:
        cmd = run.program
        sub = subcommand_text(cmd)
        if sub not in PACKAGE_REMOVALS.get(cmd.name, ()):
            continue
        if marked_auto and (sub == "autoremove" or cmd.has_option("--auto-remove", "--autoremove")):
            return names, True
        for word in cmd.positionals()[1:]:
            expanded = _expanded(word, run.shell_vars)
            if expanded is None:
                return names, True
            names.update(bare_package(n) for n in expanded)
    return names, False


def _expanded(word: Word, variables: Mapping[str, str]) -> list[str] | None:
    """The words ``word`` stands for once ``$VAR`` is replaced; None when unknown."""
    if not word.dynamic:
        return [word.text]
    value = expand(word.text, variables)
    return None if value is None else value.split()
