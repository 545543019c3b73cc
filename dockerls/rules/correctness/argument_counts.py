"""The argument counts the builder checks: COPY/ADD, HEALTHCHECK, USER and VOLUME.

Used by DKL502 (in the build) and DKL515 (ONBUILD triggers, a USER no RUN follows).
"""

from __future__ import annotations

from collections.abc import Callable

from dockerls.findings import Fix, TextEdit
from dockerls.rules.correctness.spelling import same_case
from dockerls.rules.engine import Hit
from dockerls.syntax import Instruction, Span, Stage


def _copy_arity(ins: Instruction) -> Hit | None:
    if ins.heredocs and ins.exec_form is None and len(ins.args) > 1:
        dest = ins.args[-1]
        if any(h.marker.span == dest.span for h in ins.heredocs):
            return Hit(
                dest.span,
                f"{ins.name} needs a destination after its sources: a heredoc can only be a "
                "source.",
            )
    if ins.exec_form is not None:
        if len(ins.exec_form.elements) < 2:
            return Hit(
                ins.exec_form.span, f"{ins.name} needs at least one source and a destination."
            )
        return None
    if len(ins.args) == 1:
        return Hit(
            ins.args[0].span,
            f"{ins.name} needs at least one source and a destination; only "
            f"'{ins.args[0].text}' is given.",
        )
    return None


def _healthcheck_arity(ins: Instruction) -> Hit | None:
    args = ins.args
    if not args:
        return None
    kind = args[0].text.upper()
    if kind == "NONE":
        if len(args) > 1:
            extra = Span(args[1].span.start, args[-1].span.end)
            cut = Span(args[0].span.end, args[-1].span.end)
            return Hit(
                extra,
                "HEALTHCHECK NONE takes no arguments.",
                (Fix("Remove the arguments", (TextEdit(cut, ""),), safe=False),),
            )
        return None
    if kind == "CMD":
        empty = ins.exec_form is not None and not ins.exec_form.elements
        if len(args) == 1 or empty:
            return Hit(args[0].span, "HEALTHCHECK CMD needs a command to run.")
        return None
    word = same_case("CMD", ins.keyword.text)
    insert = TextEdit(Span(args[0].span.start, args[0].span.start), f"{word} ")
    return Hit(
        args[0].span,
        f"Unknown HEALTHCHECK type '{args[0].text}': write HEALTHCHECK CMD <command> or "
        "HEALTHCHECK NONE.",
        (Fix(f"Insert {word} before the command", (insert,)),),
    )


def _user_arity(ins: Instruction) -> Hit | None:
    args = ins.args
    written = ins.rest.text if ins.rest is not None else ""
    if len(args) < 2 or any(c in written for c in "\\'\"`$"):
        return None  # quoted or Windows account names may hold spaces
    extra = Span(args[1].span.start, args[-1].span.end)
    return Hit(
        extra,
        f"USER takes one user[:group], but '{written}' holds spaces: no such user exists, "
        "so the next RUN and the container start fail.",
    )


def _volume_arity(ins: Instruction) -> Hit | None:
    form = ins.exec_form
    if form is None:
        return None
    if not form.elements:
        return Hit(form.span, "VOLUME needs at least one path.")
    for element in form.elements:
        if not element.text.strip():
            return Hit(element.span, "A VOLUME path can not be empty.")
    return None


_ARITY: dict[str, Callable[[Instruction], Hit | None]] = {
    "COPY": _copy_arity,
    "ADD": _copy_arity,
    "HEALTHCHECK": _healthcheck_arity,
    "USER": _user_arity,
    "VOLUME": _volume_arity,
}


def arity_problem(ins: Instruction) -> Hit | None:
    check = _ARITY.get(ins.name)
    return check(ins) if check is not None and ins.rest is not None else None


def run_follows(stage: Stage, k: int) -> bool:
    """Whether a RUN comes after instruction ``k`` of ``stage`` (and before another USER)."""
    for ins in stage.instructions[k + 1 :]:
        if ins.name in ("RUN", "USER"):
            return ins.name == "RUN"
    return False
