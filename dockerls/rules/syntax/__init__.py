"""Syntax rules (DKL001 to DKL008): the problems the parser records, given a code, a name and
docs."""
