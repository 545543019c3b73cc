"""The one explicit list of every rule dockerls runs.

Each rule lives in its own module, ``dockerls/rules/<family>/dkl<NNN>_<name>.py``; this
module lists them all in order (the order of ``dockerls rules`` and of docs/rules.md),
checks that codes and names are unique, and answers lookups. Adding a rule: one new
module, one import and one line here, one test module, and the generated docs.
"""

from __future__ import annotations

from functools import cache

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
from dockerls.rules.cache.dkl301_source_copied_before_dependency_install import (
    source_copied_before_dependency_install,
)
from dockerls.rules.cache.dkl302_apt_update_in_separate_layer import apt_update_in_separate_layer
from dockerls.rules.cache.dkl303_volatile_argument_before_expensive_layer import (
    volatile_argument_before_expensive_layer,
)
from dockerls.rules.cache.dkl304_install_without_cache_mount import install_without_cache_mount
from dockerls.rules.cache.dkl351_dockerignore_missing import dockerignore_missing
from dockerls.rules.cache.dkl352_host_directory_sent_to_build import host_directory_sent_to_build
from dockerls.rules.correctness.dkl501_malformed_from import malformed_from
from dockerls.rules.correctness.dkl502_wrong_argument_count import wrong_argument_count
from dockerls.rules.correctness.dkl503_invalid_image_reference import invalid_image_reference
from dockerls.rules.correctness.dkl504_invalid_flag import invalid_flag
from dockerls.rules.correctness.dkl505_invalid_flag_value import invalid_flag_value
from dockerls.rules.correctness.dkl506_invalid_stage_reference import invalid_stage_reference
from dockerls.rules.correctness.dkl507_unresolved_stage_reference import unresolved_stage_reference
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
from dockerls.rules.engine import Rule
from dockerls.rules.packages.dkl101_apt_install_recommends import apt_install_recommends
from dockerls.rules.packages.dkl102_apt_lists_left import apt_lists_left
from dockerls.rules.packages.dkl103_apk_cache_left import apk_cache_left
from dockerls.rules.packages.dkl104_pip_cache_left import pip_cache_left
from dockerls.rules.packages.dkl105_rpm_cache_left import rpm_cache_left
from dockerls.rules.packages.dkl106_node_package_cache_left import node_package_cache_left
from dockerls.rules.packages.dkl107_gem_documentation_installed import gem_documentation_installed
from dockerls.rules.packages.dkl108_language_build_cache_left import language_build_cache_left
from dockerls.rules.packages.dkl109_cleanup_in_later_layer import cleanup_in_later_layer
from dockerls.rules.packages.dkl110_package_upgrade import package_upgrade
from dockerls.rules.packages.dkl111_curl_and_wget import curl_and_wget
from dockerls.rules.packages.dkl112_useradd_without_no_log_init import useradd_without_no_log_init
from dockerls.rules.packages.dkl113_package_manager_mismatch import package_manager_mismatch
from dockerls.rules.packages.dkl114_archive_extracted_in_later_layer import (
    archive_extracted_in_later_layer,
)
from dockerls.rules.packages.dkl115_recursive_chown_after_copy import recursive_chown_after_copy
from dockerls.rules.security.dkl401_runs_as_root import runs_as_root
from dockerls.rules.security.dkl402_unpinned_image_tag import unpinned_image_tag
from dockerls.rules.security.dkl403_secret_in_build_argument import secret_in_build_argument
from dockerls.rules.security.dkl404_sudo_in_run import sudo_in_run
from dockerls.rules.security.dkl405_add_for_local_files import add_for_local_files
from dockerls.rules.security.dkl406_tls_verification_disabled import tls_verification_disabled
from dockerls.rules.security.dkl407_shell_form_command import shell_form_command
from dockerls.rules.stages.dkl201_full_language_base import full_language_base
from dockerls.rules.stages.dkl202_build_tools_in_final_image import build_tools_in_final_image
from dockerls.rules.stages.dkl203_single_stage_build import single_stage_build
from dockerls.rules.stages.dkl204_dev_dependencies_in_final_image import (
    dev_dependencies_in_final_image,
)
from dockerls.rules.stages.dkl205_npm_install_in_build import npm_install_in_build
from dockerls.rules.stages.dkl206_whole_filesystem_copied_from_stage import (
    whole_filesystem_copied_from_stage,
)
from dockerls.rules.syntax.dkl001_unknown_instruction import UNKNOWN_INSTRUCTION
from dockerls.rules.syntax.dkl002_missing_arguments import MISSING_ARGUMENTS
from dockerls.rules.syntax.dkl003_unterminated_heredoc import UNTERMINATED_HEREDOC
from dockerls.rules.syntax.dkl004_malformed_exec_form import MALFORMED_EXEC_FORM
from dockerls.rules.syntax.dkl005_invalid_directive import INVALID_DIRECTIVE
from dockerls.rules.syntax.dkl006_instruction_before_from import INSTRUCTION_BEFORE_FROM
from dockerls.rules.syntax.dkl007_malformed_key_value import MALFORMED_KEY_VALUE
from dockerls.rules.syntax.dkl008_empty_command import EMPTY_COMMAND
from dockerls.suppression import Equivalents

