"""The package managers the reorder knows, by ecosystem: each ecosystem's module declares
its ``Manager``s (files, options, caches, the dependency-only command); this is the one
list the shared planning looks them up in."""

from __future__ import annotations

from dockerls.actions.reorder import dotnet, go, java, node, php, python, ruby, rust
from dockerls.actions.reorder.core import Manager
from dockerls.context import PackageManager

MANAGERS: dict[PackageManager, Manager] = {
    PackageManager.NPM: node.NPM,
    PackageManager.YARN: node.YARN,
    PackageManager.PNPM: node.PNPM,
    PackageManager.BUN: node.BUN,
    PackageManager.PIP: python.PIP,
    PackageManager.POETRY: python.POETRY,
    PackageManager.UV: python.UV,
    PackageManager.PIPENV: python.PIPENV,
    PackageManager.GO: go.GO,
    PackageManager.CARGO: rust.CARGO,
    PackageManager.BUNDLER: ruby.BUNDLER,
    PackageManager.COMPOSER: php.COMPOSER,
    PackageManager.MAVEN: java.MAVEN,
    PackageManager.GRADLE: java.GRADLE,
    PackageManager.DOTNET: dotnet.DOTNET,
}


def label(manager: PackageManager) -> str:
    return MANAGERS[manager].label
