"""The settings of the paraphrase tier, shared by its stages.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ParaphraseOptions"]


@dataclass(frozen=True)
class ParaphraseOptions:
    """Settings of the paraphrase tier.

    Attributes
    ----------
    seed_similarity : float
        Cosine similarity of two sentences above which they seed a passage.
    seed_overlap : float
        Dice overlap of two sentences' content stems also required of a seed.
    base_similarity : float
        Similarity that two sentences on the same subject reach without one taking from
        the other; only similarity above it counts as evidence.
    min_evidence : float
        Evidence a passage needs: the sum over its chain of seeds of their similarity
        above ``base_similarity``. Two sentences in a row at 0.4, three at 0.33 or one at
        0.6 are enough with the defaults.
    min_density : float
        Share of the units on each side of a passage that its chain of seeds must pair: a
        rewrite follows its source sentence by sentence, independent reports of one event
        share facts here and there. Where one side is twice the other's length or more, the
        shorter side's share: a summary condenses several sentences of its source into one.
    passage_similarity : float
        Cosine similarity that a passage's two sides (as wholes) must reach.
    max_gap : int
        Most sentences skipped between two seeds of one passage, on either side.
    min_words : int
        Shortest side of a passage, in words.
    min_content : int
        Sentences with fewer content words are joined to the next one.
    lone_probability : float
        Probability from which the learned sentence scorer
        (:mod:`dedup.match.paraphrase.scorer`) lets a passage of one sentence pair alone
        through. Its own threshold (about 0.5) is set on MRPC, where two pairs in three are
        paraphrases; a scan's one-sentence seeds are rewrites less often, so it asks for more
        (on PAN 2013 in corpus mode, 0.6 gives the best plagdet of 0.49, 0.6, 0.7 and 0.8).
    """

    seed_similarity: float = 0.25
    seed_overlap: float = 0.15
    base_similarity: float = 0.2
    min_evidence: float = 0.4
    min_density: float = 0.4
    passage_similarity: float = 0.4
    max_gap: int = 4
    min_words: int = 8
    min_content: int = 4
    lone_probability: float = 0.6
