"""A base image dockerls does not know: the runtime is FROM the same image.

What the base provides (its language runtimes, command, entrypoint, users, directories) is
not known, so the runtime cannot be another image; it is the builder's own base and
receives from the builder only what the application needs, not what the build added. What
the file shows decides the rest:

* a ``composer install`` (the PHP planner's reading): the builder's installs gain
  ``--no-dev`` (DKL204's fix, as in ``php.py``), and the runtime receives the application
  directories with ``vendor/``;
* beside it, an npm/yarn/pnpm install that only builds assets (the container's start
  runs no Node tool): ``node_modules`` is left out, through a stage ``FROM`` the builder
  that removes it, and the build's output inside the application directories is kept.

The gain is what the build added (the development packages, ``node_modules``, caches, the
packages the file installed to build), never a smaller base: the notes name the
distribution and libc the file's package manager shows (apt: Debian or Ubuntu, glibc;
apk: Alpine, musl), where a slimmer image can be looked for. There is no size estimate
(the base's size is not known), and the title says so. Anything else (no ``composer
install``; a Bundler install into the base's own gem directory; PHP extensions or Apache
configuration built into the base's directories; ``pip install``, ``gem install``, global
npm installs and the like, which write there too) is refused with a reason naming it.

Pure: no I/O, no protocol types, no exceptions on any input.
"""

from __future__ import annotations

import posixpath
import re

from dockerls.actions.split.core import assemble, structure
from dockerls.actions.split.original_stage import (
    has_user,
    resolve,
    started_tools,
    sub,
)
from dockerls.actions.split.php import composer_dependencies, composer_install
from dockerls.actions.split.plan import Runtime, SplitAction
from dockerls.knowledge.images import ImageInfo, Libc, PackageManager, parse_reference
from dockerls.rules.build_state import steps
from dockerls.rules.engine import RuleContext
from dockerls.rules.programs import program, unwrap
from dockerls.shell import Command
from dockerls.syntax import Instruction, Stage

_MANIFEST = re.compile(
    r"(composer\.(json|lock)|auth\.json|package(-lock)?\.json|yarn\.lock|pnpm-lock\.yaml)$"
)
_NODE_TOOLS = frozenset({"npm", "npx", "yarn", "pnpm", "node", "bun"})
_NODE_INSTALLS = {
    "npm": ("install", "i", "ci"),
    "yarn": ("install", None),
    "pnpm": ("install", "i"),
}
# What only the images of the php family provide, or what writes into the base's own
# directories: dockerls cannot say where they are in an unknown image.
_BASE_WRITERS = frozenset(
    {"docker-php-ext-install", "docker-php-ext-enable", "docker-php-ext-configure", "pecl"}
    | {"a2enmod", "a2ensite", "a2enconf", "a2dismod", "a2dissite", "a2disconf"}
)
# Installs that put programs or libraries in the base's own directories (outside the
# application's), which a runtime FROM the same base would not receive.
_SYSTEM_INSTALLS = {"pip": ("install",), "pipx": ("install",), "gem": ("install",)} | {
    "cargo": ("install",),
    "go": ("install",),
    "make": ("install",),
}
_GLOBAL_FLAGS = ("-g", "--global", "--location=global")
_MANAGERS: dict[str, tuple[PackageManager, Libc, str]] = {
    "apt-get": ("apt", "glibc", "Debian or Ubuntu (glibc)"),
    "apt": ("apt", "glibc", "Debian or Ubuntu (glibc)"),
    "apk": ("apk", "musl", "Alpine (musl)"),
    "dnf": ("dnf", "glibc", "Fedora, RHEL or a UBI image (glibc)"),
    "microdnf": ("microdnf", "glibc", "a UBI minimal image (glibc)"),
    "yum": ("yum", "glibc", "RHEL, CentOS or Amazon Linux (glibc)"),
}


def _distribution(ctx: RuleContext, stage: Stage) -> tuple[PackageManager, Libc, str] | None:
    """The package manager the file runs, with the distribution and libc it shows."""
    for ins in stage.instructions:
        if ins.name != "RUN":
            continue
        for cmd in ctx.script(ins).commands:
            found = _MANAGERS.get(program(unwrap(cmd).name))
            if found is not None:
                return found
    return None


