"""The domain's data: models, sessions, queries and importers. Nothing here imports Flask."""
