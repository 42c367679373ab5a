"""Importing this module registers ``<export_format:fmt>`` (csv, json or fhir)."""

from django.urls import register_converter

from twofold.outcomes.exports import FormatConverter

register_converter(FormatConverter, "export_format")
