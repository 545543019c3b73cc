"""Layer-cache order and build context: what makes rebuilds slow or sends too much.

DKL301-DKL304 are about the build cache: a layer is reused only while its
instruction, its inputs and every layer before it are unchanged. They look at
every stage (a builder stage rebuilt for nothing is as slow as a shipping one),
and at ONBUILD triggers, which run in the child image's build. A stage built
``FROM`` another stage continues its parent's layers, so the order checks walk
the FROM chain: the parent's instructions, then the parent's ONBUILD triggers
(BuildKit runs them when a stage of the same file builds on it), then the
stage's own.

DKL351-DKL352 look at the build context next to the Dockerfile
(``ctx.build_context``). With no context (an unsaved buffer) they say nothing:
they never guess about files they cannot see. ONBUILD triggers are left out
there, since they copy from the child build's context, not this one.

``find_source_before_install`` (``source_before_install``), ``directories_sent`` and
``dockerignore_entries`` (``dockerignore_suggestions``) are public: the code-action
layer reuses them (the copy-manifests-first refactoring, creating a
``.dockerignore``). Which commands install dependencies, and where package managers
keep their downloads, is ``managers``' knowledge.
"""

from __future__ import annotations

from dockerls.rules.cache.dkl301_source_copied_before_dependency_install import (
    source_copied_before_dependency_install,
)
from dockerls.rules.cache.dkl302_apt_update_in_separate_layer import (
    apt_update_in_separate_layer,
)
from dockerls.rules.cache.dkl303_volatile_argument_before_expensive_layer import (
    volatile_argument_before_expensive_layer,
)
from dockerls.rules.cache.dkl304_install_without_cache_mount import install_without_cache_mount
from dockerls.rules.cache.dkl351_dockerignore_missing import dockerignore_missing
from dockerls.rules.cache.dkl352_host_directory_sent_to_build import (
    host_directory_sent_to_build,
)
from dockerls.rules.engine import Rule

# isort: split
# Transitional re-exports for importers outside this package; the lead rewrites them at merge.
from dockerls.rules.cache.dockerignore_suggestions import (
    directories_sent as directories_sent,
)
from dockerls.rules.cache.dockerignore_suggestions import (
    dockerignore_entries as dockerignore_entries,
)
from dockerls.rules.cache.source_before_install import (
    SourceBeforeInstall as SourceBeforeInstall,
)
from dockerls.rules.cache.source_before_install import SourceKind as SourceKind
from dockerls.rules.cache.source_before_install import (
    find_source_before_install as find_source_before_install,
)

# Transitional: registry.py concatenates the families' RULES until the lead makes it one list.
RULES: tuple[Rule, ...] = (
    source_copied_before_dependency_install,
    apt_update_in_separate_layer,
    volatile_argument_before_expensive_layer,
    install_without_cache_mount,
    dockerignore_missing,
    host_directory_sent_to_build,
)
