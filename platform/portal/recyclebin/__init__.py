"""The department's recycle bin (回收站): deleted pages wait here for 30 days before they go for good.

A tenant app: every department schema has its own bin, a hidden page (`RecycleBinPage`) beside
the home page, outside every Wagtail site, so nothing below it has a public URL. See `service`.
"""
