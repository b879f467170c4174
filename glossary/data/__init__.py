"""The curated glossary shipped with termguard (package data)."""
