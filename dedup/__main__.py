"""``python -m dedup``."""

from .cli import main

main()
