"""Stages, base images and dependencies: what the final image carries besides the app.

DKL201 to DKL206 look at what ships: a full language or SDK base image, compilers
and headers, a single stage that builds, development dependencies, ``npm
install`` where ``npm ci`` belongs, and a stage's whole filesystem copied into
another. The size rules look only at stages whose layers reach the final image
(``ctx.ships``); DKL205 looks at every stage. ONBUILD triggers count as the
instructions they will run.

Shell commands come from ``ctx.script``, base-image facts from ``ctx.image``
(``dockerls.knowledge.images``), the variables each command sees from
``build_state.steps`` and ``build_state.command_scopes``, and which commands install a
project's dependencies from ``dependency_steps.dependency_step``; the rest is tables of
commands.
"""
