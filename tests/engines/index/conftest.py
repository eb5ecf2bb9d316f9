"""What the index's tests share: a story to index, and an index location on each backend."""

import pytest

STORY = ("The council approved the new budget on Tuesday after a long debate about roads, schools and the "
         "harbour, and spending on all three will rise next year, the mayor told reporters outside the hall. "
         "Work on the harbour wall starts in March and should end before the summer, when the ferries and "
         "the fishing boats need the quays.")


@pytest.fixture(params=["sqlite", "redis"])
def location(request, tmp_path):
    """An index location: a SQLite file, then a database of a real Redis server."""
    if request.param == "sqlite":
        return str(tmp_path / "news.db")
    return request.getfixturevalue("redis_url")
