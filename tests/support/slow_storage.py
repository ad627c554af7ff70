"""File storage for worker processes started by tests that can pause while it stores a file, so that the test
can kill the worker in the middle of storing a letter (inside its transaction, with the letter row locked).

FONDSFLOW_TEST_STORAGE_DELAY  seconds to pause in each save (default 0: no pause, no marker)
FONDSFLOW_TEST_STORAGE_PAUSE  "before": pause before the file is written; "after": write it, then pause
FONDSFLOW_TEST_MARKER_DIR     where a marker (holding the file name) is dropped just before the pause
"""

import os
import time
import uuid
from pathlib import Path

from django.core.files.storage import FileSystemStorage


class SlowFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        delay = float(os.environ.get("FONDSFLOW_TEST_STORAGE_DELAY", "0"))
        if not delay:
            return super()._save(name, content)
        if os.environ.get("FONDSFLOW_TEST_STORAGE_PAUSE", "before") == "after":
            name = super()._save(name, content)
            self._mark_and_wait(name, delay)
            return name
        self._mark_and_wait(name, delay)
        return super()._save(name, content)

    def _mark_and_wait(self, name, delay):
        marker = Path(os.environ["FONDSFLOW_TEST_MARKER_DIR"]) / f"storing-{os.getpid()}-{uuid.uuid4().hex}"
        marker.write_text(name)
        time.sleep(delay)
