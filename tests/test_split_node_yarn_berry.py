"""Split for Node with Yarn 2+ (berry): production dependencies through ``yarn workspaces
focus``, under the node-modules linker and Plug'n'Play.

A ``deps`` stage FROM the builder keeps the production dependencies (``yarn workspaces
focus --all --production``); under Plug'n'Play (or a linker not known) with Yarn's cache
kept in the application directory, which the runtime copies. A stage that already focuses
on production after its build is copied from the builder as it is. Every offered split goes
through ``assert_properties`` (tests/test_split.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerls.context import BuildContext, PackageJson, Sources, YarnRc, parse_yarnrc
from dockerls.context_io import read_build_context
from dockerls.edits import apply_edits
from tests.test_split import actions, assert_properties, check_variants, reasons

BERRY = """\
FROM node:20
ENV COREPACK_NPM_REGISTRY=https://registry.npmjs.org
RUN corepack enable
WORKDIR /usr/src/app
COPY . .
RUN yarn install --immutable
RUN yarn build
EXPOSE 3000
CMD ["node", "dist/server.js"]
"""

HEAD = """\
FROM node:20 AS build
ENV COREPACK_NPM_REGISTRY=https://registry.npmjs.org
RUN corepack enable
WORKDIR /usr/src/app
COPY . .
RUN yarn install --immutable
RUN yarn build

