"""Shared machinery of the split refactoring: the placement of instructions, the
checks every ecosystem shares, and the text of the result. Pure."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from dockerls.findings import Fix, TextEdit
from dockerls.knowledge.images import ImageInfo, package_kind
from dockerls.rules.build_state import final_scope, steps
from dockerls.rules.engine import RuleContext
from dockerls.rules.package_managers import PACKAGE_INSTALLS
from dockerls.shell import Command
from dockerls.syntax import Instruction, Position, Severity, Span, Stage, parse


@dataclass(frozen=True, slots=True)
class SplitAction:
    """One offered rewrite: apply ``edits`` together."""

    title: str
    edits: tuple[TextEdit, ...]
    ecosystem: str  # "node", "go", "python", "java", "rust", "generic"
    runtime_image: str
    size_before_mb: float | None
    size_after_mb: float | None
    warnings: tuple[str, ...] = ()

    @property
    def fix(self) -> Fix:
        """The rewrite as a ``Fix``: never safe (what the app reads at run time is unknown)."""
        return Fix(self.title, self.edits, safe=False)


# --------------------------------------------------------------------------- tables

MOVED = frozenset(
    {"LABEL", "EXPOSE", "VOLUME", "USER", "HEALTHCHECK", "STOPSIGNAL"}
    | {"ENTRYPOINT", "CMD", "ONBUILD", "MAINTAINER"}
)
COPIED = frozenset({"ARG", "ENV", "WORKDIR"})
BUILDER = frozenset({"RUN", "COPY", "ADD"})
# Programs whose effect is on the running container, not on the build (configure.py places
# some of them: PLACEABLE).
CONFIGURES = frozenset(
    {"useradd", "adduser", "addgroup", "groupadd", "usermod", "groupmod", "chown", "chmod"}
    | {"chgrp", "ln", "setcap", "mkdir", "update-ca-certificates", "cp", "mv", "echo"}
    | {"sed", "tee", "printf", "cat", "touch", "locale-gen", "npm-install-global"}
)
# Runtime-kind packages a build step legitimately fetches with.
FETCH_PACKAGES = frozenset({"git", "curl", "wget", "ca-certificates", "openssh-client", "bash"})
CGO_PACKAGES = frozenset(
    {"gcc", "g++", "musl-dev", "build-base", "libc-dev", "libc6-dev", "clang", "build-essential"}
)
NPX_BUILDS = frozenset({"tsc", "webpack", "esbuild", "rollup", "nest", "vite", "tsup"})
OUTPUT_DIRS = frozenset({"dist", "build", "out", "lib"})
PATH_DIRS = frozenset({"/usr/local/bin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/sbin"})
# Debian releases by code name and number; the slim image of each.
DEBIAN_RELEASES = {
    "jessie": "8",
    "stretch": "9",
    "buster": "10",
    "bullseye": "11",
    "bookworm": "12",
    "trixie": "13",
}
DEBIAN_SLIM = {name: f"debian:{number}-slim" for name, number in DEBIAN_RELEASES.items()}
NEWEST_DEBIAN = "trixie"
DISTROLESS_SUITES = {"debian12": "bookworm", "debian13": "trixie"}
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
# OS packages a build installs to install or build, never to run the program: they stay
# in the builder even where the knowledge base counts them as run-time pieces.
BUILD_ONLY = frozenset(
    {"python3-pip", "python-pip", "py3-pip", "python3-venv", "python3-setuptools"}
    | {"python3-wheel", "py3-setuptools", "py3-wheel", "python3-distutils", "pipx"}
    | {"python3-poetry", "pipenv", "patch"}
)


# -dev package -> the shared library the built extension loads at run time.
RUNTIME_LIBRARY: dict[str, dict[str, str]] = {
    "apt-get": {
        "libpq-dev": "libpq5",
        "default-libmysqlclient-dev": "libmariadb3",
        "libmariadb-dev": "libmariadb3",
        "libmariadb-dev-compat": "libmariadb3",
        "libjpeg-dev": "libjpeg62-turbo",
        "libjpeg62-turbo-dev": "libjpeg62-turbo",
        "libxslt1-dev": "libxslt1.1",
        "libxslt-dev": "libxslt1.1",
        "libgeos-dev": "libgeos-c1v5",
        "libmagic-dev": "libmagic1",
        "libyaml-dev": "libyaml-0-2",
    },
    "apk": {
        "postgresql-dev": "libpq",
        "libpq-dev": "libpq",
        "mariadb-dev": "mariadb-connector-c",
        "mariadb-connector-c-dev": "mariadb-connector-c",
        "jpeg-dev": "libjpeg-turbo",
        "libjpeg-turbo-dev": "libjpeg-turbo",
        "libxml2-dev": "libxml2",
        "libxslt-dev": "libxslt",
        "libffi-dev": "libffi",
        "yaml-dev": "yaml",
        "geos-dev": "geos",
    },
}
# --------------------------------------------------------------------------- planning


@dataclass(slots=True)
class Runtime:
    """What one runtime stage receives (besides the copied and moved instructions)."""

    image: str
    kind: str
    label: str  # the title's suffix after the image: " — musl"
    info: ImageInfo | None
    generated: list[str] = field(default_factory=list)  # lines after ARG/ENV/WORKDIR
    user: str | None = None  # USER added when the original had none
    deps_image: str | None = None  # a production-dependencies stage before the runtime
    deps_lines: list[str] = field(default_factory=list)  # its lines after ARG/ENV/WORKDIR
    packages: list[tuple[str, str]] = field(default_factory=list)  # (manager, name) to install
    drop_words: int = 0  # CMD ["node", x] becomes CMD [x]: the image's entrypoint runs node
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Builder:
    """Insertions into the builder's lines: (line, column, text); ``workdir``: a WORKDIR
    the split adds to every stage, right after FROM (the original had none)."""

    inserts: list[tuple[int, int, str]] = field(default_factory=list)
    workdir: str | None = None


def debian_release(info: ImageInfo) -> str | None:
    """The code name of the Debian release ``info`` is built on, from its tag: a suite
    (``buster``, ``-slim-bookworm``) or a Debian image's version (``debian:10``)."""
    if info.suite in DEBIAN_RELEASES:
        return info.suite
    if info.family == "debian":
        number = (info.version or "").split(".")[0]
        return next((name for name, n in DEBIAN_RELEASES.items() if n == number), None)
    return None


