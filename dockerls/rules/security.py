"""Security and reproducibility rules: who the container runs as, what the build trusts.

DKL401 runs-as-root, DKL402 unpinned-image-tag, DKL403 secret-in-build-argument,
DKL404 sudo-in-run, DKL405 add-for-local-files, DKL406 tls-verification-disabled,
DKL407 shell-form-command.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dockerls.findings import Fix, Related, TextEdit
from dockerls.rules.common import (
    ADD_EXTRACTS,
    final_scope,
    from_span,
    global_args,
    indent,
    is_root,
    newline,
    open_at_end,
    program,
    step_of,
    unwrap,
)
from dockerls.rules.engine import Category, Hit, Rule, RuleContext, RuleDocs, Scope, rule
from dockerls.shell import Command, Word, is_posix_shell
from dockerls.syntax import (
    Dockerfile,
    ImageRef,
    Instruction,
    KeyValue,
    Position,
    Severity,
    Span,
    Stage,
)
from dockerls.syntax.images import SpanOf, parse_image_ref
from dockerls.syntax.variables import expand

if TYPE_CHECKING:
    from dockerls.knowledge.images import ImageInfo

_REF = "https://docs.docker.com/reference/dockerfile/"
_PRACTICES = "https://docs.docker.com/build/building/best-practices/"
_HADOLINT = "https://github.com/hadolint/hadolint/wiki/"
_CHECKS = "https://docs.docker.com/reference/build-checks/"


# --------------------------------------------------------------------------- shared helpers


def _resolve(ctx: RuleContext, text: str, ins: Instruction) -> str | None:
    """``text`` with the variables known before ``ins`` expanded; None when unknown."""
    return expand(text, step_of(ctx, ins).env, ctx.document.escape)


def _posix_runs(ctx: RuleContext) -> Iterator[tuple[Stage, Instruction]]:
    """Every RUN (ONBUILD triggers included) under a POSIX shell: not under PowerShell
    or cmd, where even the exec form is written for Windows."""
    for stage, ins in ctx.instructions("RUN"):
        if is_posix_shell(ctx.shell(ins)):
            yield stage, ins


def _arg_env_pairs(ctx: RuleContext) -> Iterator[tuple[Instruction, KeyValue]]:
    """Every ARG and ENV pair (of the stages checked), global ARGs and ONBUILD triggers
    included."""
    for top in ctx.checked():
        ins = top.trigger if top.name == "ONBUILD" else top
        if ins is not None and ins.name in ("ARG", "ENV"):
            for pair in ins.pairs:
                yield ins, pair


@dataclass(frozen=True, slots=True)
class _User:
    """Who a stage runs as at some point."""

    name: str | None  # None: a value we cannot know (an unresolved variable)
    is_root: bool
    instruction: Instruction | None  # the USER that set it; None: the base image's default
    stage: Stage  # the stage whose USER (or root image) decided it


def _user_at(ctx: RuleContext, stage: Stage, before: Instruction | None = None) -> _User:
    """The user in effect in ``stage`` before ``before`` (None: at the end of the stage).

    A USER in a stage it is built FROM carries over; without any, the root image's
    default user applies, and an image we know nothing about is taken to run as root.
    """
    scope = step_of(ctx, before).scope if before is not None else final_scope(ctx, stage)
    user = scope.user
    if user is not None:
        return _User(user.name, user.name is not None and is_root(user.name), user.ins, user.stage)
    info = ctx.image(stage)
    root = ctx.graph.root(stage)
    if info is None:
        return _User("root", True, None, root)
    return _User(info.default_user, not info.non_root, None, root)


def _describe_image(ctx: RuleContext, stage: Stage) -> str:
    """The stage's FROM reference for a message: expanded when it can be, else as written."""
    if stage.image is None:
        return "the base image"
    text = stage.image.text
    return expand(text, global_args(ctx), ctx.document.escape) or text


# --------------------------------------------------------------------------- DKL401


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
            _REF + "#user",
            _PRACTICES + "#user",
            _HADOLINT + "DL3002",
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
        ),
    ),
    hadolint=("DL3002",),
)
def runs_as_root(ctx: RuleContext) -> Iterator[Hit]:
    final = ctx.graph.final
    if final is None:
        return
    user = _user_at(ctx, final)
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
    image = _describe_image(ctx, root)
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


# --------------------------------------------------------------------------- DKL402


