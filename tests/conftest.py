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


def news_stream(count: int, seed: int = 7):
    """Labelled news-length documents with planted near-duplicates (benchmarks/stream_corpus.py)."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from stream_corpus import stream

    return list(stream(count, seed=seed))


@pytest.fixture(scope="session")
def dask_client():
    """A real Dask LocalCluster of 2 worker processes on loopback, for the whole session."""
    import os

    try:
        from distributed import Client, LocalCluster
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("dask[distributed] is not installed; the test extra installs it")
        pytest.skip("dask[distributed] is not installed (pip install 'dedup[dask]')")
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                      processes=True) as cluster, Client(cluster) as client:
        yield client


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A real redis-server on a free loopback port, for the whole session; its base URL."""
    import os
    import shutil
    import socket
    import subprocess
    import time

    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed; .ci/run installs it (apt-get install redis-server)")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture
def redis_url(redis_server, request):
    """A fresh index location on the session's Redis server (its own key prefix)."""
    name = "".join(ch if ch.isalnum() else "_" for ch in request.node.name)
    return f"{redis_server}?prefix=test_{name}"


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven through the system's ChromeDriver (Debian's chromium and
    chromium-driver, which .ci/run installs), with the console log kept."""
    import os
    import shutil

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium and chromedriver are not installed; .ci/run installs them "
                        "(apt-get install chromium chromium-driver)")
        pytest.skip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--hide-scrollbars"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()
