"""DKL204 dev-dependencies-in-final-image: spans, traps and fixes."""

from __future__ import annotations

import pytest

from dockerls.context import BuildContext, PackageJson
from tests.rulecheck import check, clean, findings, fixed
from tests.rules.stages.fix_titles import titles
from tests.rules.stages.rule_codes import DEV

NPM_APP = "FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm {}\nCOPY . .\n"


def test_dev_deps_npm_ci_is_flagged_and_fixed() -> None:
    text = NPM_APP.format("ci") + 'CMD ["node", "server.js"]\n'
    (f,) = check(DEV, text.replace("RUN npm ci", "RUN npm ⟨ci⟩"))
    assert "add `--omit=dev`" in f.message
    assert [(x.title, x.safe) for x in f.fixes] == [("Add --omit=dev", True)]
    out = fixed(DEV, text)
    assert "RUN npm ci --omit=dev\n" in out
    clean(DEV, out)


@pytest.mark.parametrize(
    "text",
    [
        NPM_APP.format("ci --omit=dev"),
        NPM_APP.format("ci --omit dev"),
        NPM_APP.format("install --production"),
        NPM_APP.format("install --only=production"),
        NPM_APP.format("install -g nodemon"),
        NPM_APP.format("install express"),
        "FROM node:20-slim\nRUN yarn --version && bundle -v\n",
        "FROM node:20-slim\nENV NODE_ENV=production\nRUN npm ci\n",
        "FROM node:20-slim\nARG NODE_ENV=production\nENV NODE_ENV $NODE_ENV\nRUN npm ci\n",
        "FROM node:20-slim\nARG NODE_ENV=production\nRUN npm ci\n",
        "ARG NODE_ENV=production\nFROM node:20-slim\nARG NODE_ENV\nRUN npm ci\n",
        "FROM node:20-slim\nRUN NODE_ENV=production npm ci\n",
        "FROM node:20-slim\nRUN export NODE_ENV=production && npm ci\n",
        "FROM node:20-slim\nENV npm_config_omit=dev\nRUN npm ci\n",
        # ENV of the stage the final stage is built FROM
        "FROM node:20-slim AS base\nENV NODE_ENV=production\nFROM base\nRUN npm ci\n",
        # dev dependencies pruned in the RUN that installed them
        "FROM node:20-slim\nRUN npm ci && npm run build && npm prune --omit=dev\n",
        # a later prune in an image that runs nothing: a base other builds copy from
        "FROM node:20-slim\nRUN yarn install\nRUN yarn build\n"
        "RUN yarn workspaces focus --production\n",
        # a build stage that does not ship
        "FROM node:20 AS build\nRUN npm ci && npm run build\n"
        "FROM nginx:1.27-alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\n",
        # end-to-end test images need their dev dependencies
        "FROM mcr.microsoft.com/playwright:v1.45.0-jammy\nRUN npm ci\n",
        "FROM cypress/included:13.6.0\nRUN npm ci\n",
        "FROM node:20-slim\nRUN npm ci && npx playwright install --with-deps\n",
        'FROM node:20-slim\nCOPY . .\nRUN npm ci\nCMD ["npm", "test"]\n',
        'FROM python:3.12-slim\nCOPY . .\nRUN uv sync\nENTRYPOINT ["uv", "run", "pytest"]\n',
        # other ecosystems done right
        "FROM python:3.12-slim\nRUN poetry install --only main --no-root\n",
        "FROM python:3.12-slim\nRUN poetry install --without dev,test\n",
        "FROM python:3.12-slim\nRUN uv sync --frozen --no-dev\n",
        "FROM python:3.12-slim\nENV UV_NO_DEV=1\nRUN uv sync --locked\n",
        "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n",
        "FROM ruby:3.3-slim\nENV BUNDLE_WITHOUT=development:test\nRUN bundle install\n",
        "FROM ruby:3.3-slim\nRUN bundle config set --local without 'development test' "
        "&& bundle install\n",
        "FROM ruby:3.3-slim\nRUN bundle install --without development test\n",
        "FROM php:8.3-fpm\nRUN composer install --no-dev --optimize-autoloader\n",
        "FROM php:8.3-fpm\nENV COMPOSER_NO_DEV=1\nRUN composer install\n",
    ],
)
def test_dev_deps_clean(text: str) -> None:
    clean(DEV, text)


