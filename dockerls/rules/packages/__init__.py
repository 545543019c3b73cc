"""Package-manager bloat (DKL101 to DKL115): what installers leave in a layer, and what a
later layer cannot take back.

The rules read the commands of RUN instructions (``ctx.script``); the size rules look
only at stages whose layers ship (``ctx.ships``). One module per rule
(``dkl1NN_<rule_name>.py``); the pieces several rules share:

* ``stage_walk`` follows the stages' instructions (``common.steps``: ONBUILD triggers
  included, with the ENV/ARG values and WORKDIR in force);
* ``run_view.Run`` is one RUN seen command by command: each command's program (named as
  ``program_names`` says), environment and working directory, and the RUN's cache/tmpfs mounts;
* a ``Cache`` (``managers``) says where a tool leaves bytes (apt lists, the pip
  cache…); ``leftovers`` lists what a command fills, and a ``Run`` says whether a
  mount hides it or a command empties it (``paths`` compares the places);
* ``artifacts`` are the bulky files instructions bring in, ``package_changes`` the
  packages a command installs or removes;
* ``insert_after`` and ``append_fixes`` build fixes that keep the user's layout;
* ``docker_docs`` holds the links the rules' docs cite.
"""

from __future__ import annotations

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

# Transitional: registry.py still reads each family's RULES; the lead removes it at merge.
RULES: tuple[Rule, ...] = (
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
)
