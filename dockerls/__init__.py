"""dockerls: a Dockerfile language server that keeps images small and builds fast."""

__version__ = "0.1.0"
