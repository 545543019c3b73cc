"""DKL509 invalid-stop-signal: STOPSIGNAL names no signal."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerls.rules.correctness.spelling import did_you_mean, suggest
from dockerls.rules.correctness.variable_scopes import scopes
from dockerls.rules.correctness.word_processing import process_word
from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Severity

_SIGNAL_NAMES = (
    "ABRT ALRM BUS CHLD CLD CONT FPE HUP ILL INT IO IOT KILL PIPE POLL PROF PWR QUIT SEGV STKFLT "
    "STOP SYS TERM TRAP TSTP TTIN TTOU URG USR1 USR2 VTALRM WINCH XCPU XFSZ RTMIN RTMAX UNUSED"
)
SIGNALS = frozenset(
    [*_SIGNAL_NAMES.split(" ")]
    + [f"RTMIN+{i}" for i in range(1, 16)]
    + [f"RTMAX-{i}" for i in range(1, 15)]
)


def signal_problem(value: str) -> str | None:
    if re.fullmatch(r"[+-]?\d+", value):
        return None if int(value) != 0 else "signal 0 is not a signal"
    name = value.upper()
    name = name[3:] if name.startswith("SIG") else name
    if name in SIGNALS:
        return None
    close = suggest(name, tuple(SIGNALS))
    return f"'{value}' is not a signal{did_you_mean([f'SIG{c}' for c in close])}"


@rule(
    "DKL509",
    "invalid-stop-signal",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="STOPSIGNAL names no signal.",
    docs=RuleDocs(
        what="A STOPSIGNAL value that is neither a signal number nor a signal name "
        "(`SIGTERM`, `TERM`, `SIGRTMIN+3`, case-insensitive), after variables are expanded "
        "with their defaults. The whole rest of the line is the value: `STOPSIGNAL SIGTERM "
        "now` is invalid.",
        why="The build fails with 'Invalid signal'.",
        example="STOPSIGNAL SIGTERMINATE",
        instead="STOPSIGNAL SIGTERM",
        fix_safety="No automatic fix.",
        references=(
            DOCKERFILE_REFERENCE + "#stopsignal",
            "https://man7.org/linux/man-pages/man7/signal.7.html",
        ),
    ),
)
def invalid_stop_signal(ctx: RuleContext) -> Iterator[Hit]:
    escape = ctx.document.escape
    for stage in ctx.stages:
        for ins, env in scopes(ctx, stage):
            if ins.name != "STOPSIGNAL" or ins.rest is None:
                continue
            processed = process_word(ins.rest.text, env, escape, unset_unknown=True)
            if processed.value is None or processed.error is not None:
                continue
            problem = signal_problem(processed.value)
            if problem is not None:
                yield Hit(ins.rest.span, f"Invalid STOPSIGNAL: {problem}.")
