"""Models for conversations."""
