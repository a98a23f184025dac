"""The console's outputs: the synthesis report, publishing outcomes, and public open data."""
