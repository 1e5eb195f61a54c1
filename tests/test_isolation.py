"""The suite runs in several processes at once (`make test`): what one test stores must not
land where another process, or the developer's `make run`, keeps its files."""

from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def test_a_file_stored_without_a_media_root_of_its_own_stays_out_of_the_working_tree(settings):
    name = default_storage.save("evidence/probe.txt", ContentFile(b"probe"))
    try:
        path = Path(default_storage.path(name))
        assert path.read_bytes() == b"probe"
        assert not path.is_relative_to(settings.BASE_DIR)
    finally:
        default_storage.delete(name)
