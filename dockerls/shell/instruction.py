"""The script of a Dockerfile instruction, parsed once and shared by all rules."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import TypeVar

from dockerls.shell.model import Command, Script, Word
from dockerls.shell.parse import (
    POSIX_SHELLS,
    HeredocBody,
    SpanFn,
    adopt,
    mapped_span,
    parse_script,
    shell_invocation,
    span_fn_of,
    unwrap,
    word_assignment,
)
from dockerls.shell.text import json_strings
from dockerls.syntax.model import Heredoc, Instruction, Span

_EMPTY = Script()
_EXECUTING = frozenset({"RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK"})
_HEALTHCHECK_CMD = re.compile(r"\s*CMD(?=[\s\[]|$)\s*", re.IGNORECASE)
_CACHE_SIZE = 1024
_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")

# Two caches. Rules ask for the same instruction object many times per analysis:
# the first cache answers by identity (instructions are frozen, slotted
# dataclasses without weak references, so it keeps them alive and an id is never
# reused while its entry exists). Each keystroke re-parses the Dockerfile into
# new but mostly equal instructions: the second cache answers by value.
_by_id: OrderedDict[tuple[int, bool], tuple[Instruction, Script]] = OrderedDict()
_by_value: OrderedDict[tuple[Instruction, bool], Script] = OrderedDict()
_lock = threading.Lock()


def _remember(cache: OrderedDict[_K, _V], key: _K, value: _V) -> None:
    cache[key] = value
    cache.move_to_end(key)
    if len(cache) > _CACHE_SIZE:
        cache.popitem(last=False)


def _program(path: str) -> str:
    name = re.split(r"[\\/]", path)[-1].lower()
    return name.removesuffix(".exe")


def is_posix_shell(shell: Sequence[str] | None) -> bool:
    """Whether a ``SHELL`` argv (None or empty: the default ``/bin/sh -c``) is a POSIX shell.

    ``["powershell", "-Command"]`` and ``["cmd", "/S", "/C"]`` are not.
    """
    if not shell:
        return True
    argv = list(shell)
    if _program(argv[0]) == "env":
        argv = [arg for arg in argv[1:] if not arg.startswith("-")] or argv
    return _program(argv[0]) in POSIX_SHELLS


def active_shell(
    instructions: Sequence[Instruction], target: Instruction
) -> tuple[str, ...] | None:
    """The argv of the last ``SHELL`` (exec form) before ``target`` among ``instructions``
    (typically a stage's), or None when the default shell applies."""
    shell: tuple[str, ...] | None = None
    for ins in instructions:
        if ins is target:
            break
        if ins.name == "SHELL" and ins.exec_form is not None:
            shell = tuple(e.text for e in ins.exec_form.elements)
    return shell


def script_of(instruction: Instruction, shell: Sequence[str] | None = None) -> Script:
    """What ``instruction`` runs: RUN, CMD, ENTRYPOINT, HEALTHCHECK CMD, or an ONBUILD
    trigger of these; an empty script for any other instruction.

    ``shell`` is the active ``SHELL`` argv (see ``active_shell``); when it is not
    a POSIX shell, the shell form and heredocs give an empty script (the exec
    form is still read). Results are memoised per instruction object.
    """
    posix = is_posix_shell(shell)
    key = (id(instruction), posix)
    with _lock:
        hit = _by_id.get(key)
        if hit is not None and hit[0] is instruction:
            _by_id.move_to_end(key)
            return hit[1]
        script = _by_value.get((instruction, posix))
    if script is None:
        script = _build(instruction, posix)
    with _lock:
        _remember(_by_id, key, (instruction, script))
        _remember(_by_value, (instruction, posix), script)
    return script


def _build(ins: Instruction, posix: bool) -> Script:
    if ins.name == "ONBUILD":
        return _build(ins.trigger, posix) if ins.trigger is not None else _EMPTY
    if ins.name not in _EXECUTING or ins.rest is None:
        return _EMPTY
    offset = 0
    if ins.name == "HEALTHCHECK":
        match = _HEALTHCHECK_CMD.match(ins.rest.text)
        if match is None:
            return _EMPTY  # HEALTHCHECK NONE
        offset = match.end()
    exec_script = _exec_form(ins, offset)
    if exec_script is not None:
        return exec_script
    if not posix:
        return _EMPTY
    return _shell_form(ins, offset)


def _exec_form(ins: Instruction, offset: int) -> Script | None:
    """The script of the JSON form, or None when the instruction is in shell form."""
    assert ins.rest is not None
    text = ins.rest.text
    form = ins.exec_form
    if form is None and offset == 0:
        return None
    literals = json_strings(text, offset)
    words: list[Word] = []
    spans: list[SpanFn] = []
    if literals is not None and (
        form is None or [lit.value for lit in literals] == [e.text for e in form.elements]
    ):
        for lit in literals:
            words.append(
                Word.located(
                    lit.value, text[lit.start : lit.end], ins.locate_span, lit.start, lit.end
                )
            )
            spans.append(mapped_span(lit.starts, lit.ends, lit.end - 1, ins.locate_span))
    elif form is not None:
        for element in form.elements:
            words.append(Word(element.text, element.text, element.span))
            spans.append(_constant(element.span))
    else:
        return None
    if not words:
        return _EMPTY
    k, wrappers, assigned = unwrap(words)
    cmd = Command(
        argv=tuple(words[k:]),
        span=form.span if form is not None else ins.locate_span(offset, len(text)),
        assignments=tuple(word_assignment(words[i]) for i in assigned),
        wrappers=wrappers,
        prefix_words=tuple(words[:k]),
    )
    invocation = shell_invocation(cmd.argv)
    if invocation is not None and invocation[0] == "c":
        index = k + invocation[1]
        inner = parse_script(words[index].text, spans[index], depth=1)
        if inner.commands:
            commands = adopt(inner.commands, cmd, cmd.argv[: invocation[1]])
            return Script(tuple(commands), inner.has_error, inner.assignments)
    return Script((cmd,))


def _constant(span: Span) -> SpanFn:
    """Every part of an element whose escapes we could not map lies in the element."""
    return lambda start, end: span


def _shell_form(ins: Instruction, offset: int) -> Script:
    assert ins.rest is not None
    text = ins.rest.text[offset:]

    def span(start: int, end: int) -> Span:
        return ins.locate_span(start + offset, end + offset)

    if ins.name != "RUN" or not ins.heredocs:
        return parse_script(text, span)
    # tree-sitter cannot parse a heredoc without its body, nor one written before
    # the command (``<<EOF python3``); a same-length ``<___`` redirection stands
    # in for each marker, and the builder maps it back to the heredoc.
    source = text
    bodies: dict[int, HeredocBody] = {}
    search_from = 0
    for heredoc in ins.heredocs:
        marker = heredoc.marker.text
        at = text.find(marker, search_from) if "<<" in marker else -1
        if at < 0:
            continue
        end = at + len(marker)
        source = source[:at] + "<" + "_" * (len(marker) - 1) + source[end:]
        bodies[at] = HeredocBody(
            heredoc.body.text, span_fn_of(heredoc.locate), _body_is_shell(heredoc), end
        )
        search_from = end
    return parse_script(text, span, source=source, bodies=bodies)


def _body_is_shell(heredoc: Heredoc) -> bool:
    """A heredoc body is a shell script unless its shebang names another interpreter."""
    text = heredoc.body.text
    if not text.startswith("#!"):
        return True
    interpreter = text[2:].partition("\n")[0].split()
    return not interpreter or is_posix_shell(interpreter)