def debian_slim(info: ImageInfo, fallback: str = NEWEST_DEBIAN) -> tuple[str, str, list[str]]:
    """(image, release, notes): the Debian slim image of the builder's release (a slim
    Debian builder itself), so that a program compiled there finds the same C library and
    shared libraries; ``fallback``'s with a note when the tag names no release."""
    release = debian_release(info)
    if info.family == "debian" and info.kind == "slim":
        return info.reference, release or fallback, []
    if release is not None:
        return DEBIAN_SLIM[release], release, []
    note = (
        "The builder's Debian release is not in its tag: the runtime is "
        f"{DEBIAN_SLIM[fallback]}; its glibc must be at least as new as the builder's "
        "(name the release in both tags to be sure)."
    )
    return DEBIAN_SLIM[fallback], fallback, [note]


def structure(
    ctx: RuleContext, stage: Stage, carry: list[tuple[str, str]] | None = None
) -> str | None:
    """Reasons that hold for every ecosystem: instructions the split cannot place.

    With ``carry``, OS packages the application may need at run time do not stop the
    split: they are collected there as (package manager, package) for the runtime."""
    seen_build = False
    for ins in reversed(stage.instructions):
        if ins.name in BUILDER:
            seen_build = True
        if ins.name == "SHELL":
            return (
                "A SHELL instruction changes how the build runs; splitting it is not supported yet."
            )
        if ins.name == "USER" and seen_build:
            return (
                f"USER on line {ins.start_line + 1} runs before build steps, which depend on it; "
                "the split would change who builds."
            )
        if ins.name == "ONBUILD" and ins.trigger is not None and ins.trigger.name in BUILDER:
            return (
                f"ONBUILD {ins.trigger.name} on line {ins.start_line + 1} builds in child images."
            )
    for step in steps(ctx, stage):
        if "$" in step.cwd:
            return f"The working directory at line {step.ins.start_line + 1} is not known."
        if step.ins.name != "RUN" or step.onbuild:
            continue
        script = ctx.script(step.ins)
        if script.has_error:
            return f"The RUN on line {step.ins.start_line + 1} could not be read as shell."
        from dockerls.actions.split.configure import place  # it builds on this module

        placed = place(ctx, stage, step.ins, posixpath.normpath(step.cwd))
        if isinstance(placed, str):
            return (
                f"The RUN on line {step.ins.start_line + 1} {placed}; the split cannot tell "
                "what belongs to the builder and what to the runtime."
            )
        if placed is not None:
            continue  # assemble() places it
        final_cwd = cwd_of(ctx, stage, None)
        kept = [final_cwd, *(d for _, d in destinations(ctx, stage) if d is not None)]
        for cmd in script.commands:
            reason = configures(cmd, step.cwd, kept, carry)
            if reason is not None:
                return (
                    f"The RUN on line {step.ins.start_line + 1} {reason}; the split cannot tell "
                    "whether it belongs to the builder or the runtime."
                )
    return None


