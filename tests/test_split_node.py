"""Split for Node beyond npm with a build output: yarn, pnpm, bun, no build step, Next.js.

When the output directory cannot be inferred (or another package manager installs),
the runtime receives the application directory from a ``deps`` stage built FROM the
builder that removes the development dependencies. Every offered split goes through
``assert_properties`` (tests/test_split.py).
"""

from __future__ import annotations

import pytest

from dockerls.context import BuildContext, PackageJson
from dockerls.edits import apply_edits
from tests.test_split import NODE, actions, assert_properties, check_variants, reasons

YARN = """\
FROM node:22
WORKDIR /usr/src/app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN yarn build
EXPOSE 8080
CMD ["node", "dist/main.js"]
"""

YARN_SPLIT = """\
FROM node:22 AS build
WORKDIR /usr/src/app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN yarn build

FROM build AS deps
RUN yarn install --production && yarn cache clean

FROM node:22-slim
WORKDIR /usr/src/app
COPY --from=deps --chown=node /usr/src/app /usr/src/app
RUN chown node /usr/src/app
USER node
EXPOSE 8080
CMD ["node", "dist/main.js"]
"""


def test_yarn_classic_prunes_in_a_deps_stage() -> None:
    found = actions(YARN)
    assert [a.title for a in found] == [
        "Split into build and runtime stages (runtime on node:22-slim)"
    ]
    assert apply_edits(YARN, found[0].edits) == YARN_SPLIT
    assert found[0].ecosystem == "node"
    assert found[0].size_before_mb is not None and found[0].size_after_mb is not None
    assert_properties(YARN, found[0])


PNPM_ALPINE = """\
FROM node:20-alpine
RUN corepack enable
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm run build
CMD ["node", "build/index.js"]
"""

PNPM_SPLIT = """\
FROM node:20-alpine AS build
RUN corepack enable
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm run build

FROM build AS deps
RUN pnpm prune --prod

FROM node:20-alpine
WORKDIR /app
COPY --from=deps --chown=node /app /app
RUN chown node /app
USER node
CMD ["node", "build/index.js"]
"""


def test_pnpm_on_alpine_runs_on_the_same_image() -> None:
    found = actions(PNPM_ALPINE)
    assert [a.title for a in found] == [
        "Split into build and runtime stages "
        "(runtime on node:20-alpine — same image, production dependencies only)"
    ]
    assert apply_edits(PNPM_ALPINE, found[0].edits) == PNPM_SPLIT
    assert_properties(PNPM_ALPINE, found[0])


BUN = """\
FROM oven/bun:1
WORKDIR /app
COPY package.json bun.lockb ./
RUN bun install --frozen-lockfile
COPY . .
EXPOSE 3000
CMD ["bun", "run", "src/index.ts"]
"""

BUN_SPLIT = """\
FROM oven/bun:1 AS build
WORKDIR /app
COPY package.json bun.lockb ./
RUN bun install --frozen-lockfile
COPY . .

FROM build AS deps
RUN rm -rf node_modules && bun install --production

FROM oven/bun:1-slim
WORKDIR /app
COPY --from=deps --chown=bun /app /app
RUN chown bun /app
USER bun
EXPOSE 3000
CMD ["bun", "run", "src/index.ts"]
"""


def test_bun_without_a_build_step() -> None:
    found = actions(BUN)
    assert [a.runtime_image for a in found] == ["oven/bun:1-slim"]
    assert apply_edits(BUN, found[0].edits) == BUN_SPLIT
    assert found[0].ecosystem == "bun"
    assert_properties(BUN, found[0])


NPM_NO_BUILD = """\
FROM node:18
WORKDIR /app
COPY package*.json ./
RUN npm install
COPY . .
COPY config/ /etc/app/
CMD ["npm", "start"]
"""


