"""Real-editor tests: VS Code (code-server) and Emacs, and the packaged wheel."""
