"""Programs as the package rules name them, and commands as their messages quote them.

``program_view`` reads ``python3 -m pip install x`` as ``pip install x`` (``apt`` as
``apt-get``); ``quoted`` gives ``go mod download`` for a message. Used by the RUN view,
``append_fixes`` and DKL101, DKL102, DKL105, DKL106, DKL109 and DKL110.
"""

from __future__ import annotations

from collections.abc import Iterable

from dockerls.rules.programs import program, unwrap
from dockerls.shell import Command, Word

BRACE_SHELLS = frozenset({"bash", "zsh", "ksh", "mksh"})

APT_PROGRAMS = ("apt-get", "aptitude")


def program_name(cmd: Command) -> str:
    """A command's canonical program name; ``apt`` installs and removes as ``apt-get``."""
    name = program(cmd.name)
    return "apt-get" if name == "apt" else name


def program_view(cmd: Command) -> tuple[str, Command]:
    """The canonical name of the program a command runs, and the command to read its
    arguments from (``python3 -m pip install x`` reads as ``pip install x``)."""
    view = unwrap(cmd)
    return program_name(view), view


def word_texts(words: Iterable[Word]) -> list[str]:
    return [w.text for w in words]


def quoted(cmd: Command, word: Word) -> str:
    """How a message quotes a command: its program and its positional words up to the
    one underlined (``go mod download``)."""
    program = cmd.argv[0].text.rsplit("/", 1)[-1]
    if word is cmd.argv[0]:
        return program
    positionals = cmd.positionals()
    upto = next((k for k, w in enumerate(positionals) if w is word), None)
    leading = positionals[: upto + 1] if upto is not None else (word,)
    return " ".join((program, *word_texts(leading)))
