"""The document level on Dask (``dedup scan --level document --engine dask``)::

    parts read by the workers -> shingle sets, band keys and summaries per part (the local
    document level's fingerprint_documents) -> shuffle on band keys -> pairs per bucket
    (capped) -> distinct pairs -> both shingle sets joined to each pair -> exact Jaccard ->
    connected components -> report pieces per partition, and the merged report when asked

Nothing is collected to the client but counts, the capped buckets, the shingle sets of hub
documents and, when merging, the report itself. Documents are numbered ``part << 32 |
position``, which keeps input order.
"""

from __future__ import annotations

import json

import numpy as np

from dedup.engines.dask.candidates import bucket_pairs, capped_buckets, verify_frame
from dedup.engines.dask.frames import (
    BANDS_META,
    BINARY,
    CAPPED_META,
    DOCS_META,
    DUPLICATES_META,
    PAIRS_META,
)
from dedup.engines.dask.graph import Job, connected_components, join_sets, persisted
from dedup.engines.dask.output import merged_report, write_input, write_pieces
from dedup.engines.document import fingerprint_documents
from dedup.report.assemble import with_capped
from dedup.report.model import Report
from dedup.settings import HUB_PAIRS, ScanConfig
from dedup.sketch.fingerprinter import Fingerprinter
from dedup.sketch.lsh import capped_bucket_records

__all__ = ["DocumentJob"]


class DocumentJob(Job):
    """The document level on a cluster (see the module's docstring)."""

    def __init__(self, client, config: ScanConfig, progress: bool, hub_pairs: int = HUB_PAIRS.default) -> None:
        super().__init__(client, config, progress, hub_pairs)
        self.fingerprinter = Fingerprinter.of(config)

    def run(self, paths, blocksize, id_field, text_field, output_dir, output_format, merge) -> Report | None:
        import dask
        import dask.dataframe as dd
        from dask import delayed

        from dedup.read.parts import corpus_parts

        self.say("cutting the input into parts")
        parts = corpus_parts(paths, blocksize=blocksize, id_field=id_field, text_field=text_field)
        self.say(f"fingerprinting {len(parts)} part{'s' if len(parts) != 1 else ''}")
        # The parts' fingerprints are held by the workers, then split into the two frames.
        printed = persisted([delayed(_fingerprint_part)(part, number, self.fingerprinter)
                             for number, part in enumerate(parts)])
        # Indexed by key, part by part: the divisions are known, so the pairs are sent to
        # the documents' partitions to meet their shingle sets, and the sets never move.
        divisions = [number << 32 for number in range(len(parts))] + [max(0, (len(parts) << 32) - 1)]
        docs = persisted(dd.from_delayed([p[0] for p in printed], meta=DOCS_META, divisions=divisions,
                                         verify_meta=False))
        bands = persisted(dd.from_delayed([p[1] for p in printed], meta=BANDS_META, verify_meta=False))
        problems = [problem for found in dask.compute(*[p[2] for p in printed]) for problem in found]
        del printed
        self.check_unique_ids(docs)

        self.say("shuffling on band keys")
        buckets = persisted(bands.shuffle(on="band_key"))
        capped = buckets.map_partitions(capped_buckets, self.bucket_cap, meta=CAPPED_META).compute()
        pairs = buckets.map_partitions(bucket_pairs, self.bucket_cap, meta=PAIRS_META)
        pairs = pairs.drop_duplicates(split_out=max(1, pairs.npartitions))
        joined = join_sets(pairs, docs, self.client, self.hub_pairs)
        self.say("verifying candidates")
        duplicates = persisted(joined.map_partitions(verify_frame, self.config.threshold, meta=DUPLICATES_META))
        self.say("connected components")
        labels = connected_components(duplicates[["a", "b"]])

        parameters = {**with_capped(self.config.document_parameters(),
                                    capped_bucket_records(capped.band_key.to_numpy(), capped.documents.to_numpy())),
                      "engine": "dask"}
        if output_dir:
            self.say(f"writing the report's pieces to {output_dir}")
            write_pieces(docs, duplicates, labels, output_dir, output_format)
            write_input(output_dir, docs, problems, parameters)
        if not merge:
            return None
        self.say("merging the report")
        return merged_report(docs, duplicates, labels, parameters, problems)


def _fingerprint_part(part, number: int, fingerprinter: Fingerprinter):
    """One part's documents frame (key, id, summary as JSON, shingle set as bytes), band key
    frame and problems."""
    import pandas as pd

    documents, problems = part
    if not documents:
        return DOCS_META, BANDS_META, problems
    sets, keys, summaries = fingerprint_documents(fingerprinter, documents)
    numbers = (np.int64(number) << np.int64(32)) + np.arange(len(documents), dtype=np.int64)
    # Columns from arrays, not Series: a Series would be aligned on its own index.
    docs = pd.DataFrame({"key": numbers, "id": np.array([d.id for d in documents], dtype=object),
                         "summary": np.array([json.dumps(s.to_dict(), ensure_ascii=False) for s in summaries],
                                             dtype=object),
                         "set": pd.array([s.astype(np.uint64).tobytes() for s in sets], dtype=BINARY)},
                        index=pd.Index(numbers, name="doc"))
    filled = np.flatnonzero([len(s) > 0 for s in sets])
    band_rows = keys[filled]
    bands = pd.DataFrame({"band_key": band_rows.ravel().astype(np.int64),
                          "doc": np.repeat(numbers[filled], band_rows.shape[1])})
    return docs, bands, problems
