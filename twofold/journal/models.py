"""Models for journal."""