def unknown_image(reference: str, found: tuple[PackageManager, Libc, str] | None) -> ImageInfo:
    """What the split takes as known of an image the knowledge base does not hold: its
    reference, and the package manager and libc the file's installs show (no sizes, no
    users, no variants)."""
    ref = parse_reference(reference)
    manager: PackageManager = "none"
    libc: Libc = "none"
    if found is not None:
        # the split writes installs for apt and apk only; another manager installs nothing
        manager = found[0] if found[0] in ("apt", "apk") else "none"
        libc = found[1]
    return ImageInfo(
        reference=reference,
        name=ref.name if ref else reference,
        registry=ref.registry if ref else "",
        repository=ref.repository if ref else reference,
        tag=ref.tag if ref else None,
        digest=ref.digest if ref else None,
        family="unknown",
        family_name="an image unknown to dockerls",
        category="app",
        variant="unknown",
        variant_label="unknown to dockerls",
        kind="app",
        version=None,
        suite=None,
        runtime_version=None,
        os="linux",
        libc=libc,
        package_manager=manager,
        shell=True,  # the file's RUNs run in its shell
        default_user="",
        default_uid=None,
        non_root=False,
        builtin_user=None,
        is_toolchain=False,
        is_full_language_base=False,
        modifiers=(),
        mirror=False,
        sizes=(),
        notes=(),
    )


def _system_install(cmd: Command) -> str | None:
    """How ``cmd`` installs into the base's own directories, if it does: ``pip install``,
    a global npm/yarn/pnpm install, ``composer global``…"""
    work = unwrap(cmd)
    name, verb = program(work.name), sub(work)
    if verb in _SYSTEM_INSTALLS.get(name, ()):
        return f"{name} {verb}"
    if name in ("npm", "pnpm") and work.has_option(*_GLOBAL_FLAGS):
        return f"{name} {verb or ''} -g".replace("  ", " ")
    if name in ("yarn", "composer") and verb == "global":
        return f"{name} global"
    return None


def _node_install(cmd: Command) -> bool:
    work = unwrap(cmd)
    verbs = _NODE_INSTALLS.get(program(work.name))
    return verbs is not None and sub(work) in verbs and not work.has_option("-g", "--global")