RULES: tuple[Rule, ...] = (
    # DKL0xx: problems the parser reports
    UNKNOWN_INSTRUCTION,
    MISSING_ARGUMENTS,
    UNTERMINATED_HEREDOC,
    MALFORMED_EXEC_FORM,
    INVALID_DIRECTIVE,
    INSTRUCTION_BEFORE_FROM,
    MALFORMED_KEY_VALUE,
    EMPTY_COMMAND,
    # DKL1xx: package managers and what they leave in layers
    apt_install_recommends,
    apt_lists_left,
    apk_cache_left,
    pip_cache_left,
    rpm_cache_left,
    node_package_cache_left,
    gem_documentation_installed,
    language_build_cache_left,
    cleanup_in_later_layer,
    package_upgrade,
    curl_and_wget,
    useradd_without_no_log_init,
    package_manager_mismatch,
    archive_extracted_in_later_layer,
    recursive_chown_after_copy,
    # DKL2xx: what the final image ships
    full_language_base,
    build_tools_in_final_image,
    single_stage_build,
    dev_dependencies_in_final_image,
    npm_install_in_build,
    whole_filesystem_copied_from_stage,
    # DKL3xx: the layer cache and the build context
    source_copied_before_dependency_install,
    apt_update_in_separate_layer,
    volatile_argument_before_expensive_layer,
    install_without_cache_mount,
    dockerignore_missing,
    host_directory_sent_to_build,
    # DKL4xx: security
    runs_as_root,
    unpinned_image_tag,
    secret_in_build_argument,
    sudo_in_run,
    add_for_local_files,
    tls_verification_disabled,
    shell_form_command,
    # DKL501-DKL515: what makes BuildKit fail
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
    # DKL520-DKL537: BuildKit's build checks
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


@cache
def all_rules() -> tuple[Rule, ...]:
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    if len(set(codes)) != len(codes) or len(set(names)) != len(names):
        raise RuntimeError("rule codes and names must be unique")  # a programming error
    return RULES


@cache
def by_key() -> dict[str, Rule]:
    """Rules by code and by name (both lower-cased)."""
    table: dict[str, Rule] = {}
    for r in all_rules():
        table[r.code.lower()] = r
        table[r.name.lower()] = r
    return table


def lookup(key: str) -> Rule | None:
    return by_key().get(key.strip().lower())


@cache
def equivalents() -> dict[str, Equivalents]:
    """Each rule's hadolint codes and BuildKit check names, by code (for suppression)."""
    return {r.code: Equivalents(r.hadolint, r.buildkit, r.name) for r in all_rules()}
