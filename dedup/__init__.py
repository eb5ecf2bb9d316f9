"""dedup: near-duplicate and syndication detector."""
__version__ = "0.1.0"
