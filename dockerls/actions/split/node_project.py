"""What the Node planner reads of the project: the one dependency install and the build
RUNs of the Dockerfile, the file the container starts with ``node`` (directly or through
package.json's ``start``), Next.js and Yarn 2+, the install's hooks and resolution flags,
global installs, the development dependencies the sources import, and the prune that
removes them. Pure."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from dockerls.actions.split.original_stage import commands, entry
from dockerls.knowledge.images import ImageInfo
from dockerls.rules.engine import RuleContext
from dockerls.rules.programs import program, unwrap
from dockerls.rules.yarn_projects import node_linker
from dockerls.shell import Command
from dockerls.syntax import Instruction, Stage

NPX_BUILDS = frozenset({"tsc", "webpack", "esbuild", "rollup", "nest", "vite", "tsup"})
OUTPUT_DIRS = frozenset({"dist", "build", "out", "lib"})
_MANAGERS = ("npm", "yarn", "pnpm", "bun")
_ELSEWHERE = ("--cwd", "--prefix", "-C", "--dir", "--filter", "-F", "--workspace", "-w")
_SCRIPT = re.compile(r"(build|compile|bundle|dist)([:_.-].*)?$")
NODE_MANIFEST = re.compile(
    r"(package(-lock)?\.json|package\*\.json|npm-shrinkwrap\.json|yarn\.lock|\.yarnrc(\.yml)?"
    r"|pnpm-lock\.yaml|pnpm-workspace\.yaml|bun\.lockb?|\.npmrc)$"
)


def dependency_install(ctx: RuleContext, stage: Stage) -> tuple[str, Instruction, Command] | str:
    """The one install of the project's dependencies: (manager, RUN, command)."""
    found: list[tuple[str, Instruction, Command]] = []
    for ins, cmd in (pair for m in _MANAGERS for pair in commands(ctx, stage, m)):
        words = [w.text for w in cmd.positionals()]
        verbs = {"npm": ("ci", "install", "i")}.get(cmd.name, ("install", "i"))
        bare_yarn = cmd.name == "yarn" and not words
        if bare_yarn or (words[:1] and words[0] in verbs and len(words) == 1):
            if cmd.has_option(*_ELSEWHERE):
                return (
                    f"The `{cmd.name}` install on line {ins.start_line + 1} runs in another "
                    "directory or workspace; splitting it is not supported yet."
                )
            found.append((cmd.name, ins, cmd))
    if not found:
        return (
            "No install of the project's dependencies (npm ci, yarn install, pnpm install, "
            "bun install) was found."
        )
    if len(found) > 1:
        return "The stage installs dependencies more than once; splitting it is not supported yet."
    return found[0]


def build_runs(ctx: RuleContext, stage: Stage, manager: str) -> list[Instruction]:
    """The RUNs that build: a ``build``-like package.json script, or a bundler/compiler."""
    out: list[Instruction] = []
    for ins in stage.instructions:
        if ins.name != "RUN":
            continue
        for cmd in ctx.script(ins).commands:
            words = [w.text for w in cmd.positionals()]
            if cmd.name in _MANAGERS:
                if words[:1] in (["run"], ["run-script"]):
                    words = words[1:]
                elif cmd.name == "npm":
                    continue  # `npm build` is not a script
                if words and _SCRIPT.match(words[0]) and ins not in out:
                    out.append(ins)
                continue
            work = unwrap(cmd)
            name = program(work.name)
            first = [w.text for w in work.positionals()][:1]
            if (name in NPX_BUILDS or (name == "next" and first == ["build"])) and ins not in out:
                out.append(ins)
    return out


def next_build(ctx: RuleContext, ins: Instruction) -> bool:
    """Whether the build RUN runs ``next build`` (directly or through package.json)."""
    package_json = ctx.build_context.package_json
    script = package_json.script("build") if package_json is not None else None
    if script is not None and re.search(r"\bnext\s+build\b", script):
        return True
    for cmd in ctx.script(ins).commands:
        work = unwrap(cmd)
        if program(work.name) == "next" and [w.text for w in work.positionals()][:1] == ["build"]:
            return True
    return False


