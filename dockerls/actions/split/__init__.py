"""The "Split into build and runtime stages" refactoring: the remedy for DKL201-DKL204.

A single-stage Dockerfile that builds ships its toolchain, caches and sources.
The rewrite keeps the original stage as the builder (``AS build``) and adds a
runtime stage on a smaller base that receives only what the application runs::

    FROM golang:1.22                      FROM golang:1.22 AS build
    WORKDIR /src                          WORKDIR /src
    COPY . .                              COPY . .
    RUN go build -o /bin/app .      ->    RUN CGO_ENABLED=0 go build -o /bin/app .
    EXPOSE 8080
    CMD ["/bin/app"]                      FROM gcr.io/distroless/static-debian13:nonroot
                                          WORKDIR /src
                                          COPY --from=build /bin/app /bin/app
                                          USER nonroot
                                          EXPOSE 8080
                                          CMD ["/bin/app"]

Placement table (every instruction of the original stage goes somewhere):

=========================  ===============================  ===============================
Instruction                Builder (``AS build``)           Runtime (final stage)
=========================  ===============================  ===============================
FROM                       original base, ``AS build``      the chosen runtime base
RUN, COPY, ADD             kept, byte for byte (Go: ``-o``  --
                           and ``CGO_ENABLED=0`` added to
                           ``go build`` when absent; an
                           install may gain DKL204's
                           production-only flag; Python:
                           a venv is created before the
                           first install)
ARG, ENV, WORKDIR          kept                             copied, in original order
LABEL, EXPOSE, VOLUME,     --                               moved, in original order
USER, HEALTHCHECK,
STOPSIGNAL, ENTRYPOINT,
CMD, ONBUILD, MAINTAINER
SHELL                      not offered (it changes how the build runs)
=========================  ===============================  ===============================

The runtime stage reads, in order: ``FROM``; the copied ARG/ENV/WORKDIR; the
generated lines (Node: ``COPY --from=build`` of ``package*.json``, ``npm ci
--omit=dev`` and the build output; Go: the binary, and CA certificates on
scratch; Python: run-time OS packages, a user, the virtual environment, the
application directories and the environment's ``PATH``); a non-root ``USER``
fitting the base when the original had none (``node``, ``nonroot``,
``65532:65532`` on scratch, ``app`` created on Python); then the moved
instructions.

A split is considered when one of the findings that call for it fires on the
only stage: DKL201 (full language base), DKL202 (toolchain), DKL203 (a build)
or DKL204 (development dependencies); the ecosystem's planner then decides.

Comments directly above a moved instruction move with it; parser directives,
global ARGs and every other line stay where they are. Line breaks follow the
file's style. Runtime lines are the original lines, byte for byte.

Layout: ``core`` places the instructions and writes the result (``assemble``) from what a
planner fills in (``plan``); ``original_stage`` is what the split reads of the stage,
``runtime_images`` the runtime's base image, user and run-time libraries,
``container_effects`` what a RUN's commands do to the running container (``configure``
places those RUNs), ``carry_over`` what every runtime keeps from the original.

Ecosystems (one planner module each):

* **Node** (``node.py``, reading the project through ``node_project.py``; npm, yarn 1,
  pnpm, bun, and the ``oven/bun`` images):
  with npm and a build whose output directory ``CMD``/``ENTRYPOINT`` runs with
  ``node`` (directly or through the package.json ``start`` script: ``dist``,
  ``build``, ``out``, ``lib``, tsconfig's ``outDir``), the runtime receives that
  directory and runs ``npm ci --omit=dev`` itself. Runtimes: the family's slim
  and alpine (musl) variants, and distroless nodejs (no npm, no shell), which
  gets ``node_modules`` from a ``deps`` stage on the slim image of the same
  Debian release and a CMD without its leading ``node``; distroless is offered
  only for an exec-form ``CMD ["node", file]`` without ENTRYPOINT or
  HEALTHCHECK. Otherwise (yarn, pnpm, bun, no build step, an output that
  cannot be inferred, ``next start``) a ``deps`` stage FROM the builder removes
  the development dependencies (``npm prune --omit=dev``, ``yarn install
  --production``, ``pnpm prune --prod``, a fresh ``bun install --production``)
  and the runtime copies the application directories from it; it is the slim
  variant of a glibc builder, or a slim/Alpine builder itself (native modules
  keep their libc). Next.js with ``output: 'standalone'`` (CMD runs
  ``.next/standalone/server.js``) gets the standalone server, ``.next/static``
  and ``public/`` (when the build context says it exists). Yarn 2+ (``node_project.Berry``:
  the Yarn major, ``nodeLinker`` from the stage or ``.yarnrc.yml``, where Yarn's cache is)
  prunes with ``yarn workspaces focus --all --production`` (``&& yarn cache clean`` under
  node-modules; ``YARN_ENABLE_GLOBAL_CACHE=false`` under Plug'n'Play or an unknown linker,
  so ``.pnp.cjs``'s packages are in the copied ``.yarn/cache``); a stage that focuses on
  production after its build is copied as it is; a container started by ``yarn`` is a reason.
* **Go**: one ``go build``; the binary is ``-o``'s path, or the program
  ``CMD``/``ENTRYPOINT`` runs (``-o`` is then added). Static builds
  (``CGO_ENABLED=0`` added when absent) go to distroless static or scratch
  (with CA certificates copied from the builder); a cgo build (``CGO_ENABLED=1``
  or gcc/musl-dev/build-base installed) goes to a Debian slim runtime, never
  from a musl builder. An exec-form ``RUN ["go", "build", ...]`` gains ``"-o"``
  as array elements and ``ENV CGO_ENABLED=0`` on the line before it.
* **Java** (``java.py``): one Maven or Gradle build; the jar is the one the
  container starts with ``java -jar`` (under ``target/`` or ``build/libs/``),
  copied to the JRE of the builder's Java major (eclipse-temurin JRE, its Alpine
  variant, distroless java for an exec-form start; a CMD loses ``java -jar``
  there, which is distroless java's entrypoint). A stage with no WORKDIR at all
  that starts the jar by a relative path gets ``WORKDIR /app`` in both stages
  (``Builder.workdir``), and a note saying the base image's directory is no longer used.
  A builder tag that names no Java (``maven``, ``maven:3.9``, ``gradle:8``) runs on the
  JRE of the Java that tag's image carried (``ImageInfo.runtime_default``, dated in
  images.json); the note names it, warns that the floating tag may move to a newer Java
  (UnsupportedClassVersionError at start) and suggests a pinned builder. Tags whose Java
  is not recorded (``maven:3.9.9``, plain ``gradle``) are refused.
* **Rust** (``rust.py``): one ``cargo build`` (the binary CMD runs, under
  ``target/<triple>/<profile>/``) or ``cargo install`` (copied to
  ``/usr/local/bin``); glibc builders to distroless cc or Debian slim, Alpine
  builders (static musl) to distroless static or scratch.
* **Python** (``python.py``): pip, poetry, uv and pipenv install into
  ``/opt/venv`` in the builder, copied to the slim image of the same minor and
  libc (a slim or Alpine builder runs on itself, without the build packages);
  see that module. Mixed Python + Node images (``assets.py``): on
  ``nikolaik/python-nodejs:pythonX.Y-nodejsN`` (its slim tags too) the runtime is
  ``python:X.Y-slim`` (the knowledge base's slim alternative of the python family);
  asset builds (npm, yarn, pnpm; ``--prefix``/``--cwd``/``--dir`` or ``cd``) stay in
  the builder, and the runtime copies the application directories
  ``--exclude=<project>/node_modules``; Debian's ``nodejs``/``npm``/``yarnpkg`` stay in
  the builder; a container that starts Node, or a ``# syntax=`` pinning a frontend
  without ``COPY --exclude`` (before 1.19), is a reason.
* **PHP** (``php.py``): ``composer install`` (Composer copied from the composer image,
  installed by apt or by ``composer-setup.php``) on an official php image (cli, apache,
  fpm; Alpine the same way): the builder's installs gain ``--no-dev``; the runtime is the
  same php image, with the run-time libraries of the builder's ``-dev`` packages, the
  extensions ``docker-php-ext-install``/``-enable``/``pecl`` built and their ini files, the
  Apache ``*-enabled`` directories ``a2en*`` wrote, and the application directories with
  ``vendor/``; cli runs as ``www-data``.
* **Ruby** (``ruby.py``): ``bundle install`` on an official ruby image; one ENV line
  before the install sets ``BUNDLE_WITHOUT=development:test`` (when DKL204 reports it) and
  ``BUNDLE_DEPLOYMENT=1`` (Gemfile.lock copied, no locked mode chosen, every gem program
  started through ``bundle exec``); the runtime is ``ruby:<version>-slim`` of the same
  Debian release (a slim or Alpine builder itself) with the run-time libraries of the
  ``-dev`` packages, the gems directory (``/usr/local/bundle``, ``BUNDLE_PATH``), the
  application directories, the same ENV line and a user ``app``. The deprecated ``rails``
  image is refused.
* **A base image dockerls does not know** (``same_base.py``): the runtime is the same image
  (what it provides, its command and users are unknown); with a ``composer install`` it
  receives the application directories with ``vendor/`` (``--no-dev``), without the
  ``node_modules`` of an npm asset build (removed in a ``deps`` stage FROM the builder);
  the notes say the gain is only what the build added, with no size estimate, and name
  the distribution and libc the file's package manager shows. Otherwise a reason.
* **Anything else** (``generic.py``): a program a C compiler driver (gcc, g++, cc,
  c++, clang, clang++) writes with ``-o`` to the path ``CMD``/``ENTRYPOINT`` starts,
  on a Debian, buildpack-deps, Ubuntu or Alpine builder: copied alone to Debian slim
  of the builder's release, the Ubuntu image itself or the Alpine image itself, with
  the run-time libraries of known ``-dev`` packages. Otherwise the reason names what
  could not be inferred (which program, which compiler output, which base).

What the runtime keeps from the original (``carry_over``, ``runtime_images``,
``node_project``, ``python``; docs/split.md):
the install's resolution flags on every generated install or prune; the builder's Debian
release for a Debian slim runtime, without install-only packages (python3-pip); tools the
container starts (``COPY --from=<image>`` repeated, ``uv run`` without syncing, ``poetry
run X`` as ``X``, global npm installs); a working directory the added user owns; and,
when the build context's sources are read (``Sources``), the data files they name and the
development dependencies they import.

RUNs that configure the container (``mkdir``, ``chmod``, ``chown``, ``ln``, ``mv``,
``touch``, ``printf``/``echo`` into a file; ``configure.py``) stay in the builder; the
runtime repeats those that change nothing the build wrote (a shell-less runtime copies
what they made) and copies the result of those that change what it wrote. Their paths are
read with the ENV values known without a build argument (``/usr/share/zoneinfo/$TZ``
after ``ENV TZ=Europe/Rome``); an ARG's default is never assumed.

Multi-stage files (``final_stage.py``): the final stage, when DKL201/DKL204 (or DKL202)
fire on it, gets the final-stage refactor beside the single-stage split, through the
same entry points: its ``FROM`` rebased on the slim variant of the same family, version
and Debian release when it uses nothing only the full image has, and the ``node_modules``
DKL204 reports copied from a ``deps`` stage ``FROM <builder>`` that prunes the development
dependencies; every other line, the builders included, byte for byte. Python: the rebase,
with the run-time libraries of the builders' ``-dev`` packages installed after ``FROM``.
A final stage built FROM another stage of the file is rebased at the top of its chain.
``why_not`` names what stops it (a builder stage, a chain another stage shares, nothing to
slim, a development server that needs its development dependencies, another ecosystem).

Conservative: nothing is offered (``why_not`` says why) when a RUN configures
the running container in a way the split cannot place (users, capabilities, a path
known only at run time, one RUN that builds and configures outside the build), when a
SHELL or
a USER precedes build steps, when the artifact path cannot be inferred, or when
the result would not parse. Sizes are uncompressed, the unit `docker images` prints:
the base images' from the knowledge base (linux/amd64), stated in the warnings; the
title's before -> after comes from ``dockerls.size`` (``offers.split_title``).

Pure: no I/O, no protocol types, and no exceptions on any input.
"""

