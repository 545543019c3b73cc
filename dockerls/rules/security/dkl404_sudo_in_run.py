"""DKL404 sudo-in-run: RUN uses sudo."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Fix, TextEdit
from dockerls.rules.doc_links import DOCKERFILE_REFERENCE, HADOLINT_WIKI
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.security.instructions import posix_runs
from dockerls.rules.security.users import User, user_at
from dockerls.shell import Command, Word
from dockerls.syntax import Dockerfile, Position, Severity, Span

# sudo options that do not change what runs, or as whom (given root is the default).
_SUDO_HARMLESS = frozenset(
    {
        "-E",
        "--preserve-env",
        "-H",
        "--set-home",
        "-n",
        "--non-interactive",
        "-k",
        "--reset-timestamp",
        "-S",
        "--stdin",
        "-P",
        "--preserve-groups",
    }
)
_SUDO_USER = frozenset({"-u", "--user", "-g", "--group"})


def _sudo_removal(doc: Dockerfile, cmd: Command, sudo: Word) -> Span | None:
    """The text to delete to drop ``sudo`` and its options; None when they matter."""
    words = cmd.prefix_words
    index = next((i for i, w in enumerate(words) if w is sudo), None)
    if index is None:
        return None
    end = sudo.span.end
    i = index + 1
    while i < len(words) and words[i].text.startswith("-"):
        text = words[i].text
        name, eq, value = text.partition("=")
        if text == "--":
            end = words[i].span.end
            break
        if name in _SUDO_USER:
            if not eq:
                i += 1
                value = words[i].text if i < len(words) else ""
            if value not in ("root", "0", "#0"):
                return None
        elif name not in _SUDO_HARMLESS and not (
            len(text) > 2 and text[1] != "-" and all(f"-{c}" in _SUDO_HARMLESS for c in text[1:])
        ):
            return None
        end = words[min(i, len(words) - 1)].span.end
        i += 1
    line = doc.lines[end.line] if end.line < len(doc.lines) else ""
    column = end.column
    while column < len(line) and line[column] in " \t":
        column += 1
    return Span(sudo.span.start, Position(end.line, column))


@rule(
    "DKL404",
    "sudo-in-run",
    Category.SECURITY,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="RUN uses sudo.",
    docs=RuleDocs(
        what="`sudo` in a RUN command (also inside `sh -c`, heredocs and ONBUILD triggers).",
        why="RUN already runs as the stage's current USER, which is root unless a USER says "
        "otherwise, so sudo adds nothing but a setuid-root binary in the image and its own "
        "behaviour: it may ask for a password or a TTY and fail the build, and it resets "
        "the environment (PATH, proxies, variables from ENV). To run one step as root after "
        "a USER, switch with `USER root` for that step and back again.",
        example="RUN sudo apt-get update",
        instead="RUN apt-get update",
        fix_safety="The fix deletes `sudo` and its options. It is safe when the step runs as "
        "root anyway; when a non-root USER is in effect it is offered as a behaviour change "
        "(the command then runs as that user). No fix when sudo switches to another user "
        "(`sudo -u postgres`) or the RUN is in exec form.",
        references=(HADOLINT_WIKI + "DL3004", DOCKERFILE_REFERENCE + "#user"),
    ),
    hadolint=("DL3004",),
)
def sudo_in_run(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    seen: set[Span] = set()
    for stage, ins in posix_runs(ctx):
        user: User | None = None
        for cmd in ctx.script(ins).commands:
            sudo = cmd.wrapper("sudo") or (cmd.argv[0] if cmd.name == "sudo" else None)
            if sudo is None or sudo.span in seen:
                continue
            seen.add(sudo.span)
            if user is None:
                user = user_at(ctx, stage, ins)
            fixes: tuple[Fix, ...] = ()
            removal = _sudo_removal(doc, cmd, sudo) if ins.exec_form is None else None
            if removal is not None:
                if user.is_root:
                    fixes = (Fix("Remove sudo", (TextEdit(removal, ""),)),)
                else:
                    who = user.name or "the current USER"
                    fixes = (
                        Fix(
                            f"Remove sudo (the command then runs as {who}, not root)",
                            (TextEdit(removal, ""),),
                            safe=False,
                        ),
                    )
            if user.is_root:
                message = (
                    "sudo in RUN: this step already runs as root, so sudo only adds a setuid "
                    "binary and its TTY/environment quirks."
                )
            else:
                who = f"'{user.name}'" if user.name else "a non-root USER"
                message = (
                    f"sudo in RUN: this step runs as {who}; use USER root for the steps that "
                    "need root instead of shipping sudo."
                )
            yield Hit(sudo.span, message, fixes)
