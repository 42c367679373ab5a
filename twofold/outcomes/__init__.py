"""Outcomes: questionnaires defined as data, one generic scoring engine, reliable change."""
