"""The outbox payload: what to send, as JSON, independent of any Telegram library.

The engine writes these in the same transaction as the state change; the sender (or the
terminal) reads them back and performs the call. `split_parts` cuts a payload that is
over Telegram's length limits into several that are not (`service.outbox.enqueue` uses it).
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from flows.effects import Keyboard, Reply


@dataclass(frozen=True)
class Outgoing:
    """One message to send: text (HTML) or a photo with caption, with its markup; or, with
    `edit`, new text and buttons for every copy of a message already sent about a report
    in the chat (with `relink`, those messages then stop being that: a moved card)."""

    text: str = ""
    buttons: tuple[tuple[tuple[str, str], ...], ...] = ()
    keyboard: Keyboard = Keyboard.KEEP
    photo: str | None = None
    edit: tuple[int, str] | None = None  # edit the messages sent for (report id, purpose)
    upload: tuple[str, str] | None = None  # (file name, base64 content): a file to upload
    reply_to: tuple[int, str] | None = None  # reply to the message sent for (report, purpose)
    relink: str | None = None  # after an edit, the edited messages are linked under this
    media: tuple[str, str] | None = None  # (kind, file id): evidence (flows.evidence) to copy
    replace: int | None = None  # show this in the pressed message (its Telegram id)

    def to_json(self) -> str:
        """Serialise for the outbox."""
        data: dict[str, object] = {"text": self.text}
        if self.buttons:
            data["buttons"] = [[list(b) for b in row] for row in self.buttons]
        if self.keyboard is not Keyboard.KEEP:
            data["keyboard"] = self.keyboard.value
        if self.photo:
            data["photo"] = self.photo
        if self.edit:
            data["edit"] = list(self.edit)
        if self.upload:
            data["upload"] = list(self.upload)
        if self.reply_to:
            data["reply_to"] = list(self.reply_to)
        if self.relink:
            data["relink"] = self.relink
        if self.media:
            data["media"] = list(self.media)
        if self.replace is not None:
            data["replace"] = self.replace
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
            keyboard=Keyboard(data.get("keyboard", Keyboard.KEEP.value)),
            photo=data.get("photo"),
            edit=(int(data["edit"][0]), str(data["edit"][1])) if data.get("edit") else None,
            upload=(str(data["upload"][0]), str(data["upload"][1])) if data.get("upload") else None,
            reply_to=(
                (int(data["reply_to"][0]), str(data["reply_to"][1]))
                if data.get("reply_to")
                else None
            ),
            relink=str(data["relink"]) if data.get("relink") else None,
            media=(str(data["media"][0]), str(data["media"][1])) if data.get("media") else None,
            replace=int(data["replace"]) if data.get("replace") is not None else None,
        )


def upload(name: str, content: bytes, caption: str = "") -> Outgoing:
    """A file to send (a .png goes as a photo, anything else as a document)."""
    return Outgoing(text=caption, upload=(name, base64.b64encode(content).decode("ascii")))


def from_reply(reply: Reply) -> Outgoing:
    """The outbox form of a flow's reply."""
    buttons = tuple(tuple((b.label, b.data) for b in row) for row in reply.buttons)
    return Outgoing(
        text=reply.text, buttons=buttons, keyboard=reply.keyboard, replace=reply.replace
    )


TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
_TOKEN = re.compile(r"<[^<>]*>|&#?[0-9A-Za-z]{1,10};|.", re.DOTALL)
_TAG_NAME = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9-]*)")


def split_parts(out: Outgoing) -> list[Outgoing]:
    """`out` as messages within Telegram's limits (4096 characters of text, 1024 of caption,
    counted after HTML parsing, in UTF-16 units to be safe).

    Cuts at a paragraph break, else a line break, else a space (the whitespace at a cut is
    dropped), else anywhere between characters; never inside a tag or an entity. Tags
    open at a cut are closed and opened again in the next part. Inline buttons and the
    keyboard go with the last part only; a photo (or upload) keeps the first part as its
    caption, the rest follow as text messages. A payload within the limits comes back as is.
    """
    media = out.photo is not None or out.upload is not None or out.media is not None
    first_limit = CAPTION_LIMIT if media else TEXT_LIMIT
    # What a text shows is never longer than its HTML (tags show nothing, an entity less
    # than itself), so most payloads need no tokenising at all.
    if _html_units(out.text) <= first_limit:
        return [out]
    tokens = [(m.group(), _visible(m.group())) for m in _TOKEN.finditer(out.text)]
    if sum(_units(seen) for _, seen in tokens) <= first_limit:
        return [out]
    texts = _render(tokens, _cuts([seen for _, seen in tokens if seen], first_limit))
    parts = [
        replace(out, text=text, buttons=(), keyboard=Keyboard.KEEP)
        if number == 0
        else replace(
            out,
            text=text,
            buttons=(),
            keyboard=Keyboard.KEEP,
            photo=None,
            upload=None,
            media=None,
        )
        for number, text in enumerate(texts)
    ]
    parts[-1] = replace(parts[-1], buttons=out.buttons, keyboard=out.keyboard)
    return parts


