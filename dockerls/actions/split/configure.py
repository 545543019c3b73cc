"""RUNs that configure the container (``mkdir``, ``chmod``, ``chown``, ``ln``, ``mv``,
``touch``, ``printf``/``echo`` into a file): where the split places them.

Such a RUN stays in the builder, byte for byte, like every RUN (later build steps may rely
on it). What the runtime needs of it depends on the paths it changes:

* none of them is one the build writes (a COPY/ADD destination, a working directory, a
  path a build command names) nor inside or above one: it uses nothing the build wrote,
  so the runtime runs the same RUN too (after what it copies; shell-less runtimes such as
  distroless and scratch cannot, and are not offered);
* all of them are inside what the build wrote: the result is in the builder, and each
  runtime must copy it (``COPY --from=`` of a directory holding the path); a runtime that
  does not is not offered;
* otherwise (some of each, a path known only at run time, a relative path the runtime
  would resolve elsewhere, a RUN that also builds, an owner the runtime may not have) the
  split cannot tell and refuses with a sentence saying which.

A path written with ``$VAR``/``${VAR}`` is read with the value an ENV of the stage gives
the variable when that value is known without any build argument (a literal, or made of
such values), and the RUN does not set the variable itself: ``ENV TZ=Europe/Rome`` makes
``/usr/share/zoneinfo/$TZ`` a known path, and the action's notes say which values were
used. An ARG's default is not used (``--build-arg`` can change it, and with it the
path), nor is an ENV made from an ARG; such a path is refused, naming the build argument.

Pure: no I/O, no exceptions on any input.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dockerls.actions.split.container_effects import CONFIGURES, configures
from dockerls.actions.split.original_stage import base_cwd, cwd_of, destinations, resolve
from dockerls.actions.split.plan import Runtime
from dockerls.actions.split.runtime_images import SHELL_LESS
from dockerls.rules.build_state import Step, command_scopes, step_of, steps
from dockerls.rules.engine import RuleContext
from dockerls.shell import Command, Word
from dockerls.syntax import Instruction, Stage
from dockerls.syntax.variables import expand

# The configuring programs the split can place; the others (users, capabilities, CA
# certificates, locales, sed/tee/cp) still stop it.
PLACEABLE = frozenset({"mkdir", "chmod", "chown", "chgrp", "ln", "mv", "touch", "printf", "echo"})
_MAKES = frozenset({"mkdir", "touch", "ln", "printf", "echo"})
_WRITES = (">", ">>", "1>", "1>>", ">|", "&>", "&>>")
_TAKES_VALUE = {"mkdir": frozenset({"-m", "--mode"}), "ln": frozenset({"-t", "-S", "--suffix"})}


@dataclass(frozen=True, slots=True)
class Placed:
    """A configuring RUN: the paths it changes, and whether the runtime runs it too
    (``runtime``) or copies its result from the builder."""

    ins: Instruction
    paths: tuple[str, ...]
    runtime: bool
    created: tuple[str, ...] = ()  # the paths it makes (mkdir, touch, a link, a written file)
    # what COPY --from cannot carry: a directory's mode or owner, a file's owner
    uncopied: tuple[str, ...] = ()
    resolved: tuple[str, ...] = ()  # "NAME=value": the ENV values its paths were read with


def _changed(cmd: Command) -> list[Word] | None:
    """The words naming the paths ``cmd`` changes; None when it changes nothing."""
    if cmd.name in ("printf", "echo"):
        targets = [r.target for r in cmd.redirects if r.operator in _WRITES and r.target]
        return [t for t in targets if not t.text.startswith("/dev/")] or None
    words = list(cmd.positionals(_TAKES_VALUE.get(cmd.name)))
    if cmd.name in ("chmod", "chown", "chgrp"):
        words = words[1:]
    return words


_REFERENCE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def _known_envs(ctx: RuleContext, stage: Stage) -> dict[int, dict[str, str]]:
    """For each RUN of ``stage`` (by ``id``), the ENV values set before it that are known
    without any build argument: a literal, or made of such values only."""
    escape = ctx.document.escape
    known: dict[str, str] = {}
    out: dict[int, dict[str, str]] = {}
    for step in steps(ctx, stage):
        if step.onbuild:
            continue
        if step.ins.name == "RUN":
            out[id(step.ins)] = dict(known)
        elif step.ins.name == "ENV":
            before = dict(known)  # the pairs of one ENV all see the values before it
            for pair in step.ins.pairs:
                value = None if pair.value is None else expand(pair.value.text, before, escape)
                if value is None:
                    known.pop(pair.key.text, None)
                else:
                    known[pair.key.text] = value
    return out


def _path_word(
    word: Word, values: Mapping[str, str], known: Mapping[str, str], step: Step
) -> tuple[str, list[str]] | str:
    """``word`` with its ``$VAR``/``${VAR}`` replaced by ``values`` (the ``known`` ENV
    values the command sees) and the "NAME=value" pairs used; or why it is not known (a
    reason ending the sentence "runs `x` on `word`, …")."""
    text = word.text
    used: list[str] = []
    if "$" in text and "'" not in word.raw:
        missing: list[str] = []

        def value(m: re.Match[str]) -> str:
            name = m.group(1) or m.group(2)
            if name not in values:
                missing.append(name)
                return m.group(0)
            used.append(f"{name}={values[name]}")
            return values[name]

        text = _REFERENCE.sub(value, text)
        argument = next(
            (
                n
                for n in missing
                if n in step.scope.args or (step.scope.envs.get(n) is not None and n not in known)
            ),
            None,
        )
        if argument is not None:
            return (
                f"a path that depends on the build argument behind ${argument}, which "
                "--build-arg can change (give it a fixed value with ENV)"
            )
    if "$" in text or any(ch in text for ch in "*?[`~"):
        return "a path known only when it runs"
    return text, used


def _owner_ok(cmd: Command) -> bool:
    """chown/chgrp to root or a numeric id: every runtime base has it."""
    if cmd.name not in ("chown", "chgrp"):
        return True
    words = cmd.positionals()
    if not words:
        return False
    parts = [p for p in words[0].text.replace(".", ":").split(":") if p]
    return all(p.isdigit() or p == "root" for p in parts)


def _related(path: str, built: Sequence[str]) -> bool:
    return any(
        path == b or path.startswith(b.rstrip("/") + "/") or b.startswith(path + "/") for b in built
    )


def _built_paths(ctx: RuleContext, stage: Stage) -> list[str]:
    """Paths the build writes or uses: COPY/ADD destinations, working directories, and the
    absolute paths build commands name (not those of placeable configuring commands)."""
    out = [d for _, d in destinations(ctx, stage) if d is not None]
    out.append(cwd_of(ctx, stage, None))
    for step in steps(ctx, stage):
        if step.ins.name in ("WORKDIR", "RUN"):
            out.append(posixpath.normpath(step.cwd))
        if step.ins.name != "RUN":
            continue
        for cmd in ctx.script(step.ins).commands:
            if cmd.name in PLACEABLE:
                continue
            for word in cmd.args:
                text = word.text.split("=", 1)[-1].split("*", 1)[0]
                if text.startswith("/"):
                    out.append(posixpath.normpath(text))
    return [p for p in dict.fromkeys(out) if p not in ("/", "/dev/null", "/tmp")]


def place(ctx: RuleContext, stage: Stage, ins: Instruction, cwd: str) -> Placed | str | None:
    """Where the configuring RUN ``ins`` (running in ``cwd``) belongs, or why the split
    cannot tell (a reason ending in a verb phrase: "The RUN on line N <reason>; …");
    None when it configures nothing the split can place (the caller's checks apply)."""
    commands = ctx.script(ins).commands
    final = cwd_of(ctx, stage, None)
    kept = [final, *(d for _, d in destinations(ctx, stage) if d is not None)]
    step = step_of(ctx, ins)
    known = ctx.memo_each(_known_envs, stage, stage.index).get(id(ins), {})
    scopes = command_scopes(ctx, step)
    placeable: list[tuple[Command, list[Word], Mapping[str, str]]] = []
    others: list[str] = []
    for index, cmd in enumerate(commands):
        if cmd.name in CONFIGURES and cmd.name not in PLACEABLE:
            return None  # users, capabilities…: the caller's refusal
        changed = _changed(cmd) if cmd.name in PLACEABLE else None
        if changed is None or configures(cmd, cwd, kept) is None:
            if cmd.name not in PLACEABLE and cmd.name not in ("true", ":", "set"):
                others.append(cmd.name)
            continue
        seen = scopes[index].vars if index < len(scopes) else {}
        placeable.append((cmd, changed, {n: v for n, v in known.items() if seen.get(n) == v}))
    if not placeable:
        return None
    names = ", ".join(f"`{c.name}`" for c, _, _ in placeable)
    paths: list[str] = []
    created: list[str] = []
    directories: list[str] = []
    adjusted: list[tuple[str, str]] = []  # (program, path) of chmod, chown, chgrp
    relative: list[str] = []  # in the working directory, which the build uses
    resolved: list[str] = []
    for cmd, found, values in placeable:
        words: list[str] = []
        for written in found:
            read = _path_word(written, values, known, step)
            if isinstance(read, str):
                return f"runs `{cmd.name}` on `{written.text}`, {read}"
            words.append(read[0])
            resolved += read[1]
        made = words[-1:] if cmd.name == "ln" else words
        for word in words:
            if not word.startswith("/") and base_cwd(stage, ins):
                return (
                    f"runs `{cmd.name}` on `{word}`, relative to the base image's own "
                    "working directory"
                )
            paths.append(resolve(cwd, word))
            if not word.startswith("/"):
                relative.append(paths[-1])
            if cmd.name in _MAKES and word in made:
                created.append(paths[-1])
            if cmd.name == "mkdir":
                directories.append(paths[-1])
            elif cmd.name in ("chmod", "chown", "chgrp"):
                adjusted.append((cmd.name, paths[-1]))
    built = _built_paths(ctx, stage)
    inside = [p for p in paths if p in relative or _related(p, built)]
    if others and len(inside) != len(paths):
        return f"configures the container ({names}) and also builds (`{others[0]}`), in one RUN"
    if not inside:
        owner = next((c for c, _, _ in placeable if not _owner_ok(c)), None)
        if owner is not None:
            return (
                f"runs `{owner.name}` to a named user, which the runtime image may not have "
                "(use a numeric id)"
            )
        uncopied = [p for name, p in adjusted if name != "chmod" or p in directories]
        return Placed(
            ins,
            tuple(dict.fromkeys(paths)),
            True,
            tuple(dict.fromkeys(created)),
            tuple(dict.fromkeys(uncopied)),
            tuple(dict.fromkeys(resolved)),
        )
    if len(inside) != len(paths):
        outside = next(p for p in paths if p not in inside)
        return (
            f"runs {names} on {inside[0]}, which the build writes, and on {outside}, which it "
            "does not"
        )
    return Placed(ins, tuple(dict.fromkeys(paths)), False, resolved=tuple(dict.fromkeys(resolved)))


def placements(ctx: RuleContext, stage: Stage) -> list[Placed]:
    """Every configuring RUN of ``stage`` the split places (``structure`` has refused the
    others already)."""
    out: list[Placed] = []
    for step in steps(ctx, stage):
        if step.ins.name == "RUN" and not step.onbuild:
            found = place(ctx, stage, step.ins, posixpath.normpath(step.cwd))
            if isinstance(found, Placed):
                out.append(found)
    return out


def _copies(line: str, path: str) -> bool:
    """Whether the generated ``COPY --from=… src… dest`` line brings ``path`` from where the
    builder has it to the same place in the runtime."""
    words = line.split(" ")
    if len(words) < 4 or words[0] != "COPY" or not words[1].startswith("--from="):
        return False
    dest = words[-1]
    for src in (w.rstrip("/") for w in words[2:-1]):
        same = dest.rstrip("/") == src or (
            dest.endswith("/") and posixpath.join(dest, posixpath.basename(src)) == src
        )
        if same and src.startswith("/") and (path == src or path.startswith(src + "/")):
            return True
    return False


def _lines(placed: Sequence[Placed]) -> str:
    """Where ``placed`` are: "line 5", or "lines 5, 7 and 9"."""
    numbers = [str(p.ins.start_line + 1) for p in placed]
    if len(numbers) == 1:
        return f"line {numbers[0]}"
    return f"lines {', '.join(numbers[:-1])} and {numbers[-1]}"


def _under(paths: Sequence[str], made: Sequence[str]) -> set[str]:
    """The ``paths`` that are, or lie inside, one of ``made``."""
    return {p for p in paths if any(p == m or p.startswith(m + "/") for m in made)}


def place_in_runtimes(
    doc_lines: Sequence[str], placed: list[Placed], runtimes: list[Runtime]
) -> tuple[list[Runtime], list[str], str | None]:
    """The runtimes that can take the configuring RUNs (each gains the RUNs that use
    nothing the build wrote, byte for byte, after its copies), the notes, and the reason
    when none can."""
    repeated = [p for p in placed if p.runtime]
    copied = [p for p in placed if not p.runtime]
    lines = [line for p in repeated for line in doc_lines[p.ins.start_line : p.ins.end_line + 1]]
    made = [c for p in repeated for c in p.created]
    made = [c for c in made if not any(c.startswith(o + "/") for o in made)]
    unmade = next((p for p in repeated if not set(p.paths) <= _under(p.paths, made)), None)
    # BuildKit's COPY of a directory creates the destination itself (root, 0755): the
    # directory's own mode and owner stay behind, and so may a file's owner
    uncopied = next((p for p in repeated if p.uncopied), None)
    out: list[Runtime] = []
    reason = None
    for rt in runtimes:
        missing = next(
            (
                (p, path)
                for p in copied
                for path in p.paths
                if not any(_copies(g, path) for g in rt.generated)
            ),
            None,
        )
        if missing is not None:
            p, path = missing
            reason = (
                f"The RUN on line {p.ins.start_line + 1} changes {path}, which the build "
                f"wrote and the runtime ({rt.image}) does not receive."
            )
            continue
        if not repeated:
            out.append(rt)
        elif rt.kind not in SHELL_LESS:
            rt.generated.extend(lines)
            rt.warnings += [
                f"The RUN on line {p.ins.start_line + 1} changes {', '.join(p.paths)}, which "
                "the build does not write: the runtime runs it too, after its copies (it "
                "also stays in the builder, where later steps may rely on it)."
                for p in repeated
            ]
            out.append(rt)
        elif unmade is not None:
            reason = (
                f"The RUN on line {unmade.ins.start_line + 1} changes files of the base "
                f"image, and {rt.image} has no shell to run it."
            )
        elif uncopied is not None:
            reason = (
                f"The RUN on line {uncopied.ins.start_line + 1} sets the mode or owner of "
                f"{', '.join(uncopied.uncopied)}, which COPY does not carry, and {rt.image} "
                "has no shell to run it."
            )
        else:
            rt.generated.extend(f"COPY --from={{build}} {c} {c}" for c in made)
            several = len(repeated) > 1
            rt.warnings.append(
                f"{rt.image} has no shell to run the RUN{'s' if several else ''} on "
                f"{_lines(repeated)}, which change{'' if several else 's'} what the build "
                f"does not write: it copies {', '.join(made)} from the builder instead."
            )
            out.append(rt)
    notes = [
        f"The RUN on line {p.ins.start_line + 1} changes {', '.join(p.paths)}, which the "
        "build wrote: it stays in the builder and the runtime copies the result."
        for p in copied
    ]
    notes += [
        f"The paths of the RUN on line {p.ins.start_line + 1} are read with the value"
        f"{'s' if len(p.resolved) > 1 else ''} the stage's ENV gives "
        f"{', '.join(p.resolved)}; build arguments are never assumed."
        for p in placed
        if p.resolved
    ]
    return out, notes, None if out else reason
