"""What importing dedup and starting its command line load (issue 25): the heavy libraries
only where they are used. Module lists, not times."""

import subprocess
import sys

HEAVY = ("sklearn", "scipy", "datasketch", "trafilatura", "pandas", "dask", "redis", "lxml")


def loaded(code: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
                          capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in done.stdout.split()}


def test_import_dedup_loads_no_heavy_library_and_no_numpy():
    modules = loaded("import dedup")
    assert not modules & {*HEAVY, "numpy"}, modules & {*HEAVY, "numpy"}


def test_the_public_names_still_resolve():
    modules = loaded("import dedup\nassert dedup.scan and dedup.Index and dedup.CorpusReader and dedup.distributed.scan")
    assert "numpy" in modules and not modules & {"sklearn", "datasketch", "trafilatura", "pandas", "dask"}


def test_the_command_lines_help_loads_no_engine():
    modules = loaded("import sys\nsys.argv = ['dedup', '--help']\nfrom dedup.cli import cli\n"
                     "try:\n    cli(prog_name='dedup')\nexcept SystemExit:\n    pass")
    assert not modules & {*HEAVY, "numpy"}, modules & {*HEAVY, "numpy"}


def test_checking_against_a_sqlite_index_loads_no_datasketch_scipy_or_redis(tmp_path):
    index = tmp_path / "i.db"
    story = tmp_path / "story.txt"
    story.write_text("The council approved the new budget on Tuesday after a long debate about roads and "
                     "schools, the mayor told reporters outside the hall.", encoding="utf-8")
    code = (f"import sys, io, contextlib\nsys.argv = ['dedup', 'check', {str(story)!r}, '--index', {str(index)!r}]\n"
            "from dedup.cli import cli\nwith contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        cli(prog_name='dedup')\n    except SystemExit:\n        pass")
    modules = loaded(code)
    assert index.exists()
    assert not modules & {"sklearn", "datasketch", "redis", "trafilatura", "pandas", "dask"}
