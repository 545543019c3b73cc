"""``python -m dockerls``: the same as the ``dockerls`` command."""

import sys

from dockerls.cli import main

if __name__ == "__main__":
    sys.exit(main())
