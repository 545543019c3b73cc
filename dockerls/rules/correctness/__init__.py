"""Rules of the correctness family: what ``docker build`` rejects (DKL501-DKL515).

Each rule reproduces one class of error that BuildKit's Dockerfile frontend
raises while parsing or dispatching instructions: malformed FROM lines,
argument counts, image references, flags and their values, ports, signals,
SHELL, ONBUILD triggers, variable substitutions and quotes. The unknown
instruction, missing arguments, unterminated heredocs, malformed JSON, bad
directives, instructions before FROM and malformed ENV/LABEL pairs are the
parser's (DKL001-DKL007) and are not repeated here.

BuildKit's build checks (its warnings) are in ``buildkit_checks``; the word
processing (BuildKit's quote and ``$VAR`` handling), the image reference
grammar and the scope of variables live in this package and are shared with it.
"""

from __future__ import annotations

from dockerls.rules.correctness.dkl501_malformed_from import malformed_from
from dockerls.rules.correctness.dkl502_wrong_argument_count import wrong_argument_count
from dockerls.rules.correctness.dkl503_invalid_image_reference import invalid_image_reference
from dockerls.rules.correctness.dkl504_invalid_flag import invalid_flag
from dockerls.rules.correctness.dkl505_invalid_flag_value import invalid_flag_value
from dockerls.rules.correctness.dkl506_invalid_stage_reference import invalid_stage_reference
from dockerls.rules.correctness.dkl507_unresolved_stage_reference import (
    unresolved_stage_reference,
)
from dockerls.rules.correctness.dkl508_invalid_expose_port import invalid_expose_port
from dockerls.rules.correctness.dkl509_invalid_stop_signal import invalid_stop_signal
from dockerls.rules.correctness.dkl510_shell_not_json import shell_not_json
from dockerls.rules.correctness.dkl511_invalid_onbuild_trigger import invalid_onbuild_trigger
from dockerls.rules.correctness.dkl512_invalid_variable_substitution import (
    invalid_variable_substitution,
)
from dockerls.rules.correctness.dkl513_multiple_sources_to_file import multiple_sources_to_file
from dockerls.rules.correctness.dkl514_unterminated_quote import unterminated_quote
from dockerls.rules.correctness.dkl515_fails_after_build import fails_after_build

# Transitional re-exports for importers outside this package; the lead rewrites them at merge.
from dockerls.rules.correctness.doc_links import CHECKS as CHECKS
from dockerls.rules.correctness.doc_links import REF as REF
from dockerls.rules.correctness.expanded_words import expanded_heredocs as expanded_heredocs
from dockerls.rules.correctness.expanded_words import heredoc_references as heredoc_references
from dockerls.rules.correctness.expanded_words import instruction_words as instruction_words
from dockerls.rules.correctness.expose_ports import expose_problem as expose_problem
from dockerls.rules.correctness.expose_ports import expose_words as expose_words
from dockerls.rules.correctness.expose_ports import split_port as split_port
from dockerls.rules.correctness.image_references import reference_problem as reference_problem
from dockerls.rules.correctness.spans import instruction_lines as instruction_lines
from dockerls.rules.correctness.spans import piece as piece
from dockerls.rules.correctness.spans import whole_lines as whole_lines
from dockerls.rules.correctness.spelling import did_you_mean as did_you_mean
from dockerls.rules.correctness.spelling import same_case as same_case
from dockerls.rules.correctness.spelling import suggest as suggest
from dockerls.rules.correctness.stage_references import all_stage_refs as all_stage_refs
from dockerls.rules.correctness.stage_references import stage_refs as stage_refs
from dockerls.rules.correctness.variable_scopes import PLATFORM_ARGS as PLATFORM_ARGS
from dockerls.rules.correctness.variable_scopes import global_scope as global_scope
from dockerls.rules.correctness.variable_scopes import scopes as scopes
from dockerls.rules.correctness.word_processing import IDENTIFIER as IDENTIFIER
from dockerls.rules.correctness.word_processing import Env as Env
from dockerls.rules.correctness.word_processing import VarUse as VarUse
from dockerls.rules.correctness.word_processing import process_word as process_word
from dockerls.rules.engine import Rule

RULES: tuple[Rule, ...] = (
    malformed_from,
    wrong_argument_count,
    invalid_image_reference,
    invalid_flag,
    invalid_flag_value,
    invalid_stage_reference,
    unresolved_stage_reference,
    invalid_expose_port,
    invalid_stop_signal,
    shell_not_json,
    invalid_onbuild_trigger,
    invalid_variable_substitution,
    multiple_sources_to_file,
    unterminated_quote,
    fails_after_build,
)
