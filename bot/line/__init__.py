"""The LINE platform boundary: reading events, dedupe, the postback codec, LINE's limits, the one client."""
