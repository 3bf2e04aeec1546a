"""Site-wide search: index definition, indexing pipeline, query service and views."""
