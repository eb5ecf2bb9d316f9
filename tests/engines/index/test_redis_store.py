"""The Redis backend's errors."""

import pytest

from dedup.engines.index.core import Index
from dedup.errors import IndexStoreError


def test_redis_server_down_is_a_clear_error():
    with pytest.raises(IndexStoreError, match="cannot reach the Redis server"):
        Index("redis://127.0.0.1:1/0")
