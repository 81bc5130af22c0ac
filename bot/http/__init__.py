"""The HTTP entry points: LINE's webhook, the check API, admin views, health, and picture links."""
