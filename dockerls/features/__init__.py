"""Editor features as pure functions over the syntax model: no protocol types here."""
