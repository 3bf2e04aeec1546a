"""The demo district (源城区): a deterministic set of departments, content, files and people.

`make demo` loads it so that the platform can be tried, shown and inspected with realistic data:
a portal, ten bureaus and five towns/streets with two years of articles, attachments, and
accounts for every role. It also carries deliberate defects (stale news columns, a blank 政策解读
column) named in `catalog`, which the inspection is expected to find.
"""

from .catalog import (  # noqa: F401
    DEFAULT_ITEMS,
    DEFAULT_SEED,
    DEMO_PASSWORD,
    DEPARTMENTS,
    EMPTY_INTERPRETATION_DEPARTMENTS,
    STALE_NEWS_DEPARTMENTS,
    STALE_NEWS_MIN_DAYS,
)
