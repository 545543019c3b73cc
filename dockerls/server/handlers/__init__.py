"""The LSP handlers, grouped by feature and registered by ``dockerls.server.app``; each is
thin: it fetches the document's analysis, asks the core, converts and returns."""
