"""natotimeline: news articles in, an event timeline out."""

__version__ = "0.1.0"

PARSER_VERSION = "14"
"""Bump when extraction output changes, so every source is re-extracted."""