def test_dev_deps_package_json_without_dev_dependencies_is_clean() -> None:
    context = BuildContext(known=True, package_json=PackageJson(dependencies=frozenset({"x"})))
    clean(DEV, NPM_APP.format("ci"), context)


def test_dev_deps_build_in_the_same_image_explains_the_multi_stage_remedy() -> None:
    (f,) = check(
        DEV,
        "FROM node:20-slim\nCOPY . .\nRUN npm ⟨ci⟩\nRUN npm run build\n"
        'CMD ["node", "dist/main.js"]\n',
    )
    assert "`npm run build` on line 4 needs them" in f.message
    assert f.fixes == () and f.related[0].span.start.line == 3


def test_dev_deps_tests_in_the_image() -> None:
    (f,) = check(DEV, "FROM python:3.12-slim\nRUN uv ⟨sync⟩ && uv run pytest\n")
    assert "`uv run pytest` on line 2 needs them" in f.message and f.fixes == ()


def test_dev_deps_dev_server_command() -> None:
    (f,) = check(DEV, 'FROM node:20-slim\nRUN npm ⟨ci⟩\nCMD ["npm", "run", "dev"]\n')
    assert "`npm run dev`" in f.message and f.fixes == ()
    (f,) = check(DEV, 'FROM node:20-slim\nRUN npm ⟨ci⟩\nCMD ["ng", "serve"]\n')
    assert "`ng serve`" in f.message


def test_dev_deps_old_node_uses_production() -> None:
    text = "FROM node:14-alpine\nRUN npm ci\n"
    assert fixed(DEV, text) == "FROM node:14-alpine\nRUN npm ci --production\n"
    clean(DEV, fixed(DEV, text))


@pytest.mark.parametrize(
    ("text", "flagged", "expected"),
    [
        ("FROM node:20-slim\nRUN pnpm install --frozen-lockfile\n", "install", "--prod"),
        ("FROM oven/bun:1-slim\nRUN bun install\n", "install", "--production"),
        ("FROM python:3.12-slim\nRUN uv sync --locked\n", "sync", "--no-dev"),
        ("FROM php:8.3-fpm\nRUN composer install\n", "install", "--no-dev"),
    ],
)
def test_dev_deps_flag_fixes(text: str, flagged: str, expected: str) -> None:
    check(DEV, text.replace(f" {flagged}", f" ⟨{flagged}⟩", 1))
    out = fixed(DEV, text)
    assert f" {flagged} {expected}" in out
    clean(DEV, out)


def test_dev_deps_poetry_fix_is_offered_not_applied() -> None:
    text = "FROM python:3.12-slim\nRUN poetry install --no-root\n"
    check(DEV, "FROM python:3.12-slim\nRUN poetry ⟨install⟩ --no-root\n")
    assert titles(DEV, text) == [("Add --only main (Poetry ≥ 1.2)", False)]
    clean(DEV, fixed(DEV, text))


def test_dev_deps_fix_is_not_safe_when_options_come_from_variables() -> None:
    text = "FROM python:3.12-slim\nARG UV_FLAGS\nRUN uv sync $UV_FLAGS\n"
    assert titles(DEV, text) == [("Add --no-dev (other options come from variables)", False)]


@pytest.mark.parametrize(
    "marked",
    [
        "FROM node:20-slim\nRUN ⟨yarn⟩\n",
        "FROM node:20-slim\nRUN yarn ⟨install⟩ --frozen-lockfile\n",
        "FROM python:3.12-slim\nRUN pip install -r ⟨requirements-dev.txt⟩\n",
        "FROM python:3.12-slim\nRUN python -m pip install -r ⟨requirements/test.txt⟩\n",
        "FROM python:3.12-slim\nRUN pip install -e ⟨.[dev]⟩\n",
        "FROM python:3.12-slim\nRUN pipenv install --system ⟨--dev⟩\n",
        "FROM ruby:3.3-slim\nRUN bundle check || bundle ⟨install⟩\n",
        "FROM ruby:3.3-slim\nRUN ⟨bundle⟩\n",
        "FROM node:20-slim\nONBUILD RUN npm ⟨install⟩\n",
        "FROM node:20-slim\nRUN <<EOF\nnpm ⟨ci⟩\nEOF\n",
    ],
)
def test_dev_deps_flagged(marked: str) -> None:
    check(DEV, marked)


