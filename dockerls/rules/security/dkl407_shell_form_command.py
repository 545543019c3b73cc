"""DKL407 shell-form-command: CMD or ENTRYPOINT in shell form."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from dockerls.findings import Fix, TextEdit
from dockerls.rules.doc_links import BUILD_CHECKS, DOCKERFILE_REFERENCE, HADOLINT_WIKI
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.security.expansion import describe_image
from dockerls.shell import Word
from dockerls.syntax import Instruction, Severity

_PLAIN = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")
_SHELL_ONLY = frozenset(
    {
        "cd",
        "source",
        ".",
        "export",
        "set",
        "unset",
        "ulimit",
        "umask",
        "trap",
        "eval",
        "exit",
        "wait",
        "read",
        "alias",
        "shift",
        "exec",
        ":",
        "[",
        "[[",
        "test",
        "local",
        "readonly",
    }
)


def _plain_word(word: Word) -> bool:
    """A word whose meaning does not depend on the shell (no expansion, glob or escape)."""
    if word.dynamic:
        return False
    raw = word.raw
    if _PLAIN.fullmatch(raw):
        return True
    if len(raw) >= 2 and raw[0] == raw[-1] == "'":
        return "'" not in raw[1:-1]
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        return not any(c in raw[1:-1] for c in '"$`\\')
    return False


def _exec_form(ctx: RuleContext, ins: Instruction) -> list[str] | None:
    """The argv an exec form would need to run the same program, when there is one."""
    if ins.comments:
        return None
    script = ctx.script(ins)
    if script.has_error or script.assignments or len(script.commands) != 1:
        return None
    cmd = script.commands[0]
    if cmd.redirects or cmd.assignments or cmd.in_subshell or cmd.in_substitution:
        return None
    if any(w.text != "exec" for w in cmd.prefix_words):
        return None
    if cmd.argv[0].text in _SHELL_ONLY or not all(_plain_word(w) for w in cmd.argv):
        return None
    # Nothing but the words: no `&`, `;`, `!`, braces or a trailing shell comment.
    words = "".join(w.raw for w in (*cmd.prefix_words, *cmd.argv))
    if re.sub(r"\s+", "", words) != re.sub(r"\s+", "", ins.rest.text if ins.rest else ""):
        return None
    return [w.text for w in cmd.argv]


@rule(
    "DKL407",
    "shell-form-command",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="CMD or ENTRYPOINT in shell form.",
    docs=RuleDocs(
        what="CMD or ENTRYPOINT written as plain text (`CMD node server.js`) instead of a "
        "JSON array, when no SHELL instruction chose the shell on purpose.",
        why='The shell form runs `/bin/sh -c "…"`: the shell is PID 1, and '
        "`docker stop`'s SIGTERM goes to the shell, not to your program, which is killed "
        "after the 10 s grace period instead of shutting down cleanly. A shell-form "
        "ENTRYPOINT also ignores CMD and `docker run` arguments. On images without a shell "
        "(distroless, scratch, Chainguard) the container cannot start at all.",
        example="CMD node server.js",
        instead='CMD ["node", "server.js"]',
        fix_safety="The fix rewrites a single plain command (no variables, globs, "
        "redirections, pipes or `&&`) as a JSON array; a leading `exec` is dropped. It is "
        "safe for CMD. For an ENTRYPOINT it is marked as a behaviour change when the stage "
        "also has a CMD, because CMD's words are then passed to the program. Commands that "
        'need a shell get no fix: wrapping them in `["sh", "-c", …]` keeps the signal '
        "problem; use `exec` in a script instead.",
        references=(
            DOCKERFILE_REFERENCE + "#shell-and-exec-form",
            BUILD_CHECKS + "json-args-recommended/",
            HADOLINT_WIKI + "DL3025",
            "https://github.com/GoogleContainerTools/distroless#entrypoints",
        ),
    ),
    hadolint=("DL3025",),
    buildkit=("JSONArgsRecommended",),
)
def shell_form_command(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        instructions = list(ctx.effective(stage))
        for ins in instructions:
            if ins.name not in ("CMD", "ENTRYPOINT") or not ins.is_shell_form or ins.rest is None:
                continue
            if ins.rest.text.lstrip().startswith("["):
                continue  # a broken JSON array: DKL004 reports it
            if ctx.shell(ins) is not None:
                continue  # a SHELL chose the shell on purpose (BuildKit stays quiet too)
            info = ctx.image(stage)
            message = (
                f"{ins.name} in shell form runs under /bin/sh -c: the shell is PID 1 and "
                "does not pass SIGTERM on, so the program cannot shut down cleanly."
            )
            if info is not None and info.shell is False:
                image = describe_image(ctx, ctx.graph.root(stage))
                message = (
                    f"{ins.name} in shell form needs /bin/sh, which '{image}' does not have: "
                    "the container cannot start. The JSON form is required here."
                )
            fixes: tuple[Fix, ...] = ()
            argv = _exec_form(ctx, ins)
            if argv is not None:
                text = "[" + ", ".join(json.dumps(a, ensure_ascii=False) for a in argv) + "]"
                edit = (TextEdit(ins.rest.span, text),)
                if ins.name == "ENTRYPOINT" and any(i.name == "CMD" for i in instructions):
                    fixes = (
                        Fix(
                            "Use the JSON form (CMD's words then become the program's arguments)",
                            edit,
                            safe=False,
                        ),
                    )
                else:
                    fixes = (Fix("Use the JSON (exec) form", edit),)
            yield Hit(ins.rest.span, message, fixes)