def configures(
    cmd: Command, cwd: str, kept: Sequence[str], carry: list[tuple[str, str]] | None = None
) -> str | None:
    """What a command does to the running container, if anything.

    ``kept``: directories that exist in the runtime anyway (the final WORKDIR) or
    that later COPY/ADD instructions fill; creating one of them (or a parent) is harmless.
    """
    name = cmd.name
    if name == "mkdir":
        paths = [w for w in cmd.positionals() if not w.text.startswith("-")]
        if paths and all(
            not w.dynamic
            and any(
                (k.rstrip("/") + "/").startswith(resolve(cwd, w.text).rstrip("/") + "/")
                for k in kept
            )
            for w in paths
        ):
            return None
    if name in CONFIGURES:
        return f"runs `{name}`, which configures the running container"
    verb = sub(cmd)
    if verb is not None and verb in PACKAGE_INSTALLS.get(name, ()):
        for word in cmd.positionals()[1:]:
            package = re.split(r"[=<>~]", word.text.strip("\"'"), maxsplit=1)[0].lower()
            if word.dynamic:
                return f"installs `{word.text}` (packages not known before the build)"
            if package in FETCH_PACKAGES or package in CGO_PACKAGES or package in BUILD_ONLY:
                continue
            if package_kind(package, name) != "build":
                if carry is None:
                    return f"installs `{package}`, which the application may need at run time"
                if (name, package) not in carry:
                    carry.append((name, package))
    return None


def installed_packages(ctx: RuleContext, stage: Stage) -> list[tuple[str, str]]:
    """(manager, package) for each OS package an apt-get/apk install of the stage names."""
    out: list[tuple[str, str]] = []
    for ins in stage.instructions:
        if ins.name != "RUN":
            continue
        for cmd in ctx.script(ins).commands:
            word = cmd.subcommand()
            if word is None or word.text not in PACKAGE_INSTALLS.get(cmd.name, ()):
                continue
            manager = "apk" if cmd.name == "apk" else "apt-get"
            for arg in cmd.positionals()[1:]:
                name = re.split(r"[=<>~]", arg.text.strip("\"'"), maxsplit=1)[0].lower()
                if (manager, name) not in out:
                    out.append((manager, name))
    return out


def runtime_libraries(
    packages: list[tuple[str, str]], present: frozenset[str] = frozenset()
) -> tuple[list[tuple[str, str]], list[str]]:
    """The run-time libraries of the known ``-dev`` packages among ``packages``, and the
    ``-dev`` packages with no known library (except those in ``present``)."""
    libraries: list[tuple[str, str]] = []
    unknown: list[str] = []
    for manager, name in packages:
        library = RUNTIME_LIBRARY.get(manager, {}).get(name)
        if library is not None and (manager, library) not in libraries:
            libraries.append((manager, library))
        elif re.search(r"-(dev|devel)$", name) and name not in present and name not in unknown:
            unknown.append(name)
    return libraries, unknown


def unknown_libraries(unknown: list[str], needs: str = "the program needs") -> list[str]:
    """The warning naming the ``-dev`` packages whose run-time library is not known."""
    if not unknown:
        return []
    return [
        "Build packages whose run-time libraries the split does not know: "
        f"{', '.join(unknown)}; {needs} those libraries in the runtime."
    ]


def destinations(ctx: RuleContext, stage: Stage) -> list[tuple[Instruction, str | None]]:
    """Each COPY/ADD of the stage with its absolute destination (None: not known)."""
    out: list[tuple[Instruction, str | None]] = []
    for step in steps(ctx, stage):
        ins = step.ins
        if ins.name not in ("COPY", "ADD") or step.onbuild:
            continue
        words = [w.text for w in (ins.exec_form.elements if ins.exec_form else ins.args)]
        if len(words) < 2 or "$" in words[-1]:
            out.append((ins, None))
            continue
        out.append((ins, resolve(step.cwd, words[-1])))
    return out


def sub(cmd: Command) -> str | None:
    word = cmd.subcommand()
    return None if word is None else word.text


def commands(ctx: RuleContext, stage: Stage, name: str) -> list[tuple[Instruction, Command]]:
    return [
        (ins, cmd)
        for ins in stage.instructions
        if ins.name == "RUN"
        for cmd in ctx.script(ins).commands
        if cmd.name == name
    ]


