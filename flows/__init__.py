"""The pure core of Suara Warga: the conversation, the domain rules and the texts.

No Telegram, no SQL, no clock reads: every function here takes data and returns data.
"""

from flows.effects import Effect, FileReport, Notice, Reply, ShowReport, ShowReports
from flows.events import Event
from flows.intake import missing_step, step
from flows.rules import Rules
from flows.state import Conversation, Draft, Step

__all__ = [
    "Conversation",
    "Draft",
    "Effect",
    "Event",
    "FileReport",
    "Notice",
    "Reply",
    "Rules",
    "ShowReport",
    "ShowReports",
    "Step",
    "missing_step",
    "step",
]
