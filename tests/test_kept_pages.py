"""The kept pages' cache (renstra.versions): keys of a fixed length whatever the parts, and one
process computing an expensive figure while the others asking for it wait for its result."""

import threading
import time

from django.core.cache import caches

from renstra import versions
from renstra.versions import cache_key, kept


def test_keys_have_a_fixed_length_whatever_their_parts():
    eighty_opds = ".".join(str(i) for i in range(1000, 1080))  # 400 characters
    short = cache_key("kinerja:kabupaten", 1, 2024, "1")
    long = cache_key("kinerja:kabupaten", 1, 2024, eighty_opds, "all=3.pemda:1=9")
    assert len(short) == len(long) == len("kinerja:kabupaten:") + 40
    assert short != long
    # Parts are separated: ("1", "23") and ("12", "3") are different keys.
    assert cache_key("p", "1", "23") != cache_key("p", "12", "3")


def test_a_kept_figure_is_computed_once_while_others_wait_for_it():
    caches["pages"].clear()
    calls: list[int] = []
    started = threading.Event()

    def expensive() -> str:
        calls.append(1)
        started.set()
        time.sleep(0.3)
        return "figures"

    results: list[str] = []

    def reader() -> None:
        results.append(kept(("dasbor", 1, 2024), expensive, "all=1.opd:1=4"))

    first = threading.Thread(target=reader)
    first.start()
    started.wait(2)
    others = [threading.Thread(target=reader) for _ in range(3)]
    for t in others:
        t.start()
    for t in [first, *others]:
        t.join(5)

    assert results == ["figures"] * 4
    assert len(calls) == 1  # the three others waited for the first one's result
    # A new version is a new key: computed again.
    assert kept(("dasbor", 1, 2024), expensive, "all=1.opd:1=5") == "figures"
    assert len(calls) == 2


def test_a_reader_computes_itself_when_the_one_computing_gives_up(monkeypatch):
    caches["pages"].clear()
    monkeypatch.setattr(versions, "LOCK_SECONDS", 0.3)
    full = cache_key("page:dasbor", "dasbor", 2, 2024, "v1")
    # Another process took the lock and died without a result.
    caches["pages"].add(full + ":lock", 1, 30)
    started = time.monotonic()
    assert kept(("dasbor", 2, 2024), lambda: "own", "v1") == "own"
    assert time.monotonic() - started >= 0.3
