"""BuildKit's build checks, offline (DKL520-DKL537).

``docker build --check`` runs these only when a Docker daemon is around; here they
run on the text, with better ranges and with fixes. Each rule names its BuildKit
check in ``buildkit=`` so ``# check=skip=<Name>`` silences it. JSONArgsRecommended
is DKL407 and SecretsUsedInArgOrEnv is DKL403 (security family).

One module per rule; ``check_directive`` applies ``# check=error=true`` (every BuildKit
check becomes an error), ``global_args`` gives the global ARGs their default values, and
``reference_edits`` holds the in-place rename fixes.
"""

from __future__ import annotations

from dockerls.rules.buildkit_checks.dkl520_stage_name_not_lowercase import stage_name_not_lowercase
from dockerls.rules.buildkit_checks.dkl521_from_as_casing_mismatch import from_as_casing_mismatch
from dockerls.rules.buildkit_checks.dkl522_empty_continuation_line import empty_continuation_line
from dockerls.rules.buildkit_checks.dkl523_inconsistent_instruction_casing import (
    inconsistent_instruction_casing,
)
from dockerls.rules.buildkit_checks.dkl524_duplicate_stage_name import duplicate_stage_name
from dockerls.rules.buildkit_checks.dkl525_reserved_stage_name import reserved_stage_name
from dockerls.rules.buildkit_checks.dkl526_deprecated_maintainer import deprecated_maintainer
from dockerls.rules.buildkit_checks.dkl527_undeclared_arg_in_from import undeclared_arg_in_from
from dockerls.rules.buildkit_checks.dkl528_relative_workdir import relative_workdir
from dockerls.rules.buildkit_checks.dkl529_undefined_variable import undefined_variable
from dockerls.rules.buildkit_checks.dkl530_superseded_instruction import superseded_instruction
from dockerls.rules.buildkit_checks.dkl531_legacy_key_value_format import legacy_key_value_format
from dockerls.rules.buildkit_checks.dkl532_redundant_target_platform import (
    redundant_target_platform,
)
from dockerls.rules.buildkit_checks.dkl533_invalid_default_arg_in_from import (
    invalid_default_arg_in_from,
)
from dockerls.rules.buildkit_checks.dkl534_constant_platform_in_from import (
    constant_platform_in_from,
)
from dockerls.rules.buildkit_checks.dkl535_copy_of_ignored_file import copy_of_ignored_file
from dockerls.rules.buildkit_checks.dkl536_expose_protocol_not_lowercase import (
    expose_protocol_not_lowercase,
)
from dockerls.rules.buildkit_checks.dkl537_expose_host_mapping import expose_host_mapping
from dockerls.rules.engine import Rule

# isort: split
# Transitional re-exports for importers outside this package; the lead rewrites them at merge.
from dockerls.rules.buildkit_checks.check_directive import errors_requested as errors_requested
from dockerls.rules.buildkit_checks.check_directive import escalate_checks as escalate_checks
from dockerls.rules.buildkit_checks.global_args import arg_defaults as arg_defaults

RULES: tuple[Rule, ...] = (
    stage_name_not_lowercase,
    from_as_casing_mismatch,
    empty_continuation_line,
    inconsistent_instruction_casing,
    duplicate_stage_name,
    reserved_stage_name,
    deprecated_maintainer,
    undeclared_arg_in_from,
    relative_workdir,
    undefined_variable,
    superseded_instruction,
    legacy_key_value_format,
    redundant_target_platform,
    invalid_default_arg_in_from,
    constant_platform_in_from,
    copy_of_ignored_file,
    expose_protocol_not_lowercase,
    expose_host_mapping,
)
