"""Tests of the security and reproducibility rules (DKL401 to DKL407), one module per rule."""
