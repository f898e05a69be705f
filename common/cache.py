"""Django's own Redis cache, with a ``clear()`` that removes only its own keys.

Every cache of one installation (default, pages, charts, progress) and the sessions live in the
same Redis database, told apart by their KEY_PREFIX. Django's ``RedisCache.clear()`` flushes the
whole database: clearing the kept pages would also end every signed-in session and drop the
charts, and one pytest worker's clear would empty another worker's caches."""

from __future__ import annotations

import re
from typing import Any

from django.core.cache.backends.redis import RedisCache

_GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")


class ScopedRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` whose ``clear()`` deletes only the keys
    under its KEY_PREFIX (SCAN and DELETE in batches, never FLUSHDB)."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        if not self.key_prefix:
            # Without a prefix there is no way to tell this cache's keys from another's.
            raise ValueError("ScopedRedisCache needs a KEY_PREFIX")

    def clear(self) -> None:
        # make_key's default form is "<prefix>:<version>:<key>"; escape the prefix so a "*" or
        # "[" in it is matched literally.
        pattern = _GLOB_SPECIAL.sub(r"\\\1", self.key_prefix) + ":*"
        client = self._cache.get_client(None, write=True)  # type: ignore[attr-defined]
        batch: list[Any] = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
