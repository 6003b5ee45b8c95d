"""The shape of status.json: what a crawl reports for each source, and what the warehouse reads.

One list of keys, so the crawler's writer, its dead-child fallback and the warehouse's columns agree.
"""

from __future__ import annotations

COUNTERS = (  # integer counters, in the order status.json lists them
    "start_pages",
    "start_pages_failed",
    "pages_fetched",
    "pages_failed",
    "pages_not_modified",
    "pages_gone",
    "robots_refused",
    "items",
    "pages_with_programs",
    "offsite_dropped",  # pages whose redirect left the source's hosts: dropped unfetched
    "links_offsite",  # program-looking links off the source's hosts on the pages read (not followed)
    "pages_incomplete",  # pages that came cut off; their last version was kept
)
GROUPS = ("http_status", "exceptions")  # {code or exception name: count}
OUTCOME = ("finish_reason", "failed", "error")
