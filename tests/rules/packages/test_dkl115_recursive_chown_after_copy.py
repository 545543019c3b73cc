"""DKL115 recursive-chown-after-copy: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean, findings
from tests.rules.packages.codes import CHOWN
from tests.rules.packages.roundtrip import fix_roundtrip


def test_chown_after_copy_workdir_relative() -> None:
    (f,) = check(
        CHOWN,
        "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN ⟨chown⟩ -R node:node .\n",
    )
    assert f.related[0].span.start.line == 2


def test_chown_and_chmod_on_a_parent_or_child_path() -> None:
    check(
        CHOWN,
        "FROM python:3.12-slim\nCOPY --from=build /venv /opt/venv\nCOPY src /opt/app/src\n"
        "RUN ⟨chown⟩ -R app:app /opt && ⟨chmod⟩ -R 755 /opt/venv/bin\n",
    )


@pytest.mark.parametrize(
    "text",
    [
        "COPY . /app\nRUN chown app:app /app",
        "COPY . /app\nRUN chown -R app:app /data",
        "COPY --chown=app:app . /app\nRUN mkdir /data && chown -R app /data",
        "RUN chown -R app /app",
        # another stage's copy
        "COPY . /app\nFROM python:3.12-slim\nRUN chown -R app /app",
    ],
)
def test_chown_clean(text: str) -> None:
    clean(CHOWN, f"FROM python:3.12-slim AS one\n{text}\n")


def test_chown_fix_moves_the_owner_to_copy() -> None:
    text = (
        "FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nCOPY . .\n"
        "RUN chown -R node:node /app\nUSER node\n"
    )
    (f,) = findings(CHOWN, text)
    assert not f.fixes[0].safe
    fix_roundtrip(
        CHOWN,
        text,
        "FROM node:20-slim\nWORKDIR /app\nCOPY --chown=node:node package*.json ./\n"
        "COPY --chown=node:node . .\nUSER node\n",
    )
    fix_roundtrip(
        CHOWN,
        "FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\n"
        "RUN chmod -R 644 /usr/share/nginx/html",
        "FROM nginx:1.27\nCOPY --chmod=644 site/ /usr/share/nginx/html/",
    )


def test_chown_no_fix_when_more_runs_or_commands() -> None:
    for text in (
        "FROM node:20-slim\nCOPY . /app\nRUN npm ci\nRUN chown -R node /app\n",
        "FROM node:20-slim\nCOPY . /app\nRUN mkdir /data && chown -R node /app\n",
        "FROM node:20-slim\nCOPY . /app\nRUN chmod -R u+x /app\n",
        "FROM node:20-slim\nCOPY --chown=root . /app\nRUN chown -R node /app\n",
        "FROM node:20-slim\nCOPY . /app\nONBUILD RUN chown -R node /app\n",
    ):
        (f,) = findings(CHOWN, text)
        assert not f.fixes, text
