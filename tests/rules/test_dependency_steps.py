"""``rules.dependency_steps``: one classifier of dependency installs for every family."""

from __future__ import annotations

import pytest

from dockerls.context import PackageManager
from dockerls.rules.dependency_steps import dependency_step
from tests.rules.contexts import commands


@pytest.mark.parametrize(
    ("run", "manager", "word"),
    [
        ("npm ci", PackageManager.NPM, "ci"),
        ("npm install-clean", PackageManager.NPM, "install-clean"),
        ("corepack pnpm install --frozen-lockfile", PackageManager.PNPM, "install"),
        ("poetry sync", PackageManager.POETRY, "sync"),
        ("composer update", PackageManager.COMPOSER, "update"),
        ("python -m pip install -r requirements.txt", PackageManager.PIP, "install"),
    ],
)
def test_one_classifier_of_dependency_installs(
    run: str, manager: PackageManager, word: str
) -> None:
    (cmd,) = commands(run)
    step = dependency_step(cmd)
    assert step is not None and step.manager is manager and step.word.text == word


@pytest.mark.parametrize("run", ["npm install -g pnpm", "npm install --location=global x"])
def test_global_installs_are_not_dependency_installs(run: str) -> None:
    (cmd,) = commands(run)
    assert dependency_step(cmd) is None
