"""The UI-free core: fetching, parsing, storing, grouping, extracting, merging, exporting.

Nothing under this package may import `textual`; tests/test_import_hygiene.py checks it.
"""