def test_dev_deps_fix_in_exec_form_and_heredoc() -> None:
    exec_form = fixed(DEV, 'FROM node:20-slim\nRUN ["npm", "ci"]\n')
    assert exec_form == 'FROM node:20-slim\nRUN ["npm", "ci", "--omit=dev"]\n'
    heredoc = fixed(DEV, "FROM node:20-slim\nRUN <<EOF\nnpm ci\nEOF\n")
    assert heredoc == "FROM node:20-slim\nRUN <<EOF\nnpm ci --omit=dev\nEOF\n"
    clean(DEV, exec_form)
    clean(DEV, heredoc)


def test_dev_deps_fix_keeps_crlf_and_backtick_continuations() -> None:
    text = "# escape=`\r\nFROM node:20-slim\r\nRUN npm ci `\r\n    && npm cache clean --force\r\n"
    out = fixed(DEV, text)
    assert out == (
        "# escape=`\r\nFROM node:20-slim\r\nRUN npm ci --omit=dev `\r\n"
        "    && npm cache clean --force\r\n"
    )
    clean(DEV, out)


def test_dev_deps_copied_node_modules_from_a_build_stage() -> None:
    (f,) = check(
        DEV,
        "FROM node:20 AS builder\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n"
        "RUN npm run build\n\nFROM node:20-slim\nWORKDIR /app\n"
        "COPY --from=builder ⟨/app/node_modules⟩ ./node_modules\n"
        "COPY --from=builder /app/dist ./dist\n",
    )
    assert "stage `builder`" in f.message and f.related[0].span.start.line == 3
    clean(
        DEV,
        "FROM node:20 AS deps\nRUN npm ci --omit=dev\n"
        "FROM node:20-slim\nCOPY --from=deps /app/node_modules ./node_modules\n",
    )


@pytest.mark.parametrize(
    "marked",
    [
        # node_modules from a stage that got them from another one
        "FROM node:22 AS deps\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n"
        "FROM node:22 AS build\nWORKDIR /app\nCOPY --from=deps /app/node_modules ./node_modules\n"
        "COPY . .\nRUN npm run build\nFROM node:22-slim\nWORKDIR /app\n"
        "COPY --from=build ⟨/app/node_modules⟩ ./node_modules\nCOPY --from=build /app/dist ./dist\n"
        'CMD ["node", "dist/index.js"]\n',
        # the application directory, node_modules inside
        "FROM oven/bun:1 AS build\nWORKDIR /srv\nCOPY package.json bun.lock ./\nRUN bun install\n"
        "COPY . .\nRUN bun run build\nFROM oven/bun:1-slim\nCOPY --from=build ⟨/srv⟩ /srv\n"
        'CMD ["bun", "/srv/dist/index.js"]\n',
        "FROM node:22 AS build\nWORKDIR /app\nCOPY . .\nRUN yarn install --frozen-lockfile\n"
        "FROM node:22-slim\nWORKDIR /app\nCOPY --from=build ⟨/app/⟩ ./\n",
        # a virtualenv wherever it is, and installs with a development group
        "FROM python:3.13 AS build\nRUN python -m venv /opt/env\nCOPY pyproject.toml .\n"
        "RUN /opt/env/bin/pip install --group dev .\nFROM python:3.13-slim\n"
        "COPY --from=build ⟨/opt/env⟩ /opt/env\n",
        "FROM python:3.12 AS build\nENV VIRTUAL_ENV=/opt/pyenv\nRUN python -m venv $VIRTUAL_ENV\n"
        "RUN poetry install --with dev --no-root\nFROM python:3.12-slim\n"
        "COPY --from=build ⟨/opt/pyenv⟩ /opt/pyenv\n",
        "FROM python:3.12 AS build\nRUN pip install --no-cache-dir -r requirements-dev.txt\n"
        "FROM python:3.12-slim\nCOPY --from=build ⟨/usr/local⟩ /usr/local\n",
        "FROM python:3.12 AS build\nRUN pip install --group test .\nFROM python:3.12-slim\n"
        "COPY --from=build ⟨/usr/local/lib/python3.12/site-packages⟩ "
        "/usr/local/lib/python3.12/site-packages\n",
        "FROM python:3.12 AS build\nRUN pip install --user -r requirements/test.txt\n"
        "FROM python:3.12-slim\nCOPY --from=build ⟨/root/.local⟩ /root/.local\n",
        # a venv copied on through a second stage
        "FROM python:3.12 AS deps\nWORKDIR /app\nRUN uv sync --frozen\n"
        "FROM python:3.12 AS app\nCOPY --from=deps /app/.venv /opt/venv\n"
        "FROM python:3.12-slim\nCOPY --from=app ⟨/opt/venv⟩ /opt/venv\n",
    ],
)
def test_dev_deps_reach_the_final_image_through_another_stage(marked: str) -> None:
    (f,) = check(DEV, marked)
    assert "from stage" in f.message and "reach the final image" in f.message


