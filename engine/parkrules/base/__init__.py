"""Errors with locations, names in two languages, labels, and the semantics' two vocabularies that every layer
speaks: statuses and threshold operators."""
