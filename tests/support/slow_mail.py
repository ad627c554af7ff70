"""A file-based e-mail backend for worker processes started by tests, which can be made slow.

The test process reads the mails another process sent from the directory. To kill a worker *while* it sends,
the backend can pause for a while inside `send_messages`, after dropping a marker file the test waits for:

FONDSFLOW_TEST_MAIL_DIR     where the mails go, one file per message (required)
FONDSFLOW_TEST_MAIL_DELAY   seconds to pause in each send (default 0: no pause, no marker)
FONDSFLOW_TEST_MAIL_PAUSE   "before": pause before the mail is written (a crash loses the attempt);
                            "after": write the mail, then pause (a crash between sending and the commit)
FONDSFLOW_TEST_MARKER_DIR   where the marker goes (required when there is a delay)
"""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def __init__(self, *args, **kwargs):
        kwargs["file_path"] = os.environ["FONDSFLOW_TEST_MAIL_DIR"]
        super().__init__(*args, **kwargs)
        self.delay = float(os.environ.get("FONDSFLOW_TEST_MAIL_DELAY", "0"))
        self.pause = os.environ.get("FONDSFLOW_TEST_MAIL_PAUSE", "before")

    def _get_filename(self):
        # One file per message, never reused: the test counts files.
        return str(Path(self.file_path) / f"{uuid.uuid4().hex}.eml")

    def send_messages(self, email_messages):
        if not self.delay:
            return self._send_each(email_messages)
        if self.pause == "after":
            sent = self._send_each(email_messages)
            self._mark_and_wait(email_messages)
            return sent
        self._mark_and_wait(email_messages)
        return self._send_each(email_messages)

    def _send_each(self, email_messages):
        sent = 0
        for message in email_messages:
            sent += super().send_messages([message])
        return sent

    def _mark_and_wait(self, email_messages):
        marker = Path(os.environ["FONDSFLOW_TEST_MARKER_DIR"]) / f"sending-{os.getpid()}-{uuid.uuid4().hex}"
        marker.write_text("\n".join(m.extra_headers.get("Message-ID", "") for m in email_messages))
        time.sleep(self.delay)
