"""Tests of the copy-manifests-first refactoring (``dockerls.actions.reorder``), DKL301's remedy,
by ecosystem, like dockerls/actions/reorder/."""
