"""DKL204 dev-dependencies-in-final-image: Development dependencies are installed into
the image that ships."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerls.context import PackageJson
from dockerls.findings import Fix, Related
from dockerls.rules.build_state import Step, steps
from dockerls.rules.doc_links import MULTI_STAGE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.rules.instruction_parts import insert_after, operands
from dockerls.rules.stages.build_commands import Phrase, build_of, script_word
from dockerls.rules.stages.dev_dependency_installs import DevInstall, dev_installs, prunes
from dockerls.rules.stages.dev_dependency_places import chain_runs, dev_dependencies_held, taken
from dockerls.rules.stages.run_commands import Run, subcommand_text, unwrap_program
from dockerls.rules.stages.stage_parts import shipping_stages, stage_label
from dockerls.rules.text_layout import line_no
from dockerls.syntax import Severity, Stage

_TEST_SCRIPT = re.compile(r"(test|e2e|lint|check|typecheck|type-check|coverage)([:_.-].*)?$", re.I)
_TEST_PROGRAM: dict[str, str] = {
    **dict.fromkeys(
        ("jest", "vitest", "mocha", "ava", "eslint", "cypress", "playwright", "karma"), "node"
    ),
    **dict.fromkeys(("pytest", "tox", "nox", "mypy", "ruff", "flake8"), "python"),
    **dict.fromkeys(("rspec", "rubocop"), "ruby"),
    **dict.fromkeys(("phpunit", "pest", "phpstan"), "php"),
}


def _tests(run: Run) -> str | None:
    """The ecosystem whose test or lint tools a command runs (dev dependencies), if any."""
    script = script_word(run)
    if script is not None:
        return "node" if _TEST_SCRIPT.match(script.text) else None
    return _TEST_PROGRAM.get(run.program.name)


_TEST_IMAGE = re.compile(r"cypress|playwright|puppeteer|selenium")


def _image_command(ctx: RuleContext, stage: Stage) -> list[Run]:
    """The commands of the CMD and ENTRYPOINT in effect for the stage (the last of each)."""
    last: dict[str, Step] = {}
    for s in ctx.graph.chain(stage):
        for step in steps(ctx, s):
            if step.ins.name in ("CMD", "ENTRYPOINT"):
                last[step.ins.name] = step
    return [
        Run(step, cmd, unwrap_program(cmd), step.env, step.env, step.cwd)
        for step in last.values()
        for cmd in ctx.script(step.ins).commands
    ]


def _test_image(ctx: RuleContext, stage: Stage) -> bool:
    """A test image (cypress, playwright, a command running tests): dev dependencies belong."""
    if _TEST_IMAGE.search((ctx.graph.root(stage).resolved_image or "").lower()):
        return True
    if any(_tests(run) for run in _image_command(ctx, stage)):
        return True
    return any(
        run.program.name in ("cypress", "playwright")
        and subcommand_text(run.program) in ("install", "verify")
        for run in chain_runs(ctx, stage)
    )


_NODE_RUNNERS = frozenset({"npx", "bunx", "pnpx"})
# Programs that serve an application in development mode.
_DEV_SERVER = frozenset(
    {"nodemon", "ts-node", "ts-node-dev", "tsx", "webpack-dev-server", "vue-cli-service"}
    | {"ng", "vite", "react-scripts", "gatsby"}
)


def runtime_needs_dev(ctx: RuleContext, stage: Stage) -> Phrase | None:
    """The part of the image's command that suggests it runs with development dependencies.

    A dev server (``ng serve``, ``nodemon``, ``vite``), ``npx``, or a package.json
    script other than ``start`` (``npm run dev``) in the CMD or ENTRYPOINT.
    """
    package_json = ctx.build_context.package_json
    for run in _image_command(ctx, stage):
        program = run.program
        sub = program.subcommand()
        if run.command.name in _NODE_RUNNERS or program.name in _DEV_SERVER:
            return Phrase(run, sub or program.argv[0])
        if program.name in ("next", "nuxt") and sub is not None and sub.text == "dev":
            return Phrase(run, sub)
        script = script_word(run)
        if script is None:
            continue
        line = package_json.script(script.text) if package_json is not None else None
        first = line.split()[0] if line and line.split() else None
        if script.text != "start" or (
            package_json is not None and first in package_json.dev_dependencies
        ):
            return Phrase(run, script)
    return None


@rule(
    "DKL204",
    "dev-dependencies-in-final-image",
    Category.BLOAT,
    Severity.WARNING,
    summary="Development dependencies are installed into the image that ships.",
    docs=RuleDocs(
        what="A stage that ships installs development dependencies: `npm ci`/`npm install`, "
        "`yarn install`, `pnpm install` or `bun install` without `--omit=dev`/"
        "`--production`/`--prod` and without `NODE_ENV=production` (ENV, ARG default or "
        "inline); `poetry install` without `--only main`/`--without dev`; `uv sync` without "
        "`--no-dev` or `UV_NO_DEV`; `pip install -r requirements-dev.txt`, `.[dev]` or "
        "`--group dev` (pip 25.1 dependency groups); `bundle install` without "
        "`BUNDLE_WITHOUT`/`bundle config set without`; `composer install` without "
        "`--no-dev`. Also `COPY --from=<stage>` of what holds such an install: its "
        "`node_modules`, virtualenv (`.venv`, `venv`, or wherever `VIRTUAL_ENV`, the pip "
        "path, `--target`/`--prefix`/`--user` or `UV_PROJECT_ENVIRONMENT` put it) or "
        "`vendor` directory, or a directory around it (`COPY --from=build /app /app`), "
        "including dependencies that stage copied in from another one; a part of it "
        "(`/usr/local/bin`) or the output beside it (`/app/dist`) is not reported, except "
        "the system Python's site-packages after an install that certainly brought "
        "development dependencies (not uv's default dev group, which exists only if the "
        "project declares it). A prune "
        "(`npm prune --omit=dev`, `yarn workspaces focus --production`, a production `npm "
        "ci` or `uv sync`, `rm -rf node_modules`) in the stage that is copied from clears "
        "it; in the image that ships, only one in the RUN of the install does: a prune in a "
        "later RUN is reported, since the install's layer still holds the dependencies "
        "(except in an image that sets no CMD or ENTRYPOINT, a base that other builds may "
        "copy the pruned dependencies from). Test images are not flagged: "
        "a cypress, playwright or puppeteer base, a `playwright install`, or a CMD that "
        "runs tests (`npm test`, `pytest`).",
        why="devDependencies are compilers, bundlers, linters, test runners and type "
        "definitions; in a typical web project they outweigh the runtime dependencies "
        "(the typescript package alone unpacks to about 20 MB). They ship, get scanned "
        "for vulnerabilities and widen the attack surface for nothing.",
        example="FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n"
        'COPY . .\nCMD ["node", "server.js"]',
        instead="FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\n"
        'RUN npm ci --omit=dev\nCOPY . .\nCMD ["node", "server.js"]',
        fix_safety="When no build or test step follows in the image and the command it "
        "runs does not look like a dev server, the fix adds the production flag right "
        "after the install word (`--omit=dev` for npm, `--prod` for pnpm, `--production` "
        "for bun, `--no-dev` for uv and composer; `--production` for npm on Node images "
        "older than 15, whose npm has no `--omit`). For Poetry it offers `--only main` "
        "without applying it in fix-all (Poetry ≥ 1.2), and likewise when other options of "
        "the command come from variables. When a build or tests follow, the dev "
        "dependencies are needed there and the remedy is a multi-stage build: no fix.",
        references=(
            "https://docs.npmjs.com/cli/commands/npm-ci#omit",
            "https://python-poetry.org/docs/cli/#install",
            "https://docs.astral.sh/uv/concepts/projects/sync/",
            "https://bundler.io/man/bundle-config.1.html",
            "https://getcomposer.org/doc/03-cli.md#install-i",
            MULTI_STAGE,
        ),
    ),
)
def dev_dependencies_in_final_image(ctx: RuleContext) -> Iterator[Hit]:
    final = ctx.graph.final
    if final is None or _test_image(ctx, final):
        return
    package_json = ctx.build_context.package_json
    # A package.json without devDependencies leaves npm nothing extra to install.
    node_has_dev = package_json is None or package_json.has_dev_dependencies
    chain = chain_runs(ctx, final)
    position = {id(r): i for i, r in enumerate(chain)}
    runtime_dev = runtime_needs_dev(ctx, final)
    for stage in shipping_stages(ctx):
        for dev in dev_installs(ctx, stage):
            if dev.ecosystem == "node" and not node_has_dev:
                continue
            later = chain[position.get(id(dev.run), len(chain)) + 1 :]
            prune = next((r for r in later if prunes(r, dev.ecosystem)), None)
            if prune is None:
                yield _dev_hit(dev, later, package_json, runtime_dev)
            elif prune.step.ins is not dev.run.step.ins and _runs_a_command(ctx, final):
                yield _late_prune_hit(dev, prune)
    yield from _dev_copies(ctx, node_has_dev)


def _runs_a_command(ctx: RuleContext, stage: Stage) -> bool:
    """Whether the image says what it runs (CMD or ENTRYPOINT). One that does not is a
    base for other builds, which may copy the pruned dependencies out of it."""
    return any(
        step.ins.name in ("CMD", "ENTRYPOINT")
        for s in ctx.graph.chain(stage)
        for step in steps(ctx, s)
    )


def _late_prune_hit(dev: DevInstall, prune: Run) -> Hit:
    """Development dependencies removed by a later RUN: the install's layer keeps them."""
    last = prune.command.argv[-1]
    return Hit(
        dev.word.span,
        f"`{dev.tool}` installs development dependencies ({dev.why}) into the final image; "
        f"`{prune.text(last)}` on line {line_no(prune.start.span)} deletes them in a later "
        f"layer, but the layer of line {line_no(dev.word.span)} still holds them, so the "
        "image is no smaller. Prune in the same RUN as the install, or install and build in "
        "a separate stage and copy only the production dependencies.",
        related=(Related(prune.words(last), "removes them in a later layer only"),),
    )


