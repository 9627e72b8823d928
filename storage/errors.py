"""Errors raised by the storage layer.

Every backend translates its driver's exceptions into these, once, at its boundary,
and raises them ``from`` the original so the driver's traceback is kept::

    StorageError          anything the database refused or could not do
    ├── NotFoundError     no row with that key
    ├── CodeTakenError    another report already has that code
    ├── BusyError         the database stayed locked by another writer
    └── MigrationError    the schema cannot be brought up to date
"""

from __future__ import annotations


class StorageError(Exception):
    """Base class for storage errors."""


class NotFoundError(StorageError):
    """Record not found."""


class CodeTakenError(StorageError):
    """Another report already has this code."""

    def __init__(self, code: str) -> None:
        super().__init__(f"report code {code!r} is already taken")
        self.code = code


class BusyError(StorageError):
    """The database stayed locked by another writer after several retries."""


class MigrationError(StorageError):
    """The schema could not be brought up to date."""
