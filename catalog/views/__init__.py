"""The catalog's pages: ``browse`` (the catalog, search, departments, categories, a resource),
``resources`` (editing, review, versions), ``systems`` and ``spreadsheets`` (Excel in and out)."""