@dataclass(frozen=True, slots=True)
class _ImageUse:
    """One external image the build pulls, with where it is written."""

    written: str  # as written, variables unexpanded
    resolved: str | None  # ARG defaults expanded; None when unknowable
    ref: ImageRef  # the written reference split into parts, with spans
    span: Span  # the whole written reference
    what: str  # "FROM", "COPY --from", "RUN --mount from="


_MOUNT_FROM = re.compile(r"(?:^|,)\s*from=")


def _flag_images(ins: Instruction) -> Iterator[tuple[str, Span, str]]:
    """The sources of COPY/ADD ``--from`` and RUN ``--mount=…,from=…``, with spans."""
    if ins.name in ("COPY", "ADD"):
        for flag in ins.flags_named("from"):
            if flag.value is not None and flag.value.text:
                yield flag.value.text, flag.value.span, f"{ins.name} --from"
    elif ins.name == "RUN":
        for flag in ins.flags_named("mount"):
            value = flag.value
            source = flag.options().get("from")
            match = _MOUNT_FROM.search(value.text) if value is not None else None
            if value is None or not source or match is None:
                continue
            span = value.span
            if span.start.line == span.end.line and value.text[match.end() :].startswith(source):
                col = span.start.column + match.end()
                span = Span.of(span.start.line, col, None, col + len(source))
            yield source, span, "RUN --mount from="


def _image_uses(ctx: RuleContext, stage: Stage) -> Iterator[tuple[_ImageUse, str | None]]:
    """The image references of ``stage`` that are not its parent stage: FROM, --from and
    mount sources, each with the name that makes it a stage if an earlier one has it."""
    image = stage.image
    if image is not None and ctx.graph.parent(stage) is None:
        resolved = expand(image.text, global_args(ctx), ctx.document.escape)
        yield _ImageUse(image.text, resolved, image, image.span, "FROM"), resolved or None
    for ins in ctx.effective(stage):
        for text, span, what in _flag_images(ins):
            resolved = _resolve(ctx, text, ins)
            ref = parse_image_ref(text, _span_of(span, text))
            yield _ImageUse(text, resolved, ref, span, what), text if resolved is None else resolved


def _external(doc: Dockerfile, stage: Stage, use: _ImageUse, name: str | None) -> bool:
    """Whether ``use`` pulls an image: its name is no stage before ``stage`` (nor, for
    --from and mounts, a stage index)."""
    target = doc.stage_named(name) if name else None
    if use.what == "FROM":
        return target is None or target.index >= stage.index
    return not (name or "").isdigit() and (target is None or target.index >= stage.index)


def _span_of(span: Span, text: str) -> SpanOf:
    """Spans for offsets into ``text``, written at ``span`` (when it sits there verbatim)."""
    if span.start.line != span.end.line or span.end.column - span.start.column != len(text):
        return lambda start, end: span
    line, col = span.start.line, span.start.column
    return lambda start, end: Span.of(line, col + start, None, col + end)


def _nowhere(start: int, end: int) -> Span:
    """Spans for a reference that exists only after expansion (they are not used)."""
    return Span.of(0, 0)


