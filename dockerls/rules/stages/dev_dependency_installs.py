"""Installs that bring development dependencies, per package manager, and the
commands that prune them again.

DKL204's plumbing, apart from its rule module for size; also used by
``dev_dependency_places``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from dockerls.context import PackageManager
from dockerls.knowledge.images import ImageInfo
from dockerls.rules.build_state import steps
from dockerls.rules.engine import RuleContext
from dockerls.rules.programs import program
from dockerls.rules.stages.project_installs import NODE_MANAGERS, project_install
from dockerls.rules.stages.run_commands import Run, step_runs, subcommand_text
from dockerls.shell import Command, Word
from dockerls.syntax import Stage


def truthy(value: str | None) -> bool:
    return value is not None and value.strip().lower() not in ("", "0", "false", "no", "off")


def _npm_config(env: Mapping[str, str], key: str) -> str | None:
    """An npm setting from the environment: ``npm_config_<key>`` in any case."""
    wanted = f"npm_config_{key}"
    return next((v for k, v in env.items() if k.lower() == wanted), None)


@dataclass(frozen=True, slots=True)
class DevInstall:
    """A dependency install that brings development dependencies."""

    run: Run
    word: Word  # what to underline: the install word, or the requirements file
    tool: str  # "npm ci", "poetry install"
    ecosystem: str  # "node", "python", "ruby", "php"
    why: str  # what lets the dev dependencies in
    remedy: str  # what to change
    flag: str | None = None  # the flag that leaves them out, when adding it is all it takes
    flag_caveat: str | None = None  # why adding the flag may not work everywhere
    presumed: bool = False  # only if the project declares them (uv's default dev group)


@dataclass(frozen=True, slots=True)
class _Scope:
    """What earlier instructions configured for the installs that follow."""

    bundle_without: bool = False  # ``bundle config set without …`` ran
    old_npm: bool = False  # Node < 15: npm 6 or older, which knows --production, not --omit


_DEV_FILE = re.compile(
    r"(^|[-_./])(dev|devel|develop|development|test|tests|testing|lint)([-_.]|$)"
)
_DEV_EXTRA = re.compile(r"\[([^\]]*)\]")
_DEV_EXTRA_NAMES = frozenset({"dev", "devel", "develop", "development", "test", "tests", "testing"})
_DEV_GROUPS = _DEV_EXTRA_NAMES | {"lint", "typing", "docs"}


def _option_values(cmd: Command, *names: str) -> list[str]:
    """The values of options ``names``, each split on commas."""
    return [
        part.strip().lower()
        for o in cmd.options()
        if o.name in names
        for part in (o.value.text if o.value else "").split(",")
    ]


def _flag_off(cmd: Command, *names: str) -> bool:
    """Whether one of the boolean options ``names`` is given and not set to false."""
    for opt in cmd.options():
        if opt.name in names:
            value = opt.value.text.lower() if opt.value else "true"
            if value not in ("false", "0", "no"):
                return True
    return False


def _node_production(run: Run) -> bool:
    return (run.env.get("NODE_ENV") or "").strip().lower() == "production"


_NODE_ENV_UNSET = "NODE_ENV is not production"


def _npm_dev(run: Run, word: Word, scope: _Scope) -> DevInstall | None:
    cmd = run.program
    if (
        "dev" in _option_values(cmd, "--omit")
        or any(v.startswith("prod") for v in _option_values(cmd, "--only"))
        or _flag_off(cmd, "--production", "--prod")
        or _node_production(run)
        or truthy(_npm_config(run.env, "production"))
        or "dev" in (_npm_config(run.env, "omit") or "").lower()
    ):
        return None
    flag = "--production" if scope.old_npm else "--omit=dev"
    return DevInstall(
        run,
        word,
        f"npm {word.text}",
        "node",
        f"no {flag}, {_NODE_ENV_UNSET}",
        f"add `{flag}`",
        flag,
    )


def _yarn_dev(run: Run, word: Word, scope: _Scope) -> DevInstall | None:
    cmd = run.program
    if (
        _flag_off(cmd, "--production", "--prod")
        or _node_production(run)
        or truthy(run.env.get("YARN_PRODUCTION"))
    ):
        return None
    return DevInstall(
        run,
        word,
        "yarn install" if word is not cmd.argv[0] else "yarn",
        "node",
        f"no --production, {_NODE_ENV_UNSET}",
        "add `--production` (Yarn 1) or run `yarn workspaces focus --production` (Yarn 2+)",
    )


def _pnpm_bun_dev(run: Run, word: Word, scope: _Scope) -> DevInstall | None:
    cmd = run.program
    flags = ("--prod", "-P", "--production") if cmd.name == "pnpm" else ("--production", "-p")
    if _flag_off(cmd, *flags) or _node_production(run):
        return None
    flag = flags[0]
    return DevInstall(
        run,
        word,
        f"{cmd.name} {word.text}",
        "node",
        f"no {flag}, {_NODE_ENV_UNSET}",
        f"add `{flag}`",
        flag,
    )


def _poetry_dev(run: Run, word: Word, scope: _Scope) -> DevInstall | None:
    cmd = run.program
    only = _option_values(cmd, "--only")
    if (
        (only and "dev" not in only)
        or "dev" in _option_values(cmd, "--without")
        or cmd.has_option("--no-dev", "--only-root")
    ):
        return None
    return DevInstall(
        run,
        word,
        f"poetry {word.text}",
        "python",
        "no --only main",
        "add `--only main`",
        "--only main",
        "Poetry ≥ 1.2",
    )


def _uv_dev(run: Run, word: Word, scope: _Scope) -> DevInstall | None:
    cmd = run.program
    if cmd.has_option("--only-dev"):
        return DevInstall(run, word, "uv sync", "python", "--only-dev", "drop `--only-dev`")
    if (
        cmd.has_option("--no-dev", "--only-group", "--no-default-groups")
        or "dev" in _option_values(cmd, "--no-group")
        or truthy(run.env.get("UV_NO_DEV"))
        or truthy(run.env.get("UV_NO_DEFAULT_GROUPS"))
    ):
        return None
    return DevInstall(
        run,
        word,
        "uv sync",
        "python",
        "the dev group is synced by default; no --no-dev, UV_NO_DEV unset",
        "add `--no-dev`",
        "--no-dev",
        presumed=True,
    )


def _pip_dev(run: Run) -> DevInstall | None:
    cmd = run.program
    if subcommand_text(cmd) != "install":
        return None
    for opt in cmd.options():
        value = opt.value
        if opt.name not in ("-r", "--requirement") or value is None:
            continue
        if _DEV_FILE.search(value.text.lower().removesuffix(".txt")):
            return DevInstall(
                run,
                value,
                "pip install",
                "python",
                f"from {value.text}",
                "install the production requirements only",
            )
    for opt in cmd.options():
        # pip 25.1 dependency groups: ``--group dev``, ``--group pyproject.toml:test``.
        group = opt.value.text.rsplit(":", 1)[-1].lower() if opt.value else ""
        if opt.name == "--group" and opt.value is not None and group in _DEV_GROUPS:
            return DevInstall(
                run,
                opt.value,
                "pip install",
                "python",
                f"the {group} dependency group",
                "install without the development group",
            )
    candidates = [*cmd.positionals()[1:], *(o.value for o in cmd.options() if o.value)]
    for word in candidates:
        for extras in _DEV_EXTRA.findall(word.text):
            if {e.strip().lower() for e in extras.split(",")} & _DEV_EXTRA_NAMES:
                return DevInstall(
                    run,
                    word,
                    "pip install",
                    "python",
                    f"the extras of {word.text}",
                    "install the package without its development extras",
                )
    return None


def _pipenv_dev(run: Run) -> DevInstall | None:
    cmd = run.program
    sub = subcommand_text(cmd)
    opt = cmd.option("--dev", "-d") if sub in ("install", "sync") else None
    if opt is None:
        return None
    return DevInstall(run, opt.word, f"pipenv {sub}", "python", "--dev", "drop `--dev`")


def _bundle_dev(run: Run, word: Word, scope: _Scope) -> DevInstall | None:
    cmd = run.program
    if (
        scope.bundle_without
        or cmd.has_option("--without")
        or (run.env.get("BUNDLE_WITHOUT") or "").strip()
        or (run.env.get("BUNDLE_ONLY") or "").strip()
    ):
        return None
    return DevInstall(
        run,
        word,
        "bundle install" if word is not cmd.argv[0] else "bundle",
        "ruby",
        "BUNDLE_WITHOUT unset",
        "set `ENV BUNDLE_WITHOUT=development:test` before it",
    )


def _bundle_configures_without(run: Run) -> bool:
    """``bundle config [set] [--local|--global] without development test``."""
    cmd = run.program
    texts = [w.text for w in cmd.positionals()]
    if cmd.name not in ("bundle", "bundler") or texts[:1] != ["config"]:
        return False
    rest = texts[2:] if texts[1:2] == ["set"] else texts[1:]
    return rest[:1] in (["without"], ["only"]) and len(rest) > 1


def _composer_dev(run: Run, word: Word, scope: _Scope) -> DevInstall | None:
    cmd = run.program
    if cmd.has_option("--no-dev") or truthy(run.env.get("COMPOSER_NO_DEV")):
        return None
    return DevInstall(
        run, word, f"composer {word.text}", "php", "no --no-dev", "add `--no-dev`", "--no-dev"
    )


# How each package manager's project install brings in development dependencies.
_DEV_CHECKS: dict[PackageManager, Callable[[Run, Word, _Scope], DevInstall | None]] = {
    PackageManager.NPM: _npm_dev,
    PackageManager.YARN: _yarn_dev,
    PackageManager.PNPM: _pnpm_bun_dev,
    PackageManager.BUN: _pnpm_bun_dev,
    PackageManager.POETRY: _poetry_dev,
    PackageManager.UV: _uv_dev,
    PackageManager.BUNDLER: _bundle_dev,
    PackageManager.COMPOSER: _composer_dev,
}


def _dev_install(run: Run, scope: _Scope) -> DevInstall | None:
    name = program(run.program.name)
    if name == "pipenv":
        return _pipenv_dev(run)
    if name == "pip":
        return _pip_dev(run)
    found = project_install(run, _DEV_CHECKS)
    return _DEV_CHECKS[found[0]](run, found[1], scope) if found is not None else None


def _node_install(run: Run) -> Word | None:
    """The install word of a project install by npm, yarn, pnpm or bun."""
    found = project_install(run, NODE_MANAGERS)
    return found[1] if found is not None else None


def prunes(run: Run, ecosystem: str) -> bool:
    """Whether a later command removes the development dependencies again."""
    cmd = run.program
    texts = [w.text for w in cmd.positionals()]
    if ecosystem == "node":
        if cmd.name in ("npm", "pnpm") and texts[:1] == ["prune"]:
            return (
                "dev" in _option_values(cmd, "--omit")
                or _flag_off(cmd, "--production", "--prod")
                or _node_production(run)
            )
        if cmd.name == "yarn" and texts[:2] == ["workspaces", "focus"]:
            return _flag_off(cmd, "--production")
        # A later production install (npm ci starts from scratch, the others prune).
        return _node_install(run) is not None and _dev_install(run, _Scope()) is None
    found = project_install(run, (PackageManager.UV,)) if ecosystem == "python" else None
    # uv sync removes what the lockfile selection leaves out.
    return found is not None and _uv_dev(run, found[1], _Scope()) is None


def _old_npm(info: ImageInfo | None) -> bool:
    """A Node image older than 15 ships npm 6 or older, which has no ``--omit``."""
    major = info.major if info is not None and info.family == "node" else None
    return major is not None and major.isdigit() and int(major) < 15


def dev_installs(ctx: RuleContext, stage: Stage) -> Iterator[DevInstall]:
    """Dev-dependency installs in the stage, given what its FROM chain configured."""
    bundle_without = False
    old_npm = _old_npm(ctx.image(stage))
    for s in ctx.graph.chain(stage):
        for step in steps(ctx, s):
            for run in step_runs(ctx, step):
                bundle_without = bundle_without or _bundle_configures_without(run)
                found = _dev_install(run, _Scope(bundle_without, old_npm))
                if found is not None and s is stage:
                    yield found
