"""A corpus of malformed updates, as a broken or future Telegram might send them.

Each entry is (name, update without update_id, whether it passes allowed_updates); the
emulator assigns the ids (`Driver.send_malformed`). Names say what is wrong: a required
field missing, a field of the wrong type, a kind nobody knows.
"""

from __future__ import annotations

from .world import JSON, User

MalformedUpdate = tuple[str, JSON, bool]


def malformed_updates(user: User, message_id: int) -> list[MalformedUpdate]:
    """The corpus for `user`'s private chat; `message_id` is a free message id there."""
    person = user.to_dict()
    chat = {"id": user.id, "type": "private", "first_name": user.first_name}
    base: JSON = {"message_id": message_id, "date": 1_700_000_000, "chat": chat, "from": person}

    def message(**fields: object) -> JSON:
        body = {**base, **fields}
        return {"message": {key: value for key, value in body.items() if value is not None}}

    without = {key: {**base} for key in ("message_id", "chat", "date")}
    for key, body in without.items():
        del body[key]
    return [
        ("missing-message-id", {"message": {**without["message_id"], "text": "halo"}}, True),
        ("missing-chat", {"message": {**without["chat"], "text": "halo"}}, True),
        ("missing-date", {"message": {**without["date"], "text": "halo"}}, True),
        ("text-is-a-number", message(text=12345), True),
        ("from-is-a-string", message(text="halo", **{"from": user.first_name}), True),
        ("date-is-a-word", message(date="kemarin", text="halo"), True),
        ("photo-is-a-string", message(photo="foto.jpg"), True),
        ("location-without-longitude", message(location={"latitude": -6.0}), True),
        ("chat-is-a-list", message(chat=[user.id], text="halo"), True),
        ("message-is-a-string", {"message": "halo"}, True),
        (
            "callback-data-is-a-number",
            {"callback_query": {"id": "cb-x", "from": person, "chat_instance": "c", "data": 5}},
            True,
        ),
        ("unknown-content", message(hologram={"frames": 3}), True),
        ("unknown-kind", {"message_hologram": {"chat": chat, "from": person}}, False),
        ("empty", {}, False),
    ]