def node_entry(stage: Stage, package_json: object) -> str | None:
    argv = entry(stage)
    if not argv:
        return None
    if posixpath.basename(argv[0]) in ("npm",) and argv[1:2] in (["start"], ["run"]):
        if argv[1:] not in (["start"], ["run", "start"]):
            return None
        script = getattr(package_json, "script", None)
        start = script("start") if script is not None else None
        if not isinstance(start, str):
            return None
        argv = start.split()
    if posixpath.basename(argv[0]) != "node":
        return None
    rest = [w for w in argv[1:] if not w.startswith("-")]
    if not rest or "$" in rest[0]:
        return None
    return rest[0]


@dataclass(frozen=True, slots=True)
class Berry:
    """What the split knows of a Yarn 2+ project: the Yarn major, the linker, whether
    Yarn's package cache is inside the project, whether ``yarn workspaces focus`` is
    available, and whether the stage already focuses on production after its build."""

    major: int | None  # None: not known
    linker: str | None  # "node-modules", "pnp", "pnpm"; None: not known
    cache_in_project: bool | None  # .yarn/cache (True) or the global cache (False)
    focus_available: bool  # Yarn 4, the workspace-tools plugin, or the stage focuses
    focused: bool  # `yarn workspaces focus --production` runs after the build
    cache_cleaned: bool  # `yarn cache clean` runs after that focus


_YARN_MAJOR = re.compile(r"yarn@(\d+)|yarn\s+set\s+version\s+(\d+|stable|berry|canary|latest)\b")
_LATEST = {"stable", "berry", "canary", "latest"}  # 4 or later today


def _yarn_major(ctx: RuleContext, stage: Stage) -> int | None:
    """The Yarn major the stage runs: a version set in a RUN (``yarn set version``,
    ``corepack prepare yarn@4``), package.json's ``packageManager`` or ``.yarnrc.yml``'s
    ``yarnPath``; ``stable`` and the like are 4 or later."""
    for ins in reversed(stage.instructions):
        if ins.name != "RUN":
            continue
        for found in reversed(list(_YARN_MAJOR.finditer(" ".join(a.text for a in ins.args)))):
            word = found.group(1) or found.group(2)
            return 4 if word in _LATEST else int(word)
    package_json = ctx.build_context.package_json
    declared = package_json.package_manager if package_json is not None else None
    declared_major = re.match(r"yarn@(\d+)", declared or "")
    if declared_major is not None:
        return int(declared_major.group(1))
    yarnrc = ctx.build_context.yarnrc
    return yarnrc.yarn_major if yarnrc is not None else None


def berry_facts(ctx: RuleContext, stage: Stage, after: int) -> Berry:
    """What the split needs to know of the stage's Yarn 2+ (``after``: the line of its
    last install or build RUN; a production focus must come later)."""
    major = _yarn_major(ctx, stage)
    yarnrc = ctx.build_context.yarnrc
    cache: bool | None = None
    if yarnrc is not None and yarnrc.global_cache is not None:
        cache = not yarnrc.global_cache
    elif yarnrc is not None and major is not None:
        cache = major < 4  # enableGlobalCache became the default in Yarn 4
    focused = cleaned = plugin = False
    for ins in stage.instructions:
        if ins.name != "RUN":
            continue
        for cmd in ctx.script(ins).commands:
            words = [w.text for w in cmd.positionals()]
            if cmd.name != "yarn":
                continue
            if words[:2] == ["plugin", "import"] and "workspace-tools" in " ".join(words[2:]):
                plugin = True
            elif words[:2] == ["workspaces", "focus"]:
                plugin = True
                focused = ins.start_line > after and cmd.has_option("--production")
                cleaned = False
            elif words[:2] == ["cache", "clean"] and focused:
                cleaned = True
    available = plugin or (major is not None and major >= 4)
    available = available or (yarnrc is not None and yarnrc.workspace_tools)
    return Berry(major, node_linker(ctx, stage), cache, available, focused, cleaned)


FOCUS = "yarn workspaces focus --all --production"


def _in_project_cache(berry: Berry) -> bool:
    """Whether the deps stage keeps Yarn's cache in the application directory: Plug'n'Play
    (or a linker not known) loads the packages from the cache, which the runtime copies
    only from there."""
    return berry.linker not in ("node-modules", "pnpm")


def berry_prune(berry: Berry) -> str:
    """The deps stage's RUN that keeps the production dependencies of a Yarn 2+ project."""
    if _in_project_cache(berry):
        return f"RUN YARN_ENABLE_GLOBAL_CACHE=false {FOCUS}"
    return f"RUN {FOCUS} && yarn cache clean"


