"""What every reorder keeps: the copy's flags and destination, line breaks, escapes,
comments, indentation and keyword case, RUN flags, and the order around it."""

from __future__ import annotations

from dockerls.context import PackageManager
from tests.actions.reorder.guarantees import assert_guarantees, context, plan, refused, rewrite


def test_copy_flags_are_carried_over_and_the_destination_is_the_same() -> None:
    # A chowned copy cannot move below a WORKDIR (the directory's owner would change),
    # and the new lines cannot go above it (the install must run in the WORKDIR).
    refusal = refused(
        "FROM node:22\nCOPY --chown=node:node . /home/node/app\n"
        "WORKDIR /home/node/app\nRUN npm ci --omit=dev\n",
        context("package.json package-lock.json"),
    )
    assert "owner" in refusal.reason
    rewrite(
        "FROM node:22\nWORKDIR /home/node/app\nCOPY --chown=node:node --chmod=644 --link . .\n"
        "RUN npm ci --omit=dev\n",
        context("package.json package-lock.json"),
        expected="FROM node:22\nWORKDIR /home/node/app\n"
        "COPY --chown=node:node --chmod=644 --link package.json package-lock.json ./\n"
        "RUN npm ci --omit=dev\nCOPY --chown=node:node --chmod=644 --link . .\n",
        instructions=5,
    )


def test_destination_directory_is_kept() -> None:
    rewrite(
        "FROM node:22\nWORKDIR /app\nCOPY . /app\nRUN npm ci\n",
        expected="FROM node:22\nWORKDIR /app\nCOPY package*.json /app/\nRUN npm ci\nCOPY . /app\n",
        instructions=5,
    )


def test_workdir_between_moves_the_source_copy_down() -> None:
    rewrite(
        "FROM node:20\nCOPY . /usr/src/app\nWORKDIR /usr/src/app\nENV NODE_ENV=production\n"
        "RUN npm install --omit=dev\nEXPOSE 3000\n",
        expected="FROM node:20\nWORKDIR /usr/src/app\nENV NODE_ENV=production\n"
        "COPY package*.json /usr/src/app/\nRUN npm install --omit=dev\nCOPY . /usr/src/app\n"
        "EXPOSE 3000\n",
        instructions=7,
    )


def test_a_project_directory_copy_takes_manifests_from_that_directory() -> None:
    rewrite(
        "FROM node:22\nWORKDIR /app\nCOPY ./frontend .\nRUN npm ci\nRUN npm run build\n",
        expected="FROM node:22\nWORKDIR /app\nCOPY frontend/package*.json ./\nRUN npm ci\n"
        "COPY ./frontend .\nRUN npm run build\n",
        instructions=6,
    )


def test_crlf_file_stays_crlf() -> None:
    rewrite(
        "FROM node:22\r\nWORKDIR /app\r\nCOPY . .\r\nRUN npm ci && npm run build\r\n",
        context("package.json package-lock.json"),
        expected="FROM node:22\r\nWORKDIR /app\r\nCOPY package.json package-lock.json ./\r\n"
        "RUN npm ci\r\nCOPY . .\r\nRUN npm run build\r\n",
        instructions=6,
    )


def test_backtick_escape_file() -> None:
    rewrite(
        "# escape=`\nFROM node:22\nWORKDIR /app\nCOPY . .\n"
        "RUN --mount=type=cache,target=/root/.npm `\n    npm ci && `\n    npm run build\n",
        expected="# escape=`\nFROM node:22\nWORKDIR /app\nCOPY package*.json ./\n"
        "RUN --mount=type=cache,target=/root/.npm `\n    npm ci\nCOPY . .\n"
        "RUN --mount=type=cache,target=/root/.npm `\n    npm run build\n",
        instructions=6,
    )


