"""Consultation rounds in the console: list, create, edit, import the draft, publish, share."""
