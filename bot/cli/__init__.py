"""Operator commands (`flask …`), one module per area."""
