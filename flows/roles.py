"""Who may act where: the central chat, one chat per OPD, and their officers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flows.report import Report


@dataclass(frozen=True)
class Roles:
    """The officers' chats of one deployment.

    A report's card goes to its body's chat when the body has one, else to the central
    chat. Central officers may act on every report; an OPD chat on its own reports.
    With `trust_chat_members`, anyone writing in a configured chat is an officer.
    """

    central_chat: int | None = None
    central_officers: frozenset[int] = frozenset()
    opd_chats: Mapping[str, int] = field(default_factory=dict)
    opd_officers: Mapping[int, frozenset[int]] = field(default_factory=dict)
    trust_chat_members: bool = False

    def chat_for(self, body: str) -> int | None:
        """The chat that handles reports of `body`."""
        return self.opd_chats.get(body, self.central_chat)

    def body_of_chat(self, chat_id: int) -> str | None:
        """The OPD whose chat this is (None for the central chat or an unknown chat)."""
        return next((body for body, chat in self.opd_chats.items() if chat == chat_id), None)

    def is_officer_chat(self, chat_id: int) -> bool:
        """True for the central chat and every OPD chat."""
        return chat_id == self.central_chat or chat_id in self.opd_chats.values()

    def may_act(self, chat_id: int, user_id: int) -> bool:
        """Whether this person may act as an officer in this chat."""
        if not self.is_officer_chat(chat_id):
            return False
        if self.trust_chat_members:
            return True
        if chat_id == self.central_chat:
            return user_id in self.central_officers
        return user_id in self.opd_officers.get(chat_id, frozenset())

    def may_handle(self, chat_id: int, report: Report) -> bool:
        """Whether this chat may act on this report."""
        return chat_id == self.central_chat or self.body_of_chat(chat_id) == report.body

    def bodies_of_chat(self, chat_id: int) -> tuple[str, ...] | None:
        """Bodies whose reports this chat sees (None: all, for the central chat)."""
        if chat_id == self.central_chat:
            return None
        body = self.body_of_chat(chat_id)
        return () if body is None else (body,)
