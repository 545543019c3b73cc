"""What a .dockerignore should exclude for this Dockerfile and its build context:
the lines for a new file (the editor action on DKL351) and the big host directories
that a whole-context COPY sends (DKL352, and the action that adds them).

Both are public: the code-action layer (``actions/offers``) reuses them.
"""

from __future__ import annotations

from collections.abc import Sequence

from dockerls.context import PackageManager
from dockerls.dockerignore import DockerIgnore
from dockerls.rules.cache.context_paths import context_path, is_whole_context
from dockerls.rules.cache.ecosystems import NODE, PYTHON
from dockerls.rules.cache.layer_sequences import regular, triggers
from dockerls.rules.cache.run_commands import commands_of, dependency_steps, is_build
from dockerls.rules.engine import RuleContext
from dockerls.rules.instruction_parts import context_sources


def _managers(ctx: RuleContext) -> set[PackageManager]:
    """The package managers this Dockerfile installs with (ONBUILD triggers included)."""
    found: set[PackageManager] = set()
    for _, ins in ctx.instructions("RUN"):
        found.update(step.manager for step in dependency_steps(ctx, ins))
    return found


def _builds_output(ctx: RuleContext) -> bool:
    """Whether a RUN builds something (so host ``dist``/``build`` output is stale input)."""
    return any(is_build(cmd) for _, ins in ctx.instructions("RUN") for cmd in commands_of(ctx, ins))


def _named_sources(ctx: RuleContext) -> list[str]:
    """Context paths that a COPY or ADD names explicitly (not the whole context)."""
    names = []
    for stage in ctx.document.stages:
        for ins in (*regular(stage), *triggers(stage)):
            for token in context_sources(ins):
                if not is_whole_context(token) and "$" not in token.text:
                    names.append(context_path(token.text))
    return names


def _needs_git(ctx: RuleContext) -> bool:
    """Whether a RUN reads the repository (``git describe``, ``git rev-parse``)."""
    return any(
        cmd.name == "git"
        and (sub := cmd.subcommand()) is not None
        and sub.text not in ("clone", "config", "init")
        for _, ins in ctx.instructions("RUN")
        for cmd in commands_of(ctx, ins)
    )


def _output_directories(ctx: RuleContext) -> set[str]:
    """Host directories that hold build output the Dockerfile produces itself."""
    managers = _managers(ctx)
    found: set[str] = set()
    if managers & {PackageManager.CARGO, PackageManager.MAVEN}:
        found.add("target")
    if PackageManager.GRADLE in managers:
        found.add("build")
    if _builds_output(ctx):
        found.update(("dist", "build"))
    return found


def _wanted(entry: str, named: Sequence[str]) -> bool:
    """Whether ignoring ``entry`` would hide a path the Dockerfile copies explicitly."""
    ignore = DockerIgnore.parse(entry)
    return any(ignore.is_excluded(path) for path in named)


def dockerignore_entries(ctx: RuleContext) -> list[str]:
    """Lines for a new ``.dockerignore`` that fit this Dockerfile and its context.

    Always the repository, secrets and Docker's own files; then what the
    Dockerfile's package managers rebuild inside the image (``node_modules``,
    virtualenvs, ``target``, ``bin``/``obj``, ``vendor``), and build output it
    produces itself. An entry that would hide a path some COPY names explicitly
    is left out, so the file never breaks the build.
    """
    managers = _managers(ctx)
    entries = [".git", ".env", "Dockerfile*", ".dockerignore", "**/.DS_Store"]
    if managers & NODE:
        entries += ["**/node_modules", "npm-debug.log*", "yarn-error.log*", ".npm"]
    if managers & PYTHON:
        entries += [".venv", "**/__pycache__", "**/*.py[cod]", ".pytest_cache", ".mypy_cache"]
        if ctx.build_context.has_directory("venv"):
            entries.append("venv")
    if PackageManager.GRADLE in managers:
        entries.append(".gradle")
    if PackageManager.DOTNET in managers:
        entries += ["**/bin", "**/obj"]
    if PackageManager.BUNDLER in managers:
        entries.append("vendor/bundle")
    if PackageManager.COMPOSER in managers:
        entries.append("vendor")
    entries += sorted(_output_directories(ctx))
    named = _named_sources(ctx)
    if _needs_git(ctx):
        named.append(".git")
    return [e for e in dict.fromkeys(entries) if not _wanted(e, named)]


def directories_sent(ctx: RuleContext) -> tuple[str, ...]:
    """Big host directories that a whole-context COPY sends although the image rebuilds them.

    ``dist``, ``build`` and ``target`` count only when the Dockerfile builds them
    itself, ``.git`` only when no RUN reads the repository, and none that a COPY
    names explicitly. Empty when the context is unknown.
    """
    sent = ctx.build_context.big_directories_sent() or ()
    outputs = _output_directories(ctx)
    named = _named_sources(ctx)
    needs_git = _needs_git(ctx)
    return tuple(
        d
        for d in sent
        if (d not in ("dist", "build", "target") or d in outputs)
        and not (d == ".git" and needs_git)
        and not any(path == d or path.startswith(d + "/") for path in named)
    )
