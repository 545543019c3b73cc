"""DKL106 node-package-cache-left: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean, findings
from tests.rules.packages.codes import NODE
from tests.rules.packages.roundtrip import fix_roundtrip


def test_node_cache_npm_and_yarn_once_per_run() -> None:
    (npm, yarn) = check(
        NODE,
        "FROM node:20-slim\nRUN npm ⟨ci⟩ --omit=dev && npm install -g pm2 && ⟨yarn⟩\n",
    )
    assert "npm cache clean --force" in npm.message and "yarn cache clean" in yarn.message


@pytest.mark.parametrize(
    "run",
    [
        "npm ci --omit=dev && npm cache clean --force",
        "npm install && npm cache clear",
        "--mount=type=cache,target=/root/.npm npm ci",
        "--mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile",
        "yarn install && yarn cache clean",
        'yarn install && rm -rf "$(yarn cache dir)"',
        "npm ci --cache /tmp/npm && rm -rf /tmp/npm",
        "pnpm install --frozen-lockfile",
        "npm run build",
    ],
)
def test_node_cache_clean(run: str) -> None:
    clean(NODE, f"FROM node:20-slim\nRUN {run}\n")


def test_node_cache_env_moved_into_a_mount() -> None:
    clean(
        NODE,
        "FROM node:20-slim\nENV npm_config_cache=/cache/npm\n"
        "RUN --mount=type=cache,target=/cache npm ci\n",
    )


def test_node_cache_builder_stage_is_silent() -> None:
    clean(
        NODE,
        "FROM node:20 AS build\nRUN npm ci && npm run build\n"
        "FROM nginx:1.27-alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\n",
    )


def test_node_cache_fixes() -> None:
    fix_roundtrip(
        NODE,
        "FROM node:20-slim\nRUN npm ci && npm run build\n",
        "FROM node:20-slim\nRUN npm ci && npm run build && npm cache clean --force\n",
    )
    fix_roundtrip(
        NODE,
        "FROM node:20-slim\nRUN yarn global add nodemon\n",
        "FROM node:20-slim\nRUN yarn global add nodemon && yarn cache clean\n",
    )
    (f,) = findings(NODE, 'FROM node:20-slim\nRUN ["npm", "ci"]\n')
    assert not f.fixes


@pytest.mark.parametrize(
    "berry",
    [
        "RUN corepack enable && yarn install --immutable\n",  # Yarn 2+: --immutable
        "RUN yarn set version 4.5.3 && yarn install\n",
        "COPY .yarnrc.yml ./\nRUN yarn install\n",
        "ENV YARN_NODE_LINKER=pnp\nRUN yarn install --immutable\n",
    ],
)
def test_node_cache_yarn_berry_under_plug_n_play_is_silent(berry: str) -> None:
    # Plug'n'Play (or a linker not known) loads the packages from Yarn's cache: cleaning it
    # would break the application (a real build of e2e/fixtures/node-yarn-pnp showed it).
    clean(NODE, f"FROM node:20-slim\nWORKDIR /app\n{berry}")


def test_node_cache_yarn_berry_with_node_modules_is_reported_and_fixed() -> None:
    fix_roundtrip(
        NODE,
        "FROM node:20-slim\nENV YARN_NODE_LINKER=node-modules\nRUN yarn install --immutable\n",
        "FROM node:20-slim\nENV YARN_NODE_LINKER=node-modules\n"
        "RUN yarn install --immutable && yarn cache clean\n",
    )
