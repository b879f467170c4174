"""Catalog code: what produced each entry (the run signature), and reading catalogs as documents for the judge."""
