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
keep their downloads, is the knowledge of
``dependency_steps`` and ``package_managers``.
"""
