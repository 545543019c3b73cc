"""The codes of the stage rules, by short name, for the tests of tests/rules/stages/."""

FULL, TOOLS, SINGLE, DEV, NPM, WHOLE = "DKL201", "DKL202", "DKL203", "DKL204", "DKL205", "DKL206"
