"""What the builder rejects in a SHELL instruction: plain words, malformed JSON, an empty
array.

Used by DKL510 and DKL515 (ONBUILD triggers).
"""

from __future__ import annotations

from dockerls.findings import Fix, TextEdit
from dockerls.rules.engine import Hit
from dockerls.syntax import Instruction


def shell_problem(ins: Instruction) -> Hit | None:
    import json

    if ins.name != "SHELL" or ins.rest is None:
        return None
    if ins.exec_form is not None:
        if not ins.exec_form.elements:
            return Hit(ins.exec_form.span, "SHELL needs at least one word: the shell program.")
        return None
    if ins.rest.text.lstrip().startswith("["):
        # Malformed JSON (DKL004 says where): other instructions fall back to the
        # shell form, SHELL has none, so BuildKit stops.
        return Hit(ins.rest.span, "SHELL must be a valid JSON array of strings; this one is not.")
    words = [a.text for a in ins.args]
    fixes: tuple[Fix, ...] = ()
    if not any(c in ins.rest.text for c in "\"'\\`$"):
        array = "[" + ", ".join(json.dumps(w, ensure_ascii=False) for w in words) + "]"
        fixes = (Fix("Write it as a JSON array", (TextEdit(ins.rest.span, array),)),)
    return Hit(
        ins.rest.span, 'SHELL must be a JSON array of strings, e.g. ["/bin/sh", "-c"].', fixes
    )