def cwd_of(ctx: RuleContext, stage: Stage, ins: Instruction | None) -> str:
    """The working directory ``ins`` runs in (None: after the stage's last instruction)."""
    if ins is None:
        return posixpath.normpath(final_scope(ctx, stage).cwd)
    for step in steps(ctx, stage):
        if step.ins is ins:
            return posixpath.normpath(step.cwd)
    return "/"


def entry(stage: Stage) -> list[str] | None:
    """The argv the container starts with (ENTRYPOINT + CMD), when it can be read."""
    entry: list[str] | None = None
    cmd: list[str] | None = None
    for ins in stage.instructions:
        if ins.name not in ("ENTRYPOINT", "CMD"):
            continue
        if ins.exec_form is not None:
            words = [e.text for e in ins.exec_form.elements]
        elif ins.rest is not None:
            words = ins.rest.text.split()
        else:
            words = []
        if ins.name == "ENTRYPOINT":
            entry, cmd = words, None
        else:
            cmd = words
    argv = (entry or []) + (cmd or [])
    return argv or None


def shell_form(stage: Stage, *names: str) -> Instruction | None:
    for ins in stage.instructions:
        if ins.name in names and ins.exec_form is None and ins.rest is not None:
            if ins.name == "HEALTHCHECK":
                words = ins.rest.text.split()
                if words and words[0].upper() == "NONE":
                    continue
            return ins
    return None


def healthcheck(stage: Stage) -> Instruction | None:
    for ins in stage.instructions:
        if (
            ins.name == "HEALTHCHECK"
            and ins.rest is not None
            and ins.rest.text.split()[:1] != ["NONE"]
        ):
            return ins
    return None


def curl_healthcheck(stage: Stage) -> list[str]:
    """A warning when HEALTHCHECK calls curl or wget, which slim runtimes lack."""
    health = healthcheck(stage)
    text = health.rest.text if health is not None and health.rest is not None else ""
    if re.search(r"\b(curl|wget)\b", text):
        return ["HEALTHCHECK calls curl or wget, which the slim runtime does not have."]
    return []


def base_cwd(stage: Stage, ins: Instruction | None) -> bool:
    """Whether ``ins`` (None: the end of the stage) runs in the base image's own working
    directory, which the knowledge base does not record (golang's is /go): no absolute
    WORKDIR precedes it."""
    for other in stage.instructions:
        if other is ins:
            break
        if other.name == "WORKDIR" and other.args and other.args[0].text.startswith(("/", "$")):
            return False  # a variable: structure() refuses when it is not known
    return True


NO_WORKDIR = (
    "There is no WORKDIR before {what}, so it depends on the base image's own working "
    "directory; add `WORKDIR /app` (or another absolute path) first."
)


def add_user(rt: Runtime, libc: str) -> None:
    """A non-root user ``app`` created in the runtime (Debian/Ubuntu or Alpine)."""
    # first: the files copied into the working directory are copied --chown=app
    rt.generated.insert(
        0, "RUN adduser -D app" if libc == "musl" else "RUN useradd --create-home app"
    )
    rt.user = "app"


def own_workdir(rt: Runtime, wd: str | None) -> tuple[bool, str]:
    """Make the working directory ``wd`` (None: there is none) writable by the user the
    split adds, as the original's root could write there: the files the runtime copies into
    it are copied ``--chown``, and the directory itself is the user's: created by WORKDIR
    after USER on an image without a shell (BuildKit creates it as the current user), or
    ``RUN chown`` after the copies. Returns (USER first, the note saying what changed)."""
    if rt.user is None:
        return False, ""
    name = rt.user.split(":")[0]
    if wd is None:
        return False, (
            f"The runtime runs as {name} (the original ran as root): files it writes at run "
            "time need a directory it owns (COPY --chown, or a volume)."
        )
    inside = wd.rstrip("/") + "/"
    for i, line in enumerate(rt.generated):
        words = line.split(" ")
        copy = len(words) == 4 and words[0] == "COPY" and words[1].startswith("--from=")
        if copy and (resolve(wd, words[3]) + "/").startswith(inside):
            rt.generated[i] = f"COPY {words[1]} --chown={rt.user} {words[2]} {words[3]}"
    info = rt.info
    owner = info is not None and name in (info.default_user, str(info.default_uid))
    first = rt.kind in SHELL_LESS and not owner
    if not first and not owner:
        rt.generated.append(f"RUN chown {rt.user} {wd}")
    how = (
        "the image's own user"
        if owner
        else "USER before WORKDIR"
        if first
        else f"RUN chown {rt.user} {wd}"
    )
    return first, (
        f"The runtime runs as {name} (the original ran as root): the working directory {wd} "
        f"is {name}'s ({how}) and the files copied into it are copied --chown={rt.user}, so "
        "the application can write there as before; elsewhere it needs a directory it owns "
        "(or a volume)."
    )


