"""Reading and writing files safely: YAML, JSON Schemas, units, the vocabulary, factor tables, park files, tables
and workbooks, and outputs that never lose a user's file."""