def _dev_hit(
    dev: DevInstall, later: list[Run], package_json: PackageJson | None, runtime: Phrase | None
) -> Hit:
    """The finding for one install: why the dev dependencies are there, and the way out."""
    base = f"`{dev.tool}` installs development dependencies ({dev.why}) into the final image"
    if dev.ecosystem == "node":
        builds = (b for r in later if (b := build_of(r, package_json)) is not None and b.node)
        build = next(builds, None)
        if build is not None:
            return Hit(
                dev.word.span,
                f"{base}; `{build.text}` on line {line_no(build.span)} needs them, so "
                "build in a separate stage and install only production dependencies in the "
                "image that ships.",
                related=(Related(build.span, "this build uses the development dependencies"),),
            )
    test = next((r for r in later if _tests(r) == dev.ecosystem), None)
    if test is not None:
        return Hit(
            dev.word.span,
            f"{base}; `{test.text(test.program.argv[-1])}` on line "
            f"{line_no(test.start.span)} needs them, so run it in a separate stage.",
            related=(Related(test.words(test.program.argv[-1]), "this step uses them"),),
        )
    if runtime is not None and dev.ecosystem == "node":
        return Hit(
            dev.word.span,
            f"{base}; the image runs `{runtime.text}`, which looks like development mode: "
            "ship a production build instead.",
            related=(Related(runtime.span, "the command the image runs"),),
        )
    fixes: tuple[Fix, ...] = ()
    if dev.flag is not None:
        edit = insert_after(dev.run.step.ins, dev.word, dev.flag)
        dynamic = any(w.dynamic for w in dev.run.program.args)
        caveat = dev.flag_caveat or ("other options come from variables" if dynamic else None)
        title = f"Add {dev.flag}" + (f" ({caveat})" if caveat else "")
        fixes = (Fix(title, (edit,), safe=caveat is None),)
    return Hit(dev.word.span, f"{base}; {dev.remedy}.", fixes)


