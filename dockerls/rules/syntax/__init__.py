"""Syntax rules (DKL001 to DKL008): the problems the parser records, given a code, a name and
docs."""

from __future__ import annotations

from dockerls.rules.engine import Rule
from dockerls.rules.syntax.dkl001_unknown_instruction import UNKNOWN_INSTRUCTION
from dockerls.rules.syntax.dkl002_missing_arguments import MISSING_ARGUMENTS
from dockerls.rules.syntax.dkl003_unterminated_heredoc import UNTERMINATED_HEREDOC
from dockerls.rules.syntax.dkl004_malformed_exec_form import MALFORMED_EXEC_FORM
from dockerls.rules.syntax.dkl005_invalid_directive import INVALID_DIRECTIVE
from dockerls.rules.syntax.dkl006_instruction_before_from import INSTRUCTION_BEFORE_FROM
from dockerls.rules.syntax.dkl007_malformed_key_value import MALFORMED_KEY_VALUE
from dockerls.rules.syntax.dkl008_empty_command import EMPTY_COMMAND

# Transitional: registry.py still imports each family's RULES; the lead removes it at merge.
RULES: tuple[Rule, ...] = (
    UNKNOWN_INSTRUCTION,
    MISSING_ARGUMENTS,
    UNTERMINATED_HEREDOC,
    MALFORMED_EXEC_FORM,
    INVALID_DIRECTIVE,
    INSTRUCTION_BEFORE_FROM,
    MALFORMED_KEY_VALUE,
    EMPTY_COMMAND,
)
