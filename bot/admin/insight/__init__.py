"""The console's insight area: a dashboard per round, charts drawn on the server."""
