"""Python: dependencies installed into a virtual environment in the builder, copied out.

The builder keeps the original base and every step (compilers and ``-dev``
packages stay there). Before the first dependency install it creates a virtual
environment at ``/opt/venv`` and puts it first on ``PATH``; pip, poetry (which
respects an activated environment), uv (through ``UV_PROJECT_ENVIRONMENT``) and
pipenv then install into it. The runtime starts from the slim variant of the
same Python minor and libc (a slim or Alpine builder: the same image, without
the build packages), receives the environment and the application directories
from the builder, the shared libraries of the ``-dev`` packages it knows (and the
OS packages the application itself needs), and runs as a new non-root user.
"""

from __future__ import annotations

import re

from dockerls.actions.split.assets import (
    NODE_PACKAGES,
    WITH_NODE,
    AssetBuild,
    asset_builds,
    excluded,
    node_at_run_time,
    node_in_builder,
    old_syntax,
)
from dockerls.actions.split.core import assemble
from dockerls.actions.split.original_stage import (
    app_paths,
    curl_healthcheck,
    entry,
    has_user,
    image_copies,
    installed_packages,
    production_flags,
)
from dockerls.actions.split.plan import Builder, Runtime, SplitAction
from dockerls.actions.split.runtime_images import add_user, runtime_libraries, unknown_libraries
from dockerls.findings import Fix
from dockerls.knowledge.images import ImageInfo, alternatives
from dockerls.rules.build_state import steps
from dockerls.rules.engine import RuleContext
from dockerls.rules.programs import program, unwrap
from dockerls.shell import Command
from dockerls.syntax import Instruction, Stage
from dockerls.wording import join

VENV = "/opt/venv"
_VENV_ENV = f'ENV VIRTUAL_ENV={VENV} PATH="{VENV}/bin:$PATH"'
# Files that only feed the install: not needed once the environment is built.
_MANIFEST = re.compile(
    r"(requirements[^/]*\.(txt|in)|pyproject\.toml|poetry\.lock|uv\.lock|Pipfile(\.lock)?"
    r"|setup\.(py|cfg)|constraints[^/]*\.txt)$"
)
# -dev packages whose libraries every Python image already has (or that are headers only).
PYTHON_PRESENT = frozenset(
    {"python3-dev", "python-dev", "libc6-dev", "libc-dev", "musl-dev", "linux-headers"}
    | {"zlib1g-dev", "zlib-dev", "libssl-dev", "openssl-dev", "libffi-dev", "libbz2-dev"}
    | {"libsqlite3-dev", "sqlite-dev", "libncurses-dev", "ncurses-dev", "libreadline-dev"}
    | {"libxml2-dev", "liblzma-dev", "xz-dev", "bzip2-dev", "libexpat1-dev", "expat-dev"}
)
_TOOLS = ("pip", "poetry", "uv", "pipenv")
_NOT_A_VENV_INSTALL = ("--user", "--target", "-t", "--prefix", "--root")


def _install(cmd: Command) -> str | None:
    """``pip``, ``poetry``, ``uv sync``, ``uv pip`` or ``pipenv`` when ``cmd`` installs the
    project's dependencies (``pip install --upgrade pip`` alone does not count)."""
    work = unwrap(cmd)
    name = program(work.name)
    words = [w.text for w in work.positionals()]
    if name == "pip" and words[:1] == ["install"]:
        targets = _requirements(cmd)
        itself = targets <= {"pip", "setuptools", "wheel"}
        if targets and itself and not work.has_option("-r", "--requirement"):
            return None
        return "pip"
    if name == "poetry" and words[:1] in (["install"], ["sync"]):
        return "poetry"
    if name == "uv" and words[:1] == ["sync"]:
        return "uv sync"
    if name == "uv" and words[:2] in (["pip", "install"], ["pip", "sync"]):
        return "uv pip"
    if name == "pipenv" and words[:1] in (["install"], ["sync"]):
        return "pipenv"
    return None


def _requirements(cmd: Command) -> set[str]:
    """The package names a ``pip install`` names on its command line (no versions)."""
    words = [w.text for w in unwrap(cmd).positionals()[1:]]
    return {re.split(r"[=<>~!\[;]", w, maxsplit=1)[0].lower() for w in words}


def _venv_made(cmd: Command) -> bool:
    """``python -m venv``, ``virtualenv`` or ``uv venv``."""
    work = unwrap(cmd)
    name = program(work.name)
    first = [w.text for w in work.positionals()][:1]
    return name in ("venv", "virtualenv") or (name == "uv" and first == ["venv"])