def test_npm_without_a_build_step_copies_every_application_directory() -> None:
    found = actions(NPM_NO_BUILD)
    assert [a.runtime_image for a in found] == ["node:18-slim"]
    result = assert_properties(NPM_NO_BUILD, found[0])
    assert "FROM build AS deps\nRUN npm prune --omit=dev\n" in result
    assert (
        "COPY --from=deps --chown=node /app /app\nCOPY --from=deps /etc/app /etc/app\n"
        "RUN chown node /app\nUSER node\n"
    ) in result


def test_prune_keeps_legacy_peer_deps() -> None:
    text = NPM_NO_BUILD.replace("RUN npm install", "RUN npm install --legacy-peer-deps")
    result = assert_properties(text, actions(text)[0])
    assert "RUN npm prune --omit=dev --legacy-peer-deps\n" in result


def test_old_npm_prunes_with_production() -> None:
    text = NPM_NO_BUILD.replace("node:18", "node:14")
    result = assert_properties(text, actions(text)[0])
    assert "RUN npm prune --production\n" in result


NEXT = """\
FROM node:20
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npx next build
ENV PORT=3000
CMD ["node", ".next/standalone/server.js"]
"""

NEXT_SPLIT = """\
FROM node:20 AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npx next build
ENV PORT=3000

FROM node:20-slim
WORKDIR /app
ENV PORT=3000
COPY --from=build --chown=node /app/.next/standalone /app/.next/standalone
COPY --from=build --chown=node /app/.next/static /app/.next/standalone/.next/static
COPY --from=build --chown=node /app/public /app/.next/standalone/public
RUN chown node /app
USER node
CMD ["node", ".next/standalone/server.js"]
"""


def next_context(public: bool) -> BuildContext:
    return BuildContext(
        known=True,
        files=frozenset({"package.json", "package-lock.json", "next.config.js"}),
        directories=frozenset({"public", "app"} if public else {"app"}),
        package_json=PackageJson(scripts=(("build", "next build"), ("start", "next start"))),
    )


def test_next_standalone_server() -> None:
    build = next_context(public=True)
    found = actions(NEXT, build)
    assert [a.runtime_image for a in found] == ["node:20-slim"]
    assert apply_edits(NEXT, found[0].edits) == NEXT_SPLIT
    assert_properties(NEXT, found[0], build)
    # no public/ in the context: nothing to copy
    without = next_context(public=False)
    result = assert_properties(NEXT, actions(NEXT, without)[0], without)
    assert "/public" not in result


def test_next_standalone_without_context_is_a_reason() -> None:
    assert actions(NEXT) == []
    assert "public/" in reasons(NEXT)[0]


def test_next_start_ships_the_whole_app() -> None:
    text = NEXT.replace('["node", ".next/standalone/server.js"]', '["npm", "start"]')
    found = actions(text)
    assert found
    assert "COPY --from=deps --chown=node /app /app" in assert_properties(text, found[0])


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("RUN pnpm install --frozen-lockfile", "RUN pnpm install --filter api"), "workspace"),
        (('CMD ["node", "build/index.js"]', 'CMD ["pnpm", "start"]'), "does not have"),
        (("RUN pnpm run build", "RUN pnpm run build && pnpm install"), "more than once"),
        (("RUN pnpm install --frozen-lockfile", "RUN pnpm add left-pad"), "No install"),
    ],
    ids=["filter", "pnpm-cmd", "two-installs", "no-install"],
)
def test_refusals_say_why(change: tuple[str, str], reason: str) -> None:
    text = PNPM_ALPINE.replace(*change)
    assert text != PNPM_ALPINE
    assert actions(text) == []
    assert reason in reasons(text)[0], reasons(text)


@pytest.mark.parametrize(
    ("change", "written"),
    [
        (("COPY package.json yarn.lock ./", "COPY package.json yarn.lock .yarnrc.yml ./"), "copy"),
        (("--frozen-lockfile", "--immutable"), "immutable"),
    ],
)
def test_yarn_berry_in_the_dockerfile_is_detected(change: tuple[str, str], written: str) -> None:
    # Yarn 2+ focuses on production instead (tests/test_split_node_yarn_berry.py)
    text = YARN.replace(*change)
    assert text != YARN, written
    (found,) = actions(text)
    assert "yarn workspaces focus --all --production" in assert_properties(text, found)


