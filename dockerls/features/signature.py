"""Signature help: ``signature_help(doc, pos)`` from the synopses in ``hover.docs``.

Each instruction's synopsis (``FROM [--platform=<platform>] <image>… [AS <name>]``)
becomes one signature per form (forms are separated by ``  |  ``); its parameters
are the synopsis' words, with bracketed groups kept whole. The active parameter is
the flag under the cursor, or the argument the cursor is in, with a repeated
parameter (``<src>…``) absorbing the words before the fixed ones after it.
"""

from __future__ import annotations

from dataclasses import dataclass

from dockerls.hover import docs
from dockerls.syntax import Dockerfile, Instruction, Position

__all__ = ["ParameterInfo", "SignatureHelp", "SignatureInfo", "signature_help", "signatures"]


@dataclass(frozen=True, slots=True)
class ParameterInfo:
    label: str
    offsets: tuple[int, int]  # [start, end) in the signature label, in code points
    documentation: str = ""  # Markdown


@dataclass(frozen=True, slots=True)
class SignatureInfo:
    label: str
    documentation: str  # Markdown
    parameters: tuple[ParameterInfo, ...]


@dataclass(frozen=True, slots=True)
class SignatureHelp:
    signatures: tuple[SignatureInfo, ...]
    active_signature: int
    active_parameter: int | None


def _split(label: str) -> list[tuple[int, int]]:
    """Word offsets in ``label`` with ``[…]``, ``<…>`` and ``"…"`` groups kept whole."""
    words: list[tuple[int, int]] = []
    depth = 0
    quoted = False
    start: int | None = None
    for i, ch in enumerate(label):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "[<":
            depth += 1
        elif not quoted and ch in "]>":
            depth = max(0, depth - 1)
        if ch == " " and depth == 0 and not quoted:
            if start is not None:
                words.append((start, i))
                start = None
        elif start is None:
            start = i
    if start is not None:
        words.append((start, len(label)))
    # A lone "…" repeats the word before it.
    merged: list[tuple[int, int]] = []
    for a, b in words:
        if label[a:b] == "…" and merged:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _flag_name(label: str) -> str:
    """``[--platform=<platform>]`` -> ``platform``."""
    return label.strip("[]").removeprefix("--").split("=")[0].split("[")[0].lower()


def _flag_doc(instruction: str, word: str) -> str:
    d = docs.FLAGS.get((instruction, _flag_name(word)))
    return d.text if d else ""


def signatures(name: str) -> tuple[SignatureInfo, ...]:
    """The signatures of instruction ``name`` (upper case); empty when unknown."""
    d = docs.INSTRUCTIONS.get(name)
    if d is None or not d.syntax:
        return ()
    documentation = f"{d.text}\n\n[Dockerfile reference]({d.link})"
    result = []
    for form in d.syntax.split("  |  "):
        words = _split(form)[1:]  # the keyword is no parameter
        params = tuple(
            ParameterInfo(
                form[a:b], (a, b), _flag_doc(name, form[a:b]) if "--" in form[a:b] else ""
            )
            for a, b in words
        )
        result.append(SignatureInfo(form, documentation, params))
    return tuple(result)


def _active_signature(ins: Instruction, count: int) -> int:
    if count < 2 or not ins.args:
        return 0
    first = ins.args[0].text
    if ins.name == "CMD":
        return 0 if first.startswith("[") else 1
    if ins.name == "USER":
        return 1 if first.split(":")[0].isdigit() else 0
    if ins.name == "HEALTHCHECK":
        return 1 if first.upper() == "NONE" else 0
    return 0


def _is_flag_param(p: ParameterInfo) -> bool:
    return p.label.startswith("[--") or p.label.startswith("--")


def _active_parameter(ins: Instruction, sig: SignatureInfo, pos: Position) -> int | None:
    params = sig.parameters
    if not params:
        return None
    for flag in ins.flags:
        if flag.span.start <= pos <= flag.span.end:
            name = flag.name.text.lower()
            for i, p in enumerate(params):
                if _is_flag_param(p) and _flag_name(p.label) == name:
                    return i
            return next((i for i, p in enumerate(params) if _is_flag_param(p)), None)
    arg_params = [i for i, p in enumerate(params) if not _is_flag_param(p)]
    if not arg_params:
        return None
    index = sum(1 for a in ins.args if a.span.end < pos)
    total = max(len(ins.args), index + 1, len(arg_params))
    repeat = next((k for k, i in enumerate(arg_params) if params[i].label.endswith("…")), None)
    if repeat is None:
        return arg_params[min(index, len(arg_params) - 1)]
    after = len(arg_params) - repeat - 1
    if index < repeat:
        return arg_params[index]
    if index >= total - after:
        return arg_params[min(repeat + 1 + index - (total - after), len(arg_params) - 1)]
    return arg_params[repeat]


def signature_help(doc: Dockerfile, pos: Position) -> SignatureHelp | None:
    """Signature help at ``pos``, after an instruction's keyword; None elsewhere."""
    ins = doc.instruction_at(pos)
    if ins is None or pos <= ins.keyword.span.end:
        return None
    for heredoc in ins.heredocs:
        if pos.line > heredoc.marker.span.end.line:
            return None
    if ins.trigger is not None and pos > ins.trigger.keyword.span.end:
        ins = ins.trigger
    sigs = signatures(ins.name)
    if not sigs:
        return None
    active = _active_signature(ins, len(sigs))
    return SignatureHelp(sigs, active, _active_parameter(ins, sigs[active], pos))
