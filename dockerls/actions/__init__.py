"""Edits beyond single-rule fixes: fix-all, refactors (pure, no protocol types)."""