SHELL_LESS = frozenset({"static", "scratch", "distroless"})


def binary_runtimes(stage: Stage, runtimes: list[Runtime]) -> list[Runtime] | str:
    """The runtimes that can run one copied program, each with its user: shell-less
    ones (distroless, scratch) only for exec-form starts without HEALTHCHECK and with a
    USER they have; a Debian slim runtime gets a new user when the original had none."""
    shell = shell_form(stage, "CMD", "ENTRYPOINT", "HEALTHCHECK")
    reason = None
    if shell is not None:
        reason = (
            f"{shell.name} on line {shell.start_line + 1} is in shell form, and a static "
            "runtime (distroless, scratch) has no shell."
        )
    elif healthcheck(stage) is not None:
        reason = "HEALTHCHECK needs a program the static runtime does not have."
    user = has_user(stage)
    name = (user.rest.text if user is not None and user.rest else "").split(":")[0]
    out: list[Runtime] = []
    for rt in runtimes:
        if rt.kind in SHELL_LESS:
            allowed = () if rt.kind == "scratch" else ("root", "nonroot", "nobody")
            if reason is not None:
                continue
            if user is not None and not name.isdigit() and name not in allowed:
                reason = f"USER {name} does not exist in {rt.image}."
                continue
            if user is None:
                rt.user = "65532:65532" if rt.kind == "scratch" else "nonroot"
        elif user is None:
            add_user(rt, rt.info.libc if rt.info is not None else "glibc")
        out.append(rt)
    if not out:
        return reason or "No runtime base fits this container."
    return out


def has_user(stage: Stage) -> Instruction | None:
    return next((i for i in stage.instructions if i.name == "USER"), None)


def distroless_user(stage: Stage) -> bool:
    """Whether the stage's USER, if it has one, exists on distroless images: root,
    nonroot or a numeric id (there is no shell to create another)."""
    user = has_user(stage)
    if user is None:
        return True
    name = (user.rest.text if user.rest else "").split(":")[0]
    return name.isdigit() or name in ("root", "nonroot")


def resolve(cwd: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(cwd, path))


def app_paths(ctx: RuleContext, stage: Stage, manifest: re.Pattern[str]) -> list[str] | str:
    """The directories and files the runtime copies from the builder: the final
    WORKDIR when something was copied into it, and every other COPY/ADD destination
    except the install's manifests (``manifest`` matches their names) and tools from
    other images; a reason when one of them is / or not known."""
    final = cwd_of(ctx, stage, None)
    wanted: list[str] = []
    for ins, dest in destinations(ctx, stage):
        if dest is None:
            return f"The destination of the {ins.name} on line {ins.start_line + 1} is not known."
        source_flag = ins.flag("from")
        if source_flag is not None:
            continue  # a tool from another image (uv, poetry): the builder's
        words = [w.text for w in (ins.exec_form.elements if ins.exec_form else ins.args)]
        if all(manifest.search(w) for w in words[:-1]):
            continue
        if not words[-1].startswith("/") and base_cwd(stage, ins):
            return NO_WORKDIR.format(what=f"the {ins.name} on line {ins.start_line + 1}")
        inside = final != "/" and (dest + "/").startswith(final.rstrip("/") + "/")
        path = final if inside else dest
        if path == "/":
            return (
                f"The {ins.name} on line {ins.start_line + 1} puts the application in /; the "
                "split cannot copy it apart from the system (use a WORKDIR such as /app)."
            )
        if path not in wanted:
            wanted.append(path)
    kept = [p for p in wanted if not any(p.startswith(q.rstrip("/") + "/") for q in wanted)]
    if not kept:
        return "No application files are copied into the image (COPY/ADD), so nothing to run."
    return kept


# --------------------------------------------------------------------------- text


def newline(text: str) -> str:
    match = re.search(r"\r\n|\n|\r", text)
    return match.group(0) if match else "\n"


def block_start(lines: Sequence[str], ins: Instruction, floor: int) -> int:
    """The first line of the comments directly above ``ins`` (not above ``floor``)."""
    first = ins.start_line
    while first - 1 > floor and lines[first - 1].strip().startswith("#"):
        first -= 1
    return first


