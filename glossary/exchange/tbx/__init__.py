"""TBX import and export: the mapping, safe XML parsing, the reader and the writer."""