def test_dev_deps_from_a_stage_that_copied_them_name_where_they_were_installed() -> None:
    (f,) = check(
        DEV,
        "FROM node:22 AS deps\nWORKDIR /app\nRUN npm ci\nFROM node:22 AS build\n"
        "COPY --from=deps /app/node_modules /app/node_modules\nFROM node:22-slim\n"
        "COPY --from=build ⟨/app⟩ /app\n",
    )
    assert "line 3 of stage `deps`" in f.message and "into /app/node_modules" in f.message
    assert f.related[0].span.start.line == 2


@pytest.mark.parametrize(
    "text",
    [
        # a builder whose output is copied selectively
        "FROM node:22 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n"
        "FROM node:22-slim\nWORKDIR /app\nCOPY --from=build /app/dist ./dist\n"
        "COPY --from=build /app/package.json ./\n",
        # production dependencies in a stage of their own, or pruned before the copy
        "FROM node:22 AS prod\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\n"
        "FROM node:22-slim\nCOPY --from=prod /app/node_modules ./node_modules\n",
        "FROM node:22 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\n"
        "RUN npm prune --omit=dev\nFROM node:22-slim\nCOPY --from=build /app /app\n",
        "FROM node:22 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n"
        "RUN rm -rf node_modules\nFROM node:22-slim\nCOPY --from=build /app /app\n",
        "FROM node:22 AS deps\nWORKDIR /app\nRUN npm ci\nFROM node:22 AS build\nWORKDIR /app\n"
        "COPY --from=deps /app/node_modules ./node_modules\nRUN npm prune --production\n"
        "FROM node:22-slim\nCOPY --from=build /app/node_modules /app/node_modules\n",
        "FROM node:22 AS deps\nWORKDIR /app\nRUN npm ci\nFROM node:22 AS build\nWORKDIR /app\n"
        "COPY --from=deps /app/node_modules ./node_modules\nFROM build AS pruned\n"
        "RUN npm prune --omit=dev\nFROM node:22-slim\nCOPY --from=pruned /app /app\n",
        # a part of the installed tree, and what lies beside it
        "FROM python:3.12 AS build\nRUN pip install -r requirements-dev.txt\n"
        "FROM python:3.12-slim\nCOPY --from=build /usr/local/bin/app /usr/local/bin/app\n",
        "FROM python:3.12 AS build\nENV UV_PROJECT_ENVIRONMENT=/usr/local\nRUN uv sync --locked\n"
        "FROM python:3.12-slim\nCOPY --from=build /usr/local/bin/ /usr/local/bin/\n",
        # uv's dev group is there only if the project declares one: a guess about where
        # it went is not made on top of that one
        "FROM python:3.12 AS build\nENV UV_PROJECT_ENVIRONMENT=/usr/local\nRUN uv sync --locked\n"
        "FROM python:3.12-slim\nCOPY --from=build /usr/local/lib/python3.12/site-packages/ "
        "/usr/local/lib/python3.12/site-packages/\n",
        "FROM python:3.13-slim AS build\nRUN python -m venv /venv\n"
        "RUN /venv/bin/pip install --group prod .\nFROM python:3.13-slim\n"
        "COPY --from=build /venv /venv\n",
        # the whole filesystem is DKL206's finding
        "FROM node:22 AS build\nRUN npm ci\nFROM node:22-slim\nCOPY --from=build / /\n",
    ],
)
def test_dev_deps_through_another_stage_traps_are_clean(text: str) -> None:
    clean(DEV, text)


