"""What code actions are offered at a place in a document, as plain data (pure).

The server asks ``offers`` for the actions at a range, converts them with
``dockerls.convert`` and, when the client resolves lazily, later calls ``recall``
with the ``ActionRef`` it put in the action's ``data`` to compute the same action
again. Everything here is a function of an ``Analysis`` (and, for the
``.dockerignore`` actions, the build context and the ignore file's text, which
the edge reads).

Per finding: each of its rule's fixes (the first safe one preferred; unsafe ones
never), the ``.dockerignore`` action for DKL351/DKL352, then "Ignore CODE for
this instruction" and "Ignore CODE in this file". Per document: fix-all (when a
safe fix exists) and the refactors of the stage at the range: copy-manifests-first
(``dockerls.actions.reorder``, for DKL301) and split into build and runtime stages
(``dockerls.actions.split``, for DKL201-DKL204; on a multi-stage file, "Slim the
final stage"), each when such a finding is in the range or when refactors are asked
for explicitly. A split that cannot be planned for a stage where one is called for
comes back disabled, with the reason.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from dockerls.actions import ignore
from dockerls.actions.reorder import Reorders, reorder_for_cache, reorders
from dockerls.actions.split import SplitAction, split_stage, why_not
from dockerls.analysis import Analysis
from dockerls.context import DOCKERIGNORE, BuildContext
from dockerls.edits import apply_edits
from dockerls.findings import Finding, TextEdit
from dockerls.graph import build_graph
from dockerls.rules.engine import RuleContext
from dockerls.size import before_after
from dockerls.syntax import Position, Span, Stage
from dockerls.syntax.parser import split_lines
from dockerls.wording import megabytes

DOCKERIGNORE_MISSING = "DKL351"
DIRECTORY_SENT = "DKL352"
SOURCE_BEFORE_INSTALL = "DKL301"
# A build in the stage that ships: what the split refactor remedies.
BUILD_SHIPPED = frozenset({"DKL201", "DKL202", "DKL203", "DKL204"})
SPLIT_TITLE = "Split into build and runtime stages"
FINAL_STAGE_TITLE = "Slim the final stage"  # the split's title on a multi-stage file


_ORIGIN = Position(0, 0)


class ActionKind(enum.Enum):
    QUICKFIX = "quickfix"
    REFACTOR = "refactor.rewrite"
    FIX_ALL = "source.fixAll.dockerls"


class What(enum.Enum):
    FIX = "fix"  # a rule's fix (``index`` picks it)
    DOCKERIGNORE = "dockerignore"
    IGNORE = "ignore"  # for the instruction
    IGNORE_FILE = "ignore-file"
    REFACTOR = "refactor"  # ``stage`` and ``index`` pick it
    SPLIT = "split"  # ``stage`` and ``index`` pick it
    FIX_ALL = "fix-all"


@dataclass(frozen=True, slots=True)
class ActionRef:
    """Enough to compute an action again from the same analysis."""

    what: What
    finding: int = -1  # index into ``Analysis.findings``
    code: str = ""  # the finding's code, checked on recall
    at: Position = _ORIGIN  # the finding's start, checked on recall
    index: int = 0  # the fix (or the refactor) of the finding (or the stage)
    stage: int = -1


@dataclass(frozen=True, slots=True)
class OtherFile:
    """Edits to a file other than the document: the ``.dockerignore``."""

    path: str
    edits: tuple[TextEdit, ...]
    lines: tuple[str, ...] = ("",)  # its text as it is, split into lines
    create: bool = False  # the file does not exist yet


@dataclass(frozen=True, slots=True)
class Action:
    title: str
    kind: ActionKind
    ref: ActionRef
    finding: Finding | None = None
    edits: tuple[TextEdit, ...] = ()  # on the document itself
    files: tuple[OtherFile, ...] = ()
    preferred: bool = False
    notes: tuple[str, ...] = ()  # what the user should know or check after applying it
    disabled: str | None = None  # why it cannot be applied here (then it has no edits)


@dataclass(frozen=True, slots=True)
class Surroundings:
    """What the edge knows about the files beside the document (for .dockerignore)."""

    context: BuildContext
    directory: str | None = None  # the Dockerfile's directory; None for an unsaved buffer
    ignore_text: str | None = None  # the existing ignore file's text, when it was read
    can_create: bool = False  # whether the client can create files


def wanted(kind: ActionKind, only: Sequence[str] | None) -> bool:
    """Whether the client's ``only`` filter lets ``kind`` through (``source`` covers fix-all)."""
    if not only:
        return True
    return any(kind.value == o or kind.value.startswith(o + ".") for o in only)


