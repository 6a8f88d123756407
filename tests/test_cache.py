"""The shared cache's backend (kernel.cache): kept Redis clients and the windowed counter."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import cache
from redis.connection import Connection

from kernel.cache import RedisCacheClient, window_count


def test_the_database_cache_counts_a_window_and_starts_again_after_eviction():
    assert [window_count("w:db", 60) for _ in range(3)] == [1, 2, 3]
    cache.delete("w:db")  # evicted, or its window's time ran out
    assert window_count("w:db", 60) == 1


def test_redis_keeps_one_client_per_pool_and_counts_in_one_round_trip(redis_cache, monkeypatch):
    backend = cache._cache  # type: ignore[attr-defined]
    assert isinstance(backend, RedisCacheClient)
    assert backend.get_client() is backend.get_client(write=True)
    cache.set("k", "v", 30)
    assert cache.get("k") == "v" and cache.get_many(["k", "none"]) == {"k": "v"}

    sent: list[int] = []
    original = Connection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(1)
        return original(self, command, check_health)

    monkeypatch.setattr(Connection, "send_packed_command", counting)
    assert [window_count("w:redis", 60) for _ in range(3)] == [1, 2, 3]
    assert len(sent) == 3  # one round trip per count (add then incr took three)
    monkeypatch.undo()

    client = backend.get_client()
    made = cache.make_and_validate_key("w:redis")
    assert 0 < client.ttl(made) <= 60  # the window is kept its time, not for ever
    client.delete(made)
    assert window_count("w:redis", 60) == 1  # evicted: the window starts again


def test_redis_counts_exactly_from_many_threads_on_the_kept_client(redis_cache):
    errors: list[BaseException] = []

    def count() -> None:
        try:
            for _ in range(50):
                window_count("w:threads", 60)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.get("w:threads") == 400


@pytest.mark.parametrize("timeout", [1, 3600])
def test_the_count_is_an_integer_every_backend_reads_back(timeout):
    window_count("w:int", timeout)
    assert cache.get("w:int") == 1
