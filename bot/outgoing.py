"""The outbox payload: what to send, as JSON, independent of any Telegram library.

The engine writes these in the same transaction as the state change; the sender (or the
terminal) reads them back and performs the call.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from flows.effects import Keyboard, Reply


@dataclass(frozen=True)
class Outgoing:
    """One message to send: text (HTML) or a photo with caption, with its markup; or, with
    `edit`, new text and buttons for messages already sent about a report."""

    text: str = ""
    buttons: tuple[tuple[tuple[str, str], ...], ...] = ()
    keyboard: str = Keyboard.KEEP.value
    photo: str | None = None
    edit: tuple[int, str] | None = None  # edit the messages sent for (report id, purpose)
    upload: tuple[str, str] | None = None  # (file name, base64 content): a file to upload

    def to_json(self) -> str:
        """Serialise for the outbox."""
        data: dict[str, object] = {"text": self.text}
        if self.buttons:
            data["buttons"] = [[list(b) for b in row] for row in self.buttons]
        if self.keyboard != Keyboard.KEEP.value:
            data["keyboard"] = self.keyboard
        if self.photo:
            data["photo"] = self.photo
        if self.edit:
            data["edit"] = list(self.edit)
        if self.upload:
            data["upload"] = list(self.upload)
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> Outgoing:
        """Read back what `to_json` wrote."""
        data = json.loads(raw)
        buttons = tuple(
            tuple((str(label), str(cb)) for label, cb in row) for row in data.get("buttons", ())
        )
        return cls(
            text=str(data.get("text", "")),
            buttons=buttons,
            keyboard=str(data.get("keyboard", Keyboard.KEEP.value)),
            photo=data.get("photo"),
            edit=(int(data["edit"][0]), str(data["edit"][1])) if data.get("edit") else None,
            upload=(str(data["upload"][0]), str(data["upload"][1])) if data.get("upload") else None,
        )


def upload(name: str, content: bytes, caption: str = "") -> Outgoing:
    """A file to send (a .png goes as a photo, anything else as a document)."""
    return Outgoing(text=caption, upload=(name, base64.b64encode(content).decode("ascii")))


def from_reply(reply: Reply) -> Outgoing:
    """The outbox form of a flow's reply."""
    buttons = tuple(tuple((b.label, b.data) for b in row) for row in reply.buttons)
    return Outgoing(text=reply.text, buttons=buttons, keyboard=reply.keyboard.value)
