"""The commands, one module each; ``dockerls.cli.main`` imports the one it runs."""