from __future__ import annotations

from dockerls.actions.split.core import structure
from dockerls.actions.split.final_stage import plan_final_stage
from dockerls.actions.split.generic import plan_generic
from dockerls.actions.split.go import plan_go
from dockerls.actions.split.java import plan_java
from dockerls.actions.split.node import plan_node
from dockerls.actions.split.original_stage import commands, sub
from dockerls.actions.split.php import plan_php
from dockerls.actions.split.plan import SplitAction
from dockerls.actions.split.python import plan_python
from dockerls.actions.split.ruby import plan_ruby
from dockerls.actions.split.rust import plan_rust
from dockerls.actions.split.same_base import plan_same_base
from dockerls.rules.engine import RuleContext
from dockerls.rules.programs import program, unwrap
from dockerls.rules.stages.dkl201_full_language_base import full_language_base
from dockerls.rules.stages.dkl202_build_tools_in_final_image import build_tools_in_final_image
from dockerls.rules.stages.dkl203_single_stage_build import single_stage_build
from dockerls.rules.stages.dkl204_dev_dependencies_in_final_image import (
    dev_dependencies_in_final_image,
)
from dockerls.shell import Command
from dockerls.syntax import Instruction, Severity, Stage

__all__ = ["SplitAction", "split_stage", "why_not"]

