"""DKL205 npm-install-in-build: spans, traps and fixes."""

from __future__ import annotations

import pytest

from dockerls.context import BuildContext
from tests.rulecheck import check, clean, findings, fixed
from tests.rules.stages.fix_titles import titles
from tests.rules.stages.rule_codes import NPM

WITH_LOCK = BuildContext(known=True, files=frozenset({"package.json", "package-lock.json"}))
NO_LOCK = BuildContext(known=True, files=frozenset({"package.json"}))


def test_npm_install_with_a_copied_lockfile_is_fixed_safely() -> None:
    text = "FROM node:20 AS build\nCOPY package.json package-lock.json ./\nRUN npm install\n"
    (f,) = check(NPM, text.replace("npm install", "npm ⟨install⟩"))
    assert [(x.title, x.safe) for x in f.fixes] == [
        ("Use npm ci (installs exactly package-lock.json)", True)
    ]
    out = fixed(NPM, text)
    assert out.endswith("RUN npm ci\n")
    clean(NPM, out)


@pytest.mark.parametrize(
    "marked",
    [
        "FROM node:20\nRUN npm ⟨i⟩\n",
        "FROM node:20\nRUN npm ⟨install⟩ --legacy-peer-deps && npm install -g typescript\n",
        "FROM node:20\nONBUILD RUN npm ⟨install⟩\n",
        "FROM node:20 AS deps\nRUN npm ⟨install⟩ --omit=dev\nFROM node:20-slim\n",
        'FROM node:20\nRUN ["npm", ⟨"install"⟩]\n',
    ],
)
def test_npm_install_flagged(marked: str) -> None:
    check(NPM, marked)


@pytest.mark.parametrize(
    "text",
    [
        "FROM node:20\nRUN npm ci\n",
        "FROM node:20\nRUN npm install -g pnpm@9\n",
        "FROM node:20\nRUN npm install --global nodemon\n",
        "FROM node:20\nRUN npm install express@4\n",
        "FROM node:20\nRUN npm run install-deps\n",
    ],
)
def test_npm_install_clean(text: str) -> None:
    clean(NPM, text)


def test_npm_install_fix_safety_follows_what_is_known_of_the_lockfile() -> None:
    glob = "FROM node:20\nCOPY package*.json ./\nRUN npm install\n"
    assert titles(NPM, glob) == [("Use npm ci (fails if package-lock.json is missing)", False)]
    assert titles(NPM, glob, WITH_LOCK) == [
        ("Use npm ci (installs exactly package-lock.json)", True)
    ]
    (f,) = findings(NPM, glob, NO_LOCK)
    assert f.fixes == () and "no package-lock.json" in f.message
    only_manifest = "FROM node:20\nCOPY package.json ./\nRUN npm install\n"
    (f,) = findings(NPM, only_manifest, WITH_LOCK)
    assert f.fixes == () and "Copy package-lock.json along with package.json" in f.message
    mounted = (
        "FROM node:20\nRUN --mount=type=bind,source=package-lock.json,target=package-lock.json \\\n"
        "    --mount=type=bind,source=package.json,target=package.json npm install\n"
    )
    assert titles(NPM, mounted)[0][1] is True


def test_npm_install_fix_in_exec_form() -> None:
    text = 'FROM node:20\nCOPY package-lock.json package.json ./\nRUN ["npm", "install"]\n'
    assert fixed(NPM, text).endswith('RUN ["npm", "ci"]\n')
    clean(NPM, fixed(NPM, text))
