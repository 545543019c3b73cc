"""The install: whether it moves above the sources (with the setup before it and the
cleanups after it, splitting its RUN at a ``&&`` when it goes on) or gets a
dependency-only command inserted there instead (the prefetch each ecosystem's ``Manager``
declares), and why neither when neither is safe."""

from __future__ import annotations

import re
from collections.abc import Sequence

from dockerls.actions.reorder.core import Copy, Move, No, Prefetch, Source, program, summary
from dockerls.actions.reorder.ecosystems import MANAGERS
from dockerls.actions.reorder.independent import SHELL_STATE, independent, relative_path
from dockerls.actions.reorder.node import JS
from dockerls.actions.reorder.run_text import command_end, separator_ok, unlisted_syntax
from dockerls.context import PackageManager
from dockerls.rules.dependency_steps import DependencyStep, dependency_step
from dockerls.rules.engine import RuleContext
from dockerls.shell import Command, is_posix_shell
from dockerls.syntax import Instruction, Stage


def _index_of(commands: Sequence[Command], step: DependencyStep) -> int | None:
    for n, cmd in enumerate(commands):
        if cmd.span == step.command.span and any(w == step.word for w in cmd.argv):
            return n
    return None


def shape_of(
    ctx: RuleContext, stage: Stage, install: Instruction, step: DependencyStep, copy: Copy
) -> Move | Prefetch | No:
    script = ctx.script(install)
    if script.has_error:
        return No(f"the shell in `{summary(install)}` could not be read completely.")
    commands = script.commands
    index = _index_of(commands, step)
    if index is None:
        return No(f"dockerls could not place `{step.shown}` in `{summary(install)}`.")
    cmd = commands[index]
    if cmd.in_substitution or cmd.in_condition:
        return No(f"`{step.shown}` runs inside a condition or a substitution.")
    located = _elsewhere(step)
    if located is not None:
        return No(located)
    prefetch = prefetch_of(ctx, stage, install, step)
    if prefetch is not None:
        return prefetch
    return _moved(ctx, stage, install, step, copy=copy)


def _elsewhere(step: DependencyStep) -> str | None:
    """Why the step reads files that the manifest copy cannot know, if it does."""
    cmd = step.command
    names = MANAGERS[step.manager].elsewhere
    args = cmd.args
    for n, word in enumerate(args):
        text = word.text
        glued = not text.startswith("--") and text[:2] in names
        if text.split("=", 1)[0] in names or glued:
            value = args[n + 1].text if "=" not in text and not glued and n + 1 < len(args) else ""
            shown = f"{text} {value}".rstrip()
            return f"`{step.shown} {shown}` installs from another directory or other files."
    if step.local:
        return f"`{step.shown}` installs the project itself from its sources."
    if step.manager in (PackageManager.PIP, PackageManager.UV):
        for opt in cmd.options():
            value = opt.value.text if opt.value is not None else ""
            if opt.name in ("-e", "--editable", "-f", "--find-links") and relative_path(value):
                return f"`{step.shown} {opt.name} {value}` reads files from the sources."
        for word in cmd.positionals()[1:]:
            if word.text.startswith((".", "/")) or word.text.endswith((".whl", ".tar.gz")):
                return f"`{step.shown} {word.text}` installs files from the sources."
    if any(w.dynamic for w in cmd.argv):
        return f"`{step.shown}` uses a shell variable dockerls cannot resolve."
    return None


def _tool_installed_before(commands: Sequence[Command], index: int, tool: str) -> Command | None:
    """A command before ``index`` that names ``tool`` (``pip install poetry==1.8``, a URL)."""
    for cmd in commands[:index]:
        for word in cmd.argv[1:]:
            text = word.text.lower()
            if tool in re.split(r"[^a-z0-9]+", text) or ("://" in text and tool in text):
                return cmd
    return None


