"""Tests of the syntax rules (DKL001 to DKL008)."""
