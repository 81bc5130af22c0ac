"""Text in, meaning out: normalisation, tokenisation and claim matching. No Flask, no database, no I/O."""
