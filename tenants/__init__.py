"""Departments as tenants: the Department and Domain models, provisioning and host routing."""
