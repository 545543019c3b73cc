"""DKL401 runs-as-root: The final image runs its process as root."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from dockerls.findings import Fix, Related, TextEdit
from dockerls.rules.build_state import is_root
from dockerls.rules.doc_links import BEST_PRACTICES, DOCKERFILE_REFERENCE, HADOLINT_WIKI
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.rules.instruction_parts import from_span
from dockerls.rules.security.expansion import describe_image
from dockerls.rules.security.users import user_at
from dockerls.rules.text_layout import indent, newline, open_at_end
from dockerls.shell import is_posix_shell
from dockerls.syntax import Dockerfile, Position, Severity, Span, Stage

if TYPE_CHECKING:
    from dockerls.knowledge.images import ImageInfo


_DEFAULT_USER = "app"
_NOBODY_UID = "65532"


def _created_user(ctx: RuleContext, stages: Sequence[Stage]) -> str | None:
    """The last user the stages create with useradd/adduser (never switched to)."""
    found = None
    for stage in stages:
        for ins in stage.instructions:
            if ins.name != "RUN":
                continue
            for cmd in ctx.script(ins).named("useradd", "adduser"):
                positionals = cmd.positionals()
                if positionals and not positionals[-1].dynamic:
                    name = positionals[-1].text
                    if re.fullmatch(r"[a-z_][a-z0-9_.-]*", name) and not is_root(name):
                        found = name
    return found


def _looks_windows(stages: Sequence[Stage]) -> bool:
    """An unknown image is taken for Windows when its SHELL is PowerShell or cmd."""
    return any(
        ins.name == "SHELL"
        and ins.exec_form is not None
        and not is_posix_shell([e.text for e in ins.exec_form.elements])
        for stage in stages
        for ins in stage.instructions
    )


def _uses_apk(ctx: RuleContext, stages: Sequence[Stage]) -> bool:
    return any(
        next(ctx.script(ins).named("apk"), None) is not None
        for stage in stages
        for ins in stage.instructions
        if ins.name == "RUN"
    )


def _non_root_lines(
    ctx: RuleContext, final: Stage, info: ImageInfo | None
) -> tuple[list[str], str]:
    """The instructions that switch to a non-root user, and a title describing them."""
    chain = ctx.graph.chain(final)
    created = _created_user(ctx, chain)
    if created is not None:
        return [f"USER {created}"], f"Switch to the user '{created}' the Dockerfile creates"
    if info is not None and info.builtin_user:
        user = info.builtin_user
        return [f"USER {user}"], f"Switch to the image's non-root user '{user}'"
    if (info.os == "windows") if info is not None else _looks_windows(chain):
        return ["USER ContainerUser"], "Switch to the unprivileged ContainerUser"
    if info is not None and info.shell is False:
        return (
            [f"USER {_NOBODY_UID}:{_NOBODY_UID}"],
            f"Run as UID {_NOBODY_UID} (the image has no shell to create a user)",
        )
    user = _DEFAULT_USER
    alpine = (
        info.package_manager == "apk" or info.libc == "musl"
        if info is not None
        else _uses_apk(ctx, chain)
    )
    if alpine:
        create = f"RUN addgroup -S {user} && adduser -S -G {user} {user}"
    else:
        create = (
            f"RUN groupadd --system {user} && useradd --system --gid {user} --no-create-home {user}"
        )
    return [create, f"USER {user}"], f"Create a system user '{user}' and switch to it"


def _insertion_point(doc: Dockerfile, stage: Stage) -> tuple[Position, bool]:
    """Where to add instructions so they take effect for the container but not the build:
    before the CMD/ENTRYPOINT that no RUN or USER follows, else after the stage's end.
    The flag says whether the text goes before a line (True) or after the last one."""
    target = None
    previous = stage.from_  # the instruction before ``target``
    for ins in stage.instructions:
        if ins.name in ("CMD", "ENTRYPOINT"):
            target = target or ins
        elif ins.name in ("RUN", "USER"):
            target = None
        if target is None:
            previous = ins
    if target is None:
        last = stage.instructions[-1] if stage.instructions else stage.from_
        line = last.span.end.line
        column = len(doc.lines[line]) if line < len(doc.lines) else last.span.end.column
        return Position(line, column), False
    line = target.start_line
    comments = {c.span.start.line for c in doc.comments}
    while line - 1 in comments and line - 1 > previous.end_line:
        line -= 1
    return Position(line, 0), True


def _non_root_fix(ctx: RuleContext, final: Stage, info: ImageInfo | None) -> Fix | None:
    """The fix, or None when the stage's last instruction is still open at the end of the
    file (an unterminated heredoc or continuation would swallow the added lines)."""
    doc = ctx.document
    lines, title = _non_root_lines(ctx, final, info)
    pos, before = _insertion_point(doc, final)
    nl = newline(doc)
    anchor = final.instructions[-1] if final.instructions else final.from_
    if before:
        lead = indent(doc.lines[pos.line])
        text = "".join(f"{lead}{line}{nl}" for line in lines)
    elif open_at_end(doc, anchor):
        return None
    else:
        lead = indent(doc.lines[anchor.start_line])
        text = "".join(f"{nl}{lead}{line}" for line in lines)
    title += " (files and ports that need root at run time will fail)"
    return Fix(title, (TextEdit(Span(pos, pos), text),), safe=False)


@rule(
    "DKL401",
    "runs-as-root",
    Category.SECURITY,
    Severity.WARNING,
    summary="The final image runs its process as root.",
    docs=RuleDocs(
        what="The stage that ships sets no USER (neither itself nor a stage it is built "
        "FROM) on a base image that runs as root, or its last USER is root/0. Base images "
        "known to run as a non-root user (distroless `:nonroot`, nginx-unprivileged, "
        "Windows nanoserver, Chainguard images, node images after `USER node`…) are not "
        "flagged; neither is a USER whose value is a build argument that cannot be known.",
        why="A process running as root inside the container is root on the host's kernel: a "
        "container escape or a writable host mount then gives full control. Kubernetes "
        "`runAsNonRoot` refuses such images, and many platforms (OpenShift) run them with a "
        "random UID anyway, breaking files only root can write. hadolint's DL3002 only "
        "catches an explicit last `USER root`; a Dockerfile without any USER is the common case.",
        example='FROM node:20-slim\nCOPY . /app\nCMD ["node", "/app/server.js"]',
        instead='FROM node:20-slim\nCOPY . /app\nUSER node\nCMD ["node", "/app/server.js"]',
        fix_safety="The fix (never applied automatically) inserts a USER before the final "
        "CMD/ENTRYPOINT: a user the Dockerfile already creates, the image's own non-root "
        "user (`node`, distroless `nonroot`), UID 65532 on images without a shell, or a new "
        "system user created with groupadd/useradd (addgroup/adduser on Alpine). Files the "
        "process writes must then be writable by that user, and ports below 1024 need "
        "extra capabilities.",
        references=(
            DOCKERFILE_REFERENCE + "#user",
            BEST_PRACTICES + "#user",
            HADOLINT_WIKI + "DL3002",
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
        ),
    ),
    hadolint=("DL3002",),
)
def runs_as_root(ctx: RuleContext) -> Iterator[Hit]:
    final = ctx.graph.final
    if final is None:
        return
    user = user_at(ctx, final)
    if not user.is_root:
        return
    info = ctx.image(final)
    fix = _non_root_fix(ctx, final, info)
    fixes = (fix,) if fix is not None else ()
    if user.instruction is not None:
        value = user.instruction.args[0]
        related: tuple[Related, ...] = ()
        if user.stage is not final and final.image is not None:
            related = (Related(final.image.span, "the final stage is built FROM that stage"),)
        yield Hit(
            value.span,
            f"The last USER of the image that ships is '{value.text}': the container's "
            "process runs as root.",
            fixes,
            related,
        )
        return
    root = ctx.graph.root(final)
    image = describe_image(ctx, root)
    span = from_span(final)
    if info is None:
        why = f"'{image}' is not known to switch to a non-root user"
    else:
        why = f"'{image}' runs as '{info.default_user}' by default"
    yield Hit(
        span,
        f"The image that ships never sets USER and {why}: the container's process runs as root.",
        fixes,
    )
