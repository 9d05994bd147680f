"""Test helpers for the local development wiki (scripts/devwiki), independent of Pywikibot.

Import them as `from tests.support import WikiClient, RequestLog, import_pages, set_readonly`.
"""

from tests.support.devwiki import (
    Credentials,
    Devwiki,
    DevwikiCommandError,
    bring_up,
    devwiki_status,
    frozen_clock,
    import_pages,
    maxlag,
    readonly,
    run_devwiki,
    run_jobs,
    server_stopped,
    set_clock,
    set_maxlag,
    set_readonly,
    start_server,
    stop_server,
)
from tests.support.mwapi import ApiError, WikiClient
from tests.support.requestlog import (
    WRITE_ACTIONS,
    RequestLog,
    RequestRecord,
    api_requests,
    by_action,
    by_user,
    count_api,
    count_writes,
    total_bytes,
    write_requests,
)

__all__ = [
    "WRITE_ACTIONS",
    "ApiError",
    "Credentials",
    "Devwiki",
    "DevwikiCommandError",
    "RequestLog",
    "RequestRecord",
    "WikiClient",
    "api_requests",
    "bring_up",
    "by_action",
    "by_user",
    "count_api",
    "count_writes",
    "devwiki_status",
    "frozen_clock",
    "import_pages",
    "maxlag",
    "readonly",
    "run_devwiki",
    "run_jobs",
    "server_stopped",
    "set_clock",
    "set_maxlag",
    "set_readonly",
    "start_server",
    "stop_server",
    "total_bytes",
    "write_requests",
]
