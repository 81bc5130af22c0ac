"""The LINE boundary: signature, parsing, dedupe, and the one outgoing client."""
