"""Placeholder: filled by its own issue."""

from __future__ import annotations


class TrustMixin:
    pass
