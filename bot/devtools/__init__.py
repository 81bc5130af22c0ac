"""Developer tools inside the product: the local LINE emulator, signed webhook bodies, and `flask chat`."""
