"""Placeholder: filled by its own issue."""

from __future__ import annotations


class RecordsMixin:
    pass
