"""Read: documents from files, directories, JSON, JSONL, CSV, Parquet, WARC and stdin
(``corpus``); the ids they get and the duplicate-id rule (``intake``); the parts the Dask
workers read (``parts``).
"""
