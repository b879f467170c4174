"""Exchange formats of the glossary (TBX, CSV, PO) and what each can carry."""
