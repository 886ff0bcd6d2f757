"""Bulk import and export of catalog inventories (CSV and XLSX).

Documents and archival files (hồ sơ) are imported alike; ``kinds`` holds
what differs between them. Layers, one module each: ``columns`` and
``file_columns`` (the declarative tables of columns and the names a header
may give them), ``values`` (reading one cell), ``readers``
(rows out of a CSV or XLSX file, lazily), ``rows`` (one row checked into
model values), ``writer`` (chunked create-or-update by identifier or file code),
``service`` (one import, all or nothing) and ``export`` (the catalog, or an
empty template, back out to CSV or XLSX).
"""
