"""The HTML review page of a translated document."""
