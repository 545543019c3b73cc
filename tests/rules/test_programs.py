"""``rules.programs``: the program a command really runs, as every family sees it."""

from __future__ import annotations

import pytest

from dockerls.rules.programs import program, unwrap
from tests.rulecheck import check, clean
from tests.rules.contexts import commands


@pytest.mark.parametrize(
    ("run", "name", "first_argument"),
    [
        ("python3 -m pip install x", "pip", "install"),
        ("python3.12 -m pip install x", "pip", "install"),
        ("npx --yes tsc -p .", "tsc", "-p"),
        ("pnpm exec vite build", "vite", "build"),
        ("bundle exec rake assets:precompile", "rake", "assets:precompile"),
        ("poetry run pip install x", "pip", "install"),
        ("sh ./gradlew build", "gradle", "build"),
        ("php composer.phar install", "composer", "install"),
        ("corepack yarn install", "yarn", "install"),
        ("/usr/bin/pip3.12 install x", "pip", "install"),
        ("./mvnw package", "mvn", "package"),
    ],
)
def test_unwrap_finds_the_program_that_does_the_work(
    run: str, name: str, first_argument: str
) -> None:
    (cmd,) = commands(run)
    view = unwrap(cmd)
    assert program(view.name) == name
    assert view.args[0].text == first_argument


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("DKL104", "FROM python:3.12-slim\nRUN poetry run pip ⟨install⟩ flask\n"),
        ("DKL106", "FROM node:22\nRUN corepack yarn ⟨install⟩\n"),
        ("DKL203", "FROM eclipse-temurin:21\nCOPY . .\nRUN ⟨sh ./gradlew build⟩\n"),
        ("DKL204", "FROM php:8.3\nCOPY . .\nRUN composer ⟨update⟩\n"),
        ("DKL204", "FROM python:3.12\nCOPY . .\nRUN poetry ⟨sync⟩\n"),
    ],
)
def test_launched_programs_and_every_install_spelling_are_seen(code: str, text: str) -> None:
    check(code, text)


def test_python_m_pytest_makes_a_test_image() -> None:
    clean(
        "DKL204",
        "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements-dev.txt\n"
        "CMD python -m pytest\n",
    )
