"""The reorder for Node: npm, Yarn, pnpm and Bun."""

from __future__ import annotations

from dockerls.actions.reorder import reorder_for_cache
from dockerls.context import PackageJson, PackageManager
from dockerls.dockerignore import DockerIgnore
from tests.actions.reorder.guarantees import (
    assert_guarantees,
    context,
    plan,
    refused,
    rewrite,
    rule_context,
)

NPM_APP = 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n'


def test_npm_with_a_context_copies_the_lockfile_that_exists() -> None:
    rewrite(
        NPM_APP,
        context("package.json package-lock.json server.js Dockerfile"),
        expected="FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\n"
        'RUN npm ci\nCOPY . .\nCMD ["node", "server.js"]\n',
        instructions=6,
        title="Copy package.json and package-lock.json before COPY . . (npm)",
    )


def test_npm_with_a_context_without_lockfile_copies_the_manifest_only() -> None:
    rewrite(
        NPM_APP,
        context("package.json .npmrc server.js"),
        expected="FROM node:22-slim\nWORKDIR /app\nCOPY package.json .npmrc ./\n"
        'RUN npm ci\nCOPY . .\nCMD ["node", "server.js"]\n',
        instructions=6,
    )


def test_npm_without_a_context_uses_a_pattern_that_matches_the_manifest() -> None:
    rewrite(
        NPM_APP,
        expected="FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\n"
        'RUN npm ci\nCOPY . .\nCMD ["node", "server.js"]\n',
        instructions=6,
        title="Copy package*.json before COPY . . (npm)",
    )


def test_files_hidden_by_the_dockerignore_are_not_copied() -> None:
    build = context(
        "package.json package-lock.json .npmrc",
        dockerignore=DockerIgnore.parse(".npmrc\nnode_modules\n"),
        dockerignore_path="/ctx/.dockerignore",
    )
    rewrite(
        NPM_APP,
        build,
        expected="FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\n"
        'RUN npm ci\nCOPY . .\nCMD ["node", "server.js"]\n',
        instructions=6,
    )


def test_a_manifest_missing_from_the_context_is_explained() -> None:
    refusal = refused(NPM_APP, context("server.js"))
    assert "package.json is not at the root" in refusal.reason


def test_yarn_with_a_context() -> None:
    rewrite(
        "FROM node:22\nWORKDIR /usr/src/app\nCOPY . .\nRUN yarn install --frozen-lockfile\n"
        "RUN yarn build\n",
        context("package.json yarn.lock"),
        expected="FROM node:22\nWORKDIR /usr/src/app\nCOPY package.json yarn.lock ./\n"
        "RUN yarn install --frozen-lockfile\nCOPY . .\nRUN yarn build\n",
        instructions=6,
        title="Copy package.json and yarn.lock before COPY . . (Yarn)",
    )


def test_yarn_berry_takes_its_configuration_and_directory() -> None:
    rewrite(
        "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN yarn install --immutable\n",
        context("package.json yarn.lock .yarnrc.yml", ".yarn src"),
        expected="FROM node:22\nWORKDIR /app\nCOPY package.json yarn.lock .yarnrc.yml ./\n"
        "COPY .yarn ./.yarn/\nRUN yarn install --immutable\nCOPY . .\n",
        instructions=6,
    )


def test_yarn_without_a_context_is_offered_only_when_the_lockfile_must_exist() -> None:
    text = "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN yarn install --frozen-lockfile\n"
    refusal = refused(text)
    assert refusal.ecosystem is PackageManager.YARN
    assert "yarn.lock" in refusal.reason and "unknown" in refusal.reason
    # --immutable fails without a lockfile: the original build proves it exists.
    rewrite(
        "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN yarn install --immutable\n",
        expected="FROM node:22\nWORKDIR /app\nCOPY package.json yarn.lock ./\n"
        "RUN yarn install --immutable\nCOPY . .\n",
        instructions=5,
    )


def test_pnpm_with_setup_before_the_install_and_a_build_after_it() -> None:
    rewrite(
        "FROM node:22-alpine\nWORKDIR /app\nCOPY . .\n"
        "RUN corepack enable && pnpm install --frozen-lockfile && pnpm run build\n",
        context("package.json pnpm-lock.yaml"),
        expected="FROM node:22-alpine\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\n"
        "RUN corepack enable && pnpm install --frozen-lockfile\nCOPY . .\n"
        "RUN pnpm run build\n",
        instructions=6,
    )


def test_pnpm_workspace_is_explained() -> None:
    refusal = refused(
        "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN pnpm install --frozen-lockfile\n",
        context("package.json pnpm-lock.yaml pnpm-workspace.yaml"),
    )
    assert "workspace" in refusal.reason


def test_install_scripts_make_the_rewrite_unsafe() -> None:
    build = context(
        "package.json package-lock.json",
        package_json=PackageJson(scripts=(("postinstall", "node scripts/patch.js"),)),
    )
    ctx = rule_context(NPM_APP, build)
    (action,) = reorder_for_cache(ctx, ctx.document.stages[0])
    assert action.unsafe_reason is not None and "postinstall" in action.unsafe_reason
    assert action.fix.safe is False
    assert_guarantees(NPM_APP, action, build)


def test_a_native_addon_of_the_project_itself_is_refused() -> None:
    # npm runs `node-gyp rebuild` on a package with binding.gyp and no install script:
    # the addon's sources must be there when the install runs (a real build failed so).
    refusal = refused(NPM_APP, context("package.json package-lock.json binding.gyp"))
    assert "binding.gyp" in refusal.reason and "node-gyp" in refusal.reason
    # The trap: a dependency's binding.gyp inside node_modules is not the project's.
    (action,) = plan(NPM_APP, context("package.json package-lock.json")).actions
    assert action.unsafe_reason is None


def test_host_node_modules_sent_with_the_context_make_the_rewrite_unsafe() -> None:
    build = context("package.json package-lock.json", "node_modules")
    (action,) = plan(NPM_APP, build).actions
    assert action.unsafe_reason is not None and "node_modules" in action.unsafe_reason
