"""Resguardo: find, withhold and account for sensitive personal information."""

__version__ = "0.1.0"
