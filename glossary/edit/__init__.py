"""The one glossary edit engine: edit records (records), one applier that keeps the editors' layout (apply), one file read (store)."""
