"""JavaScript/CSS assets built in a Python stage (issue 15): npm, yarn or pnpm install and
build a front-end project (``yarn --cwd staticsrc build``, ``npm --prefix web run build``,
``cd web && npm ci``) whose output the Python application serves, on a base that carries
Node (``nikolaik/python-nodejs``) or after ``apt-get install nodejs npm``.

The asset builds stay in the builder, byte for byte: their output lands where the
project's own configuration puts it (webpack's ``output.path`` may be outside the asset
project), which the split cannot read, and later steps (Django's ``collectstatic``) need
Python and the built files together. The runtime (python slim, no Node) receives the
application directories without each asset project's ``node_modules``
(``COPY --exclude``). This module finds the projects and the Node programs; ``python.py``
places them. Pure.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from dockerls.actions.split.original_stage import installed_packages, started_tools
from dockerls.knowledge.images import ImageInfo
from dockerls.rules.build_state import command_scopes, resolve, steps
from dockerls.rules.engine import RuleContext
from dockerls.rules.programs import program, unwrap
from dockerls.shell import Command
from dockerls.syntax import Stage

# Package managers (Debian's yarn is ``yarnpkg``) and the option naming their project.
_MANAGERS = {"npm": "--prefix", "yarn": "--cwd", "yarnpkg": "--cwd", "pnpm": "--dir"}
# Programs that need Node in the container.
NODE_PROGRAMS = frozenset(
    {"node", "nodejs", "npm", "npx", "yarn", "yarnpkg", "pnpm", "pnpx", "corepack"}
)
# Debian's packages that bring Node and its package managers.
NODE_PACKAGES = frozenset({"nodejs", "npm", "yarnpkg"})
# Families whose images carry Node beside Python.
WITH_NODE = frozenset({"python-nodejs"})
# ``# syntax=docker/dockerfile:1.N``: COPY --exclude needs 1.19 or newer.
_SYNTAX = re.compile(r"docker/dockerfile:(\d+)\.(\d+)")


@dataclass(frozen=True, slots=True)
class AssetBuild:
    """One npm/yarn/pnpm command of the stage and the project directory it works in."""

    line: int  # 0-based line of its RUN
    shown: str  # the command as written, e.g. ``yarn --cwd staticsrc build``
    project: str  # absolute directory

    @property
    def node_modules(self) -> str:
        return posixpath.join(self.project, "node_modules")


def _global(cmd: Command) -> bool:
    """``npm install -g x``, ``yarn global add x``, ``pnpm add -g x``: a tool, not a project."""
    words = [w.text for w in cmd.positionals()]
    return cmd.has_option("-g", "--global") or words[:1] == ["global"]


def asset_builds(ctx: RuleContext, stage: Stage) -> list[AssetBuild] | str:
    """The npm/yarn/pnpm commands of the stage with their project directories (global
    installs left out), or why a directory cannot be known."""
    found: list[AssetBuild] = []
    for step in steps(ctx, stage):
        if step.ins.name != "RUN" or step.onbuild:
            continue
        scopes = command_scopes(ctx, step)
        for cmd, scope in zip(ctx.script(step.ins).commands, scopes, strict=False):
            work = unwrap(cmd)
            name = program(work.name)
            if name not in _MANAGERS or _global(work):
                continue
            shown = " ".join(w.text for w in work.argv)
            line = step.ins.start_line + 1
            option = _MANAGERS[name]
            value = work.option_value(option, *(("-C",) if name == "pnpm" else ()))
            project = None
            if scope.cwd is not None and (value is None or not value.dynamic):
                text = "." if value is None else value.text
                project = resolve(text, scope.cwd, scope.vars)
            if project is None or "$" in project or any(c in project for c in "*?["):
                return (
                    f"The directory `{shown}` on line {line} works in is not known before the "
                    "build, so the split cannot leave its node_modules out of the runtime."
                )
            found.append(AssetBuild(step.ins.start_line, shown, project))
    return found


def node_in_builder(ctx: RuleContext, stage: Stage, info: ImageInfo) -> str | None:
    """Where the builder's Node comes from (the base image, or the OS packages it
    installs), None when it has none."""
    if info.family in WITH_NODE:
        return info.reference
    packages = sorted({n for _, n in installed_packages(ctx, stage)} & NODE_PACKAGES)
    return " ".join(packages) if packages else None


def node_at_run_time(stage: Stage) -> str | None:
    """The Node program the container starts with (directly or through ``sh -c``)."""
    return next((t for t in sorted(started_tools(stage)) if t in NODE_PROGRAMS), None)


def old_syntax(text: str) -> str | None:
    """The ``# syntax=`` image when it pins a Dockerfile frontend older than 1.19, which
    has no ``COPY --exclude``."""
    for line in text.splitlines()[:20]:
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        key, _, value = stripped[1:].partition("=")
        if key.strip().lower() != "syntax":
            continue
        match = _SYNTAX.search(value)
        if match and (int(match.group(1)), int(match.group(2))) < (1, 19):
            return value.strip()
    return None


def excluded(path: str, builds: list[AssetBuild]) -> list[str]:
    """The asset projects' ``node_modules`` inside ``path``, relative to it (the patterns
    ``COPY --exclude`` takes for that directory)."""
    out: list[str] = []
    for build in builds:
        inside = (build.node_modules + "/").startswith(path.rstrip("/") + "/")
        rel = posixpath.relpath(build.node_modules, path)
        if inside and rel not in out:
            out.append(rel)
    return out