def test_comments_above_the_copy_stay_with_it() -> None:
    rewrite(
        "FROM node:22\nWORKDIR /app\n\n# Bring in the sources\n# (see .dockerignore)\nCOPY . .\n"
        "\n# Dependencies\nRUN npm ci\n\nRUN npm run build\n",
        expected="FROM node:22\nWORKDIR /app\n\nCOPY package*.json ./\n# Dependencies\n"
        "RUN npm ci\n\n# Bring in the sources\n# (see .dockerignore)\nCOPY . .\n\n"
        "RUN npm run build\n",
        instructions=6,
    )


def test_indentation_and_keyword_case_follow_the_file() -> None:
    rewrite(
        "from node:22\nworkdir /app\n  copy . .\n  run npm ci\n",
        expected="from node:22\nworkdir /app\n  copy package*.json ./\n  run npm ci\n  copy . .\n",
        instructions=5,
    )


def test_split_run_keeps_the_user_line_breaks() -> None:
    rewrite(
        "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci \\\n    && npm run build \\\n"
        "    && npm prune --omit=dev\n",
        expected="FROM node:22\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n"
        "RUN npm run build \\\n    && npm prune --omit=dev\n",
        instructions=6,
    )


def test_install_with_a_cache_mount_moves_whole() -> None:
    rewrite(
        "FROM node:22\nWORKDIR /app\nCOPY . .\n"
        "RUN --mount=type=cache,target=/root/.npm \\\n    npm ci --prefer-offline\n"
        "RUN npm run build\n",
        expected="FROM node:22\nWORKDIR /app\nCOPY package*.json ./\n"
        "RUN --mount=type=cache,target=/root/.npm \\\n    npm ci --prefer-offline\nCOPY . .\n"
        "RUN npm run build\n",
        instructions=6,
    )


def test_split_install_keeps_the_cache_mount_on_both_halves() -> None:
    rewrite(
        "FROM python:3.12\nWORKDIR /app\nCOPY . .\n"
        "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt "
        "&& python manage.py collectstatic --noinput\n",
        expected="FROM python:3.12\nWORKDIR /app\nCOPY requirements*.txt ./\n"
        "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n"
        "COPY . .\n"
        "RUN --mount=type=cache,target=/root/.cache/pip python manage.py collectstatic "
        "--noinput\n",
        instructions=6,
    )


def test_cleanup_right_after_the_install_moves_with_it() -> None:
    rewrite(
        "FROM node:22\nWORKDIR /app\nCOPY . .\n"
        "RUN npm ci && npm cache clean --force && npm run build\n",
        expected="FROM node:22\nWORKDIR /app\nCOPY package*.json ./\n"
        "RUN npm ci && npm cache clean --force\nCOPY . .\nRUN npm run build\n",
        instructions=6,
    )


def test_metadata_between_stays_where_it_is() -> None:
    rewrite(
        'FROM node:22\nWORKDIR /app\nCOPY . .\nLABEL org.opencontainers.image.title="api"\n'
        "EXPOSE 8080\nRUN npm ci\n",
        expected="FROM node:22\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n"
        'LABEL org.opencontainers.image.title="api"\nEXPOSE 8080\n',
        instructions=7,
    )


def test_one_copy_before_two_ecosystems_is_offered_in_turn() -> None:
    text = (
        "FROM php:8.3-fpm\nWORKDIR /var/www\nCOPY . .\nRUN npm ci\nRUN npm run build\n"
        "RUN composer install --no-dev\n"
    )
    found = plan(text)
    assert [a.ecosystem for a in found.actions] == [PackageManager.NPM]
    (refusal,) = found.refusals
    assert refusal.ecosystem is PackageManager.COMPOSER and "line 4" in refusal.reason
    assert "Apply the rewrite for the npm install first." in refusal.reason
    new = assert_guarantees(text, found.actions[0])
    assert new == (
        "FROM php:8.3-fpm\nWORKDIR /var/www\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n"
        "RUN npm run build\nRUN composer install --no-dev\n"
    )
