"""Tests of the actions, laid out like dockerls/actions/."""
