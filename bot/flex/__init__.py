"""Message builders: text, quick replies, and Flex cards made from plain values."""
