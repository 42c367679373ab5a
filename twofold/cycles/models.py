"""Models for cycles."""
