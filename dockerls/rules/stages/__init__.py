"""Stages, base images and dependencies: what the final image carries besides the app.

DKL201 to DKL206 look at what ships: a full language or SDK base image, compilers
and headers, a single stage that builds, development dependencies, ``npm
install`` where ``npm ci`` belongs, and a stage's whole filesystem copied into
another. The size rules look only at stages whose layers reach the final image
(``ctx.ships``); DKL205 looks at every stage. ONBUILD triggers count as the
instructions they will run.

Shell commands come from ``ctx.script``, base-image facts from ``ctx.image``
(``dockerls.knowledge.images``), the variables each command sees from
``common.steps`` and ``common.command_scopes``, and which commands install a
project's dependencies from ``managers.dependency_step``; the rest is tables of
commands.
"""

from __future__ import annotations

from dockerls.rules.engine import Rule

# Transitional re-exports for importers outside this package; the lead rewrites them at merge.
from dockerls.rules.stages.dkl201_full_language_base import (
    full_language_base as full_language_base,
)
from dockerls.rules.stages.dkl202_build_tools_in_final_image import (
    build_tools_in_final_image as build_tools_in_final_image,
)
from dockerls.rules.stages.dkl203_single_stage_build import (
    single_stage_build as single_stage_build,
)
from dockerls.rules.stages.dkl204_dev_dependencies_in_final_image import (
    dev_dependencies_in_final_image as dev_dependencies_in_final_image,
)

# Transitional, with the re-exports: registry.py still imports RULES, in this order, from
# each family; the lead removes it at merge.
from dockerls.rules.stages.dkl205_npm_install_in_build import npm_install_in_build
from dockerls.rules.stages.dkl206_whole_filesystem_copied_from_stage import (
    whole_filesystem_copied_from_stage,
)

RULES: tuple[Rule, ...] = (
    full_language_base,
    build_tools_in_final_image,
    single_stage_build,
    dev_dependencies_in_final_image,
    npm_install_in_build,
    whole_filesystem_copied_from_stage,
)
