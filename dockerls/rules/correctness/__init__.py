"""Rules of the correctness family: what ``docker build`` rejects (DKL501-DKL515).

Each rule reproduces one class of error that BuildKit's Dockerfile frontend
raises while parsing or dispatching instructions: malformed FROM lines,
argument counts, image references, flags and their values, ports, signals,
SHELL, ONBUILD triggers, variable substitutions and quotes. The unknown
instruction, missing arguments, unterminated heredocs, malformed JSON, bad
directives, instructions before FROM and malformed ENV/LABEL pairs are the
parser's (DKL001-DKL007) and are not repeated here.

BuildKit's build checks (its warnings) are in ``buildkit_checks``; the word
processing (BuildKit's quote and ``$VAR`` handling), the image reference
grammar and the scope of variables live in this package and are shared with it.
"""
