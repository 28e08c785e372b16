"""Formulas: parsed, checked against the allow-list, lowered to checked trees, evaluated; their units checked."""
