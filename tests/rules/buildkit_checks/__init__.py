"""Tests of BuildKit's build checks (DKL520-DKL537)."""
