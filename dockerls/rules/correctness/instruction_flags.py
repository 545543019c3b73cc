"""The flags each instruction takes (``FLAGS``), and what is wrong with a flag's name, its
repetition or its missing value.

Used by DKL504, DKL505 (which instructions have their flags checked) and DKL515
(ONBUILD triggers).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Literal

from dockerls.findings import Fix, Related, TextEdit
from dockerls.rules.correctness.spelling import did_you_mean, suggest
from dockerls.rules.engine import Hit
from dockerls.syntax import Flag, Instruction

FlagKind = Literal["string", "bool", "multi"]

FLAGS: dict[str, dict[str, FlagKind]] = {
    "ADD": {
        "chown": "string",
        "chmod": "string",
        "link": "bool",
        "keep-git-dir": "bool",
        "checksum": "string",
        "exclude": "multi",
        "unpack": "bool",
    },
    "COPY": {
        "from": "string",
        "chown": "string",
        "chmod": "string",
        "link": "bool",
        "parents": "bool",
        "exclude": "multi",
    },
    "FROM": {"platform": "string"},
    "RUN": {"mount": "multi", "network": "string", "security": "string", "device": "multi"},
    "HEALTHCHECK": {
        "interval": "string",
        "timeout": "string",
        "start-period": "string",
        "start-interval": "string",
        "retries": "string",
    },
}


def flags_checked(ins: Instruction) -> bool:
    """Whether the builder validates this instruction's flags at all."""
    if ins.name == "STOPSIGNAL":
        return False  # BuildKit never parses STOPSIGNAL's flags
    return not (ins.name == "HEALTHCHECK" and ins.args and ins.args[0].text.upper() == "NONE")


def flag_problems(ins: Instruction) -> Iterator[Hit]:
    allowed = FLAGS.get(ins.name, {})
    seen: dict[str, Flag] = {}
    for flag in ins.flags:
        name = flag.name.text
        kind = allowed.get(name)
        if kind is None:
            yield _unknown_flag(ins, flag, allowed)
            continue
        first = seen.get(name)
        if first is not None and kind != "multi":
            yield Hit(
                flag.span,
                f"--{name} is given twice; {ins.name} takes it once.",
                related=(Related(first.span, "first given here"),),
            )
        seen.setdefault(name, flag)
        value = flag.value
        if kind == "bool":
            if value is not None and not value.text:
                yield Hit(flag.span, f"--{name}= needs a value: write --{name} or --{name}=false.")
            elif (
                value is not None
                and value.text.lower() not in ("true", "false")
                and "$" not in value.text
            ):
                yield Hit(value.span, f"--{name} expects true or false, not '{value.text}'.")
        elif value is None:
            yield Hit(flag.span, f"--{name} needs a value: --{name}=<value>.")


def _unknown_flag(ins: Instruction, flag: Flag, allowed: Mapping[str, FlagKind]) -> Hit:
    name = flag.name.text
    if not allowed:
        return Hit(flag.span, f"{ins.name} takes no flags; --{name} is not one.")
    listing = ", ".join(f"--{k}" for k in allowed)
    fixes: tuple[Fix, ...] = ()
    if name.lower() in allowed:
        fixes = (Fix(f"Use --{name.lower()}", (TextEdit(flag.name.span, name.lower()),)),)
        message = f"Flag names are case-sensitive: --{name} is not --{name.lower()}."
    else:
        options = suggest(name, tuple(allowed))
        hint = did_you_mean([f"--{o}" for o in options])
        message = f"Unknown flag --{name} for {ins.name}{hint}; it accepts {listing}."
        fixes = tuple(
            Fix(f"Use --{o}", (TextEdit(flag.name.span, o),), safe=False) for o in options
        )
    return Hit(flag.name.span, message, fixes)
