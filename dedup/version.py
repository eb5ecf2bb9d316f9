"""The version of dedup."""

__version__ = "0.1.0"
