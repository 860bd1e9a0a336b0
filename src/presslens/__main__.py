"""`python -m presslens`: the command line."""

from presslens.cli import main

main()
