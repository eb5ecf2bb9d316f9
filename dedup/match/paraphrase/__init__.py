"""The paraphrase tier: rewritten passages, found by sentence similarity.

A rewrite keeps the facts of its source and their order while changing the words, so it
shares few shingles with it. Its stages, in order:

- :mod:`~dedup.match.paraphrase.units`: sentences as token ranges with their stems;
- :mod:`~dedup.match.paraphrase.statistics`: stem counts and statistics that add up over
  parts of the corpus;
- :mod:`~dedup.match.paraphrase.space`: TF-IDF vectors of the sentences;
- :mod:`~dedup.match.paraphrase.neighbours`: candidate document pairs across the corpus;
- :mod:`~dedup.match.paraphrase.align`: sentence-by-sentence alignment of one pair;
- :mod:`~dedup.match.paraphrase.options`: the settings they share.
"""
