"""DKL203 single-stage-build: The only stage builds the application, so the build
toolchain ships."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from dockerls.context import PackageManager
from dockerls.findings import Related
from dockerls.rules.build_state import steps
from dockerls.rules.doc_links import BEST_PRACTICES, MULTI_STAGE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.rules.instruction_parts import from_span
from dockerls.rules.package_managers import PACKAGE_INSTALLS, PACKAGE_REMOVALS
from dockerls.rules.programs import program
from dockerls.rules.stages.build_commands import build_of
from dockerls.rules.stages.build_packages import BuildPackage, bare_package, kept_build_packages
from dockerls.rules.stages.project_installs import NODE_MANAGERS, install_word, project_install
from dockerls.rules.stages.run_commands import Run, step_runs, subcommand_text
from dockerls.rules.text_layout import line_no
from dockerls.shell import Word
from dockerls.syntax import Severity


def _single_stage_build(ctx: RuleContext) -> Hit | None:
    """The build in a one-stage Dockerfile: an explicit build first, then native compiling.

    Native compilation (``make``, ``pecl install``, ``pip install`` building
    wheels) counts only while a compiler stays in the image: the base image is a
    toolchain, or a compiler was installed and not removed in its RUN (``-dev``
    headers alone compile nothing). A RUN that installs build packages and removes
    them again (the official images' pattern) is not reported for what it compiles,
    nor for a build whose toolchain it removes. The Debian php images keep a compiler
    ($PHPIZE_DEPS) but do not count as toolchains: there a kept build package (headers)
    is what makes ``docker-php-ext-install`` a build, as before.
    """
    if len(ctx.document.stages) != 1:
        return None
    stage = ctx.document.stages[0]
    info = ctx.image(stage)
    base_has_toolchain = info is not None and info.is_toolchain
    # The Debian variants of the php images keep $PHPIZE_DEPS (gcc, make) installed.
    base_compiles = base_has_toolchain or (
        info is not None and info.family == "php" and info.libc != "musl"
    )
    package_json = ctx.build_context.package_json
    from_related = Related(from_span(stage), "the only stage: what it builds with ships")
    kept: BuildPackage | None = None  # the first build package that stays installed
    compiler: BuildPackage | None = None  # the first that compiles
    native: Hit | None = None
    for step in steps(ctx, stage):
        runs = step_runs(ctx, step)
        here = [] if step.onbuild else list(kept_build_packages(runs))
        kept = kept or next(iter(here), None)
        compiler = compiler or next((p for p in here if _compiles(p)), None)
        purged = not here and _purges_build_packages(runs)
        for run in runs:
            build = build_of(run, package_json)
            if build is not None and not build.native:
                if purged and not build.node and not base_has_toolchain:
                    continue
                return Hit(
                    build.span,
                    f"`{build.text}` builds in the only stage, so its toolchain, caches and "
                    "sources ship with the result; build in a first stage and copy the "
                    "output into a runtime stage.",
                    related=(from_related,),
                )
            with_ = compiler or (kept if base_compiles else None)
            if native is not None or purged or not (base_has_toolchain or with_):
                continue
            if build is not None:
                native = Hit(
                    build.span,
                    f"`{build.text}` compiles in the only stage, so the compiler it uses "
                    "ships with the result; compile in a first stage and copy the output "
                    "into a runtime stage.",
                    related=(from_related,),
                )
            install = None if step.onbuild or with_ is None else _compiling_install(run)
            if install is not None and with_ is not None:
                native = Hit(
                    run.words(install),
                    f"`{run.text(install)}` can compile native extensions with the build "
                    f"packages installed on line {line_no(with_.word.span)} "
                    f"(`{with_.word.text}`), which stay in the only stage and ship with the "
                    "application; install in a build stage and copy the result.",
                    related=(from_related, Related(with_.word.span, "build package kept here")),
                )
    return native


# Build packages that compile (a C, Fortran, Go, Rust or Java compiler, or a set that
# pulls one in); ``-dev`` headers, make and pkg-config alone compile nothing.
_COMPILER = re.compile(
    r"(gcc|g\+\+|cc|c\+\+|clang|clang\+\+|gfortran|gcc-c\+\+|llvm|build-essential|build-base"
    r"|alpine-sdk|@?development[- ]tools|golang|golang-go|go|rustc|cargo|rust"
    r"|default-jdk(-headless)?|openjdk-?[0-9]+-jdk(-headless)?|\$\{?phpize_deps\}?)"
    r"(-[0-9]+(\.[0-9]+)*)?"
)


def _compiles(package: BuildPackage) -> bool:
    return any(_COMPILER.fullmatch(bare_package(name)) for name in package.names)


def _purges_build_packages(runs: Sequence[Run]) -> bool:
    """Whether one RUN installs packages and removes packages after them (so that, when
    it keeps no build package, whatever it compiled with is gone again)."""
    installed = False
    for run in runs:
        cmd = run.program
        sub = subcommand_text(cmd)
        if sub in PACKAGE_INSTALLS.get(cmd.name, ()):
            installed = True
        elif installed and sub in PACKAGE_REMOVALS.get(cmd.name, ()):
            return True
    return False


_COMPILING_MANAGERS = NODE_MANAGERS | {
    PackageManager.BUNDLER,
    PackageManager.POETRY,
    PackageManager.UV,
}
_COMPILING_INSTALL: dict[str, tuple[str, ...]] = {
    "gem": ("install",),
    "pipenv": ("install", "sync"),
}
_PIP_ITSELF = frozenset({"pip", "setuptools", "wheel"})


def _compiling_install(run: Run) -> Word | None:
    """The install word of a dependency install that may compile native extensions."""
    cmd = run.program
    if program(cmd.name) == "pip":
        word = install_word(cmd, ("install",))
        targets = {re.split(r"[=<>~!\[;]", w.text, maxsplit=1)[0] for w in cmd.positionals()[1:]}
        upgrades_itself = targets <= _PIP_ITSELF and not cmd.has_option("-r", "--requirement")
        return None if upgrades_itself else word
    found = project_install(run, _COMPILING_MANAGERS)
    if found is not None:
        return found[1]
    return install_word(cmd, _COMPILING_INSTALL.get(cmd.name, ()))


@rule(
    "DKL203",
    "single-stage-build",
    Category.BLOAT,
    Severity.WARNING,
    summary="The only stage builds the application, so the build toolchain ships.",
    docs=RuleDocs(
        what="A Dockerfile with one FROM whose stage compiles or bundles something: `go "
        "build`, `mvn package`, `gradle build`, `cargo build`, `dotnet publish`, `npm run "
        "build`, `tsc`, `ng build`, `vite build`, asset precompilation, or native "
        "compilation (`make`, `gcc`, `python setup.py build`, `pip install` with gcc "
        "installed and kept) where a compiler stays: the base is a toolchain image (or a "
        "Debian php image, which keeps $PHPIZE_DEPS), or a compiler was installed and not "
        "removed; `-dev` headers alone compile nothing. Installing dependencies alone is "
        "not a build. ONBUILD triggers count for explicit builds. A RUN that installs build "
        "packages and removes them again (`apt-get purge --auto-remove $BUILD_DEPS`, `apk "
        "del .build-deps`), as the official images do, is not flagged for what it "
        "compiles, nor for a build whose toolchain it removes (a JavaScript build still "
        "leaves its node_modules).",
        why="Everything the build needed stays in the image: the compiler or SDK (in "
        "`golang:1.25` a 60 MB compressed Go toolchain on top of 102 MB of gcc and "
        "headers, linux/amd64, docker-library/repo-info, 2026-Q3), devDependencies, module "
        "and package caches, and the source tree. A second stage that copies only the "
        "output ships none of it.",
        example='FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]',
        instead="FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n"
        "RUN CGO_ENABLED=0 go build -o /app .\n\nFROM gcr.io/distroless/static-debian12\n"
        'COPY --from=build /app /app\nCMD ["/app"]',
        fix_safety='Not part of fix-all: the refactoring "Split into build and runtime '
        'stages" (a code action, one per runtime base, or `dockerls fix --split`) rewrites '
        "Node, Python, Go, Java and Rust builds, says what to check afterwards (files the "
        "program reads at run time are not known), and explains why when it cannot; see "
        "docs/split.md.",
        references=(MULTI_STAGE, BEST_PRACTICES),
    ),
)
def single_stage_build(ctx: RuleContext) -> Iterator[Hit]:
    found = _single_stage_build(ctx)
    if found is not None:
        yield found
