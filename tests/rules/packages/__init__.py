"""Tests of the package-manager bloat rules (DKL101 to DKL115), one module per rule."""