def test_dev_deps_through_a_long_chain_of_stages_are_reported_once() -> None:
    # Each stage copies the dependencies twice: what a stage holds is kept once per
    # install and place, or the work would double with every stage.
    parts = ["FROM node:22 AS s0\nWORKDIR /app\nRUN npm ci\n"]
    for i in range(1, 60):
        parts.append(
            f"FROM node:22 AS s{i}\nWORKDIR /app\n"
            f"COPY --from=s{i - 1} /app/node_modules ./node_modules\n"
            f"COPY --from=s{i - 1} /app /app\n"
        )
    parts.append('FROM node:22-slim\nCOPY --from=s59 /app /app\nCMD ["node", "."]\n')
    (f,) = findings(DEV, "".join(parts))
    assert "line 3 of stage `s0`" in f.message


def test_dev_deps_pruned_in_a_later_layer_still_ship() -> None:
    (f,) = check(
        DEV,
        "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ⟨ci⟩\nCOPY . .\n"
        'RUN npm run build\nRUN npm prune --production\nCMD ["node", "dist/index.js"]\n',
    )
    assert "`npm prune --production` on line 7 deletes them in a later layer" in f.message
    assert "the layer of line 4 still holds them" in f.message and f.fixes == ()
    assert f.related[0].span.start.line == 6
    (f,) = check(
        DEV,
        "FROM node:22-slim\nRUN yarn ⟨install⟩\nRUN yarn build\n"
        'RUN yarn workspaces focus --production\nCMD ["node", "dist/index.js"]\n',
    )
    assert "`yarn workspaces focus --production` on line 4" in f.message
    (f,) = check(
        DEV,
        "FROM node:22-slim AS base\nRUN npm ⟨ci⟩\nFROM base\nRUN npm ci --omit=dev\n"
        'CMD ["node", "index.js"]\n',
    )
    assert "`npm ci --omit=dev` on line 4" in f.message


def test_dev_deps_pip_dependency_groups() -> None:
    check(DEV, "FROM python:3.13-slim\nRUN pip install --group ⟨dev⟩ .\n")
    check(
        DEV, "FROM python:3.13-slim\nRUN uv pip install --system --group ⟨pyproject.toml:test⟩ .\n"
    )
    clean(DEV, "FROM python:3.13-slim\nRUN pip install --group docs-build --group main .\n")


_ASSETS = (
    "FROM node:22 AS build\nWORKDIR /app\nCOPY . .\n"
    "RUN yarn --cwd web install && yarn --cwd web build\n"
    "FROM python:3.12-slim\nWORKDIR /app\n"
)


def test_dev_deps_yarn_cwd_and_copy_exclude() -> None:
    """yarn --cwd installs into that project's node_modules; a COPY whose --exclude leaves
    it out of the copied directory does not take them."""
    (f,) = check(DEV, _ASSETS + "COPY --from=build ⟨/app⟩ /app\n")
    assert "/app/web/node_modules" in f.message
    clean(DEV, _ASSETS + "COPY --from=build --exclude=web/node_modules /app /app\n")
    clean(DEV, _ASSETS + "COPY --from=build --exclude=web /app /app\n")
    clean(DEV, _ASSETS + "COPY --from=build --exclude=*/node_modules /app /app\n")
    # another directory excluded: the dependencies are still copied
    check(DEV, _ASSETS + "COPY --from=build --exclude=docs ⟨/app⟩ /app\n")
