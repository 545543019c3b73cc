"""DKL202 build-tools-in-final-image: Compilers, headers or an SDK end up in the final
image."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerls.knowledge.images import ImageInfo, alternatives
from dockerls.rules.build_state import steps
from dockerls.rules.doc_links import BEST_PRACTICES, MULTI_STAGE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.rules.stages.build_packages import BuildPackage, kept_build_packages
from dockerls.rules.stages.run_commands import Run, step_runs
from dockerls.rules.stages.stage_parts import image_token_span, shipping_stages
from dockerls.shell import Word
from dockerls.syntax import Severity

_VS_BUILD_TOOLS = re.compile(r"(.*[\\/])?vs_buildtools(\.exe)?", re.IGNORECASE)


def _vs_build_tools(run: Run) -> Word | None:
    """The Visual Studio Build Tools installer (MSBuild, MSVC), run directly or by ``start``."""
    argv = run.command.argv
    if run.command.name.lower() == "start":
        argv = tuple(w for w in argv[1:] if not w.text.startswith(("/", "-")))[:1]
    return next((w for w in argv[:1] if _VS_BUILD_TOOLS.fullmatch(w.text)), None)


def _ships_toolchain(info: ImageInfo) -> bool:
    """A base image whose point is building: golang, rust, maven, a JDK, an SDK.

    The default tags of language runtimes (node, python, ruby and images built on
    them) carry gcc and make only because they derive from buildpack-deps; that
    is DKL201's finding. A JDK is a full variant of a language family too, but
    javac is what it is for.
    """
    incidental = (
        info.category == "language" and info.kind == "full" and not info.variant.startswith("jdk")
    )
    return info.is_toolchain and not incidental


@rule(
    "DKL202",
    "build-tools-in-final-image",
    Category.BLOAT,
    Severity.WARNING,
    summary="Compilers, headers or an SDK end up in the final image.",
    docs=RuleDocs(
        what="A stage that ships installs build packages (build-essential, gcc, g++, make, "
        "cmake, `*-dev`/`*-devel` headers, build-base, musl-dev, linux-headers…) and does "
        "not remove them in the same RUN, or the final image is built on a toolchain image "
        "(golang, rust, maven, gradle, a JDK, the .NET SDK, buildpack-deps, CUDA devel). "
        "Removing the packages in the same RUN, as the official images do (`apt-get purge "
        "--auto-remove`, `apk add --virtual .build-deps … && apk del .build-deps`), is not "
        "flagged; neither are build stages whose results are copied out. The compilers "
        "that come with full node/python/ruby images are DKL201's finding.",
        why="A C toolchain with headers weighs 100 to 250 MB: in `node:24` the compilers and "
        "`-dev` packages are a 236 MB compressed layer, in `golang:1.25` gcc and friends "
        "are 102 MB next to a 60 MB Go toolchain (linux/amd64, docker-library/repo-info, "
        "2026-Q3). They are never used at run time, but they are pulled, stored and "
        "scanned, and they hand an attacker a compiler.",
        example="FROM python:3.12-slim\nRUN apt-get update && apt-get install -y "
        "--no-install-recommends gcc libpq-dev \\\n    && pip install --no-cache-dir -r "
        "requirements.txt \\\n    && rm -rf /var/lib/apt/lists/*",
        instead="FROM python:3.12-slim AS build\nRUN apt-get update && apt-get install -y "
        "--no-install-recommends gcc libpq-dev\nRUN python -m venv /venv && /venv/bin/pip "
        "install --no-cache-dir -r requirements.txt\n\nFROM python:3.12-slim\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \\\n"
        "    && rm -rf /var/lib/apt/lists/*\nCOPY --from=build /venv /venv",
        fix_safety="No quick fix: the remedy is a multi-stage build (build in one stage, "
        "copy the result onto a runtime image) or removing the packages in the RUN that "
        'installed them. In a single-stage file the refactoring "Split into build and '
        'runtime stages" (`dockerls fix --split`) does the first for Node, Python, Go, Java '
        "and Rust; see docs/split.md.",
        references=(MULTI_STAGE, BEST_PRACTICES),
    ),
)
def build_tools_in_final_image(ctx: RuleContext) -> Iterator[Hit]:
    final = ctx.graph.final
    info = ctx.image(final) if final is not None else None
    if final is not None and info is not None and _ships_toolchain(info):
        root = ctx.graph.root(final)
        span = image_token_span(root)
        if span is not None:
            best = alternatives(info)
            instead = f"`{best[0].reference}`" if best else "a runtime image"
            yield Hit(
                span,
                f"`{info.reference}` is a build image ({info.family_name}: "
                f"{info.variant_label}), so its compiler and SDK ship with the application. "
                f"Build in a stage FROM it and copy the result onto {instead}.",
            )
    for stage in shipping_stages(ctx):
        for step in steps(ctx, stage):
            runs = step_runs(ctx, step)
            for package in kept_build_packages(runs):
                yield Hit(package.word.span, _build_package_message(package))
            for run in runs:
                installer = _vs_build_tools(run)
                if installer is not None:
                    yield Hit(
                        installer.span,
                        "The Visual Studio Build Tools installer puts MSBuild and the "
                        "compilers into an image that ships; build in a separate stage "
                        "and copy the output onto a runtime image.",
                    )
                    break


_HEADERS = re.compile(r"-(dev|devel|headers)(-|$)")


def _build_package_message(package: BuildPackage) -> str:
    cmd = package.run.program
    names = " ".join(package.names)
    if package.word.dynamic:
        what = f"`{package.word.text}` installs build packages ({names}), which stay"
    elif _HEADERS.search(package.names[0]):
        what = f"`{names}` holds development headers that stay"
    else:
        what = f"`{names}` is build tooling that stays"
    if cmd.name == "apk":
        remedy = "`apk add --virtual .build-deps …` with `apk del .build-deps` at its end"
    elif cmd.name in ("apt-get", "apt", "aptitude"):
        remedy = f"`apt-get purge -y --auto-remove {names}` at its end"
    else:
        remedy = f"`{cmd.name} remove {names}` at its end"
    pronoun = "them" if package.word.dynamic or len(package.names) > 1 else "it"
    return (
        f"{what} in the final image: nothing later in this RUN removes {pronoun}. Compile "
        f"in an earlier stage and copy the result, or use {remedy}."
    )
