"""Tests of the rules, one module per rule, laid out like dockerls/rules/."""