def assemble(
    ctx: RuleContext,
    stage: Stage,
    *,
    info: ImageInfo,
    ecosystem: str,
    builder: Builder,
    runtimes: list[Runtime],
    warnings: list[str],
) -> list[SplitAction] | str:
    doc = ctx.document
    lines = list(doc.lines)
    nl = newline(doc.text)
    name = stage.name.text if stage.name is not None else "build"
    assert stage.image is not None
    inserts = list(builder.inserts)
    if stage.name is None:
        end = stage.image.span.end
        inserts.append((end.line, end.column, " AS build"))
    for line, column, text in sorted(inserts, reverse=True):
        lines[line] = lines[line][:column] + text.replace("\n", nl) + lines[line][column:]

    copied: list[list[str]] = [[f"WORKDIR {builder.workdir}"]] if builder.workdir else []
    moved: list[tuple[Instruction, int, list[str]]] = []
    removed: set[int] = set()
    previous_end = stage.from_.end_line
    previous_moved = False
    for ins in stage.instructions:
        first = block_start(doc.lines, ins, previous_end)
        if ins.name in MOVED and previous_moved:
            first = previous_end + 1  # the blank lines between two moved ones travel too
        block = lines[first : ins.end_line + 1]
        if ins.name in MOVED:
            moved.append((ins, first, block))
            removed.update(range(first, ins.end_line + 1))
        elif ins.name in COPIED:
            copied.append(block)
        previous_end = ins.end_line
        previous_moved = ins.name in MOVED
    start = stage.from_.start_line
    kept = [line for n, line in enumerate(lines[start:], start) if n not in removed]
    kept = tidy(kept)
    warnings = warnings + carry_tools(doc.lines, stage, runtimes) + copy_data(ctx, stage, runtimes)
    carried: list[tuple[str, str]] = []
    structure(ctx, stage, carried)
    runtimes, refused = _with_packages(runtimes, carried)
    if not runtimes:
        return refused or "No runtime base can install the packages the application needs."
    from dockerls.actions.split.configure import place_in_runtimes, placements

    runtimes, placed_notes, refused = place_in_runtimes(doc.lines, placements(ctx, stage), runtimes)
    if not runtimes:
        return refused or "No runtime base can take the RUNs that configure the container."
    warnings += placed_notes
    actions: list[SplitAction] = []
    deps = "deps" if name.lower() != "deps" else "deps-prod"
    wd = builder.workdir or (None if base_cwd(stage, None) else cwd_of(ctx, stage, None))
    for rt in runtimes:
        out = list(kept)
        user_first, note = own_workdir(rt, wd if wd != "/" else None)
        if note:
            rt.warnings.append(note)
        if rt.deps_image is not None:
            out += ["", f"FROM {rt.deps_image.replace('{build}', name)} AS {deps}"]
            if rt.deps_image != "{build}":  # a stage FROM the builder has them already
                for block in copied:
                    out += block
            out += [g.replace("{build}", name) for g in rt.deps_lines]
        out += ["", f"FROM {rt.image}"]
        if user_first:
            out.append(f"USER {rt.user}")
        for block in copied:
            out += block
        out += [g.replace("{build}", name).replace("{deps}", deps) for g in rt.generated]
        if rt.user is not None and not user_first:
            out.append(f"USER {rt.user}")
        for ins, first, block in moved:
            if rt.drop_words and ins.name == "CMD" and ins.exec_form is not None:
                argv = [e.text for e in ins.exec_form.elements][rt.drop_words :]
                comments = block[: ins.start_line - first]
                out += [*comments, f"{ins.keyword.text} {json.dumps(argv, ensure_ascii=False)}"]
                continue
            out += block
        new_text_tail = nl.join(out) + nl
        edit = TextEdit(
            Span(Position(start, 0), Position(len(doc.lines) - 1, len(doc.lines[-1]))),
            new_text_tail,
        )
        check = verify(doc.text, edit, 3 if rt.deps_image is not None else 2)
        if check is not None:
            return check
        size_before, size_after = sizes(info, rt)
        notes = list(warnings) + rt.warnings
        if size_before is not None and size_after is not None:
            notes.insert(
                0,
                f"Base images (uncompressed, as `docker images` shows them, linux/amd64): "
                f"{info.reference} {size_before:g} MB, {rt.image} {size_after:g} MB.",
            )
        actions.append(
            SplitAction(
                f"Split into build and runtime stages (runtime on {rt.image}{rt.label})",
                (edit,),
                ecosystem,
                rt.image,
                size_before,
                size_after,
                tuple(notes),
            )
        )
    return actions