def berry_notes(ctx: RuleContext, berry: Berry, *, keep: bool) -> list[str]:
    """What to check after a Yarn 2+ split: the focus command's plugin, the linker and
    where Plug'n'Play finds the packages, the install's hooks."""
    notes: list[str] = []
    pruned = not berry.focused and not keep
    if pruned and not berry.focus_available:
        version = "" if berry.major is None else f" (the stage runs Yarn {berry.major})"
        notes.append(
            f"`yarn workspaces focus` is built into Yarn 4; Yarn 2 and 3 need the "
            f"workspace-tools plugin{version} (`yarn plugin import workspace-tools`, kept in "
            ".yarnrc.yml and .yarn/plugins), or the deps stage fails."
        )
    pnp = "Plug'n'Play loads the packages through .pnp.cjs (.pnp.loader.mjs for ES modules)"
    if berry.focused or keep:  # the runtime copies the builder's application directory
        if berry.linker in ("node-modules", "pnpm") or (berry.focused and berry.cache_cleaned):
            pass  # the packages are in the application directory, or the original fails too
        elif berry.cache_in_project is not True:
            notes.append(
                f"{pnp} from Yarn's cache, which is outside the application directory when "
                "enableGlobalCache is on (Yarn 4's default): check that .yarnrc.yml sets "
                "nodeLinker: node-modules or enableGlobalCache: false, or the runtime cannot "
                "load them."
            )
    elif pruned and berry.linker is None:
        notes.append(
            "dockerls could not read the linker (nodeLinker in .yarnrc.yml): the deps stage "
            "keeps Yarn's cache in the application directory (YARN_ENABLE_GLOBAL_CACHE=false), "
            "which Plug'n'Play (.pnp.cjs) loads the packages from; with nodeLinker: "
            "node-modules, .yarn/cache is not needed at run time."
        )
    elif pruned and _in_project_cache(berry):
        notes.append(
            f"{pnp} from Yarn's cache: the deps stage keeps it in the application directory "
            "(YARN_ENABLE_GLOBAL_CACHE=false), so the runtime receives .pnp.cjs, .yarn/cache "
            "(and .yarn/unplugged, if any) with the application; the container must start "
            "node with the PnP loader (node -r ./.pnp.cjs, or NODE_OPTIONS) as the original did."
        )
    package_json = ctx.build_context.package_json
    if pruned:
        notes += [
            f"package.json runs `{hook}` during the install; the deps stage's focus runs it "
            "again without the development dependencies: if it needs them (husky, a "
            "compiler), set YARN_ENABLE_SCRIPTS=false on that line."
            for hook in ("preinstall", "install", "postinstall", "prepare")
            if package_json is not None and package_json.script(hook)
        ]
    return notes


def hook_warnings(ctx: RuleContext) -> list[str]:
    package_json = ctx.build_context.package_json
    return [
        f"package.json runs `{hook}` during the install; if it needs devDependencies "
        "(husky, a compiler), the production install fails: add --ignore-scripts."
        for hook in ("preinstall", "install", "postinstall", "prepare")
        if package_json is not None and package_json.script(hook)
    ]


# The options of the original install that decide what gets installed and how it is
# resolved, by manager, which a generated install or prune must repeat (without them
# `npm prune` after `npm install --force` fails with ERESOLVE). Those a manager's prune
# does not accept are left out (pnpm prune).
CARRIED_FLAGS: dict[str, frozenset[str]] = {
    "npm": frozenset(
        {"--force", "-f", "--legacy-peer-deps", "--strict-peer-deps", "--ignore-scripts"}
        | {"--engine-strict", "--no-optional", "--registry", "--install-links"}
        | {"--install-strategy", "--legacy-bundling", "--global-style", "--prefer-dedupe"}
    ),
    "yarn": frozenset(
        {"--ignore-engines", "--ignore-platform", "--ignore-optional", "--ignore-scripts"}
        | {"--registry", "--flat", "--force"}
    ),
    "pnpm": frozenset({"--no-optional", "--ignore-scripts"}),
    "bun": frozenset({"--force", "-f", "--ignore-scripts", "--registry", "--no-optional"}),
}


