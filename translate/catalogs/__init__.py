"""Catalog code: reading catalogs as documents for the judge."""
