"""``python -m dedup``."""

from dedup.cli import main

main()
