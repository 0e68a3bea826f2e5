"""`python -m ivrlint` runs the command line."""

import sys

from ivrlint.cli import main

if __name__ == "__main__":
    sys.exit(main())