def _defining_arg(doc: Dockerfile, written: str) -> Related | None:
    """The global ARG whose default a FROM reference uses, for ``related``."""
    names = set(re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", written))
    for ins in reversed(doc.global_args):
        for pair in ins.pairs:
            if pair.key.text in names and pair.value is not None:
                return Related(pair.span, f"the default of ARG {pair.key.text}")
    return None


@rule(
    "DKL402",
    "unpinned-image-tag",
    Category.CORRECTNESS,
    Severity.WARNING,
    summary="An external image is used without a tag or with :latest.",
    docs=RuleDocs(
        what="An image pulled from a registry with no tag and no digest, or with the tag "
        "`latest`: in FROM (also through an ARG default), in `COPY --from=<image>` and in "
        "`RUN --mount=from=<image>`. `scratch`, references to earlier stages and "
        "digest-pinned images are fine; floating but versioned tags such as `node:lts`, "
        "`nginx:alpine` or `golang:1-alpine` are not flagged.",
        why="No tag means `latest`, which moves whenever the publisher pushes: the same "
        "Dockerfile builds a different image next week, a new major version can break the "
        "build or the app, and the layer cache is invalidated on every new pull. A pinned "
        "tag makes the base a deliberate choice and its upgrades reviewable.",
        example="FROM python\nCOPY --from=composer /usr/bin/composer /usr/bin/composer",
        instead="FROM python:3.12-slim\n"
        "COPY --from=composer:2.8 /usr/bin/composer /usr/bin/composer",
        fix_safety="No automatic fix: which version to pin is the version you test with. "
        "Pin a tag (and, for full reproducibility, a digest: `image:tag@sha256:…`).",
        references=(
            _REF + "#from",
            _PRACTICES + "#pin-base-image-versions",
            _HADOLINT + "DL3006",
            _HADOLINT + "DL3007",
        ),
    ),
    hadolint=("DL3006", "DL3007"),
)
def unpinned_image_tag(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    # The per-stage work is kept; whether a name is a stage is not.
    for stage, uses in zip(doc.stages, ctx.kept_each(_unpinned), strict=True):
        for use, name, hit in uses:
            if _external(doc, stage, use, name):
                yield hit


def _unpinned(ctx: RuleContext, stage: Stage) -> list[tuple[_ImageUse, str | None, Hit]]:
    found: list[tuple[_ImageUse, str | None, Hit]] = []
    doc = ctx.document
    for use, name in _image_uses(ctx, stage):
        if use.resolved is None:
            continue  # depends on a value only known at build time
        resolved = parse_image_ref(use.resolved, _nowhere)
        if resolved.digest is not None or not resolved.repository.text:
            continue
        if resolved.registry is None and resolved.repository.text.lower() == "scratch":
            continue
        tag = resolved.tag.text if resolved.tag is not None else None
        if tag not in (None, "latest"):
            continue
        dynamic = "$" in use.written
        if tag == "latest" and use.ref.tag is not None:
            span = use.ref.tag.span
        elif not dynamic:
            span = use.ref.repository.span
        else:
            span = use.span
        shown = f"'{use.written}'" + (f" (= '{use.resolved}')" if dynamic else "")
        problem = "uses the tag 'latest'" if tag == "latest" else "has no tag, so it means 'latest'"
        related = _defining_arg(doc, use.written) if dynamic else None
        hit = Hit(
            span,
            f"{use.what} image {shown} {problem}: the build changes whenever a new image is "
            "pushed. Pin a version tag (or a digest).",
            related=(related,) if related is not None else (),
        )
        found.append((use, name, hit))
    return found


# --------------------------------------------------------------------------- DKL403

# BuildKit's SecretsUsedInArgOrEnv heuristic: a secret-like word delimited by '_' or
# the ends of the name, unless an allow-listed word is also there.
_SECRET_WORDS = re.compile(
    r"(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)",
    re.IGNORECASE,
)
# BuildKit allows public, file and version; the rest name things about a secret (its
# URL, where it lives) or public key material (GPG_KEY in the official images).
_SECRET_ALLOWED = re.compile(
    r"(?:_|^)(?:public|file|version|gpg|pgp|fingerprint|url|path|dir|name)(?:_|$)",
    re.IGNORECASE,
)


def looks_secret(name: str) -> bool:
    """Whether an ARG/ENV name looks like it holds a secret (BuildKit's heuristic)."""
    return bool(_SECRET_WORDS.search(name)) and not _SECRET_ALLOWED.search(name)


@rule(
    "DKL403",
    "secret-in-build-argument",
    Category.SECURITY,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="An ARG or ENV name looks like it holds a secret.",
    docs=RuleDocs(
        what="ARG or ENV names containing a word such as PASSWORD, PASSWD, PWORD, SECRET, "
        "TOKEN, KEY, APIKEY, AUTH, CREDENTIAL or CREDENTIALS (delimited by `_` or the ends of "
        "the name), unless the name also says PUBLIC, FILE or VERSION. That is BuildKit's "
        "SecretsUsedInArgOrEnv heuristic (`# check=skip=SecretsUsedInArgOrEnv` applies), "
        "with a few more words that describe a secret rather than hold it or name public "
        "key material: GPG, PGP, FINGERPRINT, URL, PATH, DIR, NAME (`GPG_KEY` in the "
        "official images is a public key fingerprint).",
        why="ENV values are stored in the image configuration and visible to anyone who can "
        "pull the image (`docker inspect`). Build arguments end up in the image history of "
        "every RUN that uses them (`docker history`) and in build caches and provenance "
        "attestations. Secret mounts give the value to one RUN and leave no trace in the image.",
        example='ARG NPM_TOKEN\nRUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > .npmrc '
        "&& npm ci",
        instead="RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \\\n"
        '    echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > .npmrc && npm ci && rm .npmrc',
        fix_safety="No automatic fix: the secret must be passed differently at build time "
        "(`docker build --secret id=npm_token,env=NPM_TOKEN`).",
        references=(
            _CHECKS + "secrets-used-in-arg-or-env/",
            "https://docs.docker.com/build/building/secrets/",
            _HADOLINT + "DL3064",
        ),
    ),
    hadolint=("DL3064",),
    buildkit=("SecretsUsedInArgOrEnv",),
)
def secret_in_build_argument(ctx: RuleContext) -> Iterator[Hit]:
    for ins, pair in _arg_env_pairs(ctx):
        name = pair.key.text
        if not looks_secret(name):
            continue
        where = (
            "the image configuration (docker inspect)"
            if ins.name == "ENV"
            else "the image history of every RUN that uses it (docker history)"
        )
        yield Hit(
            pair.key.span,
            f"{ins.name} {name} looks like a secret; its value is recorded in {where}. "
            "Pass it with RUN --mount=type=secret instead.",
        )


# --------------------------------------------------------------------------- DKL404

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
        references=(_HADOLINT + "DL3004", _REF + "#user"),
    ),
    hadolint=("DL3004",),
)
def sudo_in_run(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    seen: set[Span] = set()
    for stage, ins in _posix_runs(ctx):
        user: _User | None = None
        for cmd in ctx.script(ins).commands:
            sudo = cmd.wrapper("sudo") or (cmd.argv[0] if cmd.name == "sudo" else None)
            if sudo is None or sudo.span in seen:
                continue
            seen.add(sudo.span)
            if user is None:
                user = _user_at(ctx, stage, ins)
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


# --------------------------------------------------------------------------- DKL405

_REMOTE = re.compile(r"^(?:https?://|git@|git://|ssh://)", re.IGNORECASE)
_ADD_ONLY_FLAGS = frozenset({"checksum", "keep-git-dir", "unpack"})


def _add_sources(ins: Instruction) -> list[str] | None:
    """The source operands of an ADD (None when there is no destination yet)."""
    if ins.heredocs:
        return [""]  # inline content
    if ins.exec_form is not None:
        items = [e.text for e in ins.exec_form.elements]
    else:
        items = [a.text.strip("\"'") for a in ins.args]
    if len(items) < 2:
        return None
    return items[:-1]


def _is_local_file(source: str | None) -> bool:
    """A source ADD copies as it is: not remote, not a tar archive, not unknown."""
    return source is not None and not _REMOTE.match(source) and not ADD_EXTRACTS.search(source)


@rule(
    "DKL405",
    "add-for-local-files",
    Category.SECURITY,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="ADD copies local files; COPY says what it does.",
    docs=RuleDocs(
        what="ADD whose sources are local files or directories (or a heredoc). ADD of a URL or "
        "git repository, and ADD of a local tar archive (`.tar`, `.tar.gz`/`.tgz`, "
        "`.tar.bz2`, `.tar.xz`, `.tar.zst`…) meant to be extracted, are not flagged. A "
        "`.zip` is flagged: ADD does not extract zip files.",
        why="ADD has extra behaviour COPY has not: it downloads URLs and unpacks tar "
        "archives. Used for plain files it hides intent, and a file that happens to be a "
        "tar archive (a renamed backup, a vendored tarball) is silently unpacked instead of "
        "copied. COPY does exactly one thing, and Docker's best practices recommend it for "
        "local files.",
        example="ADD . /app",
        instead="COPY . /app",
        fix_safety="The fix replaces the ADD keyword with COPY, in the same letter case; "
        "the flags ADD and COPY share (--chown, --chmod, --link, --exclude) keep working. It "
        "is not offered when ADD-only flags (--checksum, --keep-git-dir, --unpack) are given.",
        references=(
            _REF + "#add",
            _REF + "#copy",
            _PRACTICES + "#add-or-copy",
            _HADOLINT + "DL3020",
        ),
    ),
    hadolint=("DL3020",),
)
def add_for_local_files(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        for ins in ctx.effective(stage):
            if ins.name != "ADD":
                continue
            sources = _add_sources(ins)
            if not sources:
                continue
            if not all(_is_local_file(_resolve(ctx, source, ins)) for source in sources):
                continue
            fixes: tuple[Fix, ...] = ()
            if not any(f.name.text.lower() in _ADD_ONLY_FLAGS for f in ins.flags):
                keyword = ins.keyword.text
                copy = "COPY" if keyword.isupper() else "copy" if keyword.islower() else "Copy"
                fixes = (Fix("Use COPY instead of ADD", (TextEdit(ins.keyword.span, copy),)),)
            what = "inline content" if ins.heredocs else "local files"
            yield Hit(
                ins.keyword.span,
                f"ADD of {what}: use COPY, which copies without ADD's URL download and "
                "tar auto-extraction.",
                fixes,
            )


# --------------------------------------------------------------------------- DKL406

_FALSE = frozenset({"false", "0", "no", "off"})
_TRUE = frozenset({"true", "1", "yes", "on"})
_ANY = frozenset({"*"})

# Options that switch a check off, by program.
_INSECURE_OPTIONS: dict[str, tuple[str, ...]] = {
    "curl": ("-k", "--insecure"),
    "wget": ("--no-check-certificate",),
    "apk": ("--allow-untrusted",),
    "apt-get": ("--allow-unauthenticated", "--allow-insecure-repositories", "--force-yes"),
    "yum": ("--nogpgcheck",),
    "dnf": ("--nogpgcheck",),
    "microdnf": ("--nogpgcheck",),
    "tdnf": ("--nogpgcheck",),
    "zypper": ("--no-gpg-checks",),
    "rpm": ("--nosignature",),
    "uv": ("--allow-insecure-host",),
    "conda": ("--insecure",),
    "helm": ("--insecure-skip-tls-verify",),
    "kubectl": ("--insecure-skip-tls-verify",),
}
_INSECURE_OPTIONS["apt"] = _INSECURE_OPTIONS["aptitude"] = _INSECURE_OPTIONS["apt-get"]

# ``key value`` / ``key=value`` settings that switch a check off, by the key's last part
# (``http.sslVerify``, ``global.trusted-host``, ``Acquire::https::Verify-Peer``).
_INSECURE_SETTINGS: dict[str, frozenset[str]] = {
    "strict-ssl": _FALSE,
    "enablestrictssl": _FALSE,
    "sslverify": _FALSE,
    "ssl_verify": _FALSE,
    "verify-peer": _FALSE,
    "verify-host": _FALSE,
    "allowunauthenticated": _TRUE,
    "allowinsecurerepositories": _TRUE,
    "trusted-host": _ANY,
    "secure-http": _FALSE,
    "disable-tls": _TRUE,
    "gpgcheck": _FALSE,
}
_SETTING_PROGRAMS = frozenset(
    {
        "npm",
        "pnpm",
        "yarn",
        "pip",
        "git",
        "conda",
        "mamba",
        "micromamba",
        "composer",
        "apt-get",
        "apt",
        "aptitude",
        "yum",
        "dnf",
        "microdnf",
        "tdnf",
    }
)

# Environment variables that switch a check off.
_INSECURE_ENV: dict[str, frozenset[str]] = {
    "NODE_TLS_REJECT_UNAUTHORIZED": frozenset({"0"}),
    "PYTHONHTTPSVERIFY": frozenset({"0"}),
    "GIT_SSL_NO_VERIFY": _ANY,  # git disables verification when it is set at all
    "NPM_CONFIG_STRICT_SSL": _FALSE,
    "YARN_ENABLE_STRICT_SSL": _FALSE,
    "PIP_TRUSTED_HOST": _ANY,
}
_APT_TRUSTED = re.compile(r"\[[^\]]*\btrusted=yes\b", re.IGNORECASE)


def _bad(value: str, bad: frozenset[str]) -> bool:
    value = value.strip().strip("\"'").lower()
    return bool(value) if bad is _ANY else value in bad


def _setting(key: str) -> frozenset[str] | None:
    last = re.split(r"[.:]+", key.lstrip("-").lower())[-1]
    return _INSECURE_SETTINGS.get(last)


def _letter_span(word: Word, letter: str) -> Span:
    """The span of one short option inside a cluster such as ``-fsSLk``."""
    span = word.span
    at = word.raw.find(letter, 1)
    if word.raw != word.text or span.start.line != span.end.line or at < 0:
        return span
    return Span.of(span.start.line, span.start.column + at, None, span.start.column + at + 1)


def _insecure_words(cmd: Command) -> Iterator[tuple[Span, str]]:
    cmd = unwrap(cmd)
    name = program(cmd.name)
    for opt in cmd.options():
        if opt.name in _INSECURE_OPTIONS.get(name, ()):
            span = opt.word.span
            if not opt.word.text.startswith("--") and len(opt.word.text) > 2:
                span = _letter_span(opt.word, opt.name[1])
            yield span, f"{name} {opt.name}"
    args = cmd.args
    for i, word in enumerate(args):
        if _APT_TRUSTED.search(word.text):
            yield word.span, "an APT source marked [trusted=yes]"
            continue
        if name not in _SETTING_PROGRAMS or word.dynamic:
            continue
        parts = word.text.split("=")
        if len(parts) >= 2:
            key, value, end = parts[-2], parts[-1], word
        elif i + 1 < len(args):
            key, value, end = word.text, args[i + 1].text, args[i + 1]
        else:
            continue
        bad = _setting(key)
        if bad is not None and _bad(value, bad):
            span = word.span
            if end is not word and end.span.start.line == span.start.line:
                span = span.cover(end.span)
            shown = word.text if end is word else f"{word.text} {end.text}"
            yield span, f"{name} {shown}"


def _insecure_assignment(name: str, value: str | None) -> bool:
    bad = _INSECURE_ENV.get(name.upper())
    return bad is not None and value is not None and _bad(value, bad)


def _tls_message(what: str) -> str:
    return (
        f"{what} turns off certificate or signature verification: a network attacker or a "
        "compromised mirror can then feed the build anything."
    )


@rule(
    "DKL406",
    "tls-verification-disabled",
    Category.SECURITY,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="A download turns off TLS certificate or package signature checks.",
    docs=RuleDocs(
        what="Options, settings and environment variables that make a download trust "
        "anything: `curl -k/--insecure`, `wget --no-check-certificate`, `pip --trusted-host` "
        "(and `PIP_TRUSTED_HOST`), `npm/yarn/pnpm config set strict-ssl false`, "
        "`git -c http.sslVerify=false`, `GIT_SSL_NO_VERIFY`, `NODE_TLS_REJECT_UNAUTHORIZED=0`, "
        "`PYTHONHTTPSVERIFY=0`, `apk --allow-untrusted`, `apt-get --allow-unauthenticated`/"
        "`--allow-insecure-repositories`, `deb [trusted=yes]` sources, `yum/dnf --nogpgcheck`, "
        "`rpm --nosignature`, in RUN (also inline `VAR=…`/`export`) and in ENV/ARG.",
        why="Build steps download code that ends up running in production. Without "
        "certificate checks a proxy, a hijacked DNS answer or a compromised mirror can "
        "substitute any file; without package signatures nothing proves a package comes "
        "from the distribution. ENV settings also keep verification off in the running "
        "container. A corporate TLS-intercepting proxy is better handled by adding its CA "
        "certificate (update-ca-certificates, `NODE_EXTRA_CA_CERTS`, `PIP_CERT`).",
        example="RUN curl -kfsSL https://example.com/install.sh | sh",
        instead="RUN curl -fsSL https://example.com/install.sh | sh",
        fix_safety="No automatic fix: removing the option may make the download fail until "
        "the right CA certificate is installed.",
        references=(
            "https://curl.se/docs/sslcerts.html",
            "https://pip.pypa.io/en/stable/cli/pip/#cmdoption-trusted-host",
            "https://nodejs.org/api/cli.html#node_tls_reject_unauthorizedvalue",
            "https://git-scm.com/docs/git-config#Documentation/git-config.txt-httpsslVerify",
            "https://docs.docker.com/engine/network/ca-certs/",
        ),
    ),
)
def tls_verification_disabled(ctx: RuleContext) -> Iterator[Hit]:
    for ins, pair in _arg_env_pairs(ctx):
        value = pair.value.text if pair.value is not None else None
        if _insecure_assignment(pair.key.text, value):
            yield Hit(pair.span, _tls_message(f"{ins.name} {pair.key.text}={value}"))
    for _, ins in _posix_runs(ctx):
        script = ctx.script(ins)
        seen: set[Span] = set()
        assignments = list(script.assignments)
        for cmd in script.commands:
            assignments.extend(cmd.assignments)
            for span, what in _insecure_words(cmd):
                if span not in seen:
                    seen.add(span)
                    yield Hit(span, _tls_message(what))
        for a in assignments:
            value = a.value.text if a.value is not None else None
            if a.span not in seen and _insecure_assignment(a.name, value):
                seen.add(a.span)
                yield Hit(a.span, _tls_message(f"{a.name}={value}"))


# --------------------------------------------------------------------------- DKL407

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
            _REF + "#shell-and-exec-form",
            _CHECKS + "json-args-recommended/",
            _HADOLINT + "DL3025",
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
                image = _describe_image(ctx, ctx.graph.root(stage))
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


RULES: tuple[Rule, ...] = (
    runs_as_root,
    unpinned_image_tag,
    secret_in_build_argument,
    sudo_in_run,
    add_for_local_files,
    tls_verification_disabled,
    shell_form_command,
)
