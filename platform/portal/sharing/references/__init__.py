"""The reference page type of 信息报送 and the resource library: a tenant app, because a reference
is a page in the receiving department's own tree (its columns, feeds and site map list it)."""
