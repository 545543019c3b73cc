"""The last resort: a program compiled in the stage (C, C++ or anything a C compiler
driver links), copied alone to a small image of the same C library.

Narrow on purpose. The program the container starts (the first word of
``ENTRYPOINT``/``CMD``: an absolute path, one relative to the final ``WORKDIR``, or a
bare name found in a standard ``bin`` directory) must be the output a compiler driver
(``gcc``, ``g++``, ``cc``, ``c++``, ``clang``, ``clang++``) writes with ``-o`` in one of
the stage's RUNs. Nothing else counts as certain: ``make``, ``cmake --build`` and
copies are reasons, which name what could not be inferred.

The builder must be a plain OS image: Debian and buildpack-deps run on the Debian slim
image of their release (the newest when the tag names none, whose glibc is at least as
new), Ubuntu on its own image (the same glibc; its package names differ from Debian's,
so known ``-dev`` packages are a reason there), Alpine on its own image (musl) with the
run-time libraries installed (``libstdc++`` for a C++ driver) instead of the build
packages.
"""

from __future__ import annotations

from dockerls.actions.split.core import assemble
from dockerls.actions.split.original_stage import (
    NO_WORKDIR,
    PATH_DIRS,
    base_cwd,
    cwd_of,
    entry,
    installed_packages,
    resolve,
)
from dockerls.actions.split.plan import Builder, Runtime, SplitAction
from dockerls.actions.split.runtime_images import (
    binary_runtimes,
    debian_slim,
    runtime_libraries,
    unknown_libraries,
)
from dockerls.knowledge.images import ImageInfo, classify
from dockerls.rules.engine import RuleContext
from dockerls.rules.programs import unwrap
from dockerls.shell import Command
from dockerls.syntax import Stage

COMPILERS = frozenset({"gcc", "g++", "cc", "c++", "clang", "clang++"})
CXX = frozenset({"g++", "c++", "clang++"})
OS_FAMILIES = frozenset({"debian", "buildpack-deps", "ubuntu", "alpine"})
# Libraries every Debian/Ubuntu/Alpine base has, or that are only needed to build.
PRESENT = frozenset({"libc6-dev", "libc-dev", "musl-dev", "linux-libc-dev", "linux-headers"})
SUPPORTED = (
    "Node, Bun, Python, Java, Rust, Go, PHP, Ruby, and C/C++ programs on Debian, Ubuntu or Alpine"
)


def unsupported(info: ImageInfo) -> str:
    return f"Splitting this {info.family_name} build is not supported yet (only {SUPPORTED})."


def output(cmd: Command) -> str | None:
    """The path a compiler driver writes with ``-o path`` or ``-opath`` (None: none)."""
    words = [w.text if not w.dynamic else "$" for w in cmd.args]
    found = None
    for i, word in enumerate(words):
        if word == "-o":
            found = words[i + 1] if i + 1 < len(words) else "$"
        elif word.startswith("-o"):
            found = word[2:]
    return found


def _program(ctx: RuleContext, stage: Stage) -> tuple[str, list[str]] | str:
    """The program the container starts and the absolute paths it may be (a bare name:
    each standard ``bin`` directory), or a reason."""
    argv = entry(stage)
    if not argv:
        return "No CMD or ENTRYPOINT names the program to copy to the runtime."
    started = argv[0]
    if "$" in started:
        return f"The program the container runs, `{started}`, depends on a variable."
    if "/" not in started:
        return started, sorted(f"{d}/{started}" for d in PATH_DIRS)
    if not started.startswith("/") and base_cwd(stage, None):
        return NO_WORKDIR.format(what="CMD/ENTRYPOINT")
    return started, [resolve(cwd_of(ctx, stage, None), started)]


def _built(ctx: RuleContext, stage: Stage, wanted: list[str]) -> tuple[str, bool] | str:
    """The path a compiler's ``-o`` writes among ``wanted``, and whether a C++ driver
    writes it; or a reason."""
    found: list[tuple[str, bool]] = []
    for ins in stage.instructions:
        if ins.name != "RUN":
            continue
        script = ctx.script(ins).commands
        for cmd in script:
            work = unwrap(cmd)
            if work.name not in COMPILERS:
                continue
            out = output(work)
            if out is None or "$" in out:
                continue
            if not out.startswith("/"):
                if any(c.name in ("cd", "pushd") for c in script) or base_cwd(stage, ins):
                    continue  # the directory it writes in is not known
                out = resolve(cwd_of(ctx, stage, ins), out)
            if out in wanted:
                found.append((out, work.name in CXX))
    paths = {path for path, _ in found}
    if len(paths) > 1:
        return "Compilers write more than one program the container may run: " + ", ".join(
            sorted(paths)
        )
    if not found:
        return ""
    return found[0][0], any(cxx for _, cxx in found)


def plan_generic(ctx: RuleContext, stage: Stage, info: ImageInfo) -> list[SplitAction] | str:
    if info.family not in OS_FAMILIES:
        return unsupported(info)
    started = _program(ctx, stage)
    if isinstance(started, str):
        return started
    name, wanted = started
    built = _built(ctx, stage, wanted)
    if built == "":
        where = wanted[0] if len(wanted) == 1 else f"`{name}` in a bin directory on PATH"
        return (
            f"A {info.family_name} build is split only for a program compiled in it: the "
            f"program the container runs, {where}, is not written by a compiler's -o "
            f"({'/'.join(sorted(COMPILERS))}) in this stage, so the split cannot tell which "
            "file to copy (build it with e.g. `gcc -o /usr/local/bin/app …`)."
        )
    if isinstance(built, str):
        return built
    binary, cxx = built
    packages = installed_packages(ctx, stage)
    libraries, unknown = runtime_libraries(packages, PRESENT)
    runtime = _runtime(info, libraries)
    if isinstance(runtime, str):
        return runtime
    if cxx and info.libc == "musl":
        runtime.packages.append(("apk", "libstdc++"))
    runtime.generated.append(f"COPY --from={{build}} {binary} {binary}")
    runtime.warnings += unknown_libraries(unknown)
    chosen = binary_runtimes(stage, [runtime])
    if isinstance(chosen, str):
        return chosen
    warnings = [
        f"Only the binary {binary} reaches the runtime: data files it reads and shared "
        "libraries it loads must be copied or installed too. A dynamically linked program "
        "may need more libraries than dockerls knows (check with `ldd`)."
    ]
    return assemble(
        ctx,
        stage,
        info=info,
        ecosystem="generic",
        builder=Builder(),
        runtimes=chosen,
        warnings=warnings,
    )


def _runtime(info: ImageInfo, libraries: list[tuple[str, str]]) -> Runtime | str:
    """The runtime of the builder's C library: Debian slim, Ubuntu or Alpine itself."""
    if info.family == "alpine":
        rt = Runtime(info.reference, "alpine", " — musl", info)
    elif info.family == "ubuntu":
        if libraries:
            return (
                "The build installs -dev packages whose run-time libraries have other names "
                "on Ubuntu than dockerls knows: " + ", ".join(name for _, name in libraries) + "."
            )
        rt = Runtime(info.reference, "slim", " — glibc", info)
    else:
        image, _, notes = debian_slim(info)
        rt = Runtime(image, "slim", " — glibc", classify(image))
        rt.warnings += notes
    rt.packages = list(libraries)
    return rt
