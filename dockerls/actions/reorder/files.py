"""Which files the manifest COPY takes: from the build context when it is listed (only
files that exist and that the ``.dockerignore`` sends), otherwise names the install
proves exist or patterns that always match the manifest; each ``Manager`` names its
manifest, lockfiles and configuration, or reads its own files (``Manager.files``)."""

from __future__ import annotations

from collections.abc import Sequence

from dockerls.actions.reorder.core import SAFE_NAME, Files, No, flag_present
from dockerls.actions.reorder.ecosystems import MANAGERS
from dockerls.actions.reorder.java import wrapper_script
from dockerls.context import PackageManager
from dockerls.rules.dependency_steps import DependencyStep
from dockerls.rules.engine import RuleContext
from dockerls.wording import join


def files_to_copy(ctx: RuleContext, step: DependencyStep, prefix: str) -> Files | No:
    """The files the install reads before it needs the sources, relative to where it runs.

    ``prefix`` is where that directory is in the build context (``""`` for its root).
    """
    build = ctx.build_context
    known = build.known and build.listing_complete and prefix == ""
    manager = step.manager
    own = MANAGERS[manager].files
    found = own(ctx, step, prefix, known) if own is not None else None
    if found is not None:
        return found
    wrapper = wrapper_script(step)
    if not known:
        return _guessed_files(step, prefix, wrapper, build.known and build.listing_complete)
    names: list[str] = []
    for manifest in MANAGERS[manager].manifest:
        if not build.has_file(manifest):
            return No(f"{manifest} is not at the root of the build context.")
        if build.sends_to_daemon(manifest) is False:
            return No(f"{manifest} is excluded by the .dockerignore.")
        names.append(manifest)
    notes: list[str] = []
    read = MANAGERS[manager].context
    if read is not None:
        said = read(build)
        if isinstance(said, No):
            return said
        notes.extend(said)
    for name in (*MANAGERS[manager].lockfiles, *MANAGERS[manager].config_files):
        sent = build.has_file(name) and build.sends_to_daemon(name) is not False
        if sent and SAFE_NAME.match(name):
            names.append(name)
    directories: list[str] = []
    if wrapper is not None:
        if not build.has_file(wrapper):
            return No(f"{wrapper} is not at the root of the build context.")
        names.append(wrapper)
    read_directories = MANAGERS[manager].directories
    own_directories = read_directories(build) if read_directories is not None else ()
    for directory in (*_tool_directories(manager, names), *own_directories):
        if build.has_directory(directory) and build.directory_sent(directory) is not False:
            directories.append(directory)
    notes.extend(MANAGERS[manager].notes)
    return Files(tuple(names), tuple(directories), tuple(notes))


def _tool_directories(manager: PackageManager, names: Sequence[str]) -> tuple[str, ...]:
    """Directories of tool configuration the install reads (copied when they exist)."""
    if manager is PackageManager.MAVEN:
        return (".mvn",)
    if manager is PackageManager.YARN and ".yarnrc.yml" in names:
        return (".yarn",)
    if manager is PackageManager.CARGO:
        return (".cargo",)
    return ()


def _guessed_files(
    step: DependencyStep, prefix: str, wrapper: str | None, known: bool
) -> Files | No:
    """Files without a context listing: only names the install proves exist, or patterns."""
    manager = step.manager
    where = "the build context is unknown"
    if known:
        where = f"only the root of the build context is listed, not {prefix}"
    pattern = MANAGERS[manager].patterns
    names: list[str]
    if pattern is not None:
        names = [prefix + p for p in pattern]
    else:
        proven = MANAGERS[manager].lockfile_flags
        pnpm_fetch = manager is PackageManager.PNPM and step.word.text == "fetch"
        if not (pnpm_fetch or (proven and flag_present(step.command, *proven))):
            lockfile = join(list(MANAGERS[manager].lockfiles))
            return No(
                f"{where}, so dockerls cannot tell whether {lockfile} exists (COPY fails on a "
                "missing file, and installing without the lockfile would change versions)."
            )
        names = [
            prefix + n for n in (*MANAGERS[manager].manifest, *MANAGERS[manager].lockfiles[:1])
        ]
    directories: list[str] = []
    if wrapper is not None:
        names.append(prefix + wrapper)
        if manager is PackageManager.MAVEN:
            directories.append(prefix + ".mvn")
    notes = MANAGERS[manager].notes
    return Files(tuple(names), tuple(directories), notes)


def overwrite_notes(ctx: RuleContext, manager: PackageManager, prefix: str) -> list[str]:
    """Host directories that the source copy, now after the install, would copy over it."""
    if prefix:
        return []
    sent = ctx.build_context.big_directories_sent() or ()
    return [
        f"{d}/ is not in .dockerignore: COPY would overwrite the installed one"
        for d in MANAGERS[manager].outputs
        if d in sent
    ]
