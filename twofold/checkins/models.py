"""Models for checkins."""
