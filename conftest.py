import pytest


@pytest.fixture(autouse=True, scope="session")
def _own_shared_caches():
    # With DJANGO_CACHE_URL (config/settings/test.py) the caches live in a shared Redis under
    # this process's own prefix: start from nothing and leave nothing behind. clear() stays
    # inside the prefix (common.cache.ScopedRedisCache), never touching another worker's keys.
    from django.conf import settings
    from django.core.cache import caches

    shared = [
        name
        for name, config in settings.CACHES.items()
        if config["BACKEND"] == "common.cache.ScopedRedisCache"
    ]
    for name in shared:
        caches[name].clear()
    yield
    for name in shared:
        caches[name].clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploaded evidence and generated files never land in the working tree during tests.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    # Each test's database starts from the same data version (rolled back) and, on SQLite,
    # reuses primary keys: a page kept by an earlier test must not answer for this one.
    from django.core.cache import caches

    caches["pages"].clear()


# Property tests check what the engine computes, not how fast: a loaded CI machine must not
# turn a slow example into a failure (hypothesis' default deadline is 200 ms).
from hypothesis import settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile("kinerja", deadline=None)
hypothesis_settings.load_profile("kinerja")