def _install_problem(ins: Instruction, cmd: Command, tool: str) -> str | None:
    work = unwrap(cmd)
    line = ins.start_line + 1
    if tool == "pip":
        for option in _NOT_A_VENV_INSTALL:
            if work.has_option(option):
                return (
                    f"`pip install {option}` on line {line} installs outside a virtual "
                    "environment; drop it so the split can build one."
                )
        if "/" in work.argv[0].text and not work.argv[0].text.startswith(VENV):
            return (
                f"`{work.argv[0].text}` on line {line} is called by its path, so it "
                "installs outside the virtual environment the split creates."
            )
    if tool == "uv pip" and work.has_option("--system", "--python", "-p", "--target"):
        return (
            f"`uv pip` on line {line} names the interpreter to install into (--system, "
            "--python or --target); drop it so the packages go into the virtual environment."
        )
    if tool == "uv sync" and work.has_option("--python", "-p", "--active"):
        return f"`uv sync` on line {line} names its interpreter; not supported yet."
    if cmd.wrappers or cmd.in_substitution:
        return f"The install on line {line} is not a plain shell command."
    return None


def plan_python(ctx: RuleContext, stage: Stage, info: ImageInfo) -> list[SplitAction] | str:
    installs: list[tuple[Instruction, Command, str]] = []
    for step in steps(ctx, stage):
        if step.ins.name != "RUN" or step.onbuild:
            continue
        for cmd in ctx.script(step.ins).commands:
            if _venv_made(cmd):
                return (
                    f"The RUN on line {step.ins.start_line + 1} creates its own virtual "
                    "environment; splitting around it is not supported yet."
                )
            tool = _install(cmd)
            if tool is not None:
                installs.append((step.ins, cmd, tool))
    if not installs:
        return "No Python dependency install (pip, poetry, uv, pipenv) was found to split off."
    for ins, cmd, tool in installs:
        problem = _install_problem(ins, cmd, tool)
        if problem is not None:
            return problem
    first = installs[0][0]
    for step in steps(ctx, stage):
        if step.ins.name == "ENV" and step.ins.start_line > first.start_line:
            for pair in step.ins.pairs:
                value = pair.value.text if pair.value is not None else ""
                if pair.key.text == "PATH" and "$PATH" not in value and "${PATH}" not in value:
                    return (
                        f"ENV PATH on line {step.ins.start_line + 1} replaces PATH, which "
                        "would hide the virtual environment."
                    )
    argv = entry(stage) or []
    runner = _runner(ctx, stage, installs)
    if isinstance(runner, str):
        return runner
    absolute = argv and argv[0].startswith("/") and not argv[0].startswith(VENV + "/")
    if absolute and program(argv[0]) in ("python", "pip"):
        return f"The container runs {argv[0]}, outside the virtual environment."
    paths = app_paths(ctx, stage, _MANIFEST)
    if isinstance(paths, str):
        return paths
    runtimes = _runtimes(info)
    if not runtimes:
        return f"The knowledge base has no slim variant of {info.reference} to run on."
    assets = _assets(ctx, stage, info, paths)
    if isinstance(assets, str):
        return assets
    builds, asset_notes, build_only = assets

    builder = Builder(build_only=build_only)
    tools = {tool for _, _, tool in installs}
    env = _VENV_ENV + (f" UV_PROJECT_ENVIRONMENT={VENV}" if "uv sync" in tools else "")
    line = ctx.document.lines[first.start_line]
    pad = line[: len(line) - len(line.lstrip())]
    builder.inserts.append(
        (first.start_line, len(pad), f"RUN python -m venv {VENV}\n{pad}{env}\n{pad}")
    )
    warnings = [
        f"The runtime receives the virtual environment {VENV} and "
        + ", ".join(paths)
        + " from the builder: files the application reads elsewhere, or that RUN steps "
        "write elsewhere, must be copied too."
    ]
    dev = _dev_dependencies(ctx, stage, installs, builder)
    if isinstance(dev, str):
        return dev
    warnings += dev
    libraries, unknown = runtime_libraries(installed_packages(ctx, stage), PYTHON_PRESENT)
    warnings += unknown_libraries(unknown, "extensions built against them need")
    if info.kind == "full":
        warnings.append(
            f"{info.reference} ships C libraries (libpq, libjpeg, libxml2…) that the slim "
            "image lacks: packages built from source against them need their run-time "
            "libraries installed in the runtime stage."
        )
    if info.major_minor is None or "." not in (info.version or ""):
        warnings.append(
            f"{info.reference} does not pin a Python minor version: build both stages from "
            "the same pull (or pin, e.g. 3.12) so the environment's Python matches."
        )
    warnings += asset_notes
    warnings += curl_healthcheck(stage)
    user = has_user(stage)
    drop, env, note = runner
    if note:
        warnings.append(note)
    for rt in runtimes:
        rt.packages = list(libraries)
        if user is None:
            add_user(rt, info.libc)
        rt.generated.append(f"COPY --from={{build}} {VENV} {VENV}")
        for p in paths:
            flags = "".join(f" --exclude={e}" for e in excluded(p, builds))
            rt.generated.append(f"COPY --from={{build}}{flags} {p} {p}")
        if info.family in WITH_NODE and entry(stage) is None:
            rt.warnings.append(
                f"There is no CMD: the original ran {info.reference}'s default, python3 (the "
                f"python image's, which it keeps), and {rt.image} starts python3 too."
            )
        rt.generated.append(_VENV_ENV + env)
        rt.drop_words = drop
    return assemble(
        ctx,
        stage,
        info=info,
        ecosystem="python",
        builder=builder,
        runtimes=runtimes,
        warnings=warnings,
    )