def prefetch_of(
    ctx: RuleContext, stage: Stage, install: Instruction, step: DependencyStep
) -> Prefetch | No | None:
    """The dependency-only command for a step that also needs the sources; None to move it."""
    commands = ctx.script(install).commands
    index = _index_of(commands, step) or 0
    cmd = step.command
    manager = step.manager
    positionals = cmd.positionals()
    sub = positionals[0].text if positionals else ""
    hook = MANAGERS[manager].prefetch
    found = hook(step, positionals, sub) if hook is not None else None
    if found is None or isinstance(found, No):
        return found
    replace, extra = found  # replace: ``go build`` -> ``go mod download``
    tool = program(cmd.argv[0])
    before = _tool_installed_before(commands, index, tool.removesuffix("w"))
    if before is not None:
        return No(
            f"`{' '.join(w.text for w in before.argv[:4])}` in the same RUN provides "
            f"{tool}, so a download step above the sources would run without it."
        )
    if ctx.ships(stage):
        for other in commands:
            if _cleans_cache_of(other, manager):
                return No(
                    f"`{' '.join(w.text for w in other.argv[:4])}` removes what the install "
                    "downloads in the same layer; a separate download layer would keep it in "
                    "the image."
                )
    head = [*cmd.prefix_words, cmd.argv[0]]
    words = [w.raw for w in head]
    if not replace:
        words = [w.raw for w in (*cmd.prefix_words, *cmd.argv)]
    words += extra
    assignments = [
        f"{a.name}={a.value.raw if a.value is not None else ''}" for a in cmd.assignments
    ]
    shell = " ".join([*assignments, *words])
    argv: tuple[str, ...] | None = None
    if install.exec_form is not None:
        kept = head if replace else [*cmd.prefix_words, *cmd.argv]
        argv = (*(w.text for w in kept), *extra)
    placeholder = MANAGERS[manager].placeholder
    if placeholder is not None:
        wrapped = placeholder(shell, is_posix_shell(ctx.shell(install)))
        if isinstance(wrapped, No):
            return wrapped
        shell = wrapped
        argv = None
        shown = " ".join(words)
    elif argv is not None:
        shown = " ".join(argv)
    else:
        shown = " ".join(words)
    if any("\n" in part or "\r" in part for part in (shell, *(argv or ()))):
        return No(f"`{step.shown}` is written across lines in a way dockerls cannot copy.")
    return Prefetch(shell, argv, shown)


_CACHE_WORDS = (
    "cache",
    ".npm",
    ".m2",
    ".gradle",
    "pkg/mod",
    "registry",
    ".nuget",
    "composer",
    "bundle",
    "pip",
    "yarn",
    "pnpm",
    ".cargo",
)


def _cleans_dependency_cache(cmd: Command) -> bool:
    """``npm cache clean``, ``go clean -modcache``, ``rm -rf /root/.m2``..."""
    name = program(cmd.argv[0])
    positionals = cmd.positionals()
    sub = positionals[0].text if positionals else ""
    rest = positionals[1].text if len(positionals) > 1 else ""
    if name in JS and (sub == "cache" or (name == "pnpm" and sub == "store")):
        return True
    if name == "pip" and sub == "cache":
        return True
    if name == "composer" and sub in ("clear-cache", "clearcache", "cc"):
        return True
    if name == "go" and sub == "clean":
        return True
    if name in ("gem", "bundle") and sub in ("cleanup", "clean"):
        return True
    if name == "dotnet" and sub == "nuget" and rest == "locals":
        return True
    if name == "mvn" and any("purge-local-repository" in w.text for w in positionals):
        return True
    if name == "rm":
        return any(any(k in w.text for k in _CACHE_WORDS) for w in positionals)
    return False


def _cleans_cache_of(cmd: Command, pm: PackageManager) -> bool:
    """A cleanup of ``pm``'s downloads (``go clean -modcache``, ``rm -rf /root/.m2``)."""
    if not _cleans_dependency_cache(cmd):
        return False
    text = " ".join(w.text for w in cmd.argv)
    return any(hint in text for hint in MANAGERS[pm].cache_hints)


