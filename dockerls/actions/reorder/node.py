"""Node: npm, Yarn, pnpm and Bun install from ``package.json`` and their lockfile into
``node_modules``; their installs are always explicit (``npm ci``), so they move."""

from __future__ import annotations

from dockerls.actions.reorder.core import Manager, No
from dockerls.context import BuildContext

# The package managers' programs (``npm config``, ``npm install -g x``, ``npm cache clean``).
JS = frozenset({"npm", "pnpm", "yarn", "bun"})


def _context(build: BuildContext) -> No | list[str]:
    """The project's own native addon (no rewrite), or install scripts (notes)."""
    if build.has_file("binding.gyp"):
        # Without an install script of its own, binding.gyp makes the install run
        # `node-gyp rebuild` on the project itself, which compiles the sources.
        return No(
            "binding.gyp makes the install build this package's own native addon "
            "(node-gyp rebuild), which needs its sources: with only the manifests copied "
            "first, the addon would not be built."
        )
    notes: list[str] = []
    if build.package_json is not None:
        scripts = [
            s
            for s in ("preinstall", "install", "postinstall", "prepare")
            if build.package_json.script(s)
        ]
        if scripts:
            notes.append(
                f"package.json runs `{scripts[0]}` during the install, which may need the sources"
            )
    return notes


def _pnpm_context(build: BuildContext) -> No | list[str]:
    """A pnpm workspace (no rewrite), then what every Node install is told."""
    if build.has_file("pnpm-workspace.yaml"):
        return No(
            "pnpm-workspace.yaml makes this a workspace: the packages' own package.json "
            "files are needed too."
        )
    return _context(build)


NPM = Manager(
    "npm",
    manifest=("package.json",),
    lockfiles=("package-lock.json", "npm-shrinkwrap.json"),
    config_files=(".npmrc",),
    patterns=("package*.json",),
    elsewhere=("--prefix", "-C", "--workspace", "-w", "--workspaces", "--ws"),
    outputs=("node_modules",),
    context=_context,
)
YARN = Manager(
    "Yarn",
    manifest=("package.json",),
    lockfiles=("yarn.lock",),
    config_files=(".yarnrc", ".yarnrc.yml", ".npmrc"),
    lockfile_flags=("--immutable",),
    elsewhere=("--cwd", "--modules-folder"),
    outputs=("node_modules",),
    context=_context,
)
PNPM = Manager(
    "pnpm",
    manifest=("package.json",),
    lockfiles=("pnpm-lock.yaml",),
    config_files=(".npmrc", ".pnpmfile.cjs"),
    lockfile_flags=("--frozen-lockfile",),
    elsewhere=("-C", "--dir", "--filter", "-F", "-r", "--recursive", "-w"),
    outputs=("node_modules",),
    context=_pnpm_context,
)
BUN = Manager(
    "Bun",
    manifest=("package.json",),
    lockfiles=("bun.lockb", "bun.lock"),
    config_files=("bunfig.toml", ".npmrc"),
    elsewhere=("--cwd", "--filter"),
    outputs=("node_modules",),
    context=_context,
)
