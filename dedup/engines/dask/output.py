"""The Dask engine's output: the report's pieces written per partition (with ``input.json``
beside them), and the whole report merged on the client."""

from __future__ import annotations

import dataclasses
import json

from dedup.records import Duplicate, InputProblem, Passage, SentencePair, Side
from dedup.report.assemble import ordered_clusters, sort_passages
from dedup.report.model import DocumentSummary, Report, passage_to_dict
from dedup.text.chrome import RepeatedLines
from dedup.text.layout import boilerplate_lines

__all__ = ["entry_records", "in_report_order", "merged_report", "named_duplicates", "passage_of", "passage_records",
           "read_input", "sentences_text", "write_input", "write_pieces"]


def named_duplicates(duplicates, docs):
    ids = docs[["key", "id"]]
    return (duplicates.merge(ids.rename(columns={"key": "a", "id": "id_a"}), on="a")
            .merge(ids.rename(columns={"key": "b", "id": "id_b"}), on="b"))


def write_pieces(docs, duplicates, labels, output_dir: str, output_format: str, more: dict | None = None) -> None:
    """Write the pieces, a file per partition: documents, duplicates, clusters and the
    ``more`` folders (``{folder: (frame, records)}``, ``records`` making a partition's
    records)."""
    import dask
    import fsspec
    from dask import delayed

    fs, _, [root] = fsspec.get_fs_token_paths(output_dir)
    members = labels.merge(docs[["key", "id"]].rename(columns={"key": "node"}), on="node")
    pieces = [("documents", docs[["key", "summary"]], _document_records),
              ("duplicates", named_duplicates(duplicates, docs), _duplicate_records),
              ("clusters", members, _cluster_records)]
    pieces += [(folder, frame, records) for folder, (frame, records) in (more or {}).items()]
    writes = []
    for folder, frame, records in pieces:
        fs.makedirs(f"{root}/{folder}", exist_ok=True)
        for number, part in enumerate(frame.to_delayed()):
            path = f"{root}/{folder}/part-{number:05d}.{output_format}"
            writes.append(delayed(_write_part)(fs, path, delayed(records)(part), output_format))
    dask.compute(*writes)


def write_input(output_dir: str, docs, problems: list[InputProblem], parameters: dict,
                groups: list[dict] | None = None) -> None:
    """``input.json`` beside the pieces: the parameters, the report's ``input`` section,
    every problem met while reading (``read_input`` reads it back) and, from the full scan,
    the report's ``groups``."""
    import fsspec

    from dedup.report.model import input_summary

    summary = {"parameters": parameters, "input": input_summary(int(docs.shape[0].compute()), problems),
               "problems": [dataclasses.asdict(problem) for problem in problems]}
    if groups is not None:
        summary["groups"] = groups
    with fsspec.open(f"{output_dir.rstrip('/')}/input.json", "w", encoding="utf-8") as handle:
        json.dump(summary, handle, ensure_ascii=False, indent=2)


def read_input(output_dir: str) -> tuple[dict, list[InputProblem]]:
    """The ``input`` section and the problems of a scan written to ``output_dir``."""
    import fsspec

    with fsspec.open(f"{output_dir.rstrip('/')}/input.json", "r", encoding="utf-8") as handle:
        summary = json.load(handle)
    return summary["input"], [InputProblem(**problem) for problem in summary["problems"]]


def _document_records(frame) -> list[dict]:
    return [json.loads(s) for s in frame.sort_values("key")["summary"]]


def _duplicate_records(frame) -> list[dict]:
    frame = frame.sort_values(["a", "b"])
    return [{"documents": [a, b], "similarity": s, "containment": [ca, cb]} for a, b, s, ca, cb in
            zip(frame.id_a, frame.id_b, frame.similarity, frame.containment_a, frame.containment_b)]


def _cluster_records(frame) -> list[dict]:
    frame = frame.sort_values(["label", "node"])
    return [{"doc": doc, "cluster": int(label)} for doc, label in zip(frame["id"], frame["label"])]


def _write_part(fs, path: str, records: list[dict], output_format: str) -> None:
    if output_format == "jsonl":
        with fs.open(path, "w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        return
    import pandas as pd

    frame = pd.DataFrame({key: [json.dumps(r[key], ensure_ascii=False) if isinstance(r[key], (list, dict))
                                else r[key] for r in records] for key in (records[0] if records else {})})
    with fs.open(path, "wb") as handle:
        frame.to_parquet(handle, index=False)


def passage_of(row) -> Passage:
    """The passage of a row of a passages frame."""
    return Passage(kind=row.kind, score=float(row.score), a=Side(row.id_a, int(row.a_start), int(row.a_end)),
                   b=Side(row.id_b, int(row.b_start), int(row.b_end)),
                   sentences=tuple(SentencePair(*pair) for pair in json.loads(row.sentences)))


def sentences_text(passage: Passage) -> str:
    """A passage's sentence pairs as the JSON text of a passages frame's ``sentences``
    column (rows of ``a_start, a_end, b_start, b_end, score``)."""
    return json.dumps([[s.a_start, s.a_end, s.b_start, s.b_end, s.score] for s in passage.sentences])


def in_report_order(frame):
    """A passages frame in report order: :func:`dedup.report.assemble.sort_passages`'s rule
    on its key columns (documents are numbered in input order)."""
    return frame.reset_index(drop=True).sort_values(["a", "b", "a_start", "b_start"], kind="stable")


def passage_records(frame) -> list[dict]:
    """A partition's ``passages`` entries, in report order."""
    return [passage_to_dict(passage_of(row)) for row in in_report_order(frame).itertuples()]


def entry_records(frame) -> list[dict]:
    """A partition's ``attribution`` entries, in document order."""
    return [json.loads(entry) for entry in frame.sort_index()["entry"]]


def merged_report(docs, duplicates, labels, parameters: dict, problems: list[InputProblem], *, passages=None,
                  attribution=None, groups: list[dict] | None = None, repeated: RepeatedLines = RepeatedLines()) -> Report:
    """The whole report, collected to the client and assembled as the local engine does
    (:mod:`dedup.report.assemble`); with ``passages`` and ``attribution`` (the full scan),
    ``docs`` holds the texts too."""
    import dask

    full = passages is not None
    columns = ["key", "id", "text", "summary"] if full else ["key", "id", "summary"]
    documents, named, labelled, found, entries = dask.compute(
        docs[columns], named_duplicates(duplicates, docs),
        labels.merge(docs[["key", "id"]].rename(columns={"key": "node"}), on="node"),
        passages if full else [], attribution if full else [])
    documents = documents.sort_values("key")
    order = {doc_id: k for k, doc_id in enumerate(documents["id"])}
    named = named.sort_values(["a", "b"])
    texts = dict(zip(documents["id"], documents["text"])) if full else {}
    return Report(
        parameters=parameters,
        documents=[DocumentSummary(**json.loads(s)) for s in documents["summary"]],
        duplicates=[Duplicate(documents=(a, b), similarity=float(s), containment=(float(ca), float(cb)))
                    for a, b, s, ca, cb in zip(named.id_a, named.id_b, named.similarity, named.containment_a,
                                               named.containment_b)],
        clusters=ordered_clusters((group["id"] for _, group in labelled.groupby("label")), order),
        passages=sort_passages([passage_of(row) for row in found.itertuples()], order) if full else [],
        attribution=entry_records(entries) if full else [],
        groups=list(groups or []),  # the full scan's, made on the client
        problems=problems,
        texts=texts,
        chrome={doc_id: boilerplate_lines(text, repeated.of(doc_id)) for doc_id, text in texts.items()},
    )