FROM build AS deps
"""

TAIL = """
FROM node:20-slim
ENV COREPACK_NPM_REGISTRY=https://registry.npmjs.org
WORKDIR /usr/src/app
COPY --from=deps --chown=node /usr/src/app /usr/src/app
RUN chown node /usr/src/app
USER node
EXPOSE 3000
CMD ["node", "dist/server.js"]
"""

NODE_MODULES_SPLIT = (
    HEAD + "RUN yarn workspaces focus --all --production && yarn cache clean\n" + TAIL
)
IN_PROJECT_CACHE_SPLIT = (
    HEAD + "RUN YARN_ENABLE_GLOBAL_CACHE=false yarn workspaces focus --all --production\n" + TAIL
)


def context(
    linker: str | None = "node-modules",
    package_manager: str | None = "yarn@4.5.3",
    *,
    yarnrc: YarnRc | None = None,
    **scripts: str,
) -> BuildContext:
    return BuildContext(
        known=True,
        files=frozenset({"package.json", "yarn.lock", ".yarnrc.yml"}),
        package_json=PackageJson(
            name="app", scripts=tuple(scripts.items()), package_manager=package_manager
        ),
        yarnrc=yarnrc if yarnrc is not None else YarnRc(node_linker=linker),
    )


def notes_of(text: str, build: BuildContext) -> str:
    (found,) = actions(text, build)
    return "\n".join(found.warnings)


def test_node_modules_linker_focuses_in_a_deps_stage() -> None:
    build = context("node-modules")
    found = actions(BERRY, build)
    assert [a.title for a in found] == [
        "Split into build and runtime stages (runtime on node:20-slim)"
    ]
    assert apply_edits(BERRY, found[0].edits) == NODE_MODULES_SPLIT
    assert_properties(BERRY, found[0], build)
    notes = "\n".join(found[0].warnings)
    assert "(`yarn workspaces focus --all --production && yarn cache clean`)" in notes
    # Yarn 4 has the focus built in; the linker is known: nothing to check about either
    assert "workspace-tools" not in notes
    assert "Plug'n'Play" not in notes


def test_plug_n_play_keeps_the_cache_in_the_application_directory() -> None:
    build = context(None)  # .yarnrc.yml read, no nodeLinker: Plug'n'Play
    (found,) = actions(BERRY, build)
    assert apply_edits(BERRY, found.edits) == IN_PROJECT_CACHE_SPLIT
    assert_properties(BERRY, found, build)
    notes = "\n".join(found.warnings)
    assert "the runtime receives .pnp.cjs, .yarn/cache (and .yarn/unplugged" in notes
    assert "node -r ./.pnp.cjs" in notes


def test_without_the_build_context_the_linker_and_the_plugin_are_notes() -> None:
    (found,) = actions(BERRY)
    assert apply_edits(BERRY, found.edits) == IN_PROJECT_CACHE_SPLIT
    assert_properties(BERRY, found)
    notes = "\n".join(found.warnings)
    assert "dockerls could not read the linker (nodeLinker in .yarnrc.yml)" in notes
    assert "with nodeLinker: node-modules, .yarn/cache is not needed at run time" in notes
    assert "Yarn 2 and 3 need the workspace-tools plugin" in notes
    assert "(the stage runs Yarn" not in notes


@pytest.mark.parametrize(
    ("change", "plugin_note"),
    [
        (
            ("corepack enable", "corepack enable && yarn set version 3.6.4"),
            "(the stage runs Yarn 3)",
        ),
        (
            ("corepack enable", "corepack enable && corepack prepare yarn@2.4.3 --activate"),
            "Yarn 2",
        ),
        (
            (
                "corepack enable",
                "corepack enable && yarn set version 3.6.4 && yarn plugin import workspace-tools",
            ),
            None,
        ),
        (("corepack enable", "corepack enable && yarn set version stable"), None),
    ],
    ids=["yarn-3", "yarn-2", "plugin-imported", "stable"],
)
def test_the_yarn_major_decides_the_plugin_note(
    change: tuple[str, str], plugin_note: str | None
) -> None:
    text = BERRY.replace(*change)
    assert text != BERRY
    notes = notes_of(text, context("node-modules", package_manager=None))
    if plugin_note is None:
        assert "workspace-tools plugin" not in notes
    else:
        assert "Yarn 2 and 3 need the workspace-tools plugin" in notes
        assert plugin_note in notes


def test_the_plugin_listed_in_yarnrc_is_enough() -> None:
    yarnrc = parse_yarnrc(
        "nodeLinker: node-modules\nplugins:\n  - path: .yarn/plugins/@yarnpkg/"
        "plugin-workspace-tools.cjs\nyarnPath: .yarn/releases/yarn-3.6.4.cjs\n"
    )
    assert yarnrc.yarn_major == 3 and yarnrc.workspace_tools
    notes = notes_of(BERRY, context(package_manager=None, yarnrc=yarnrc))
    assert "workspace-tools" not in notes


def test_linker_set_in_the_dockerfile_wins() -> None:
    text = BERRY.replace(
        "ENV COREPACK_NPM_REGISTRY=https://registry.npmjs.org",
        "ENV COREPACK_NPM_REGISTRY=https://registry.npmjs.org YARN_NODE_LINKER=node-modules",
    )
    (found,) = actions(text, context(None))
    assert "RUN yarn workspaces focus --all --production && yarn cache clean" in apply_edits(
        text, found.edits
    )
    assert_properties(text, found, context(None))
    configured = BERRY.replace(
        "RUN yarn install --immutable",
        "RUN yarn config set nodeLinker node-modules && yarn install --immutable",
    )
    (found,) = actions(configured)
    assert "&& yarn cache clean" in apply_edits(configured, found.edits)


FOCUSED = """\
FROM node:22
RUN corepack enable
WORKDIR /app
COPY package.json yarn.lock .yarnrc.yml ./
RUN yarn install --immutable
COPY . .
RUN yarn build
RUN yarn workspaces focus --production && yarn cache clean
ENV NODE_ENV=production
CMD ["node", "build/index.js"]
"""

FOCUSED_SPLIT = """\
FROM node:22 AS build
RUN corepack enable
WORKDIR /app
COPY package.json yarn.lock .yarnrc.yml ./
RUN yarn install --immutable
COPY . .
RUN yarn build
RUN yarn workspaces focus --production && yarn cache clean
ENV NODE_ENV=production

