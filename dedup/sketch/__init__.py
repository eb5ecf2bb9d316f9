"""Sketch: stable token and shingle hashes (``hashing``), shingles of one document or a batch
(``shingles``), MinHash signatures (``minhash``), LSH band keys and their buckets (``lsh``),
winnowed anchors (``anchors``), and the one ``Fingerprinter`` every driver uses.
"""