def touches(span: Span, start: Position, end: Position) -> bool:
    return span.start <= end and start <= span.end


# --------------------------------------------------------------------------- per finding


def _ref(what: What, analysis: Analysis, index: int, sub: int = 0) -> ActionRef:
    finding = analysis.findings[index]
    return ActionRef(what, index, finding.code, finding.span.start, sub)


def fix_actions(analysis: Analysis, index: int) -> list[Action]:
    """The rule's own fixes; the first safe one is preferred."""
    finding = analysis.findings[index]
    preferred = next((i for i, f in enumerate(finding.fixes) if f.safe), None)
    return [
        Action(
            fix.title,
            ActionKind.QUICKFIX,
            _ref(What.FIX, analysis, index, i),
            finding,
            fix.edits,
            preferred=i == preferred,
        )
        for i, fix in enumerate(finding.fixes)
        if fix.edits
    ]


def ignore_actions(analysis: Analysis, index: int) -> list[Action]:
    finding = analysis.findings[index]
    found = []
    edit = ignore.ignore_instruction(analysis.document, finding)
    if edit is not None:
        found.append(
            Action(
                f"Ignore {finding.code} for this instruction",
                ActionKind.QUICKFIX,
                _ref(What.IGNORE, analysis, index),
                finding,
                (edit,),
            )
        )
    edit = ignore.ignore_file(analysis.document, finding.code)
    if edit is not None:
        found.append(
            Action(
                f"Ignore {finding.code} in this file",
                ActionKind.QUICKFIX,
                _ref(What.IGNORE_FILE, analysis, index),
                finding,
                (edit,),
            )
        )
    return found


def _rule_context(analysis: Analysis, context: BuildContext) -> RuleContext:
    graph = analysis.graph if analysis.graph is not None else build_graph(analysis.document)
    return RuleContext(analysis.document, graph, context)


def _append_lines(existing: str, entries: Sequence[str]) -> TextEdit:
    """Entries added at the end of a file, each on its own line, in its line-break style."""
    newline = ignore.newline_of(existing)
    lines = split_lines(existing)
    end = Position(len(lines) - 1, len(lines[-1]))
    lead = newline if existing and not existing.endswith(("\n", "\r")) else ""
    return TextEdit(Span(end, end), lead + "".join(e + newline for e in entries))


def dockerignore_action(analysis: Analysis, index: int, around: Surroundings) -> Action | None:
    """DKL351: create the ignore file; DKL352 (or an empty file): add the missing entries."""
    from dockerls.rules.cache.dockerignore_suggestions import directories_sent, dockerignore_entries

    finding = analysis.findings[index]
    context = around.context
    if finding.code not in (DOCKERIGNORE_MISSING, DIRECTORY_SENT) or not context.known:
        return None
    ctx = _rule_context(analysis, context)
    path = context.dockerignore_path
    if path is None:
        if finding.code != DOCKERIGNORE_MISSING or around.directory is None:
            return None
        if not around.can_create:
            return None
        entries = dockerignore_entries(ctx)
        path = os.path.join(around.directory, DOCKERIGNORE)
        text = "".join(e + ignore.newline_of(analysis.document.text) for e in entries)
        edit = TextEdit(Span(Position(0, 0), Position(0, 0)), text)
        change = OtherFile(path, (edit,), create=True)
        title = f"Create {DOCKERIGNORE} ({_preview(entries)})"
    else:
        if around.ignore_text is None:
            return None
        if finding.code == DOCKERIGNORE_MISSING:
            entries = dockerignore_entries(ctx)  # the file exists but is empty
        else:
            entries = list(directories_sent(ctx))
        if not entries:
            return None
        change = OtherFile(
            path,
            (_append_lines(around.ignore_text, entries),),
            tuple(split_lines(around.ignore_text)),
        )
        title = f"Add {_preview(entries)} to {os.path.basename(path)}"
    return Action(
        title,
        ActionKind.QUICKFIX,
        _ref(What.DOCKERIGNORE, analysis, index),
        finding,
        files=(change,),
    )