def plan_same_base(ctx: RuleContext, stage: Stage) -> list[SplitAction] | str:
    """The split of ``stage`` on its own base image, which dockerls does not know."""
    assert stage.resolved_image is not None
    reference = stage.resolved_image
    unknown = f"The base image {reference} is not in dockerls's image knowledge"
    composer: list[tuple[Instruction, Command, Command]] = []
    node: list[tuple[Instruction, str, Command]] = []  # Node installs, the directory they run in
    seen: dict[str, int] = {}  # program -> the first line that runs it
    system: tuple[str, int] | None = None  # the first install into the base's directories
    for step in steps(ctx, stage):
        if step.ins.name != "RUN" or step.onbuild:
            continue
        line = step.ins.start_line + 1
        for cmd in ctx.script(step.ins).commands:
            name = program(unwrap(cmd).name)
            seen.setdefault(name, line)
            installs = _system_install(cmd)
            if installs is not None and system is None:
                system = (installs, line)
            found = composer_install(cmd)
            if isinstance(found, str):
                return found.format(line=line)
            if found is not None:
                if cmd.wrappers or cmd.in_substitution or cmd.in_subshell:
                    return f"The Composer install on line {line} is not a plain command."
                composer.append((step.ins, cmd, found))
            elif _node_install(cmd):
                node.append((step.ins, posixpath.normpath(step.cwd), cmd))
    if not composer:
        if "bundle" in seen:
            return (
                f"{unknown}, and the Bundler install on line {seen['bundle']} puts the gems "
                "where its Ruby keeps them, which dockerls cannot tell; splitting a Ruby "
                "build is not supported yet."
            )
        if node:
            tool = program(unwrap(node[0][2]).name)
            return (
                f"{unknown}; on such a base only a PHP application's `composer install` is "
                f"split, and this file installs with {tool} (line "
                f"{node[0][0].start_line + 1}): build FROM an image dockerls knows to split it."
            )
        return (
            f"{unknown}, and the file shows no dependency install the runtime could be "
            "given apart from the base (a `composer install`)."
        )
    if system is not None:
        return (
            f"{unknown}: `{system[0]}` on line {system[1]} installs into the base's own "
            "directories, which a runtime FROM the same base would not receive."
        )
    writer = next((n for n in seen if n in _BASE_WRITERS), None)
    if writer is not None:
        return (
            f"{unknown}: `{writer}` on line {seen[writer]} writes into the base's own "
            "directories, which dockerls does not know there, so the runtime cannot be given "
            "what it made."
        )
    problem = structure(ctx, stage, [])
    if problem is not None:
        return problem
    planned = composer_dependencies(ctx, stage, composer)
    if isinstance(planned, str):
        return planned
    paths, builder, notes = planned
    distribution = _distribution(ctx, stage)
    info = unknown_image(reference, distribution)
    runtime = Runtime(
        reference, "app", " — the same base, unknown to dockerls: no size estimate", info
    )
    dropped = _node_modules(stage, node, paths)
    if isinstance(dropped, str):
        return dropped
    source = "{build}"
    if dropped:
        runtime.deps_image = "{build}"
        runtime.deps_lines = ["RUN rm -rf " + " ".join(dropped)]
        source = "{deps}"
    runtime.generated += [f"COPY --from={source} {p} {p}" for p in paths]
    gains = ["Composer's development packages" if builder.inserts else ""]
    gains += ["node_modules" if dropped else "", "the caches and what the file installed to build"]
    notes.insert(
        0,
        f"dockerls does not know {reference}, so the runtime is that same image (what it "
        "provides, its command, entrypoint and users are unknown): the gain is only what the "
        f"build added ({', '.join(g for g in gains if g)}), and no size can be estimated.",
    )
    notes.insert(1, _slimmer(reference, distribution))
    notes.insert(
        2,
        f"The runtime receives {', '.join(paths)} from the builder (vendor/ included"
        + (", node_modules left out" if dropped else "")
        + "): files the application reads elsewhere must be copied too.",
    )
    if dropped:
        first = node[0][0].start_line + 1
        start = (
            "the container's command starts no Node tool"
            if any(ins.name in ("CMD", "ENTRYPOINT") for ins in stage.instructions)
            else "the file has no CMD or ENTRYPOINT: the base image's own command is taken "
            "to serve the PHP application without Node"
        )
        notes.append(
            f"node_modules ({', '.join(dropped)}) is removed in a stage FROM the builder and "
            f"left out: the Node install on line {first} serves the build only ({start}); "
            "the build's output inside the application directories is kept."
        )
    notes.append(
        "The runtime keeps the original's USER."
        if has_user(stage) is not None
        else "The runtime starts as the original did: as the base image's own user."
    )
    return assemble(
        ctx,
        stage,
        info=info,
        ecosystem="php",
        builder=builder,
        runtimes=[runtime],
        warnings=notes,
    )


def _slimmer(reference: str, found: tuple[PackageManager, Libc, str] | None) -> str:
    if found is None:
        return (
            f"To go further, rebase on a slimmer image with the same libc and tools as "
            f"{reference}: the file runs no package manager, so its distribution is not known."
        )
    manager, libc, names = found
    return (
        f"To go further, rebase the runtime on a slimmer {names.split(' (')[0]} image with "
        f"what the application needs: the file installs with {manager}, so {reference} is "
        f"{names}, and code built for {libc} needs the same libc."
    )


def _node_modules(
    stage: Stage, node: list[tuple[Instruction, str, Command]], paths: list[str]
) -> list[str] | str:
    """The ``node_modules`` directories of Node installs inside the application
    directories, which the runtime leaves out; a reason when the container needs them."""
    if not node:
        return []
    started = started_tools(stage) & _NODE_TOOLS
    if started:
        tool = sorted(started)[0]
        return (
            f"The container starts `{tool}`, which needs the node_modules the Node install on "
            f"line {node[0][0].start_line + 1} makes; on an unknown base the split keeps only "
            "a PHP application's vendor/."
        )
    out: list[str] = []
    for _, cwd, _ in node:
        folder = resolve(cwd, "node_modules")
        if any((folder + "/").startswith(p.rstrip("/") + "/") for p in paths):
            out.append(folder)
    return list(dict.fromkeys(out))
