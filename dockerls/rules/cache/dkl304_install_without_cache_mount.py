"""DKL304 install-without-cache-mount: A package install could keep its downloads in a
BuildKit cache mount."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Fix, TextEdit
from dockerls.rules.build_state import Step, is_root, steps
from dockerls.rules.cache.cache_mounts import under
from dockerls.rules.cache.package_indexes import APT, index_word
from dockerls.rules.dependency_steps import dependency_step, shown
from dockerls.rules.doc_links import CACHE_OPTIMIZE, DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.instruction_parts import cache_targets
from dockerls.rules.package_managers import MANAGERS, Manager, manager
from dockerls.rules.programs import program, unwrap
from dockerls.shell import Command, Word
from dockerls.syntax import Severity, Span
from dockerls.wording import join


def _cache_user(cmd: Command) -> tuple[Manager, Command, Word] | None:
    """(its manager, the command, its install word) when ``cmd`` downloads packages
    into a cache that a mount could keep."""
    if index_word(cmd, APT, frozenset({"install"})) is not None:
        word = cmd.subcommand()
        return (MANAGERS["apt"], cmd, word) if word is not None else None
    if cmd.name == "apk":
        word = cmd.subcommand()
        return (MANAGERS["apk"], cmd, word) if word is not None and word.text == "add" else None
    step = dependency_step(cmd)
    if step is not None and manager(step.manager).mounts:
        return manager(step.manager), step.command, step.word
    unwrapped = unwrap(cmd)
    name = program(unwrapped.name)
    sub = unwrapped.subcommand()
    if sub is not None and name in ("pip", "npm", "go", "cargo") and sub.text == "install":
        return MANAGERS[name], unwrapped, sub
    return None


def _mount_text(m: Manager) -> str:
    sharing = ",sharing=locked" if m.locked else ""
    return " ".join(f"--mount=type=cache,target={t}{sharing}" for t in m.mounts)


@rule(
    "DKL304",
    "install-without-cache-mount",
    Category.CACHE,
    Severity.HINT,
    scope=Scope.STAGE,
    summary="A package install could keep its downloads in a BuildKit cache mount.",
    enabled_by_default=False,
    docs=RuleDocs(
        what="A RUN that downloads packages (apt-get install, apk add, pip, npm, Yarn, pnpm, "
        "Bun, uv, Poetry, Go, Cargo, Maven, Gradle, dotnet) without a "
        "`--mount=type=cache` on the package manager's cache directory. Off by default: it "
        "is an opportunity, not a defect. Installs that turn the cache off (`apk add "
        "--no-cache`, `pip --no-cache-dir`, `PIP_NO_CACHE_DIR`, `UV_NO_CACHE`) are left alone.",
        why="When a dependency layer has to be rebuilt, every package is downloaded again. A "
        "cache mount persists the manager's download cache on the builder between builds, so "
        "a rebuild fetches only what changed, and the cache never lands in the image.",
        example="FROM node:22-slim\nCOPY package.json package-lock.json ./\nRUN npm ci",
        instead="FROM node:22-slim\nCOPY package.json package-lock.json ./\n"
        "RUN --mount=type=cache,target=/root/.npm npm ci",
        fix_safety="The fix adds `--mount=type=cache,target=<dir>` right after RUN, with the "
        "manager's default cache directory for root (apt gets /var/cache/apt and /var/lib/apt "
        "with `sharing=locked`; the official Debian and Ubuntu images also delete downloaded "
        "archives through /etc/apt/apt.conf.d/docker-clean, which has to go for that cache to "
        "fill). It needs BuildKit, and is not offered when the stage runs as another user or "
        "moves the cache with an environment variable.",
        references=(
            CACHE_OPTIMIZE + "#use-cache-mounts",
            DOCKERFILE_REFERENCE + "#run---mounttypecache",
        ),
    ),
)
def install_without_cache_mount(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        image = ctx.image(stage)
        linux = image is None or image.os == "linux"  # the mount targets are root's on Linux
        for step in steps(ctx, stage):
            if step.ins.name != "RUN":
                continue
            user = step.scope.user
            if user is None:
                root = image is None or is_root(image.default_user)
            else:
                root = is_root(user.name or "")
            yield from _cache_mount_hits(ctx, step, linux and root)


def _cache_mount_hits(ctx: RuleContext, step: Step, root: bool) -> Iterator[Hit]:
    ins, unknown = step.ins, step.scope.unknown
    script = ctx.script(ins)
    inline = (*script.assignments, *(a for cmd in script.commands for a in cmd.assignments))
    env = {**step.env, **{a.name: a.value.text if a.value else "" for a in inline}}
    moved = {name.upper() for name in (*env, *unknown)}
    reported: set[Manager] = set()
    for cmd in script.commands:
        found = _cache_user(cmd)
        if found is None or found[0] in reported:
            continue
        m, command, word = found
        mounted = any(under(t, d) for t in cache_targets(ins) for d in m.mounts)
        if mounted or m.cache_off(command, env, unknown):
            continue
        reported.add(m)
        fixes: tuple[Fix, ...] = ()
        if root and not (moved & m.moved_by):
            at = ins.keyword.span.end
            fixes = (
                Fix(
                    f"Add a BuildKit cache mount on {join(m.mounts)}",
                    (TextEdit(Span(at, at), f" {_mount_text(m)}"),),
                    safe=False,
                ),
            )
        yield Hit(
            word.span,
            f"`{shown(command, word)}` downloads every package again whenever "
            f"this layer is rebuilt. A cache mount on {join(m.mounts)} keeps the "
            f"{m.label} downloads between builds, outside the image.",
            fixes=fixes,
        )
