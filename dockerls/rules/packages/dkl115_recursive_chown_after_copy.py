"""DKL115 recursive-chown-after-copy: chown -R or chmod -R over copied files stores them a second
time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from dockerls.findings import Fix, Related, TextEdit
from dockerls.rules.build_state import Step
from dockerls.rules.doc_links import DOCKERFILE_REFERENCE, IMAGE_LAYERS
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.packages.paths import absolute_path, copy_dest, inside
from dockerls.rules.packages.run_view import Run
from dockerls.rules.packages.stage_walk import walk
from dockerls.rules.text_layout import line_no, whole_lines
from dockerls.syntax import Severity, Span

_OCTAL = re.compile(r"[0-7]{3,4}")


@dataclass(frozen=True, slots=True)
class _Copy:
    at: Step
    dest: str
    runs: int  # how many RUNs of the stage came before it


@rule(
    "DKL115",
    "recursive-chown-after-copy",
    Category.BLOAT,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="chown -R or chmod -R over copied files stores them a second time.",
    docs=RuleDocs(
        what="`chown -R` or `chmod -R` in a RUN of a shipping stage, over a path where an "
        "earlier COPY or ADD of the same stage put files (the same path, a parent or a "
        "child; relative paths are resolved against WORKDIR and `cd`).",
        why="Changing a file's owner or mode in a new layer copies the whole file into "
        "that layer: every copied file is then stored twice, and the image grows by the "
        "size of everything the command touched (node_modules or a virtualenv: hundreds "
        "of MB). COPY and ADD can set the owner and mode while copying.",
        example="COPY . /app\nRUN chown -R node:node /app",
        instead="COPY --chown=node:node . /app",
        fix_safety="When the RUN is only that command and nothing ran between the copies "
        "and it, the quick fix adds `--chown=<owner>` (or `--chmod=<mode>`, BuildKit only) "
        "to those COPY/ADD instructions and deletes the RUN. It is marked unsafe: "
        "`--chown` does not change directories that existed before the copy (such as the "
        "WORKDIR itself), which `chown -R` did, and files created by anything else under "
        "that path keep their owner.",
        references=(DOCKERFILE_REFERENCE + "#copy---chown---chmod", IMAGE_LAYERS),
    ),
)
def recursive_chown_after_copy(ctx: RuleContext) -> Iterator[Hit]:
    copies: dict[int, list[_Copy]] = {}  # per stage
    runs: dict[int, int] = {}  # per stage: RUNs so far
    for at in walk(ctx, shipping=True):
        index = at.stage.index
        if at.ins.name in ("COPY", "ADD"):
            dest = copy_dest(at)
            if dest is not None:
                copies.setdefault(index, []).append(_Copy(at, dest, runs.get(index, 0)))
            continue
        if at.ins.name != "RUN":
            continue
        runs[index] = runs.get(index, 0) + 1
        if index not in copies:
            continue
        run = Run.of(ctx, at)
        for i, (prog, view) in enumerate(run.programs):
            cwd = run.cwds[i]
            positionals = view.positionals()
            if prog not in ("chown", "chmod") or cwd is None or len(positionals) < 2:
                continue
            if not view.has_option("-R", "--recursive"):
                continue
            targets = [absolute_path(w.text, cwd, run.envs[i]) for w in positionals[1:]]
            covered = [
                c
                for c in copies[index]
                if at.sees(c.at.onbuild)
                if any(t is not None and (inside(c.dest, t) or inside(t, c.dest)) for t in targets)
            ]
            if not covered:
                continue
            what = "owner with --chown" if prog == "chown" else "mode with --chmod"
            lone = len(run.commands) == 1 and all(c.runs == runs[index] - 1 for c in covered)
            yield Hit(
                view.argv[0].span,
                f"`{prog} -R` rewrites files that COPY/ADD put there (line "
                f"{line_no(covered[0].at.ins.span)}), storing each of them again in this "
                f"layer; set the {what} on the COPY instead.",
                related=tuple(Related(c.at.ins.keyword.span, "copied here") for c in covered),
                fixes=_copy_flag_fix(ctx, run, i, covered) if lone else (),
            )


def _copy_flag_fix(ctx: RuleContext, run: Run, index: int, covered: list[_Copy]) -> tuple[Fix, ...]:
    """Move a lone ``chown -R``/``chmod -R`` RUN into --chown/--chmod flags of the copies."""
    prog, view = run.programs[index]
    ins = run.at.ins
    value = view.positionals()[0]
    option = "chown" if prog == "chown" else "chmod"
    if (
        ins.flags
        or run.at.onbuild
        or value.dynamic
        or (option == "chmod" and not _OCTAL.fullmatch(value.text))
        or (option == "chown" and "." in value.text and ":" not in value.text)
        or any(c.at.ins.flag(option) is not None for c in covered)
    ):
        return ()
    edits = [
        TextEdit(
            Span(c.at.ins.keyword.span.end, c.at.ins.keyword.span.end), f" --{option}={value.text}"
        )
        for c in covered
    ]
    edits.append(TextEdit(whole_lines(ctx.document, ins), ""))
    title = f"Use {covered[0].at.ins.name} --{option}={value.text} and delete this RUN"
    return (Fix(title, tuple(edits), safe=False),)
