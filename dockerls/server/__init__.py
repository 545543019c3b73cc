"""The language server: thin pygls glue between the protocol and ``analyze``.

Each handler fetches the document, asks the core, converts with ``dockerls.convert``
and returns. The state kept here is the settings, the last analysis of each open
document and whether the first configuration has arrived. ``dockerls.rpc`` reads the
messages and answers what is malformed or out of turn.

``DockerLanguageServer`` (``language_server.py``) is built in layers, one module each:
``client.py`` (the protocol, the client's capabilities, its log), ``documents.py`` (the
open documents and their incremental text), ``inputs.py`` (settings in force, build
context and files read next to a document), ``analyses.py`` (analyses on the
``workers.py`` threads, requests waiting for them, diagnostics published), then
``settings.py`` (the client's settings arriving) and ``actions.py`` (code actions). The
handlers, by feature, are in ``handlers/``; ``app.py`` registers them (``create_server``)
and serves on stdio (``main``).
"""

from dockerls.server.app import create_server as create_server
from dockerls.server.app import main as main
from dockerls.server.language_server import DockerLanguageServer as DockerLanguageServer
