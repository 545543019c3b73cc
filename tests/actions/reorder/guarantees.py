"""Build contexts, plans and the guarantees the reorder tests check every rewrite against.

Every offered rewrite is checked the same way (``assert_guarantees``): the
edits give exactly the expected text, BuildKit's parser reads it with the
expected number of instructions, DKL301 no longer fires for that install,
no rule reports a code the original did not have, untouched lines stay byte
for byte, and the rewrite is not offered again on its own result.
"""

from __future__ import annotations

import re

import dockerfile

from dockerls.actions.reorder import (
    NotReorderable,
    ReorderAction,
    Reorders,
    reorders,
)
from dockerls.analysis import analyze
from dockerls.context import CONTEXT_EMPTY, BuildContext, PackageManager
from dockerls.edits import apply_edits
from dockerls.findings import TextEdit
from dockerls.graph import build_graph
from dockerls.rules.cache.source_before_install import find_source_before_install
from dockerls.rules.engine import RuleContext
from dockerls.syntax import parse


def context(files: str = "", directories: str = "", **kwargs: object) -> BuildContext:
    """A known build context holding ``files`` and ``directories`` at its root."""
    return BuildContext(
        known=True,
        files=frozenset(files.split()),
        directories=frozenset(directories.split()),
        **kwargs,  # type: ignore[arg-type]
    )


def rule_context(text: str, build: BuildContext = CONTEXT_EMPTY) -> RuleContext:
    doc = parse(text)
    return RuleContext(doc, build_graph(doc), build)


def plan(text: str, build: BuildContext = CONTEXT_EMPTY) -> Reorders:
    return reorders(rule_context(text, build))


def buildkit_count(text: str) -> int:
    return len(dockerfile.parse_string(text))


def _lines(text: str) -> list[str]:
    """Lines with their line breaks, split the way the parser splits them."""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)


def _touched(edits: tuple[TextEdit, ...]) -> set[int]:
    """Original lines an edit deletes or changes (insertions at column 0 touch none)."""
    touched: set[int] = set()
    for edit in edits:
        start, end = edit.span.start, edit.span.end
        if start == end:
            if start.column:
                touched.add(start.line)
            continue
        last = end.line if end.column else end.line - 1
        touched.update(range(start.line, last + 1))
    return touched


def untouched_lines_kept(text: str, new: str, edits: tuple[TextEdit, ...]) -> bool:
    """Every line no edit targets is in the result, byte for byte and in order."""
    touched = _touched(edits)
    kept = [line for n, line in enumerate(_lines(text)) if n not in touched]
    remaining = iter(_lines(new))
    return all(any(line == candidate for candidate in remaining) for line in kept)


def installs_left(
    text: str,
    build: BuildContext,
    stage: int,
    manager: PackageManager,
    *,
    triggers: bool = True,
) -> list[str]:
    """The DKL301 items left for ``manager``'s installs in stage ``stage``.

    ``triggers=False`` leaves out ONBUILD triggers, which the refactor never rewrites.
    """
    ctx = rule_context(text, build)
    target = ctx.document.stages[stage]
    return [
        item.copy.keyword.text
        for item in find_source_before_install(ctx, target)
        if item.step.manager is manager
        and any(
            item.install is ins or (triggers and ins.trigger is item.install)
            for ins in target.instructions
        )
    ]


def stage_of(text: str, action: ReorderAction) -> int:
    ctx = rule_context(text)
    ins = ctx.document.instruction_at(action.install.start)
    stage = ctx.document.stage_of(ins) if ins is not None else None
    assert stage is not None
    return stage.index


def assert_guarantees(text: str, action: ReorderAction, build: BuildContext = CONTEXT_EMPTY) -> str:
    """Apply ``action`` and check what every rewrite promises; return the new text."""
    new = apply_edits(text, action.edits)
    assert buildkit_count(new) >= buildkit_count(text)
    stage = stage_of(text, action)
    assert installs_left(new, build, stage, action.ecosystem) == [], new
    before = {f.code for f in analyze(text, context=build).findings}
    after = {f.code for f in analyze(new, context=build).findings}
    assert after <= before, (after - before, new)
    assert untouched_lines_kept(text, new, action.edits), new
    again = reorders(rule_context(new, build)).actions
    assert not [a for a in again if a.ecosystem is action.ecosystem and stage_of(new, a) == stage]
    return new


def rewrite(
    text: str,
    build: BuildContext = CONTEXT_EMPTY,
    *,
    expected: str,
    instructions: int,
    title: str | None = None,
) -> ReorderAction:
    """Assert the one rewrite offered for ``text`` gives ``expected``."""
    found = plan(text, build)
    assert not found.refusals, found.refusals
    (action,) = found.actions
    new = assert_guarantees(text, action, build)
    assert new == expected
    assert buildkit_count(new) == instructions
    if title is not None:
        assert action.title == title
    return action


def refused(text: str, build: BuildContext = CONTEXT_EMPTY) -> NotReorderable:
    found = plan(text, build)
    assert not found.actions, [a.title for a in found.actions]
    (refusal,) = found.refusals
    assert refusal.reason.strip()
    return refusal
