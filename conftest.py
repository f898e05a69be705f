import pytest


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
