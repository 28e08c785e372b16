"""Deciding: a value against a threshold, points and totals, verdict rules (scalar and array forms)."""
