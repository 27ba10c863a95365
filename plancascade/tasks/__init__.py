"""Task types: how a sample's final answer is read and how answers are compared."""
