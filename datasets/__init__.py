"""Datasets: the data rows of a resource, in versions, validated against its data items.

``models`` holds the tables, ``readers`` parses CSV/XLSX, ``validation`` checks values against the
data items, ``storage`` bulk-loads rows, ``services`` writes (upload, push, import jobs),
``selectors`` reads (rows, verification, exports, who read what) and ``masking`` hides personal data.
"""
