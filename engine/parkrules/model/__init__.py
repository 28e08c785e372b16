"""Validated packs, the catalog that resolves them, the compiled plan, and the result model."""