def _with_packages(
    runtimes: list[Runtime], carried: list[tuple[str, str]]
) -> tuple[list[Runtime], str | None]:
    """Each runtime with an install of its packages and of the OS packages the original
    installed for the application (``carried``), first among its generated lines;
    runtimes that cannot install them (no shell, another package manager) are dropped."""
    out: list[Runtime] = []
    refused = None
    for rt in runtimes:
        wanted = list(dict.fromkeys(rt.packages + carried))
        if not wanted:
            out.append(rt)
            continue
        manager = rt.info.package_manager if rt.info is not None else "apt"
        names = " ".join(name for _, name in wanted)
        if any({"apt-get": "apt"}.get(m, m) != manager for m, _ in wanted):
            refused = (
                f"The application needs OS packages ({names}) that {rt.image} cannot install "
                "the same way."
            )
            continue
        if manager == "apk":
            line = f"RUN apk add --no-cache {names}"
        else:
            line = (
                "RUN apt-get update && apt-get install -y --no-install-recommends "
                f"{names} && rm -rf /var/lib/apt/lists/*"
            )
        rt.generated.insert(0, line)
        if carried:
            rt.warnings.append(
                "The runtime installs the OS packages the original installed for the "
                f"application: {' '.join(n for _, n in carried)}."
            )
        out.append(rt)
    return out, refused


def image_copies(stage: Stage) -> list[tuple[Instruction, str, list[str]]]:
    """Each ``COPY --from=<image>`` of the stage (a tool taken from another image, such as
    ``COPY --from=ghcr.io/astral-sh/uv /uv /uvx /bin/``): (COPY, image, source paths)."""
    out: list[tuple[Instruction, str, list[str]]] = []
    for ins in stage.instructions:
        flag = ins.flag("from") if ins.name == "COPY" else None
        if flag is None or flag.value is None:
            continue
        words = [w.text for w in (ins.exec_form.elements if ins.exec_form else ins.args)]
        out.append((ins, flag.value.text, words[:-1]))
    return out


def started_tools(stage: Stage) -> set[str]:
    """The program names the container starts with: the first word of ENTRYPOINT/CMD and,
    when that is a shell (``sh -c "uv run app"``), the first word of its command."""
    argv = entry(stage) or []
    names = {posixpath.basename(argv[0])} if argv else set()
    if len(argv) > 2 and names & {"sh", "bash", "dash"} and argv[1] == "-c":
        names.add(posixpath.basename((argv[2].split() or [""])[0]))
    return names


def carry_tools(doc_lines: Sequence[str], stage: Stage, runtimes: list[Runtime]) -> list[str]:
    """Tools copied into the builder from other images: the COPY of one the container
    starts (``uv run …``) is repeated, byte for byte, first in every runtime; the others
    stay in the builder, and the returned notes say so."""
    started = started_tools(stage)
    lines: list[str] = []
    notes: list[str] = []
    for ins, image, sources in image_copies(stage):
        names = {posixpath.basename(src.rstrip("/")) for src in sources}
        where = f"COPY --from={image} on line {ins.start_line + 1}"
        if names & started:
            lines += doc_lines[ins.start_line : ins.end_line + 1]
            notes.append(
                f"The container runs {', '.join(sorted(names & started))}, which the builder "
                f"copies from another image ({where}): the runtime copies it the same way."
            )
        else:
            notes.append(
                f"{', '.join(sources)} ({where}) stays in the builder: a command that runs "
                f"{', '.join(sorted(names))} in the container fails in the runtime."
            )
    for rt in runtimes:
        rt.generated[0:0] = lines
    return notes


# Root entries of a build context that hold code, dependencies or build output, never data
# a program reads at run time by a path.
CODE_DIRECTORIES = frozenset(
    {"src", "lib", "cmd", "internal", "pkg", "node_modules", "dist", "build", "out", "target"}
    | {"vendor", "test", "tests", "__tests__", "scripts", "tools", "coverage", "bin"}
)
DATA_SUFFIXES = (
    ".json", ".yaml", ".yml", ".toml", ".html", ".htm", ".txt", ".csv", ".xml", ".ini",
    ".conf", ".cfg", ".properties", ".sql", ".graphql", ".gql", ".proto", ".pem", ".crt",
    ".tmpl", ".tpl", ".gohtml", ".hbs", ".ejs", ".pug", ".mustache", ".njk", ".css", ".svg",
    ".png", ".ico", ".jpg", ".jpeg", ".gif", ".webp", ".db", ".sqlite",
)  # fmt: skip
BUILD_FILES = (
    "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
    "pnpm-workspace.yaml", "tsconfig*.json", "jsconfig.json", "go.mod", "go.sum",
    "Cargo.toml", "Cargo.lock", "pom.xml", "*compose*.y*ml", "nodemon.json", "turbo.json",
    "nx.json", "lerna.json", "renovate.json", "biome.json", "angular.json", "vercel.json",
    "netlify.toml", "pyproject.toml", "requirements*.txt", "*.lock", "codecov.yml",
)  # fmt: skip


