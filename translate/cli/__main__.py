"""`python -m translate.cli`: the termguard command."""

from translate.cli import main

main()
