import re
import subprocess
import sys

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_setup_commands():
    block = re.match(r"```sh\n(.*?)\n```", README, re.S)
    assert block is not None
    commands = block.group(1).splitlines()
    assert commands == ["pip install . && dedup scan fixtures/seeds",
                        "pip install -e '.[test]' && python -m pytest -q"]


def test_python_api_example_runs():
    example = re.search(r"## Python API\n\n```python\n(.*?)```", README, re.S).group(1)
    done = subprocess.run([sys.executable, "-c", example], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "paraphrase 003_7d410491a9d5865a.txt 004_b86f621bbed01eb0.txt" in done.stdout
    assert '"dedup_report": 1' in done.stdout
