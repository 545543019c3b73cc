"""Tests of the cache-order and build-context rules: DKL301-DKL304, DKL351-DKL352."""
