"""The Redis backend's errors."""

import pytest

from dedup.engines.index.core import Index
from dedup.errors import IndexStoreError


def test_redis_server_down_is_a_clear_error():
    with pytest.raises(IndexStoreError, match="cannot reach the Redis server"):
        Index("redis://127.0.0.1:1/0")


@pytest.mark.parametrize("url", ["redis://localhost:abc/0", "redis://[::1/0", "redis://localhost:99999999/0"])
def test_a_malformed_redis_url_is_a_one_line_error_naming_it(url):
    with pytest.raises(IndexStoreError) as raised:
        Index(url)
    message = str(raised.value)
    assert message.startswith(url) and "redis://HOST:PORT/DB" in message and "\n" not in message


def test_a_killed_writer_holds_the_others_up_for_its_lease_only(redis_url):
    """A writer killed while it holds the lock (after renewing it past one lease) delays the
    next writer by at most the lease, not minutes."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from dedup.engines.index.redis_store import LOCK_LEASE_S, RedisStore

    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\n"
         "from dedup.engines.index.redis_store import RedisStore\n"
         "with RedisStore(sys.argv[1]).writing():\n"
         "    print('held', flush=True)\n"
         "    time.sleep(120)\n", redis_url], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        time.sleep(LOCK_LEASE_S * 1.5)  # past one lease: the holder must have renewed it
        store = RedisStore(redis_url)
        assert store._client.pttl(store._key("lock")) > 0, "the lease was not renewed"
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    killed = time.monotonic()
    with store.writing():
        waited = time.monotonic() - killed
    store.close()
    assert waited <= LOCK_LEASE_S + 1


def test_stats_do_not_read_another_index_under_a_longer_prefix(redis_url):
    from tests.engines.index.conftest import STORY

    with Index(redis_url + "_p1") as short, Index(redis_url + "_p1:doc") as longer:
        short.add([STORY])
        longer.add([STORY + " And more."])
        assert short.stats()["documents"] == 1
        assert short.stats()["text_bytes"] > 0
