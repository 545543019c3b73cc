"""DKL106 node-package-cache-left: npm or yarn leave their package cache in the layer."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.doc_links import CACHE_MOUNTS
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.packages.append_fixes import append_fix
from dockerls.rules.packages.program_names import quoted
from dockerls.rules.packages.run_view import Run, each_run, fills
from dockerls.rules.yarn_projects import node_linker, yarn_berry
from dockerls.syntax import Severity

_NODE_CLEAN = {"npm": "npm cache clean --force", "yarn": "yarn cache clean"}


@rule(
    "DKL106",
    "node-package-cache-left",
    Category.BLOAT,
    Severity.INFORMATION,
    scope=Scope.STAGE,
    summary="npm or yarn leave their package cache in the layer.",
    hadolint=("DL3060",),
    docs=RuleDocs(
        what="`npm install`/`npm ci` (also `-g`), or `yarn`/`yarn install`/`yarn add`/"
        "`yarn global add`, in a shipping stage without cleaning the cache later in the "
        "same RUN (`npm cache clean --force`, `yarn cache clean`, or removing ~/.npm or "
        "the yarn cache directory) and without a cache or tmpfs mount on it (/root/.npm, "
        "/usr/local/share/.cache/yarn, ~/.cache/yarn, or where `npm_config_cache`, "
        "`YARN_CACHE_FOLDER`, `--cache` or `--cache-folder` point). pnpm is not reported: "
        "it hard-links packages from its store into node_modules, so in one layer the "
        "store costs little beyond its index. Nor is Yarn 2 or later unless its linker is "
        "known to be node-modules: under Plug'n'Play (the default) the packages the "
        "application loads are the cache's archives, which cleaning would delete.",
        why="npm keeps a compressed copy of every package it downloaded in ~/.npm/_cacache; "
        "yarn 1 keeps an unpacked copy of every package, often as large as node_modules "
        "itself. Neither is used again in the image.",
        example="RUN npm ci --omit=dev",
        instead="RUN npm ci --omit=dev && npm cache clean --force\n"
        "# or: RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev",
        fix_safety="The quick fix appends `npm cache clean --force` (or `yarn cache "
        "clean`) after the last npm (yarn) command of the RUN. Safe.",
        references=(
            "https://docs.npmjs.com/cli/commands/npm-cache",
            "https://classic.yarnpkg.com/en/docs/cli/cache",
            CACHE_MOUNTS,
        ),
    ),
)
def node_package_cache_left(ctx: RuleContext) -> Iterator[Hit]:
    pnp: dict[int, bool] = {}  # per stage: read once, not per RUN
    for run in each_run(ctx):
        for tool, clean in _NODE_CLEAN.items():
            if tool == "yarn" and _plug_n_play(ctx, run, pnp):
                continue
            found = next(((i, f) for i, f in fills(run, (tool,)) if run.left(i, f.place)), None)
            if found is None:
                continue
            i, left = found
            written = quoted(run.commands[i], left.word)
            yield Hit(
                left.word.span,
                f"`{written}` leaves its package cache ({left.place.label}) in this layer; "
                f"end the RUN with `{clean}` or use a cache mount.",
                fixes=append_fix(ctx, run, (tool,), clean, f"Append {clean}"),
            )


def _plug_n_play(ctx: RuleContext, run: Run, known: dict[int, bool]) -> bool:
    """Yarn 2+ whose linker is not known to be node-modules: its cache is what it installed."""
    stage = run.at.stage
    if stage.index not in known:
        known[stage.index] = yarn_berry(ctx, stage) and node_linker(ctx, stage) != "node-modules"
    return known[stage.index]
