"""`python -m parkrules` runs the same command line as the `parkrules` script."""

from parkrules.cli.cli import main

main()
