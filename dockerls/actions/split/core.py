"""The placement of the original stage's instructions and the text of the result, which
every planner shares: what no ecosystem's split can place (``structure``), and ``assemble``,
which writes the builder, the optional ``deps`` stage and one runtime stage per runtime a
planner fills, each checked to parse. Pure."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Sequence

from dockerls.actions.split.carry_over import carry_tools, copy_data
from dockerls.actions.split.configure import place, place_in_runtimes, placements
from dockerls.actions.split.container_effects import configures
from dockerls.actions.split.original_stage import base_cwd, cwd_of, destinations
from dockerls.actions.split.plan import Builder, Runtime, SplitAction
from dockerls.actions.split.runtime_images import own_workdir, sizes
from dockerls.findings import TextEdit
from dockerls.knowledge.images import ImageInfo
from dockerls.rules.build_state import steps
from dockerls.rules.engine import RuleContext
from dockerls.syntax import Instruction, Position, Severity, Span, Stage, parse
from dockerls.wording import megabytes

MOVED = frozenset(
    {"LABEL", "EXPOSE", "VOLUME", "USER", "HEALTHCHECK", "STOPSIGNAL"}
    | {"ENTRYPOINT", "CMD", "ONBUILD", "MAINTAINER"}
)
COPIED = frozenset({"ARG", "ENV", "WORKDIR"})
BUILDER = frozenset({"RUN", "COPY", "ADD"})


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
    carried = [(m, n) for m, n in carried if n not in builder.build_only]
    runtimes, refused = _with_packages(runtimes, carried)
    if not runtimes:
        return refused or "No runtime base can install the packages the application needs."
    runtimes, placed_notes, refused = place_in_runtimes(doc.lines, placements(ctx, stage), runtimes)
    if not runtimes:
        return refused or "No runtime base can take the RUNs that configure the container."
    warnings += placed_notes
    actions: list[SplitAction] = []
    # The file ends as it did: its blank lines at the end stay there (at least one newline).
    body = doc.text.rstrip("\r\n")
    ending = doc.text[len(body) :] if doc.text[len(body) :] and body else nl
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
        new_text_tail = nl.join(out) + ending
        edit = TextEdit(
            Span(Position(start, 0), Position(len(doc.lines) - 1, len(doc.lines[-1]))),
            new_text_tail,
        )
        check = verify(doc.text, (edit,), 3 if rt.deps_image is not None else 2)
        if check is not None:
            return check
        size_before, size_after = sizes(info, rt)
        notes = list(warnings) + rt.warnings
        if size_before is not None and size_after is not None:
            notes.insert(
                0,
                f"Base images (uncompressed, as `docker images` shows them, linux/amd64): "
                f"{info.reference} {megabytes(size_before)} MB, "
                f"{rt.image} {megabytes(size_after)} MB.",
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
        rt.generated.insert(0, install_line(manager, names))
        if carried:
            rt.warnings.append(
                "The runtime installs the OS packages the original installed for the "
                f"application: {' '.join(n for _, n in carried)}."
            )
        out.append(rt)
    return out, refused


def install_line(manager: str, names: str) -> str:
    """The RUN that installs the OS packages ``names`` with ``manager`` (apk, else apt)."""
    if manager == "apk":
        return f"RUN apk add --no-cache {names}"
    return (
        "RUN apt-get update && apt-get install -y --no-install-recommends "
        f"{names} && rm -rf /var/lib/apt/lists/*"
    )


def newline(text: str) -> str:
    match = re.search(r"\r\n|\n|\r", text)
    return match.group(0) if match else "\n"


def block_start(lines: Sequence[str], ins: Instruction, floor: int) -> int:
    """The first line of the comments directly above ``ins`` (not above ``floor``)."""
    first = ins.start_line
    while first - 1 > floor and lines[first - 1].strip().startswith("#"):
        first -= 1
    return first


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


def verify(text: str, edits: Sequence[TextEdit], stages: int) -> str | None:
    """The result parses into ``stages`` stages without errors, or a reason."""
    from dockerls.edits import apply_edits

    result = apply_edits(text, list(edits))
    doc = parse(result)
    if any(p.severity is Severity.ERROR for p in doc.problems) or len(doc.stages) != stages:
        return f"The refactor would not give a valid Dockerfile of {stages} stages."
    return None
