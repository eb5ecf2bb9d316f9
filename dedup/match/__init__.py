"""Match: passage candidates (``candidates``), exact verification (``verify``), the copy
aligner (``align``), the paraphrase tier (``paraphrase``), both tiers combined per pair
(``combine``, ``prepared``) and clusters of near-duplicates (``cluster``).
"""
