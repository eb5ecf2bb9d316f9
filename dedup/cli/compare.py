"""``dedup compare``: the passages that given pairs of documents share (the text alignment task)."""

from __future__ import annotations

import click

from dedup.cli.config import data_file_options
from dedup.cli.common import (
    library_errors,
    output_format,
    output_options,
    read_all,
    record_options,
    report_problems,
    table_view,
    write_output,
)
from dedup.cli.scan import alignment_options
from dedup.read.corpus import CorpusReader
from dedup.report.output import COMPARE_FORMATS
from dedup.settings import ScanConfig

__all__ = ["compare_command"]


@click.command("compare")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, allow_dash=False))
@click.option("--pairs", "pairs_path", type=click.Path(exists=True, dir_okay=False),
              help="File of document id pairs, two whitespace-separated ids per line.")
@click.option("--docs", "docs_paths", multiple=True, type=click.Path(exists=True),
              help="Directory or file (JSONL, JSON, CSV) holding the documents named in --pairs; "
                   "repeat for several.")
@alignment_options
@output_options(COMPARE_FORMATS, "'jsonl' with --pairs and 'json' for two files", what="result")
@record_options
@data_file_options
def compare_command(files, pairs_path, docs_paths, min_words, shingle, paraphrase, fmt, output, id_field,
                    text_field, quiet) -> None:
    """Show the passages that given documents share (the text alignment task).

    Either two files, 'dedup compare A B', shown side by side; or '--pairs PAIRS --docs DOCS':
    every pair of ids in PAIRS (ids as 'dedup scan' assigns them: paths relative to a
    directory, or the id field of JSONL/CSV records) is aligned, one JSON object per pair
    ({"a": id, "b": id, "passages": [...]}). Sentence statistics come from all documents read.
    A malformed line or an unknown id in PAIRS is reported with its line number and skipped.
    """
    if bool(files) == bool(pairs_path) or (files and len(files) != 2) or (pairs_path and not docs_paths):
        raise click.UsageError("give two files (dedup compare A B), or --pairs PAIRS with --docs DOCS.")
    settings = dict(min_words=min_words, shingle=shingle, paraphrase=paraphrase)
    with library_errors(usage=True):
        ScanConfig(**settings)
    from dedup.engines.compare import (  # the engines load when a command runs
        compare_pairs,
        read_pairs,
    )
    from dedup.report.render import render_comparisons

    reader = CorpusReader(id_field=id_field, text_field=text_field)
    if files:
        documents = []
        for path in files:
            documents.extend(read_all(reader, [path]))
        if len(documents) != 2:
            raise click.ClickException(f"expected one document in each of {files[0]} and {files[1]}; "
                                       f"read {len(documents)}.")
        pairs = [(documents[0].id, documents[1].id)]
        fmt = fmt or output_format(output, COMPARE_FORMATS, "json")
    else:
        documents = read_all(reader, docs_paths)
        try:
            with open(pairs_path, encoding="utf-8") as handle:
                lines, problems = read_pairs(handle, pairs_path, {d.id for d in documents})
        except (OSError, UnicodeDecodeError) as error:
            raise click.ClickException(f"cannot read {pairs_path}: {error}.") from None
        report_problems(problems)
        if not lines:
            raise click.ClickException(f"no usable pairs in {pairs_path}.")
        pairs = [(line.a, line.b) for line in lines]
        fmt = fmt or output_format(output, COMPARE_FORMATS, "jsonl")
    with library_errors():
        results = list(compare_pairs(pairs, documents, progress=not quiet, **settings))
    write_output(render_comparisons(results, {d.id: d.text for d in documents}, fmt,
                                    width=table_view(output)["width"]), output)
    if not quiet:
        found = sum(len(r[2]) for r in results)
        click.echo(f"dedup: compared {len(results)} pair(s): {found} reused passages", err=True)
