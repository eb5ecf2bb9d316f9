import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
PLANTED = ROOT / "fixtures" / "planted"


@pytest.fixture(scope="session")
def seed_documents():
    from dedup import read_documents

    documents, problems = read_documents([SEEDS])
    assert problems == []
    return documents


@pytest.fixture(scope="session")
def seed_report(seed_documents):
    from dedup import scan

    return scan(seed_documents)


@pytest.fixture(scope="session")
def planted_expected():
    return json.loads((ROOT / "fixtures" / "planted_expected.json").read_text(encoding="utf-8"))
