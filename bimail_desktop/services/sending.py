"""Placeholder: filled by its own issue."""

from __future__ import annotations


class SendingMixin:
    pass
