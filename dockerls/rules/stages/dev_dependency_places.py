"""Where development dependencies lie in a stage's filesystem: the directory an
install puts them in, followed through ``COPY --from`` and cleared by a prune or an
``rm -rf``; and ``chain_runs``, the RUN commands of a FROM chain.

DKL204's plumbing, apart from its rule module for size.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from dockerls.dockerignore import go_clean
from dockerls.rules.build_state import ROOT_HOME, resolve, step_of, steps
from dockerls.rules.engine import RuleContext
from dockerls.rules.instruction_parts import operands
from dockerls.rules.programs import program
from dockerls.rules.stages.dev_dependency_installs import DevInstall, dev_installs, prunes, truthy
from dockerls.rules.stages.run_commands import Run, step_runs, subcommand_text
from dockerls.syntax import Instruction, Stage, Token


def chain_runs(ctx: RuleContext, stage: Stage) -> list[Run]:
    """Every RUN command of the stage's FROM chain, root first."""
    return [
        r for s in ctx.graph.chain(stage) for step in steps(ctx, s) for r in step_runs(ctx, step)
    ]


_DEPENDENCY_DIRS = {
    "node_modules": "node",
    ".venv": "python",
    "venv": "python",
    "vendor": "php",
}
# Where pip installs without a virtualenv in the official python images (a prefix:
# /usr/local/lib/python3.12/site-packages).
_SYSTEM_PYTHON = "/usr/local/lib/python3*"
_PROJECT_OPTIONS = {"yarn": ("--cwd",), "pnpm": ("--dir", "-C")}


@dataclass(frozen=True, slots=True)
class _Held:
    """Development dependencies that a stage's filesystem holds."""

    dev: DevInstall
    place: str | None  # where: a path, a path prefix ending in ``*``, None when not known
    stage: Stage  # the stage that installed them


def _place(dev: DevInstall) -> str | None:
    """Where an install puts the dependencies, when the Dockerfile shows it."""
    run = dev.run
    cmd, env, cwd = run.program, run.env, run.cwd

    def at(path: str | None) -> str | None:
        return None if path is None or cwd is None else resolve(path, cwd, run.shell_vars)

    if dev.ecosystem == "node":
        # npm --prefix, yarn --cwd, pnpm --dir/-C: the project the install works in
        prefix = cmd.option_value(*_PROJECT_OPTIONS.get(program(cmd.name), ("--prefix",)))
        return at(posixpath.join(prefix.text if prefix else ".", "node_modules"))
    if dev.ecosystem == "php":
        return at("vendor")
    if dev.ecosystem == "ruby":
        return at(env.get("BUNDLE_PATH") or "/usr/local/bundle")
    name = program(cmd.name)
    if name == "pip":
        for option in ("--target", "-t", "--prefix"):
            value = cmd.option_value(option)
            if value is not None:
                return at(value.text)
        if cmd.has_option("--user"):
            return at(env.get("HOME", ROOT_HOME) + "/.local")
        launcher = run.command.argv[0].text if run.command is not cmd else cmd.argv[0].text
        if launcher.startswith("/") and "/bin/" in launcher:
            return at(launcher.rsplit("/bin/", 1)[0])
    if name == "uv" and "UV_PROJECT_ENVIRONMENT" in env:
        found = at(env["UV_PROJECT_ENVIRONMENT"])
        return _SYSTEM_PYTHON if found in ("/usr", "/usr/local") else found
    if name == "uv" and subcommand_text(cmd) == "sync":
        return at(".venv")
    if env.get("VIRTUAL_ENV"):
        return at(env["VIRTUAL_ENV"])
    if name == "poetry":
        if truthy(env.get("POETRY_VIRTUALENVS_IN_PROJECT")):
            return at(".venv")
        create = env.get("POETRY_VIRTUALENVS_CREATE")
        return _SYSTEM_PYTHON if create is not None and not truthy(create) else None
    return _SYSTEM_PYTHON if name in ("pip", "uv", "pipenv") else None


def _holds(path: str, held: _Held) -> bool:
    """Whether copying ``path`` takes the dependencies: it is their directory or one that
    holds it. A part of it (one package, ``bin/``) is not reported, except the
    site-packages of the system Python (``COPY --from=build
    /usr/local/lib/python3.12/site-packages``) when the install certainly brought
    development dependencies."""
    place = held.place
    if place is None:
        return False
    if place.endswith("*"):
        base = place[:-1]
        inside = path.startswith(base) and not held.dev.presumed
        return inside or base.startswith(path.rstrip("/") + "/")
    return path == place or place.startswith(path.rstrip("/") + "/")


def _moved(path: str, place: str, dest: str) -> str:
    """Where what lay at ``place`` lands when ``path`` is copied to the directory ``dest``
    (a directory's contents go into ``dest``)."""
    base, star = place.rstrip("*"), "*" if place.endswith("*") else ""
    parent = path.rstrip("/")
    return dest.rstrip("/") + base[len(parent) :] + star if base.startswith(parent + "/") else dest


