"""Node: npm, Yarn, pnpm and Bun install from ``package.json`` and their lockfile into
``node_modules``; their installs are always explicit (``npm ci``), so they move."""

from __future__ import annotations

from dockerls.actions.reorder.core import Manager
from dockerls.context import PackageManager

# The package managers' programs (``npm config``, ``npm install -g x``, ``npm cache clean``).
JS = frozenset({"npm", "pnpm", "yarn", "bun"})
JS_MANAGERS = frozenset(
    {PackageManager.NPM, PackageManager.YARN, PackageManager.PNPM, PackageManager.BUN}
)

NPM = Manager(
    "npm",
    manifest=("package.json",),
    lockfiles=("package-lock.json", "npm-shrinkwrap.json"),
    config_files=(".npmrc",),
    patterns=("package*.json",),
    elsewhere=("--prefix", "-C", "--workspace", "-w", "--workspaces", "--ws"),
    outputs=("node_modules",),
)
YARN = Manager(
    "Yarn",
    manifest=("package.json",),
    lockfiles=("yarn.lock",),
    config_files=(".yarnrc", ".yarnrc.yml", ".npmrc"),
    lockfile_flags=("--immutable",),
    elsewhere=("--cwd", "--modules-folder"),
    outputs=("node_modules",),
)
PNPM = Manager(
    "pnpm",
    manifest=("package.json",),
    lockfiles=("pnpm-lock.yaml",),
    config_files=(".npmrc", ".pnpmfile.cjs"),
    lockfile_flags=("--frozen-lockfile",),
    elsewhere=("-C", "--dir", "--filter", "-F", "-r", "--recursive", "-w"),
    outputs=("node_modules",),
)
BUN = Manager(
    "Bun",
    manifest=("package.json",),
    lockfiles=("bun.lockb", "bun.lock"),
    config_files=("bunfig.toml", ".npmrc"),
    elsewhere=("--cwd", "--filter"),
    outputs=("node_modules",),
)
