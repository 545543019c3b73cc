"""Python: pip installs from the requirements files it names (``-r``, ``-c``); Poetry, uv
and Pipenv from ``pyproject.toml`` or the ``Pipfile`` and their lockfile, into ``.venv``.
An install that also installs the project itself (``poetry install``, ``uv sync``) gets a
dependency-only one (``--no-root``, ``--no-install-project``) above the sources."""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatchcase

from dockerls.actions.reorder.core import SAFE_NAME, Files, Manager, No, PrefetchWords, flag_present
from dockerls.dockerignore import go_clean
from dockerls.rules.dependency_steps import DependencyStep
from dockerls.rules.engine import RuleContext
from dockerls.shell import Word


def _requirement_files(
    ctx: RuleContext, step: DependencyStep, prefix: str, known: bool
) -> Files | No:
    build = ctx.build_context
    named: list[str] = list(step.files)
    for opt in step.command.options():
        if opt.name in ("-c", "--constraint") and opt.value is not None:
            named.append(opt.value.text)
    if not named:
        return No(f"`{step.shown}` names no requirements file to copy first.")
    names: list[str] = []
    directories: list[str] = []
    for name in named:
        path = go_clean(name)
        if (
            "$" in name
            or path.startswith(("..", "/"))
            or not SAFE_NAME.match(path)
            or any(ch in path for ch in "*?[")
        ):
            return No(f"the requirements file `{name}` is outside the sources or not plain.")
        if "/" in path:
            top = path.split("/", 1)[0]
            if top.lower().startswith("req"):
                directories.append(prefix + top)
            else:
                names.append(prefix + path)
            continue
        if known:
            if not build.has_file(path):
                return No(f"{path} is not at the root of the build context.")
            if build.sends_to_daemon(path) is False:
                return No(f"{path} is excluded by the .dockerignore.")
            siblings = sorted(
                f
                for f in build.files
                if "/" not in f
                and fnmatchcase(f, "requirements*.txt")
                and build.sends_to_daemon(f) is not False
                and SAFE_NAME.match(f)
            )
            names.extend(siblings if fnmatchcase(path, "requirements*.txt") else [path])
        elif fnmatchcase(path, "requirements*.txt"):
            names.append(prefix + "requirements*.txt")
        else:
            names.append(prefix + path)
    return Files(tuple(dict.fromkeys(names)), tuple(dict.fromkeys(directories)))


def _uv_files(
    ctx: RuleContext, step: DependencyStep, prefix: str, known: bool
) -> Files | No | None:
    """``uv pip install -r requirements.txt`` reads requirements files; ``uv sync`` the project."""
    return _requirement_files(ctx, step, prefix, known) if step.files else None


def _poetry_prefetch(
    step: DependencyStep, positionals: Sequence[Word], sub: str
) -> PrefetchWords | No | None:
    if flag_present(step.command, "--no-root", "--only-root"):
        return None
    return False, ["--no-root"]


def _uv_prefetch(
    step: DependencyStep, positionals: Sequence[Word], sub: str
) -> PrefetchWords | No | None:
    cmd = step.command
    if sub != "sync" or flag_present(cmd, "--no-install-project", "--no-install-workspace"):
        return None
    return False, ["--no-install-project"]


PIP = Manager("pip", elsewhere=("--src",), files=_requirement_files)
POETRY = Manager(
    "Poetry",
    manifest=("pyproject.toml",),
    lockfiles=("poetry.lock",),
    config_files=("poetry.toml",),
    elsewhere=("-C", "--directory", "-P", "--project"),
    cache_hints=("pypoetry", "poetry", ".cache"),
    outputs=(".venv",),
    prefetch=_poetry_prefetch,
)
UV = Manager(
    "uv",
    manifest=("pyproject.toml",),
    lockfiles=("uv.lock",),
    config_files=(".python-version", "uv.toml"),
    lockfile_flags=("--locked", "--frozen"),
    elsewhere=("--directory", "--project", "--package", "--target", "--prefix"),
    cache_hints=("uv", ".cache"),
    outputs=(".venv",),
    prefetch=_uv_prefetch,
    files=_uv_files,
)
PIPENV = Manager(
    "Pipenv",
    manifest=("Pipfile",),
    lockfiles=("Pipfile.lock",),
    patterns=("Pipfile*",),
    outputs=(".venv",),
)
