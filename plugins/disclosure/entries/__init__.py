"""Catalogue entries: the Wagtail page type of the disclosure catalogue (a tenant app)."""
