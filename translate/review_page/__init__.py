"""The HTML review page of one catalog: its data, its templates and their rendering."""