# JDK images (and the build tools' images, which carry one).
_JAVA = frozenset({"maven", "gradle", "eclipse-temurin", "openjdk", "amazoncorretto"})


def _java_build(cmd: Command) -> bool:
    return program(unwrap(cmd).name) in ("mvn", "gradle")


def shell_commands(ctx: RuleContext, stage: Stage) -> list[tuple[Instruction, Command]]:
    return [
        (ins, cmd)
        for ins in stage.instructions
        if ins.name == "RUN"
        for cmd in ctx.script(ins).commands
    ]


# A build in the stage that ships: single-stage build, full base, toolchain, dev dependencies.
_TRIGGERS = (
    single_stage_build,
    full_language_base,
    build_tools_in_final_image,
    dev_dependencies_in_final_image,
)


def split_stage(ctx: RuleContext, stage: Stage, runtime: str | None = None) -> list[SplitAction]:
    """The splits offered for ``stage``, one per runtime base (or only ``runtime``)."""
    found = _safe_plan(ctx, stage)
    if isinstance(found, str):
        return []
    return [a for a in found if runtime is None or a.runtime_image == runtime]


def why_not(ctx: RuleContext, stage: Stage) -> list[str]:
    """Why no split is offered for ``stage`` (empty when one is)."""
    found = _safe_plan(ctx, stage)
    return [found] if isinstance(found, str) else []


