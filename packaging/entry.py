"""The frozen app's entry point: the same command line as `companion`."""

import sys

from companion.cli import main

if __name__ == "__main__":
    sys.exit(main())