def data_entries(ctx: RuleContext) -> list[str]:
    """The root entries of the build context that the sources name in a string literal
    (``../swagger.json``, ``templates/*.html``) and that hold data, not code or build
    configuration: what the program may read at run time beside its build output."""
    context = ctx.build_context
    sources = context.sources
    if sources is None:
        return []
    out: list[str] = []
    for name in sorted(sources.mentions):
        if name.startswith(".") or context.sends_to_daemon(name) is False:
            continue
        if name in context.directories:
            if name not in CODE_DIRECTORIES:
                out.append(name)
        elif name.endswith(DATA_SUFFIXES) and not any(fnmatchcase(name, p) for p in BUILD_FILES):
            out.append(name)
    return out


def builder_path(ctx: RuleContext, stage: Stage, name: str) -> str | None:
    """Where the builder has the build context's root entry ``name``: under the destination
    of ``COPY . <dest>``, or where a COPY of ``name`` itself puts it."""
    for ins, dest in destinations(ctx, stage):
        if dest is None or ins.flag("from") is not None:
            continue
        words = [w.text for w in (ins.exec_form.elements if ins.exec_form else ins.args)]
        sources = [posixpath.normpath(w) for w in words[:-1]]
        if "." in sources:
            return posixpath.join(dest, name)
        if sources == [name]:
            directory = name in ctx.build_context.directories
            into = words[-1].endswith("/") and not directory
            return posixpath.join(dest, name) if into else dest
    return None


def copy_data(ctx: RuleContext, stage: Stage, runtimes: list[Runtime]) -> list[str]:
    """The data files the sources name (``data_entries``) that the runtime would not get:
    copied from the builder, at the same path, into every runtime; the notes say which."""
    entries = data_entries(ctx)
    if not entries:
        return []
    copied: list[str] = []
    missing: list[str] = []
    for name in entries:
        path = builder_path(ctx, stage, name)
        if path is None:
            missing.append(name)
            continue
        added = False
        for rt in runtimes:
            if not any(_covers(line, path) for line in rt.generated):
                rt.generated.append(f"COPY --from={{build}} {path} {path}")
                added = True
        if added:
            copied.append(path)
    notes: list[str] = []
    if copied:
        notes.append(
            "The sources name files of the build context that the build output does not "
            f"hold ({', '.join(copied)}): the runtime copies them from the builder too."
        )
    if missing:
        notes.append(
            f"The sources name {', '.join(missing)}, which the builder does not copy from the "
            "build context: the runtime does not have them either."
        )
    return notes


def _covers(line: str, path: str) -> bool:
    """Whether the generated ``COPY --from=… src dest`` line already puts ``path`` there."""
    words = line.split(" ")
    if len(words) < 4 or words[0] != "COPY" or not words[1].startswith("--from="):
        return False
    dest = words[-1].rstrip("/")
    return dest.startswith("/") and (path == dest or path.startswith(dest + "/"))


def tidy(lines: list[str]) -> list[str]:
    """No run of blank lines longer than one, none at the end."""
    out: list[str] = []
    for line in lines:
        if not line.strip() and out and not out[-1].strip():
            continue
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return out


def mb(info: ImageInfo | None) -> float | None:
    """The image's uncompressed size in MB (what `docker images` prints), if known."""
    size = None if info is None else info.size("uncompressed")
    return None if size is None else size.mb


def sizes(info: ImageInfo, rt: Runtime) -> tuple[float | None, float | None]:
    """The builder's and the runtime's base image sizes in MB, uncompressed (the unit
    `docker images` prints, used for every size dockerls shows)."""
    return mb(info), mb(rt.info) if rt.kind != "scratch" else 0.0


def verify(text: str, edit: TextEdit, stages: int) -> str | None:
    """The result parses into ``stages`` stages without errors, or a reason."""
    from dockerls.edits import apply_edits

    result = apply_edits(text, [edit])
    doc = parse(result)
    if any(p.severity is Severity.ERROR for p in doc.problems) or len(doc.stages) != stages:
        return "The split would not give a valid two-stage Dockerfile."
    return None