def _runner(
    ctx: RuleContext, stage: Stage, installs: list[tuple[Instruction, Command, str]]
) -> tuple[int, str, str] | str:
    """How the runtime starts a container that runs its program through ``uv run``,
    ``poetry run`` or ``pipenv run``: (words CMD loses, what the runtime's ENV gains, a
    note), or why it cannot.

    ``uv run`` keeps its CMD: uv reaches the runtime (the builder's ``COPY --from=<uv
    image>`` is repeated there, or ``pip install uv`` put it in the environment) and is
    told to use the environment as it is, without syncing it (no resolution, no network at
    start). ``poetry run X``/``pipenv run X`` in an exec-form CMD become ``X``: the
    environment's programs are on PATH, and the runtime has no poetry or pipenv."""
    argv = entry(stage) or []
    tool = program(argv[0]) if argv else ""
    if tool not in ("uv", "poetry", "pipenv") or argv[1:2] != ["run"]:
        return 0, "", ""
    if tool == "uv":
        copied = any(
            "uv" in {src.rstrip("/").rsplit("/", 1)[-1] for src in sources}
            for _, _, sources in image_copies(stage)
        )
        pip_installed = any(
            kind == "pip" and "uv" in _requirements(cmd) for _, cmd, kind in installs
        )
        if not copied and not pip_installed:
            return (
                "The container starts with `uv run`, and the split cannot tell how uv would "
                "reach the runtime (copy it with `COPY --from=ghcr.io/astral-sh/uv… /uv /bin/` "
                "or run the program from the virtual environment, which is on PATH)."
            )
        how = "" if copied else f" (uv is in {VENV}, installed by pip)"
        return (
            0,
            f" UV_PROJECT_ENVIRONMENT={VENV} UV_NO_SYNC=1",
            f"The container starts with `uv run`{how}: the runtime's UV_PROJECT_ENVIRONMENT="
            f"{VENV} UV_NO_SYNC=1 make it run in the environment the builder made, without "
            "syncing it (no resolution, no network at start).",
        )
    cmds = [i for i in stage.instructions if i.name == "CMD"]
    exec_cmd = bool(cmds) and all(c.exec_form is not None for c in cmds)
    entrypoint = any(i.name == "ENTRYPOINT" for i in stage.instructions)
    if not exec_cmd or entrypoint or len(argv) < 3 or argv[2].startswith("-"):
        return (
            f"The container starts with `{argv[0]} run`, which the runtime does not have; run "
            "the program from the virtual environment instead (it is on PATH)."
        )
    return (
        2,
        "",
        f"CMD runs `{argv[2]}` from the virtual environment (on PATH) instead of through "
        f"`{argv[0]} run`: the runtime has no {tool}.",
    )


def _runtimes(info: ImageInfo) -> list[Runtime]:
    """The slim python image of the same minor and libc; a slim or Alpine python builder:
    itself. An image that carries Node beside Python (``WITH_NODE``, slim too) runs on the
    plain python image its knowledge names."""
    if info.family == "python" and info.kind in ("slim", "alpine"):
        return [Runtime(info.reference, info.kind, " — same image, no build packages", info)]
    if info.kind != "full" and not (info.family in WITH_NODE and info.kind == "slim"):
        return []
    out: list[Runtime] = []
    for alt in alternatives(info):
        fits = alt.info is not None and alt.info.libc == info.libc
        if alt.kind == "slim" and fits and alt.info is not None and alt.info.family == "python":
            out.append(Runtime(alt.reference, alt.kind, "", alt.info))
    return out


