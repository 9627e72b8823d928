"""Errors of the domain layer.

    FlowError
    └── UnknownBodyError   (a body id not in the catalogue)

`bot/` turns any FlowError into a polite reply; it never reaches a resident as a traceback.
"""

from __future__ import annotations


class FlowError(Exception):
    """An event the conversation cannot handle in its current state."""


class UnknownBodyError(FlowError, KeyError):
    """A body id that is not in the catalogue."""
