"""Catalog code: what produced each entry (the run signature), and the catalogs themselves."""
