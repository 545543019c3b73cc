"""``dockerls serve``: the language server, on standard input and output."""

from __future__ import annotations


def serve() -> int:
    # Imported here only: the protocol stack is slow to import and nothing else needs it.
    # It leaves about 100,000 objects that live as long as the process (lsprotocol alone
    # defines some 570 attrs classes). Frozen, the collections that come later (while
    # the core is imported and the first documents analysed) no longer walk them all:
    # about a tenth of the instructions to the first diagnostics. The collector keeps
    # running during the import, so its cyclic garbage (the classes attrs replaces with
    # slotted ones, 8 MB) is freed as it is made and next to none of it is frozen.
    import gc

    from dockerls import server

    gc.freeze()
    server.main()
    return 0
