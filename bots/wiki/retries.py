"""Why Pywikibot retried: a log handler that keeps the last HTTP status and API error code, so
that a request that gives up says why (read-only, lag, rate limit) instead of "no answer".
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class RetryCauses(logging.Handler):
    """What Pywikibot logged while retrying one request in this thread: the last API error
    code it retried (`ratelimited`, `readonly`, ...) and the last HTTP failure, so that a
    request that ran out of retries can say why instead of "Maximum retries attempted"."""

    _API = re.compile(r"^API error (\S+): (.*)", re.S)
    _HTTP = re.compile(r"(\d{3}) Server Error: ([^\n]*)|Caught HTTP (\d{3}) error|"
                       r"(Connection refused|timed out)")

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.thread = threading.get_ident()
        self.api_code = ""
        self.api_info = ""
        self.http = ""

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        try:
            message = record.getMessage()
        except Exception:
            return
        api = self._API.match(message)
        if api:
            self.api_code, self.api_info = api.group(1), api.group(2).strip()
            return
        matches = list(self._HTTP.finditer(message))
        if matches:
            found = matches[-1]
            if found.group(1):
                self.http = f"HTTP {found.group(1)} {found.group(2).strip()}"
            elif found.group(3):
                self.http = f"HTTP {found.group(3)}"
            else:
                self.http = found.group(4).lower()

    @contextmanager
    def watching(self) -> Iterator[None]:
        logger = logging.getLogger("pywiki")
        logger.addHandler(self)
        try:
            yield
        finally:
            logger.removeHandler(self)
