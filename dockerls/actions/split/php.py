"""PHP: a ``composer install`` on an official ``php:<version>-<variant>`` image, the
application with its ``vendor/`` copied to the same image without Composer.

The builder keeps the original base and every step; its Composer installs gain
``--no-dev`` (DKL204's own quick fix, offered only when no later step needs the
development packages), so ``vendor/`` and the autoloader hold the production packages
only. ``--optimize-autoloader`` is not added: its class map is written when the install
runs, and a later step that moves or removes a class file would leave the map pointing at
a file that is gone. The runtime is the builder's own image (``php:8.2-cli`` stays
``php:8.2-cli``): the gain is everything the build added to it (Composer, git, unzip,
``-dev`` headers, caches, the development packages). It installs the run-time libraries
of the ``-dev`` packages the builder installed, receives the extensions
``docker-php-ext-install``/``-enable`` and ``pecl`` built with their ini files, the
Apache modules, sites and configurations ``a2en*`` enabled, and the application directories
with ``vendor/``; its libraries are named as the tag's Debian release names them. The cli
variant runs as the image's ``www-data`` (apache and fpm start as root and drop to it
themselves).
"""

from __future__ import annotations

import re

from dockerls.actions.split.core import assemble
from dockerls.actions.split.original_stage import (
    NO_WORKDIR,
    app_paths,
    base_cwd,
    curl_healthcheck,
    cwd_of,
    has_user,
    image_copies,
    installed_packages,
    production_flags,
    resolve,
    started_tools,
    sub,
)
from dockerls.actions.split.plan import Builder, Runtime, SplitAction
from dockerls.actions.split.runtime_images import (
    named_for_release,
    runtime_libraries,
    unknown_libraries,
)
from dockerls.knowledge.images import ImageInfo
from dockerls.rules.build_state import steps
from dockerls.rules.engine import RuleContext
from dockerls.rules.programs import program, unwrap
from dockerls.shell import Command
from dockerls.syntax import Instruction, Stage

# Where the php images' extension helpers write the built extensions and their ini files.
EXTENSIONS = "/usr/local/lib/php/extensions"
CONF_D = "/usr/local/etc/php/conf.d"
_EXTENSION_TOOLS = frozenset({"docker-php-ext-install", "docker-php-ext-enable", "pecl"})
# What a2enmod/a2ensite/a2enconf write (links the runtime copies), and their undoing.
_APACHE_ENABLES = {
    "a2enmod": "/etc/apache2/mods-enabled",
    "a2ensite": "/etc/apache2/sites-enabled",
    "a2enconf": "/etc/apache2/conf-enabled",
}
_APACHE_DISABLES = ("a2dismod", "a2dissite", "a2disconf")
_MANIFEST = re.compile(r"(composer\.(json|lock)|auth\.json)$")
# -dev packages whose libraries every php image already has (PHP itself links them).
_PRESENT = frozenset(
    {"libc6-dev", "libc-dev", "musl-dev", "linux-headers", "libxml2-dev", "libssl-dev"}
    | {"openssl-dev", "zlib1g-dev", "zlib-dev", "libcurl4-openssl-dev", "curl-dev"}
    | {"libsqlite3-dev", "sqlite-dev", "libonig-dev", "oniguruma-dev", "libsodium-dev"}
    | {"libargon2-dev", "argon2-dev", "libedit-dev", "libreadline-dev", "readline-dev"}
)
_COMPOSER_WORDS = ("install", "i", "update", "u", "upgrade", "require", "create-project")


# The end of the note when a tag names no Debian release (``named_for_release``).
_NO_RELEASE = (
    " (current php tags are built on it); an image built on bookworm needs the older names "
    "(libpng16-16, libzip4): name the release in the tag (-bookworm, -trixie) to be sure."
)


def _composer(cmd: Command) -> tuple[Command, str] | None:
    """(the command with the program first, its Composer subcommand) for ``composer …``,
    ``composer.phar …`` and ``php composer.phar …``."""
    work = unwrap(cmd)
    name = program(work.name)
    if name == "php":
        first = work.subcommand()
        if first is None or not re.search(r"(^|/)composer(\.phar)?$", first.text):
            return None
        work = work.shifted(1)
        name = "composer"
    if name not in ("composer", "composer.phar"):
        return None
    verb = sub(work)
    return (work, verb) if verb in _COMPOSER_WORDS else None


