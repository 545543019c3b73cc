"""Inlay hints on FROM lines (pure core).

- After an image reference that uses global ARGs and resolves with their defaults:
  ``= node:20``.
- At the end of a FROM line whose base is an external image the knowledge base knows:
  its approximate size, ``~1230 MB`` (on disk, as `docker images` prints it, when that
  figure exists, else ``~52 MB compressed``, the transfer size), with a tooltip naming
  the measured tag, date and architecture. Stages built FROM another stage get no size
  (their base is in this file).
- With ``sizes`` (asked for by the edge, never on the diagnostics path): at the end of each
  instruction that adds at least 5 MB, ``≈ +245 MB``; at the end of a FROM line whose stage
  adds anything, the stage's estimated total, ``≈ 1480 MB stage``; tooltips give the
  breakdown (``dockerls.size``).
"""

from __future__ import annotations

from dockerls.analysis import Analysis
from dockerls.graph import build_graph
from dockerls.knowledge.images import Size, classify
from dockerls.size import ContextFiles, StageEstimate, estimate, megabytes_of
from dockerls.size.render import COSTLY, provenance, stage_markdown, step_markdown
from dockerls.syntax import Position, Span, Stage
from dockerls.syntax.variables import scan
from dockerls.wording import megabytes

__all__ = ["InlayHint", "inlay_hints"]

InlayHint = tuple[Position, str, str]  # (where, label, tooltip)


def inlay_hints(
    analysis: Analysis,
    span_range: Span,
    *,
    sizes: bool = False,
    files: ContextFiles | None = None,
) -> list[InlayHint]:
    """The hints whose position lies inside ``span_range`` (inclusive), in order.

    ``sizes`` adds the size estimates (``files``: the build context's files, when read)."""
    doc = analysis.document
    graph = analysis.graph or build_graph(doc)
    estimates = {e.stage.index: e for e in estimate(doc, files)} if sizes else {}
    hints: list[InlayHint] = []
    for stage in doc.stages:
        hint = _resolved(stage, doc.escape)
        if hint is not None:
            hints.append(hint)
        end = _line_end(doc.lines, stage.from_.span.end.line, stage.span.end)
        if graph.parent(stage) is None:
            size = _size(stage, end)
            if size is not None:
                hints.append(size)
        found = estimates.get(stage.index)
        if found is not None:
            hints.extend(_estimates(found, doc.lines, end))
    return [h for h in hints if span_range.start <= h[0] <= span_range.end]


def _line_end(lines: tuple[str, ...], line: int, fallback: Position) -> Position:
    return Position(line, len(lines[line])) if line < len(lines) else fallback


def _estimates(found: StageEstimate, lines: tuple[str, ...], from_end: Position) -> list[InlayHint]:
    hints: list[InlayHint] = []
    if found.added.known or found.added.unknown:
        unknown = " + ?" if found.total.unknown else ""
        label = f"≈ {megabytes_of(found.total.known)} MB stage{unknown}"
        hints.append((from_end, label, f"{stage_markdown(found)}\n\n{provenance()}"))
    for step in found.steps:
        if step.amount.known < COSTLY:
            continue
        ins = step.instruction
        at = _line_end(lines, ins.span.end.line, ins.span.end)
        label = f"≈ +{megabytes_of(step.amount.known)} MB" + (" + ?" if step.amount.unknown else "")
        hints.append((at, label, f"{step_markdown(step)}\n\n{provenance()}"))
    return hints


def _resolved(stage: Stage, escape: str) -> InlayHint | None:
    image = stage.image
    if image is None or stage.resolved_image is None:
        return None
    if next(iter(scan(image.text, escape)), None) is None:
        return None
    tooltip = (
        f"`{image.text}` with the global `ARG` defaults is `{stage.resolved_image}`; "
        "a `--build-arg` can change it."
    )
    return (image.span.end, f"= {stage.resolved_image}", tooltip)


def _size(stage: Stage, at: Position) -> InlayHint | None:
    reference = stage.resolved_image
    if reference is None:
        return None
    info = classify(reference)
    if info is None:
        return None
    size = info.size("uncompressed") or info.size("compressed")
    if size is None or size.mb <= 0:
        return None
    # Uncompressed is the unit `docker images` prints; a pull size, when that is all the
    # data has, says so in the hint itself.
    unit = "MB" if size.kind == "uncompressed" else "MB compressed"
    return (at, f"~{_amount(size)} {unit}", _tooltip(size, reference))


def _amount(size: Size) -> str:
    return megabytes(size.mb)


def _tooltip(size: Size, reference: str) -> str:
    where = "on disk" if size.kind == "uncompressed" else "compressed (registry transfer)"
    text = (
        f"Approximate size of the base image {where}: {megabytes(size.mb)} MB, measured on "
        f"`{size.measured}` ({size.arch}, {size.as_of})."
    )
    if size.measured != reference:
        text += f" `{reference}` is expected to be similar."
    if size.approx and size.basis:
        text += f" Estimate: {size.basis}."
    return f"{text} Source: {size.citation}."
