"""The ``pivotal`` console script: the command-line tool of the ``cli/`` crate, run in this process."""

from __future__ import annotations

import signal
import sys

from pivotal_core import _native


def main() -> None:
    """Runs ``pivotal`` with ``sys.argv`` and exits with its code (0, 1 usage, 2 a Pivotal error)."""
    # Python turns SIGINT into KeyboardInterrupt, which it can only raise once the native call
    # returns; restoring the default action lets Ctrl-C stop the tool (`events --follow`) as it
    # stops the native binary.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(_native.cli_main(sys.argv))


if __name__ == "__main__":
    main()