def plan_php(ctx: RuleContext, stage: Stage, info: ImageInfo) -> list[SplitAction] | str:
    installs: list[tuple[Instruction, Command, Command]] = []
    seen: dict[str, list[int]] = {}  # program -> the lines of the RUNs that run it
    for step in steps(ctx, stage):
        if step.ins.name != "RUN" or step.onbuild:
            continue
        for cmd in ctx.script(step.ins).commands:
            seen.setdefault(program(unwrap(cmd).name), []).append(step.ins.start_line + 1)
            found = _composer(cmd)
            if found is None:
                continue
            work, verb = found
            if verb not in ("install", "i"):
                return (
                    f"`composer {verb}` on line {step.ins.start_line + 1} resolves versions "
                    "during the build; commit composer.lock and run `composer install`."
                )
            if cmd.wrappers or cmd.in_substitution or cmd.in_subshell:
                line = step.ins.start_line + 1
                return f"The Composer install on line {line} is not a plain command."
            installs.append((step.ins, cmd, work))
    if not installs:
        return (
            "No `composer install` was found: without Composer dependencies there is no "
            "vendor/ to build apart from the runtime."
        )
    disabled = next((name for name in _APACHE_DISABLES if name in seen), None)
    if disabled is not None:
        return (
            f"`{disabled}` on line {seen[disabled][0]} removes Apache configuration, which the "
            "runtime cannot copy; run it in the runtime stage yourself after the split."
        )
    planned = composer_dependencies(ctx, stage, installs)
    if isinstance(planned, str):
        return planned
    paths, builder, notes = planned
    notes.append(
        "--optimize-autoloader is not added: its class map is written at install time, and "
        "a later step that moves or removes a class file would leave it pointing at nothing; "
        "add it yourself when the sources are copied before the install and stay put."
    )
    libraries, unknown = runtime_libraries(installed_packages(ctx, stage), _PRESENT)
    notes += unknown_libraries(unknown, "the extensions built against them need")
    notes += named_for_release(info, libraries, _NO_RELEASE)
    extensions = any(name in seen for name in _EXTENSION_TOOLS)
    system = [*((EXTENSIONS, CONF_D) if extensions else ())]
    system += [folder for name, folder in _APACHE_ENABLES.items() if name in seen]
    copied = [*system, *paths]
    notes.insert(
        0,
        f"The runtime is {info.reference} itself, without Composer and what the build "
        "installed; it receives " + ", ".join(copied) + " from the builder (vendor/ "
        "included): files the application reads elsewhere must be copied too.",
    )
    if extensions:
        notes.append(
            f"The extensions the builder compiled ({EXTENSIONS}) and their ini files "
            f"({CONF_D}) are copied; check `php -m` in the runtime lists them."
        )
    if libraries:
        notes.append(
            "The runtime installs the libraries the extensions load: "
            + " ".join(name for _, name in libraries)
            + "."
        )
    if any(name in seen for name in _APACHE_ENABLES):
        notes.append(
            "The Apache modules, sites and configurations a2enmod/a2ensite/a2enconf enabled in "
            "the builder are enabled in the runtime by copying their *-enabled directories."
        )
    notes += curl_healthcheck(stage)
    if "setfacl" in seen:
        lines = ", ".join(map(str, dict.fromkeys(seen["setfacl"])))
        notes.append(
            f"setfacl (line {lines}) gives users access "
            "through ACLs, which COPY --from=build carries only as extended attributes: check "
            "with getfacl that the runtime's user can still write where it needs to."
        )
    if info.is_full_language_base:
        notes.append(
            f"DKL201 still reports {info.reference} in the runtime: the Debian php images keep "
            "the compilers of $PHPIZE_DEPS. The Alpine variant is smaller but musl: extensions "
            "and native code would have to be built again there (split an Alpine build)."
        )
    runtime = Runtime(
        info.reference, info.kind, " — same image, no Composer or build packages", info
    )
    runtime.packages = list(libraries)
    runtime.generated += [f"COPY --from={{build}} {p}/ {p}/" for p in system]
    runtime.generated += [f"COPY --from={{build}} {p} {p}" for p in paths]
    notes += [note for note in (_user(stage, info, runtime),) if note]
    return assemble(
        ctx,
        stage,
        info=info,
        ecosystem="php",
        builder=builder,
        runtimes=[runtime],
        warnings=notes,
    )


