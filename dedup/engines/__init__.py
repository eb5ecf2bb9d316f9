"""The drivers, each a thin arrangement of the shared stages: the corpus scan (``local``), the
document level (``document``), given pairs (``compare``), the persistent index (``index``)
and the Dask engine (``dask``); and the BLAS limit of the passage-level drivers (``blas``).
"""