def packed_lines(lines: Sequence[str]) -> list[str]:
    """`lines` joined by line breaks into as few texts as fit Telegram's text limit,
    each cut only between two lines; a line over the limit alone is a text of its own
    (`split_parts` cuts it). Measured on the HTML, which never shows more than itself,
    so nothing is tokenised: `split_parts` walks a long text a character at a time
    (about 12 ms for a digest of 50 reports, inside its transaction).

    >>> [len(text) for text in packed_lines(["a" * 3000, "b" * 1000, "c" * 100])]
    [4001, 100]
    """
    texts: list[list[str]] = []
    used = 0
    for line in lines:
        units = _html_units(line)
        if not texts or used + 1 + units > TEXT_LIMIT:
            texts.append([line])
            used = units
        else:
            texts[-1].append(line)
            used += 1 + units
    return ["\n".join(text) for text in texts]


def _html_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _visible(token: str) -> str:
    """What a token shows: nothing for a tag, the character for an entity."""
    return "" if token.startswith("<") else html.unescape(token)


def _units(text: str) -> int:
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def _cuts(chars: list[str], first_limit: int) -> list[tuple[int, int]]:
    """[start, end) ranges of visible characters, one per part (whitespace between dropped)."""
    ranges: list[tuple[int, int]] = []
    limit, start, count = first_limit, 0, len(chars)
    while True:
        while start < count and chars[start].isspace():
            start += 1
        if start == count:
            return ranges
        end, used = start, 0
        while end < count and used + _units(chars[end]) <= limit:
            used += _units(chars[end])
            end += 1
        if end == count:
            return [*ranges, (start, end)]
        cut, after = _break(chars, start, end, limit // 4)
        ranges.append((start, cut))
        limit, start = TEXT_LIMIT, after


def _break(chars: list[str], start: int, end: int, shortest: int) -> tuple[int, int]:
    """Where to cut within chars[start:end] (end of part, start of the rest): at the last
    paragraph break, line break or space at least `shortest` in, else at `end`."""

    def paragraph(p: int) -> bool:
        return chars[p] == "\n" and (chars[p - 1] == "\n" or chars[p + 1 : p + 2] == ["\n"])

    for is_break in (paragraph, lambda p: chars[p] == "\n", lambda p: chars[p].isspace()):
        for p in range(end, start + max(shortest, 1) - 1, -1):
            if is_break(p):
                cut, after = p, p
                while chars[cut - 1].isspace():
                    cut -= 1
                while after < len(chars) and chars[after].isspace():
                    after += 1
                if cut > start:
                    return cut, after
    return end, end


def _owners(tokens: list[tuple[str, str]], ranges: list[tuple[int, int]]) -> list[int | None]:
    """The part each token goes to; None for whitespace dropped at a cut. An opening tag
    goes with the next character kept, a closing tag with the previous one."""
    part_of_char: list[int | None] = []
    for number, (start, end) in enumerate(ranges):
        part_of_char += [None] * (start - len(part_of_char)) + [number] * (end - start)
    chars = iter(part_of_char)
    owners = [next(chars, None) if seen else None for _, seen in tokens]
    following = len(ranges) - 1
    for i in reversed(range(len(tokens))):
        if tokens[i][1]:
            following = following if (owner := owners[i]) is None else owner
        elif not tokens[i][0].startswith("</"):
            owners[i] = following
    previous = 0
    for i, (source, seen) in enumerate(tokens):
        if seen:
            previous = previous if (owner := owners[i]) is None else owner
        elif source.startswith("</"):
            owners[i] = previous
    return owners


def _render(tokens: list[tuple[str, str]], ranges: list[tuple[int, int]]) -> list[str]:
    """The HTML of each part: its tokens, with the tags open at a cut closed and reopened."""
    parts: list[list[str]] = [[] for _ in ranges]
    stack: list[tuple[str, str]] = []  # (name, opening tag) of the tags open
    current = 0
    for (source, seen), owner in zip(tokens, _owners(tokens, ranges), strict=True):
        if owner is None:
            continue
        if owner > current:
            parts[current] += [f"</{name}>" for name, _ in reversed(stack)]
            current = owner
            parts[current] += [opening for _, opening in stack]
        parts[current].append(source)
        if not seen and (name := _TAG_NAME.match(source)):
            if not source.startswith("</"):
                stack.append((name.group(1).lower(), source))
            elif stack:
                stack.pop()
    return ["".join(part) for part in parts]