def _vendor_problem(
    ctx: RuleContext, stage: Stage, ins: Instruction, work: Command, paths: list[str]
) -> str | None:
    """Why the ``vendor/`` an install writes would not reach the runtime, if it would not."""
    line = ins.start_line + 1
    if any(c.name == "cd" for c in ctx.script(ins).commands):
        return f"The RUN on line {line} changes directory with `cd`; use WORKDIR."
    option = work.option_value("-d", "--working-dir")
    if option is not None and option.dynamic:
        return f"The Composer install on line {line} runs in a directory known only then."
    where = option.text if option is not None else "."
    if not where.startswith("/") and base_cwd(stage, ins):
        return NO_WORKDIR.format(what=f"the Composer install on line {line}")
    vendor = resolve(resolve(cwd_of(ctx, stage, ins), where), "vendor")
    if not any((vendor + "/").startswith(p.rstrip("/") + "/") for p in paths):
        return (
            f"The Composer install on line {line} writes {vendor}, outside the application "
            f"directories the runtime receives ({', '.join(paths)})."
        )
    return None


def _no_dev(
    ctx: RuleContext, installs: list[tuple[Instruction, Command, Command]], builder: Builder
) -> list[str] | str:
    """DKL204's ``--no-dev`` in each install it finds bringing development packages, or
    why the split is not offered (a later step needs them: tests, a build)."""
    lines = {ins.start_line for ins, _, _ in installs}
    added = production_flags(ctx, lines, builder.inserts, lambda f: f.safe)
    if isinstance(added, int):
        return (
            f"The Composer install on line {added + 1} brings development "
            "packages that a later step seems to need (tests, a build), so `--no-dev` "
            "cannot be added; install with --no-dev after those steps, or drop them."
        )
    if not added:
        return ["The Composer installs are production-only already (--no-dev)."]
    return [
        "The builder's Composer installs gain --no-dev: vendor/ and the autoloader hold the "
        "production packages only (autoload-dev is left out too)."
    ]


def _user(stage: Stage, info: ImageInfo, rt: Runtime) -> str:
    """The cli variant runs as the image's www-data (unless the original chose a user or
    listens on a port below 1024); apache and fpm keep starting as root. Returns the note
    (empty when ``own_workdir`` writes it)."""
    if has_user(stage) is not None:
        return "The runtime keeps the original's USER."
    ports = [
        w.text.split("/")[0] for ins in stage.instructions if ins.name == "EXPOSE" for w in ins.args
    ]
    low = any(p.isdigit() and int(p) < 1024 for p in ports)
    server = next((s for s in ("apache", "fpm") if s in (info.tag or "")), None)
    if server is not None or low:
        why = f"{server} drops to www-data itself" if server else "it listens below port 1024"
        return f"The runtime starts as root like the original ({why})."
    rt.user = "www-data"  # the php images' own user; own_workdir's note says what changed
    return ""


# What the same-base planner (``same_base.py``, an unknown base with a Composer install)
# reads as this planner does.


def composer_dependencies(
    ctx: RuleContext, stage: Stage, installs: list[tuple[Instruction, Command, Command]]
) -> tuple[list[str], Builder, list[str]] | str:
    """What a runtime receives of the stage's Composer ``installs`` (on a php image or on a
    base dockerls does not know): the application directories (with ``vendor/``), the
    builder with the installs' ``--no-dev`` and the notes; or why not."""
    if "composer" in started_tools(stage) and not any(
        "composer" in " ".join(sources) for _, _, sources in image_copies(stage)
    ):
        return "The container starts Composer, which the runtime does not have."
    paths = app_paths(ctx, stage, _MANIFEST)
    if isinstance(paths, str):
        return paths
    for ins, _, work in installs:
        problem = _vendor_problem(ctx, stage, ins, work, paths)
        if problem is not None:
            return problem
    builder = Builder()
    notes = _no_dev(ctx, installs, builder)
    if isinstance(notes, str):
        return notes
    return paths, builder, notes


def composer_install(cmd: Command) -> Command | str | None:
    """``cmd`` with the program first when it is a ``composer install``; None when it is
    no Composer command; for another Composer command that resolves versions, the reason
    (with ``{line}`` to fill in)."""
    found = _composer(cmd)
    if found is None:
        return None
    work, verb = found
    if verb not in ("install", "i"):
        return (
            f"`composer {verb}` on line {{line}} resolves versions during the build; commit "
            "composer.lock and run `composer install`."
        )
    return work