FROM node:22-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build --chown=node /app /app
RUN chown node /app
USER node
CMD ["node", "build/index.js"]
"""


def test_a_stage_that_focuses_after_its_build_is_copied_as_it_is() -> None:
    found = actions(FOCUSED)
    assert [a.runtime_image for a in found] == ["node:22-slim"]
    assert apply_edits(FOCUSED, found[0].edits) == FOCUSED_SPLIT
    assert_properties(FOCUSED, found[0])
    notes = "\n".join(found[0].warnings)
    assert "already runs `yarn workspaces focus --production` after its build" in notes
    # the original cleans Yarn's cache after the focus: it does not need it to start
    assert "Plug'n'Play" not in notes
    assert "workspace-tools" not in notes


def test_a_focus_whose_cache_may_be_global_is_a_note() -> None:
    text = FOCUSED.replace(" && yarn cache clean", "")
    (found,) = actions(text, context(None, "yarn@4.5.3"))
    assert apply_edits(text, found.edits) == FOCUSED_SPLIT.replace(" && yarn cache clean", "")
    notes = "\n".join(found.warnings)
    assert "outside the application directory when enableGlobalCache is on" in notes
    # the project's own cache (enableGlobalCache: false) travels with the application
    in_project = context(yarnrc=YarnRc(node_linker=None, global_cache=False))
    assert "enableGlobalCache is on" not in notes_of(text, in_project)
    assert "enableGlobalCache is on" not in notes_of(text, context("node-modules"))


def test_development_dependencies_kept_under_plug_n_play_are_a_note() -> None:
    build = BuildContext(
        known=True,
        files=frozenset({"package.json", "yarn.lock", ".yarnrc.yml"}),
        package_json=PackageJson(
            name="app",
            dependencies=frozenset({"bytes"}),
            dev_dependencies=frozenset({"dotenv"}),
            package_manager="yarn@4.5.3",
        ),
        yarnrc=YarnRc(),
        sources=Sources(imports=(("dotenv", "dist/server.js"),)),
    )
    (found,) = actions(BERRY, build)
    result = assert_properties(BERRY, found, build, final_allowed=frozenset({"DKL204"}))
    assert "COPY --from=build --chown=node /usr/src/app /usr/src/app" in result
    notes = "\n".join(found.warnings)
    assert "so the runtime keeps the development dependencies" in notes
    assert "outside the application directory when enableGlobalCache is on" in notes


def test_a_focus_before_the_build_is_not_production_only() -> None:
    text = FOCUSED.replace(
        "RUN yarn install --immutable\n",
        "RUN yarn install --immutable && yarn workspaces focus --production\n",
    ).replace("RUN yarn workspaces focus --production && yarn cache clean\n", "")
    (found,) = actions(text)
    result = assert_properties(text, found)
    assert "FROM build AS deps" in result
    assert "COPY --from=deps --chown=node /app /app" in result


@pytest.mark.parametrize("cmd", ['CMD ["yarn", "start"]', "CMD yarn node build/index.js"])
def test_a_container_started_by_yarn_is_refused(cmd: str) -> None:
    text = FOCUSED.replace('CMD ["node", "build/index.js"]', cmd)
    assert actions(text) == []
    assert reasons(text) == [
        "The container starts with `yarn`, which under Yarn 2 or later runs only through "
        "Corepack, downloading Yarn when the container starts: start the application with "
        "`node` to split it."
    ]


def test_install_hooks_say_how_to_skip_them() -> None:
    notes = notes_of(BERRY, context(postinstall="husky install"))
    assert "package.json runs `postinstall` during the install" in notes
    assert "YARN_ENABLE_SCRIPTS=false" in notes
    assert "--ignore-scripts" not in notes


def test_yarn_classic_is_unchanged() -> None:
    text = BERRY.replace("yarn install --immutable", "yarn install --frozen-lockfile")
    (found,) = actions(text, BuildContext(known=True, files=frozenset({"package.json"})))
    assert "RUN yarn install --production && yarn cache clean" in apply_edits(text, found.edits)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nodeLinker: node-modules\n", YarnRc(node_linker="node-modules")),
        ('nodeLinker: "pnp"  # default\nenableGlobalCache: false\n', YarnRc("pnp", False)),
        (
            "enableGlobalCache: true\nyarnPath: .yarn/releases/yarn-4.5.3.cjs\n",
            YarnRc(None, True, 4),
        ),
        ("packageExtensions:\n  nodeLinker: pnpm\n", YarnRc()),
        ("plugins:\n  - '@yarnpkg/plugin-workspace-tools'\n", YarnRc(workspace_tools=True)),
        ("\x00not yaml: [\n", YarnRc()),
    ],
    ids=["linker", "quoted-comment-cache", "release", "nested-ignored", "plugin", "garbage"],
)
def test_parse_yarnrc(text: str, expected: YarnRc) -> None:
    assert parse_yarnrc(text) == expected


def test_the_build_context_reads_yarnrc(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(BERRY)
    (tmp_path / "package.json").write_text('{"name": "app", "packageManager": "yarn@4.5.3"}')
    (tmp_path / ".yarnrc.yml").write_text("nodeLinker: node-modules\n")
    build = read_build_context(str(tmp_path / "Dockerfile"))
    assert build.yarnrc == YarnRc(node_linker="node-modules")
    assert "&& yarn cache clean" in apply_edits(BERRY, actions(BERRY, build)[0].edits)


SAMPLES = {"berry": BERRY, "focused": FOCUSED}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_variants_are_split_correctly_or_refused(name: str) -> None:
    check_variants(SAMPLES[name])
