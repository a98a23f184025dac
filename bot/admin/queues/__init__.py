"""The console's work queues: comments to moderate and decide on, questions, data requests."""
