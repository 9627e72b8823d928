"""The SQL both backends share, written once, with ``?`` placeholders.

Each module is a mixin of one family of `storage.base.Transaction` operations over
`Runner`, the abstract way to run a statement. A backend composes them all
(`Queries`) under its runner and its few overrides: `storage.sqlite.SqliteTransaction`,
`storage.postgres.store.PostgresTransaction`.
"""

from __future__ import annotations

from storage.queries.all import Queries
from storage.queries.runner import Row, Runner

__all__ = ["Queries", "Row", "Runner"]
