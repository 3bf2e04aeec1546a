"""Models of publishing governance (public schema)."""