def test_yarn_berry_from_the_context_is_detected() -> None:
    build = BuildContext(known=True, files=frozenset({"package.json", ".yarnrc.yml"}))
    (found,) = actions(YARN, build)
    assert "yarn workspaces focus --all --production" in apply_edits(YARN, found.edits)


SAMPLES = {"yarn": YARN, "pnpm": PNPM_ALPINE, "bun": BUN, "npm-no-build": NPM_NO_BUILD}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_variants_are_split_correctly_or_refused(name: str) -> None:
    check_variants(SAMPLES[name])


NPM_NATIVE = """\
FROM node:20
WORKDIR /usr/src/app
RUN apt-get update && apt-get install -y build-essential python3
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
CMD ["node", "dist/server.js"]
"""


def test_npm_with_compilers_installed_prunes_instead_of_installing_on_slim() -> None:
    # build-essential means native modules: the slim runtime, which has no compiler,
    # must not run `npm ci` itself; the builder's node_modules are pruned and copied.
    [found] = actions(NPM_NATIVE)
    result = apply_edits(NPM_NATIVE, found.edits)
    assert "FROM build AS deps\nRUN npm prune --omit=dev\n" in result
    assert "COPY --from=deps --chown=node /usr/src/app /usr/src/app\n" in result
    assert "npm ci --omit=dev" not in result
    assert "build-essential" not in result.split("FROM node:20-slim", 1)[1]
    assert_properties(NPM_NATIVE, found)
    # Without the compilers, the runtime installs the production dependencies itself.
    plain = NPM_NATIVE.replace("build-essential python3", "curl")
    assert any("RUN npm ci --omit=dev" in apply_edits(plain, a.edits) for a in actions(plain))


NODE_ALPINE_SPLIT = """\
FROM node:alpine AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
ENV NODE_ENV=production

FROM node:alpine
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build --chown=node /app/package*.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build --chown=node /app/dist /app/dist
RUN chown node /app
USER node
EXPOSE 3000
CMD ["node", "dist/server.js"]
"""


def test_alpine_builder_without_version_runs_on_itself_with_a_note() -> None:
    text = NODE.replace("FROM node:20", "FROM node:alpine")
    (action,) = actions(text)
    assert action.runtime_image == "node:alpine"
    assert action.title.startswith("Split into build and runtime stages (runtime on node:alpine")
    assert apply_edits(text, action.edits) == NODE_ALPINE_SPLIT
    assert_properties(text, action)
    assert (
        "node:alpine names no version: the runtime is the same tag, so both stages run the "
        "same Node only when they are built together (the tag moves); pin one in both (e.g. "
        "node:22-alpine) to be sure."
    ) in action.warnings
    assert not any("musl" in w for w in action.warnings)  # the builder's libc already


def test_slim_builder_with_a_build_also_runs_on_itself() -> None:
    text = NODE.replace("FROM node:20", "FROM node:20-slim")
    found = actions(text)
    assert [a.runtime_image for a in found] == [
        "gcr.io/distroless/nodejs20-debian12:nonroot",
        "node:20-slim",
    ]
    for action in found:
        assert_properties(text, action)
    assert not any("names no version" in w for a in found for w in a.warnings)


def test_base_outside_the_knowledge_base_is_still_a_reason() -> None:
    text = NODE.replace("FROM node:20", "FROM registry.example.com/team/node-base:3")
    assert actions(text) == []
    assert reasons(text) == [
        "The base image registry.example.com/team/node-base:3 is not in dockerls's image "
        "knowledge; on such a base only a PHP application's `composer install` is split, and "
        "this file installs with npm (line 4): build FROM an image dockerls knows to split it."
    ]
