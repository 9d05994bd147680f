"""A digest recipient: one talk page that may receive the digest, with the subscriber line
it came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from bots.digest.subscribers import Subscriber
from bots.wiki.digest_reads import RecipientPage
from bots.wiki.records import PageSnapshot

NS_USER_TALK = 3
EXCLUSION_TEMPLATES = ("Bots", "Nobots")  # asked of the wiki with their redirects


@dataclass(frozen=True)
class Target:
    subscriber: Subscriber
    page: str  # the page that receives the digest (after one redirect)
    namespace: int
    snapshot: PageSnapshot
    may_create: bool = False
    via: PageSnapshot | None = None  # the redirect that led here
    read: RecipientPage | None = None  # the page as read: opt-out category, templates
    via_read: RecipientPage | None = None  # the redirect as read
