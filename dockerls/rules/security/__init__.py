"""Security and reproducibility rules (DKL401 to DKL407): who the container runs as, what the
build trusts.

DKL401 runs-as-root, DKL402 unpinned-image-tag, DKL403 secret-in-build-argument,
DKL404 sudo-in-run, DKL405 add-for-local-files, DKL406 tls-verification-disabled,
DKL407 shell-form-command.
"""

from __future__ import annotations

from dockerls.rules.engine import Rule
from dockerls.rules.security.dkl401_runs_as_root import runs_as_root
from dockerls.rules.security.dkl402_unpinned_image_tag import unpinned_image_tag
from dockerls.rules.security.dkl403_secret_in_build_argument import secret_in_build_argument
from dockerls.rules.security.dkl404_sudo_in_run import sudo_in_run
from dockerls.rules.security.dkl405_add_for_local_files import add_for_local_files
from dockerls.rules.security.dkl406_tls_verification_disabled import tls_verification_disabled
from dockerls.rules.security.dkl407_shell_form_command import shell_form_command

# Transitional: registry.py still imports each family's RULES; the lead removes it at merge.
RULES: tuple[Rule, ...] = (
    runs_as_root,
    unpinned_image_tag,
    secret_in_build_argument,
    sudo_in_run,
    add_for_local_files,
    tls_verification_disabled,
    shell_form_command,
)