def _cleans_up(cmd: Command) -> bool:
    """A cleanup of a dependency cache or of system packages."""
    if _cleans_dependency_cache(cmd):
        return True
    name = program(cmd.argv[0])
    positionals = cmd.positionals()
    sub = positionals[0].text if positionals else ""
    if name in ("apt-get", "apt") and sub in ("clean", "purge", "remove", "autoremove"):
        return True
    if name == "apk" and sub == "del":
        return True
    if name in ("yum", "dnf", "microdnf") and sub in ("clean", "remove"):
        return True
    return name == "rm" and any(w.text.startswith(("/var/", "/tmp")) for w in positionals)


def _cleanup_outside(cmd: Command, copy: Copy) -> bool:
    """A cleanup that touches only caches and system packages, not the project."""
    if not _cleans_up(cmd):
        return False
    if program(cmd.argv[0]) != "rm":
        return True
    return independent(cmd, copy) or all(
        w.text.startswith(("/root/", "~/", "$HOME/", "/tmp/", "/var/")) for w in cmd.positionals()
    )


def _moved(
    ctx: RuleContext, stage: Stage, install: Instruction, step: DependencyStep, *, copy: Copy
) -> Move | No:
    """Which commands move with the install: setup before it, the same manager's installs and
    cleanups right after it."""
    commands = ctx.script(install).commands
    index = _index_of(commands, step) or 0
    last = index
    while last + 1 < len(commands):
        nxt = commands[last + 1]
        following = dependency_step(nxt)
        same = (
            following is not None
            and following.manager is step.manager
            and not following.needs_sources
            and _elsewhere(following) is None
            and prefetch_of(ctx, stage, install, following) is None
        )
        if not (same or _cleanup_outside(nxt, copy)):
            break
        last += 1
    whole = last == len(commands) - 1
    if not whole:
        if ctx.ships(stage):
            for cmd in commands[last + 1 :]:
                if _cleans_up(cmd):
                    return No(
                        f"`{' '.join(w.text for w in cmd.argv[:4])}` later in the same RUN "
                        "cleans up after the install; splitting the RUN would keep the "
                        "leftovers in the image."
                    )
        reason = _split_problem(ctx, install, commands, last)
        if reason is not None:
            return No(reason)
    for cmd in commands[:index]:
        shell_state = program(cmd.argv[0]) in SHELL_STATE
        if not (independent(cmd, copy) or (whole and shell_state)):
            return No(
                f"`{' '.join(w.text for w in cmd.argv[:4])}` runs before `{step.shown}` in "
                "the same RUN, and dockerls cannot tell whether it needs the sources."
            )
    if whole:
        hidden = unlisted_syntax(ctx, install)
        if hidden is not None:
            return No(
                f"`{summary(install)}` uses shell syntax dockerls does not follow "
                f"(`{hidden}`), so it cannot tell what else the RUN reads."
            )
    return Move(0, last, whole)


def _split_problem(
    ctx: RuleContext, install: Instruction, commands: Sequence[Command], last: int
) -> str | None:
    """Why the RUN cannot be split after ``commands[last]``, if it cannot.

    Splitting keeps ``a && b`` meaning the same (``b`` runs only when ``a`` succeeded,
    and a failure fails the build either way); ``;``, ``||``, pipes and anything
    that carries shell state from one part to the other would not.
    """
    what = f"`{summary(install)}` cannot be split safely"
    if install.exec_form is not None or install.heredocs or install.rest is None:
        return f"{what}: it is not a plain shell command line."
    moved = commands[: last + 1]
    if any(c.in_subshell or c.in_condition or c.in_substitution or c.wrappers for c in moved):
        return f"{what}: it uses subshells, conditions or a nested shell."
    if moved[0].span.start != install.rest.span.start:
        return f"{what}: it does not start with a simple command."
    src = Source(ctx.document)
    rest = commands[last + 1 :]
    ends = [command_end(c) for c in moved]
    starts = [c.span.start for c in moved[1:]] + [min(c.span.start for c in rest)]
    for end, start in zip(ends, starts, strict=True):
        if end > start or not separator_ok(src, end, start, ctx.document.escape):
            return f"{what}: the install is not followed by a plain `&&`."
    return None