def _preview(entries: Sequence[str], limit: int = 4) -> str:
    shown = ", ".join(entries[:limit])
    return shown + (f", +{len(entries) - limit} more" if len(entries) > limit else "")


def finding_actions(
    analysis: Analysis, index: int, around: Surroundings | None = None
) -> list[Action]:
    """Every quick fix for one finding, in the order an editor lists them."""
    found = fix_actions(analysis, index)
    if around is not None:
        extra = dockerignore_action(analysis, index, around)
        if extra is not None:
            found.append(extra)
    return found + ignore_actions(analysis, index)


# --------------------------------------------------------------------------- refactors


def refactor_actions(analysis: Analysis, stage: Stage, context: BuildContext) -> list[Action]:
    """The copy-manifests-first rewrites of a stage (never preferred)."""
    ctx = _rule_context(analysis, context)
    found = reorder_for_cache(ctx, stage)
    actions = []
    for i, rewrite in enumerate(found):
        title = rewrite.title
        if rewrite.unsafe_reason:
            title = f"{title} ({rewrite.unsafe_reason})"
        actions.append(
            Action(
                title,
                ActionKind.REFACTOR,
                ActionRef(What.REFACTOR, index=i, stage=stage.index),
                edits=tuple(rewrite.edits),
            )
        )
    return actions


def plan_reorder(analysis: Analysis, context: BuildContext) -> Reorders:
    """The copy-manifests-first rewrites of every stage (the editor's, stage by stage),
    and the DKL301 occurrences left without one."""
    return reorders(_rule_context(analysis, context))


def split_title(split: SplitAction, text: str | None = None) -> str:
    """The planner's title, with the estimated sizes when both are known: given the
    Dockerfile's ``text``, dockerls.size's estimates of the final stage before and after
    (what the instructions add counted too; "+ app" is what it cannot size)."""
    before, after = split.size_before_mb, split.size_after_mb
    estimated = before_after(text, apply_edits(text, split.edits)) if text is not None else None
    if estimated is not None:
        before, after = estimated
    if before is None or after is None:
        return split.title
    return f"{split.title}: ~{megabytes(before)} MB -> ~{megabytes(after)} MB + app"


def plan_split(analysis: Analysis, stage: Stage, context: BuildContext) -> list[SplitAction] | str:
    """The splits of ``stage``, one per runtime base, or why there is none."""
    ctx = _rule_context(analysis, context)
    found = split_stage(ctx, stage)
    if found:
        return found
    reasons = why_not(ctx, stage)
    return " ".join(reasons) or "dockerls cannot split this stage."


def split_actions(analysis: Analysis, stage: Stage, context: BuildContext) -> list[Action]:
    """The split refactors of a stage, or one disabled action saying why there is none."""
    planned = plan_split(analysis, stage, context)
    if isinstance(planned, str):
        ref = ActionRef(What.SPLIT, index=-1, stage=stage.index)
        title = SPLIT_TITLE if len(analysis.document.stages) == 1 else FINAL_STAGE_TITLE
        return [Action(title, ActionKind.REFACTOR, ref, disabled=planned)]
    return [
        Action(
            split_title(split, analysis.document.text),
            ActionKind.REFACTOR,
            ActionRef(What.SPLIT, index=i, stage=stage.index),
            edits=split.edits,
            notes=split.warnings,
        )
        for i, split in enumerate(planned)
    ]


def runtime_kind(image: str) -> str:
    """What ``dockerls fix --split --runtime`` calls a runtime base: slim, alpine,
    distroless or scratch."""
    from dockerls.knowledge.images import classify

    if image == "scratch":
        return "scratch"
    info = classify(image)
    kind = info.kind if info is not None else "slim"
    if kind in ("distroless", "static"):
        return "distroless"
    return kind if kind in ("alpine", "scratch") else "slim"


