"""Tests of the stage rules (DKL201 to DKL206), one module per rule."""