def _dev_copies(ctx: RuleContext, node_has_dev: bool) -> Iterator[Hit]:
    """``COPY --from=build /app/node_modules`` (or ``/app``) where the build stage, or a
    stage it copied them from, installed development dependencies and kept them."""
    for edge in ctx.graph.edges:
        source = edge.source
        target = ctx.document.stage_of(edge.instruction)
        if source is None or ctx.ships(source) or not ctx.ships(target):
            continue
        if edge.instruction.name != "COPY":
            continue
        held = [
            h
            for h in dev_dependencies_held(ctx, source)
            if h.dev.ecosystem != "node" or node_has_dev
        ]
        for token in operands(edge.instruction)[:-1]:
            found = next((h for h in held if taken(token, h, edge.instruction)), None)
            if found is None:
                continue
            dev = found.dev
            where = f"line {line_no(dev.word.span)}"
            if found.stage is not source:
                where += f" of stage `{stage_label(found.stage)}`"
            into = f" into {found.place}" if found.place and not found.place.endswith("*") else ""
            yield Hit(
                token.span,
                f"Copies `{token.text}` from stage `{stage_label(source)}`, with the "
                f"development dependencies `{dev.tool}` ({where}) installed{into} "
                f"({dev.why}): they reach the final image. Install production dependencies "
                "in a stage of their own and copy those.",
                related=(Related(dev.word.span, "dev dependencies installed here"),),
            )
