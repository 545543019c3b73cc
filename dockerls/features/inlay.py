"""Inlay hints on FROM lines (pure core).

- After an image reference that uses global ARGs and resolves with their defaults:
  ``= node:20``.
- At the end of a FROM line whose base is an external image the knowledge base knows:
  its approximate size, ``~1230 MB`` (on disk when that figure exists, else the
  compressed transfer size), with a tooltip naming the measured tag, date and
  architecture. Stages built FROM another stage get no size (their base is in this file).
"""

from __future__ import annotations

from dockerls.analysis import Analysis
from dockerls.graph import build_graph
from dockerls.knowledge.images import Size, classify
from dockerls.syntax import Position, Span, Stage
from dockerls.syntax.variables import scan

__all__ = ["InlayHint", "inlay_hints"]

InlayHint = tuple[Position, str, str]  # (where, label, tooltip)


def inlay_hints(analysis: Analysis, span_range: Span) -> list[InlayHint]:
    """The hints whose position lies inside ``span_range`` (inclusive), in order."""
    doc = analysis.document
    graph = analysis.graph or build_graph(doc)
    hints: list[InlayHint] = []
    for stage in doc.stages:
        hint = _resolved(stage, doc.escape)
        if hint is not None:
            hints.append(hint)
        if graph.parent(stage) is None:
            line = stage.from_.span.end.line
            end = Position(line, len(doc.lines[line])) if line < len(doc.lines) else stage.span.end
            size = _size(stage, end)
            if size is not None:
                hints.append(size)
    return [h for h in hints if span_range.start <= h[0] <= span_range.end]


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
    return (at, f"~{_amount(size)} MB", _tooltip(size, reference))


def _amount(size: Size) -> str:
    return f"{size.mb:.0f}" if size.mb >= 100 else f"{size.mb:g}"


def _tooltip(size: Size, reference: str) -> str:
    where = "on disk" if size.kind == "uncompressed" else "compressed (registry transfer)"
    text = (
        f"Approximate size of the base image {where}: {size.mb:g} MB, measured on "
        f"`{size.measured}` ({size.arch}, {size.as_of})."
    )
    if size.measured != reference:
        text += f" `{reference}` is expected to be similar."
    if size.approx and size.basis:
        text += f" Estimate: {size.basis}."
    return f"{text} Source: {size.citation}."
