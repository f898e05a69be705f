import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploaded evidence and generated files never land in the working tree during tests.
    settings.MEDIA_ROOT = tmp_path / "media"