def carried_flags(install: Command) -> str:
    """The install's resolution options as written (with their values), each after a
    space: what every install or prune the split generates in its place repeats."""
    wanted = CARRIED_FLAGS.get(install.name, frozenset())
    out = ""
    for opt in install.options():
        if opt.name not in wanted:
            continue
        out += " " + opt.word.raw
        if opt.value is not None and opt.value is not opt.word and "=" not in opt.word.text:
            out += " " + opt.value.raw
    return out


# The programs a globally installed package provides, when they are not its own name.
_GLOBAL_BINS: dict[str, tuple[str, ...]] = {
    "pm2": ("pm2", "pm2-runtime", "pm2-docker"),
    "typescript": ("tsc", "tsserver"),
    "@nestjs/cli": ("nest",),
    "@angular/cli": ("ng",),
    "forever": ("forever",),
}


def global_installs(ctx: RuleContext, stage: Stage) -> list[tuple[Command, set[str]]]:
    """Each global install of the stage (``npm install -g``, ``yarn global add``, ``pnpm
    add -g``) with the programs it provides."""
    out: list[tuple[Command, set[str]]] = []
    for ins in stage.instructions:
        if ins.name != "RUN":
            continue
        for cmd in ctx.script(ins).commands:
            words = [w.text for w in cmd.positionals()]
            flagged = cmd.has_option("-g", "--global")
            if (
                cmd.name in ("npm", "pnpm")
                and flagged
                and words[:1] in (["install"], ["i"], ["add"])
            ):
                names = words[1:]
            elif cmd.name == "yarn" and words[:2] == ["global", "add"]:
                names = words[2:]
            else:
                continue
            programs: set[str] = set()
            for word in names:
                name = "@" + word[1:].split("@")[0] if word.startswith("@") else word.split("@")[0]
                programs.update(_GLOBAL_BINS.get(name, (name.rsplit("/", 1)[-1],)))
            out.append((cmd, programs))
    return out


_BUNDLERS = re.compile(r"\b(esbuild|webpack|rollup|vite|tsup|ncc|parcel|rspack|bun build)\b")


def dev_imports(ctx: RuleContext) -> tuple[bool, list[str]]:
    """Whether the runtime must keep the development dependencies, and the notes: the
    sources in the build context import a package that package.json lists only under
    devDependencies, which a production-only install leaves out (`Cannot find module` at
    start). A build that bundles (esbuild, webpack…) normally puts imported packages in
    its output: then a note only."""
    package_json = ctx.build_context.package_json
    sources = ctx.build_context.sources
    if package_json is None or sources is None:
        return False, []
    dev_only = package_json.dev_dependencies - package_json.dependencies
    found = sources.importers(frozenset(dev_only))
    if not found:
        return False, []
    names = ", ".join(name for name, _ in found)
    where = "; ".join(f"{file} imports {name}" for name, file in found)
    them = "them" if len(found) > 1 else "it"
    bundler = _BUNDLERS.search(package_json.script("build") or "")
    if bundler is not None:
        return False, [
            f"package.json lists {names} under devDependencies, and {where}; the build "
            f"bundles ({bundler.group(1)}), which normally puts imported packages in its "
            f"output: if it leaves {names} external, the production-only runtime lacks {them}."
        ]
    return True, [
        f"package.json lists {names} under devDependencies, but {where}: a production-only "
        f"install would leave {them} out (`Cannot find module` at start), so the runtime "
        f"keeps the development dependencies. Move {names} to dependencies, then split "
        "again to drop the rest."
    ]


def prune_line(info: ImageInfo, manager: str, install: Command | None) -> str:
    """The RUN that removes the development dependencies ``install`` (by ``manager``, on the
    image ``info``) put into node_modules, repeating its resolution flags; what the build
    generated there stays (a ``deps`` stage FROM the builder runs it)."""
    old_npm = info.family == "node" and (info.major or "").isdigit() and int(info.major or 0) < 16
    flags = carried_flags(install) if install is not None else ""
    return {
        "npm": f"RUN npm prune {'--production' if old_npm else '--omit=dev'}{flags}",
        "yarn": f"RUN yarn install --production{flags} && yarn cache clean",
        "pnpm": f"RUN pnpm prune --prod{flags}",
        "bun": f"RUN rm -rf node_modules && bun install --production{flags}",
    }[manager]
