"""What the split reads of the original stage: the commands its RUNs run, the working
directory of each instruction, COPY/ADD destinations and the application paths they make,
the argv the container starts with, HEALTHCHECK and USER, the OS packages it installs and
the tools it copies from other images. Pure."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence

from dockerls.findings import Fix
from dockerls.rules.build_state import final_scope, steps
from dockerls.rules.engine import RuleContext
from dockerls.rules.package_managers import PACKAGE_INSTALLS
from dockerls.rules.stages.dkl204_dev_dependencies_in_final_image import (
    dev_dependencies_in_final_image,
)
from dockerls.shell import Command
from dockerls.syntax import Instruction, Span, Stage


def sub(cmd: Command) -> str | None:
    word = cmd.subcommand()
    return None if word is None else word.text


def commands(ctx: RuleContext, stage: Stage, name: str) -> list[tuple[Instruction, Command]]:
    return [
        (ins, cmd)
        for ins in stage.instructions
        if ins.name == "RUN"
        for cmd in ctx.script(ins).commands
        if cmd.name == name
    ]


def installed_packages(ctx: RuleContext, stage: Stage) -> list[tuple[str, str]]:
    """(manager, package) for each OS package an apt-get/apk install of the stage names."""
    out: list[tuple[str, str]] = []
    for ins in stage.instructions:
        if ins.name != "RUN":
            continue
        for cmd in ctx.script(ins).commands:
            word = cmd.subcommand()
            if word is None or word.text not in PACKAGE_INSTALLS.get(cmd.name, ()):
                continue
            manager = "apk" if cmd.name == "apk" else "apt-get"
            for arg in cmd.positionals()[1:]:
                name = re.split(r"[=<>~]", arg.text.strip("\"'"), maxsplit=1)[0].lower()
                if (manager, name) not in out:
                    out.append((manager, name))
    return out


def resolve(cwd: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(cwd, path))


def cwd_of(ctx: RuleContext, stage: Stage, ins: Instruction | None) -> str:
    """The working directory ``ins`` runs in (None: after the stage's last instruction)."""
    if ins is None:
        return posixpath.normpath(final_scope(ctx, stage).cwd)
    for step in steps(ctx, stage):
        if step.ins is ins:
            return posixpath.normpath(step.cwd)
    return "/"


def base_cwd(stage: Stage, ins: Instruction | None) -> bool:
    """Whether ``ins`` (None: the end of the stage) runs in the base image's own working
    directory, which the knowledge base does not record (golang's is /go): no absolute
    WORKDIR precedes it."""
    for other in stage.instructions:
        if other is ins:
            break
        if other.name == "WORKDIR" and other.args and other.args[0].text.startswith(("/", "$")):
            return False  # a variable: structure() refuses when it is not known
    return True


NO_WORKDIR = (
    "There is no WORKDIR before {what}, so it depends on the base image's own working "
    "directory; add `WORKDIR /app` (or another absolute path) first."
)


def destinations(ctx: RuleContext, stage: Stage) -> list[tuple[Instruction, str | None]]:
    """Each COPY/ADD of the stage with its absolute destination (None: not known)."""
    out: list[tuple[Instruction, str | None]] = []
    for step in steps(ctx, stage):
        ins = step.ins
        if ins.name not in ("COPY", "ADD") or step.onbuild:
            continue
        words = [w.text for w in (ins.exec_form.elements if ins.exec_form else ins.args)]
        if len(words) < 2 or "$" in words[-1]:
            out.append((ins, None))
            continue
        out.append((ins, resolve(step.cwd, words[-1])))
    return out


def app_paths(ctx: RuleContext, stage: Stage, manifest: re.Pattern[str]) -> list[str] | str:
    """The directories and files the runtime copies from the builder: the final
    WORKDIR when something was copied into it, and every other COPY/ADD destination
    except the install's manifests (``manifest`` matches their names) and tools from
    other images; a reason when one of them is / or not known."""
    final = cwd_of(ctx, stage, None)
    wanted: list[str] = []
    for ins, dest in destinations(ctx, stage):
        if dest is None:
            return f"The destination of the {ins.name} on line {ins.start_line + 1} is not known."
        source_flag = ins.flag("from")
        if source_flag is not None:
            continue  # a tool from another image (uv, poetry): the builder's
        words = [w.text for w in (ins.exec_form.elements if ins.exec_form else ins.args)]
        if all(manifest.search(w) for w in words[:-1]):
            continue
        if not words[-1].startswith("/") and base_cwd(stage, ins):
            return NO_WORKDIR.format(what=f"the {ins.name} on line {ins.start_line + 1}")
        inside = final != "/" and (dest + "/").startswith(final.rstrip("/") + "/")
        path = final if inside else dest
        if path == "/":
            return (
                f"The {ins.name} on line {ins.start_line + 1} puts the application in /; the "
                "split cannot copy it apart from the system (use a WORKDIR such as /app)."
            )
        if path not in wanted:
            wanted.append(path)
    kept = [p for p in wanted if not any(p.startswith(q.rstrip("/") + "/") for q in wanted)]
    if not kept:
        return "No application files are copied into the image (COPY/ADD), so nothing to run."
    return kept


PATH_DIRS = frozenset({"/usr/local/bin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/sbin"})


def entry(stage: Stage) -> list[str] | None:
    """The argv the container starts with (ENTRYPOINT + CMD), when it can be read."""
    entry: list[str] | None = None
    cmd: list[str] | None = None
    for ins in stage.instructions:
        if ins.name not in ("ENTRYPOINT", "CMD"):
            continue
        if ins.exec_form is not None:
            words = [e.text for e in ins.exec_form.elements]
        elif ins.rest is not None:
            words = ins.rest.text.split()
        else:
            words = []
        if ins.name == "ENTRYPOINT":
            entry, cmd = words, None
        else:
            cmd = words
    argv = (entry or []) + (cmd or [])
    return argv or None


def started_tools(stage: Stage) -> set[str]:
    """The program names the container starts with: the first word of ENTRYPOINT/CMD and,
    when that is a shell (``sh -c "uv run app"``), the first word of its command."""
    argv = entry(stage) or []
    names = {posixpath.basename(argv[0])} if argv else set()
    if len(argv) > 2 and names & {"sh", "bash", "dash"} and argv[1] == "-c":
        names.add(posixpath.basename((argv[2].split() or [""])[0]))
    return names


def shell_form(stage: Stage, *names: str) -> Instruction | None:
    for ins in stage.instructions:
        if ins.name in names and ins.exec_form is None and ins.rest is not None:
            if ins.name == "HEALTHCHECK":
                words = ins.rest.text.split()
                if words and words[0].upper() == "NONE":
                    continue
            return ins
    return None


def healthcheck(stage: Stage) -> Instruction | None:
    for ins in stage.instructions:
        if (
            ins.name == "HEALTHCHECK"
            and ins.rest is not None
            and ins.rest.text.split()[:1] != ["NONE"]
        ):
            return ins
    return None


def curl_healthcheck(stage: Stage) -> list[str]:
    """A warning when HEALTHCHECK calls curl or wget, which slim runtimes lack."""
    health = healthcheck(stage)
    text = health.rest.text if health is not None and health.rest is not None else ""
    if re.search(r"\b(curl|wget)\b", text):
        return ["HEALTHCHECK calls curl or wget, which the slim runtime does not have."]
    return []


def has_user(stage: Stage) -> Instruction | None:
    return next((i for i in stage.instructions if i.name == "USER"), None)


def image_copies(stage: Stage) -> list[tuple[Instruction, str, list[str]]]:
    """Each ``COPY --from=<image>`` of the stage (a tool taken from another image, such as
    ``COPY --from=ghcr.io/astral-sh/uv /uv /uvx /bin/``): (COPY, image, source paths)."""
    out: list[tuple[Instruction, str, list[str]]] = []
    for ins in stage.instructions:
        flag = ins.flag("from") if ins.name == "COPY" else None
        if flag is None or flag.value is None:
            continue
        words = [w.text for w in (ins.exec_form.elements if ins.exec_form else ins.args)]
        out.append((ins, flag.value.text, words[:-1]))
    return out


def production_flags(
    ctx: RuleContext,
    lines: set[int],
    inserts: list[tuple[int, int, str]],
    accept: Callable[[Fix], bool],
    within: Sequence[Span] | None = None,
) -> list[str] | int:
    """DKL204's own fix for each install on ``lines`` that brings development dependencies
    (the first fix ``accept`` takes, made only of insertions), added to ``inserts``: the
    text each fix inserts last; or the 0-based line of an install with no such fix.
    ``within``: only the installs inside these spans (the planner's own commands, when
    another ecosystem's install shares their RUN)."""
    added: list[str] = []
    for hit in dev_dependencies_in_final_image.check(ctx):
        if hit.span.start.line not in lines:
            continue
        if within is not None and not any(s.start <= hit.span.start < s.end for s in within):
            continue
        fix = next((f for f in hit.fixes if accept(f)), None)
        if fix is None or not all(e.span.start == e.span.end for e in fix.edits):
            return hit.span.start.line
        inserts.extend((e.span.start.line, e.span.start.column, e.new_text) for e in fix.edits)
        added.extend(e.new_text for e in fix.edits[-1:])
    return added
