"""Tenant-local group memberships: which person is in which Wagtail group of this department."""
