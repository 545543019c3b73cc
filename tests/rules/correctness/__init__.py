"""Tests of the correctness rules (DKL501-DKL515) and their helper modules."""
