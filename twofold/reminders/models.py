"""Models for reminders."""
