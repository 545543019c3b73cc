"""The shell layer: what RUN, CMD, ENTRYPOINT and HEALTHCHECK execute, as commands.

Pure and total: no protocol imports, never raises. Each instruction's script
is parsed once (``script_of`` memoises) and shared by every rule.
"""

from dockerls.shell.instruction import active_shell, is_posix_shell, script_of
from dockerls.shell.model import Assignment, Command, Option, Redirect, Script, Word
from dockerls.shell.options import value_options
from dockerls.shell.parse import parse_shell

__all__ = [
    "Assignment",
    "Command",
    "Option",
    "Redirect",
    "Script",
    "Word",
    "active_shell",
    "is_posix_shell",
    "parse_shell",
    "script_of",
    "value_options",
]
