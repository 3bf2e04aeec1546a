"""People and their roles: one identity per person across the whole platform (public schema)."""
