"""The citizen conversation, one module per part of it."""
