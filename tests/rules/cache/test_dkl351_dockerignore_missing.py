"""DKL351 dockerignore-missing: flagged and clean cases."""

from __future__ import annotations

import pytest

from dockerls.context import BuildContext
from tests.rulecheck import check, clean
from tests.test_context import ctx as context


def test_missing_dockerignore() -> None:
    (f,) = check(
        "DKL351",
        "FROM node:22\nCOPY package.json .\nCOPY ⟨.⟩ .\nFROM node:22\nCOPY . .\n",
        context("package.json .env", "node_modules .git src"),
    )
    assert "no .dockerignore" in f.message
    assert "node_modules, .git and .env" in f.message


def test_empty_dockerignore_counts_as_missing() -> None:
    (f,) = check("DKL351", "FROM node:22\nADD ⟨.⟩ /app\n", context("a", ignore="# nothing\n\n"))
    assert "empty" in f.message


@pytest.mark.parametrize(
    ("text", "build"),
    [
        ("FROM node:22\nCOPY . .\n", BuildContext(known=False)),
        ("FROM node:22\nCOPY . .\n", context("a", ignore=".git\n")),
        ("FROM node:22\nCOPY src ./src\n", context("a")),
        ("FROM node:22\nONBUILD COPY . /app\n", context("a")),
        ("FROM node:22\nCOPY --from=build . .\n", context("a")),
    ],
)
def test_dockerignore_missing_traps(text: str, build: BuildContext) -> None:
    clean("DKL351", text, build)
