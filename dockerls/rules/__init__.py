"""Rules: one module per family, listed in one explicit registry (``registry.py``)."""