def _assets(
    ctx: RuleContext, stage: Stage, info: ImageInfo, paths: list[str]
) -> tuple[list[AssetBuild], list[str], frozenset[str]] | str:
    """The asset builds (npm, yarn, pnpm) of the stage, the notes saying where they run and
    what the runtime receives of them, and the Node OS packages that stay in the builder;
    or why the split cannot leave Node behind (the container starts it)."""
    node = node_in_builder(ctx, stage, info)
    started = node_at_run_time(stage)
    builds = asset_builds(ctx, stage)
    if started is not None and (node is not None or builds):
        source = f" (the builder has it from {node})" if node is not None else ""
        return (
            f"The container starts `{started}`, but the Python runtime has no Node{source}; "
            "splitting an image that runs Node is not supported."
        )
    if isinstance(builds, str):
        return builds
    notes: list[str] = []
    build_only: frozenset[str] = frozenset()
    if builds:
        left_out = [b.node_modules for b in builds if any(excluded(p, [b]) for p in paths)]
        old = old_syntax(ctx.document.text)
        if old is not None and left_out:
            return (
                f"The `# syntax={old}` line pins a Dockerfile frontend without COPY --exclude "
                "(1.19 or newer), which the runtime needs to leave node_modules out; "
                "drop the line or name docker/dockerfile:1."
            )
        where = f" (Node from {node})" if node is not None else ""
        shown = list(dict.fromkeys(f"`{b.shown}`" for b in builds))
        note = (
            f"The asset builds ({join(shown)}) stay in the builder{where}; the runtime has no "
            f"Node and receives their output with {join(paths)}"
        )
        if left_out:
            note += (
                f", without {join(list(dict.fromkeys(left_out)))} (COPY --exclude, Dockerfile "
                "frontend 1.19 or newer)"
            )
        notes.append(
            note + ". The JavaScript sources stay; output written outside those directories "
            "needs a COPY of its own, and the application must not read node_modules at run "
            "time (serve the built or collected files)."
        )
        if started is None:
            build_only = NODE_PACKAGES
    for step in steps(ctx, stage):
        if step.ins.name != "RUN":
            continue
        words = [w.text for c in ctx.script(step.ins).commands for w in unwrap(c).argv]
        if "collectstatic" in words and any(w.endswith("manage.py") for w in words):
            notes.append(
                f"`collectstatic` on line {step.ins.start_line + 1} runs in the builder: the "
                f"runtime has its output only if STATIC_ROOT is inside {join(paths)}."
            )
    return builds, notes, build_only


def _dev_dependencies(
    ctx: RuleContext,
    stage: Stage,
    installs: list[tuple[Instruction, Command, str]],
    builder: Builder,
) -> list[str] | str:
    """DKL204's own flag on a Python install (``--no-dev``, ``--only main``) goes into
    the builder so that development dependencies stay out of the environment; when
    there is no such flag, the reason no split is offered (they would ship)."""
    lines = {ins.start_line for ins, _, _ in installs}
    added = production_flags(
        ctx,
        lines,
        builder.inserts,
        lambda f: f.safe or _poetry_caveat_holds(ctx, stage, f),
        [cmd.span for _, cmd, _ in installs],  # not an asset build's npm/yarn in the same RUN
    )
    if isinstance(added, int):
        return (
            f"The install on line {added + 1} brings development "
            "dependencies, which would ship in the virtual environment; install the "
            "production ones only first."
        )
    out: list[str] = []
    for text in added:
        note = f"The builder's installs gain {text.strip()}: dev dependencies stay out."
        if note not in out:
            out.append(note)
    return out


_OLD_POETRY = re.compile(r"poetry(==|<=?|~=)\s*(0\.|1\.[01]\b)", re.IGNORECASE)


def _poetry_caveat_holds(ctx: RuleContext, stage: Stage, fix: Fix) -> bool:
    """``--only main`` needs Poetry 1.2: true unless the stage pins an older one."""
    if "Poetry" not in fix.title:
        return False
    for step in steps(ctx, stage):
        version = step.env.get("POETRY_VERSION", "")
        if re.match(r"(0\.|1\.[01]\b)", version):
            return False
        text = " ".join(w.text for w in (step.ins.args if step.ins.name == "RUN" else ()))
        if _OLD_POETRY.search(text):
            return False
    return True