def _lines_of(stage: Stage) -> tuple[int, int]:
    last = max([stage.from_, *stage.instructions], key=lambda i: i.span.end)
    return stage.from_.span.start.line, last.span.end.line


def stage_at(analysis: Analysis, pos: Position) -> Stage | None:
    for stage in analysis.document.stages:
        first, last = _lines_of(stage)
        if first <= pos.line <= last:
            return stage
    return None


# --------------------------------------------------------------------------- at a range


def findings_at(analysis: Analysis, start: Position, end: Position) -> Iterator[int]:
    for i, finding in enumerate(analysis.findings):
        if touches(finding.span, start, end):
            yield i


def fixable(analysis: Analysis) -> bool:
    return any(f.fixable for f in analysis.findings)


FIX_ALL_TITLE = "Fix all auto-fixable problems (dockerls)"


def fix_all_action(edits: Sequence[TextEdit] = ()) -> Action:
    return Action(FIX_ALL_TITLE, ActionKind.FIX_ALL, ActionRef(What.FIX_ALL), edits=tuple(edits))


def offers(
    analysis: Analysis,
    start: Position,
    end: Position,
    only: Sequence[str] | None = None,
    *,
    extra: Sequence[int] = (),
    around: Surroundings | None = None,
) -> list[Action]:
    """The actions for a range: quick fixes of the findings it touches (and of ``extra``
    findings, the ones the client sent), refactors, and fix-all (without its edits:
    ``fix_all`` computes them, at once or on resolve)."""
    found: list[Action] = []
    indices = list(dict.fromkeys([*findings_at(analysis, start, end), *extra]))
    if wanted(ActionKind.QUICKFIX, only):
        for index in indices:
            found.extend(finding_actions(analysis, index, around))
    if wanted(ActionKind.REFACTOR, only) and around is not None:
        found.extend(_refactors_at(analysis, indices, start, only, around.context))
    if wanted(ActionKind.FIX_ALL, only) and fixable(analysis):
        found.append(fix_all_action())
    return found


def _refactors_at(
    analysis: Analysis,
    indices: Sequence[int],
    start: Position,
    only: Sequence[str] | None,
    context: BuildContext,
) -> list[Action]:
    """The refactors of the stages that the findings at the range (or, when refactors
    are asked for explicitly, the range itself) lie in."""
    explicit = bool(only) and any(ActionKind.REFACTOR.value.startswith(o) for o in only or ())
    codes = [analysis.findings[i] for i in indices]
    reorder_at = [f.span.start for f in codes if f.code == SOURCE_BEFORE_INSTALL]
    split_at = [f.span.start for f in codes if f.code in BUILD_SHIPPED]
    if explicit:
        here = stage_at(analysis, start)
        if here is not None:
            reorder_at.append(start)
            first, last = _lines_of(here)
            if any(
                f.code in BUILD_SHIPPED and first <= f.span.start.line <= last
                for f in analysis.findings
            ):
                split_at.append(start)
    found: list[Action] = []
    for places, make in ((reorder_at, refactor_actions), (split_at, split_actions)):
        seen: set[int] = set()
        for place in places:
            stage = stage_at(analysis, place)
            if stage is not None and stage.index not in seen:
                seen.add(stage.index)
                found.extend(make(analysis, stage, context))
    return found


def recall(analysis: Analysis, ref: ActionRef, around: Surroundings | None = None) -> Action | None:
    """The action ``ref`` names, computed again; None when the analysis no longer has it."""
    if ref.what == What.FIX_ALL:
        return fix_all_action()
    if ref.what in (What.REFACTOR, What.SPLIT):
        if not 0 <= ref.stage < len(analysis.document.stages) or around is None:
            return None
        make = refactor_actions if ref.what == What.REFACTOR else split_actions
        actions = make(analysis, analysis.document.stages[ref.stage], around.context)
        return actions[ref.index] if 0 <= ref.index < len(actions) else None
    if not 0 <= ref.finding < len(analysis.findings):
        return None
    finding = analysis.findings[ref.finding]
    if finding.code != ref.code or finding.span.start != ref.at:
        return None
    for action in finding_actions(analysis, ref.finding, around):
        if action.ref == ref:
            return action
    return None
