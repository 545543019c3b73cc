"""What every runtime receives from the original beyond its planner's lines: the tools
the builder copies from other images that the container starts, and the data files the
build context's sources name. Pure."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from fnmatch import fnmatchcase

from dockerls.actions.split.original_stage import destinations, image_copies, started_tools
from dockerls.actions.split.plan import Runtime
from dockerls.rules.engine import RuleContext
from dockerls.syntax import Stage


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
