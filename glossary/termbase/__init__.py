"""The termbase core: the glossary model, loading and validation, locale names."""
