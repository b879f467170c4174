"""The HTML review page of a translated document: its data, its templates and their rendering."""
