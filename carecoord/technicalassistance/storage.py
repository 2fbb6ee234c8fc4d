"""Where the shared library's files live: MEDIA_ROOT/ta-library. Never served as static media:
a file leaves only through the download view, which checks access and writes the audit
event."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property

FOLDER = "ta-library"


class LibraryStorage(FileSystemStorage):
    @cached_property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, FOLDER)


_storage = LibraryStorage()


def library_storage() -> LibraryStorage:
    """The storage of LibraryItem.file (a callable keeps the path out of the migrations)."""
    return _storage
