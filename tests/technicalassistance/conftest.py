import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Library files go to a temporary MEDIA_ROOT (MEDIA_ROOT/ta-library)."""
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path