def taken(token: Token, held: _Held, ins: Instruction | None = None) -> bool:
    """Whether a COPY source takes the dependencies: it names their directory (by name,
    when their place is not known) or a directory that holds them, or lies inside it, and
    the COPY ``ins``'s ``--exclude`` patterns do not leave them out."""
    if ins is not None and _excluded(ins, token, held):
        return False
    path = "/" + token.text.strip("/") if not token.text.startswith("/") else token.text
    if go_clean(path) == "/":
        return False  # the whole filesystem: DKL206's finding
    leaf = path.rstrip("/").rsplit("/", 1)[-1]
    named = _DEPENDENCY_DIRS.get(leaf) == held.dev.ecosystem
    return named or _holds(go_clean(path), held)


def _deletes(run: Run, place: str | None) -> bool:
    """Whether ``run`` prunes the dependencies at ``place`` or deletes them (``rm -rf``)."""
    if place is None or place.endswith("*") or run.program.name != "rm" or run.cwd is None:
        return False
    for word in run.program.positionals(()):
        target = resolve(word.text, run.cwd, run.shell_vars)
        if target is not None and (target == place or place.startswith(target + "/")):
            return True
    return False


def _runs_after(ctx: RuleContext, stage: Stage, ins: Instruction | None) -> list[Run]:
    """The RUN commands of the stage's FROM chain after ``ins`` (all of them for None)."""
    found: list[Run] = []
    seen = ins is None
    for s in ctx.graph.chain(stage):
        for step in steps(ctx, s):
            if seen:
                found.extend(step_runs(ctx, step))
            seen = seen or step.ins is ins
    return found


def _cleared(later: Sequence[Run], held: _Held) -> bool:
    return any(prunes(r, held.dev.ecosystem) or _deletes(r, held.place) for r in later)


def dev_dependencies_held(ctx: RuleContext, stage: Stage) -> list[_Held]:
    """The development dependencies in the filesystem of a stage: installed in its FROM
    chain, or copied from an earlier stage, and not pruned since (worked out once)."""
    return ctx.memo_each(_holdings, stage, stage.index)


def _holdings(ctx: RuleContext, stage: Stage) -> list[_Held]:
    # One entry per install and place, however many copies bring it: the lists stay
    # small along long chains of stages.
    found: dict[tuple[int, str | None], _Held] = {}
    chain = chain_runs(ctx, stage)
    position = {id(r): i for i, r in enumerate(chain)}
    for s in ctx.graph.chain(stage):
        for dev in dev_installs(ctx, s):
            held = _Held(dev, _place(dev), s)
            if not _cleared(chain[position.get(id(dev.run), len(chain)) + 1 :], held):
                found.setdefault((id(dev.run), held.place), held)
    members = {s.index for s in ctx.graph.chain(stage)}
    after: dict[int, list[Run]] = {}

    def later(ins: Instruction) -> list[Run]:
        if id(ins) not in after:
            after[id(ins)] = _runs_after(ctx, stage, ins)
        return after[id(ins)]

    for edge in ctx.graph.edges:
        owner = ctx.document.stage_of(edge.instruction)
        source = edge.source
        if owner is None or owner.index not in members or edge.instruction.name != "COPY":
            continue
        if source is None or source.index >= stage.index:
            continue  # sources come earlier; never loop on a malformed file
        dest = _copy_destination(ctx, edge.instruction)
        for token in operands(edge.instruction)[:-1]:
            for held in dev_dependencies_held(ctx, source):
                if not taken(token, held, edge.instruction):
                    continue
                place = None
                if dest is not None and held.place is not None:
                    place = _moved(go_clean("/" + token.text.lstrip("/")), held.place, dest)
                moved = _Held(held.dev, place, held.stage)
                key = (id(held.dev.run), place)
                if key not in found and not _cleared(later(edge.instruction), moved):
                    found[key] = moved
    return list(found.values())


def _excluded(ins: Instruction, token: Token, held: _Held) -> bool:
    """Whether the COPY's ``--exclude`` patterns (relative to the source directory) leave
    the dependencies out: their place inside the source, or a directory above it, matches."""
    place = held.place
    if place is None or place.endswith("*"):
        return False
    source = go_clean("/" + token.text.lstrip("/"))
    if not place.startswith(source.rstrip("/") + "/"):
        return False
    rel = place[len(source.rstrip("/")) + 1 :]
    parents = ["/".join(rel.split("/")[: i + 1]) for i in range(rel.count("/") + 1)]
    patterns = [f.value.text.strip("/") for f in ins.flags_named("exclude") if f.value]
    return any(fnmatch.fnmatchcase(p, pat) for pat in patterns for p in parents)


def _copy_destination(ctx: RuleContext, ins: Instruction) -> str | None:
    """The absolute destination of a COPY, when it is known."""
    step = step_of(ctx, ins)
    return resolve(operands(ins)[-1].text, step.cwd, step.env) if operands(ins) else None
