"""Publishing for people: the static hub page, the Atom feed of events, and notifications."""

from flows.publish.feed import write_feed, write_feeds
from flows.publish.hub import write_hub
from flows.publish.notify import notify

__all__ = ["notify", "write_feed", "write_feeds", "write_hub"]
