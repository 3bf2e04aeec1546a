"""Public delivery: anonymous pages answered from a shared page cache, invalidated by tags.

Every public page that is the same for every anonymous visitor is rendered once and kept in the
shared store (Valkey/Redis) with the versions of the tags it depends on (`site:<schema>`,
`projection`, `theme`, …). A change anywhere bumps the versions of its tags in the store, so every
app process and server sees the cached copies go stale at once; a hit is answered before the
tenant middleware, without the database.

The public API for plugins and the core is small: `cacheable` marks a view as safe to share
between anonymous visitors (nothing is cached unless it is marked, here or in `policy`), and
`changed` bumps tags by hand for a change that no model signal reports.
"""

from .policy import cacheable
from .store import changed

__all__ = ["cacheable", "changed"]
