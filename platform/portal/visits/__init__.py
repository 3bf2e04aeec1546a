"""访问统计: page views and unique visitors per site, column and page, counted by the platform.

No third-party script and no personal data: a visit is counted after the answer in
`middleware`, buffered in the process and written to the shared store in bulk (`counting`); a
scheduled job copies the store's counters into PostgreSQL (`flush`). Unique visitors are told
apart by a digest of address and browser under a salt that exists only in the store and changes
every day at midnight (Beijing time), so nothing that identifies a visitor reaches the database.
"""
