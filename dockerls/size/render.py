"""Size estimates as text: inlay labels, hover Markdown, the CLI's table and JSON (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from dockerls.size.data import load
from dockerls.size.estimate import Amount, StageEstimate, StepEstimate, megabytes_of

__all__ = [
    "COSTLY",
    "as_json",
    "provenance",
    "stage_markdown",
    "step_markdown",
    "table",
]

COSTLY = 5_000_000  # an instruction gets an inlay hint from this many bytes (5 MB) on


def provenance() -> str:
    data = load()
    apt = ", ".join(f"{r.name} index of {r.index_date[:16]}" for r in data.apt.values())
    return (
        f"Estimated from dockerls's size data ({data.generated}, {data.arch}): Debian {apt}; "
        f"PyPI {data.pypi.date}; npm {data.npm.date}. Uncompressed MB, as `docker images` shows."
    )


def _parts(step: StepEstimate, limit: int = 6) -> list[str]:
    lines = [f"- {p.label}: {megabytes_of(p.bytes)} MB" for p in step.parts[:limit]]
    if len(step.parts) > limit:
        rest = sum(p.bytes for p in step.parts[limit:])
        lines.append(f"- {len(step.parts) - limit} more: {megabytes_of(rest)} MB")
    lines += [f"- unknown: {u}" for u in step.amount.unknown]
    lines += [f"- note: {n}" for n in step.notes]
    return lines


def step_markdown(step: StepEstimate) -> str:
    """The breakdown of one instruction: its amount, then the heaviest parts."""
    head = f"**Size:** {step.amount.describe(sign='+')}"
    return "\n".join([head, "", *_parts(step)])


def stage_markdown(est: StageEstimate) -> str:
    """The stage's total, its base and its heaviest instructions."""
    lines = [f"**Stage size:** {est.total.describe()}", "", f"- base: {est.base_label}"]
    costly = sorted((s for s in est.steps if s.amount.known), key=lambda s: -s.amount.known)
    for step in costly[:5]:
        first = step.instruction.keyword.text.upper()
        line = step.instruction.start_line + 1
        lines.append(f"- line {line} `{first}`: {step.amount.describe(sign='+')}")
    unknown = Amount()
    for step in est.steps:
        unknown += Amount(0, step.amount.unknown)
    if unknown.unknown:
        lines.append(f"- unknown: {', '.join(unknown.unknown)}")
    return "\n".join(lines)


def _stage_name(est: StageEstimate) -> str:
    return est.stage.name.text if est.stage.name else str(est.stage.index)


def table(estimates: Sequence[StageEstimate], path: str, final: int | None) -> str:
    """The CLI's text: one row per instruction that adds bytes, a total per stage."""
    out = [f"{path}"]
    for est in estimates:
        mark = " (final)" if est.stage.index == final else ""
        out.append(f"  stage {_stage_name(est)}{mark}: {est.total.describe()}")
        out.append(f"    {'base':>8}  {est.base.describe():<14}  {est.base_label}")
        for step in est.steps:
            if not step.amount.known and not step.amount.unknown:
                continue
            line = step.instruction.start_line + 1
            heaviest = ", ".join(f"{p.label} {megabytes_of(p.bytes)}" for p in step.parts[:3])
            extra = f"  unknown: {', '.join(step.amount.unknown)}" if step.amount.unknown else ""
            known = f"≈ +{megabytes_of(step.amount.known)} MB"
            out.append(
                f"    {'line ' + str(line):>8}  {known:<14}  {step.instruction.name}"
                + (f"  ({heaviest})" if heaviest else "")
                + extra
            )
    return "\n".join(out)


def _amount(amount: Amount) -> dict[str, object]:
    return {"bytes": amount.known, "mb": round(amount.known / 1e6, 1), "unknown": amount.unknown}


def as_json(estimates: Sequence[StageEstimate], path: str, final: int | None) -> dict[str, object]:
    data = load()
    return {
        "path": path,
        "unit": "MB (decimal, uncompressed, as docker images prints)",
        "data": {
            "generated": data.generated,
            "arch": data.arch,
            "apt_indexes": {r.name: r.index_date for r in data.apt.values()},
        },
        "stages": [
            {
                "name": _stage_name(est),
                "final": est.stage.index == final,
                "base": {"label": est.base_label, **_amount(est.base)},
                "total": _amount(est.total),
                "instructions": [
                    {
                        "line": step.instruction.start_line + 1,
                        "instruction": step.instruction.name,
                        **_amount(step.amount),
                        "parts": [{"label": p.label, "bytes": p.bytes} for p in step.parts],
                        "notes": step.notes,
                    }
                    for step in est.steps
                    if step.amount.known or step.amount.unknown
                ],
            }
            for est in estimates
        ],
    }