def _safe_plan(ctx: RuleContext, stage: Stage) -> list[SplitAction] | str:
    try:
        return _plan(ctx, stage)
    except Exception as exc:  # never break the editor over one refactoring
        return f"dockerls could not plan the split ({type(exc).__name__}: {exc})."


def _plan(ctx: RuleContext, stage: Stage) -> list[SplitAction] | str:
    doc = ctx.document
    if any(p.severity is Severity.ERROR for p in doc.problems):
        return "The Dockerfile has syntax errors; fix them first."
    if len(doc.stages) != 1:
        return plan_final_stage(ctx, stage)
    if stage.image is None or stage.resolved_image is None:
        return "The base image is not known before the build (it depends on a build argument)."
    if not any(list(rule.check(ctx)) for rule in _TRIGGERS):
        return (
            "No build was found in this stage (none of DKL201-DKL204 fires), so there is "
            "nothing to split off."
        )
    info = ctx.image(stage)
    if info is None:
        return plan_same_base(ctx, stage)  # reasoned from what the file shows
    go = commands(ctx, stage, "go")
    if info.family == "golang" or any(sub(c) in ("build", "install") for _, c in go):
        planner = plan_go
    elif info.family in ("node", "bun"):
        planner = plan_node
    elif info.family == "rust" or any(
        program(unwrap(c).name) == "cargo" for _, c in shell_commands(ctx, stage)
    ):
        planner = plan_rust
    elif info.family in ("python", "python-nodejs"):
        planner = plan_python
    elif info.family == "php":
        planner = plan_php
    elif info.family in ("ruby", "rails"):
        planner = plan_ruby
    elif info.family in _JAVA or any(_java_build(c) for _, c in shell_commands(ctx, stage)):
        planner = plan_java
    else:
        planner = plan_generic  # a compiled program on a plain OS image, or a reason
    # OS packages the application may need are installed in the runtime too (assemble).
    problem = structure(ctx, stage, [])
    if problem is not None:
        return problem
    return planner(ctx, stage, info)
