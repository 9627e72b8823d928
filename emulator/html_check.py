"""Checks of what a bot sends: Telegram-HTML, text/caption limits and inline keyboards.

`parse_html(text)` returns the plain text and the MessageEntity dicts Telegram would derive,
or raises `HtmlError` whose message mimics Telegram's "can't parse entities" details.
It is deliberately a little stricter than Telegram: a bare ``>`` or ``&`` is rejected, so a
bot that forgets ``html.escape()`` on user text fails in tests. `parse_text` and
`inline_markup` raise `ApiError` with Telegram's descriptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .world import JSON, bad_request

__all__ = ["HtmlError", "ParsedText", "inline_markup", "parse_html", "parse_text", "utf16_len"]

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)

#: Supported tags and the entity type each produces.
TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_ATTR_RE = re.compile(r"""\s*([a-zA-Z_-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


class HtmlError(ValueError):
    """Invalid Telegram HTML; str(error) is what Telegram puts after "can't parse entities: "."""


@dataclass
class ParsedText:
    """Plain text (tags removed, entities decoded) and its MessageEntity dicts."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Open:
    name: str
    attrs: dict[str, str]
    start: int  # UTF-16 offset in the plain text
    extra: dict[str, Any] = field(default_factory=dict)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of MessageEntity offsets."""
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def _decode_entity(text: str, pos: int, byte_pos: int) -> tuple[str, int]:
    """Decode the character reference at text[pos] ("&..."); return (char, length)."""
    match = _ENTITY_RE.match(text, pos)
    if match is None:
        raise HtmlError(f'Character "&" at byte offset {byte_pos} must be escaped as "&amp;"')
    dec, hexa, name = match.groups()
    if name is not None:
        if name not in NAMED_ENTITIES:
            raise HtmlError(f'Unsupported HTML entity "&{name};" at byte offset {byte_pos}')
        return NAMED_ENTITIES[name], match.end() - pos
    code = int(dec) if dec is not None else int(hexa, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise HtmlError(f"Invalid character reference at byte offset {byte_pos}")
    return chr(code), match.end() - pos


def _decode_attr(value: str) -> str:
    def repl(match: re.Match[str]) -> str:
        dec, hexa, name = match.groups()
        if name is not None:
            return NAMED_ENTITIES.get(name, match.group(0))
        return chr(int(dec) if dec is not None else int(hexa, 16))

    return _ENTITY_RE.sub(repl, value)


def _parse_attrs(body: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for match in _ATTR_RE.finditer(body):
        name, dq, sq, bare = match.groups()
        value = dq if dq is not None else sq if sq is not None else bare
        attrs[name.lower()] = _decode_attr(value or "")
    return attrs


def _entity(tag: _Open, end: int) -> dict[str, Any] | None:
    """The MessageEntity for a closed tag, or None (empty or folded into its parent)."""
    if end == tag.start or tag.extra.get("folded"):
        return None
    kind = TAGS[tag.name]
    entity: dict[str, Any] = {"type": kind, "offset": tag.start, "length": end - tag.start}
    if kind == "text_link":
        if not tag.attrs.get("href"):
            return None
        entity["url"] = tag.attrs["href"]
    elif kind == "pre" and "language" in tag.extra:
        entity["language"] = tag.extra["language"]
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = tag.attrs["emoji-id"]
    elif kind == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    return entity


def _open_tag(body: str, start: int, byte_pos: int) -> _Open:
    name_match = re.match(r"[^\s/>]*", body)
    name = name_match.group(0).lower() if name_match else ""
    if name not in TAGS:
        raise HtmlError(f'Unsupported start tag "{name}" at byte offset {byte_pos}')
    attrs = _parse_attrs(body[len(name) :])
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise HtmlError('Tag "span" must have class "tg-spoiler"')
    if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
        raise HtmlError(f'Expected custom emoji identifier in tag "tg-emoji" at byte {byte_pos}')
    return _Open(name, attrs, start)


def parse_html(text: str) -> ParsedText:
    """Parse Telegram-HTML `text`; raise HtmlError when Telegram (or our stricter rule) would."""
    out: list[str] = []
    entities: list[dict[str, Any]] = []
    stack: list[_Open] = []
    offset = 0  # UTF-16 length of `out`
    i = 0
    while i < len(text):
        ch = text[i]
        if ch not in "<>&":
            out.append(ch)
            offset += 2 if ord(ch) > 0xFFFF else 1
            i += 1
            continue
        byte_pos = len(text[:i].encode("utf-8"))
        if ch == ">":
            raise HtmlError(f'Character ">" at byte offset {byte_pos} must be escaped as "&gt;"')
        if ch == "&":
            decoded, size = _decode_entity(text, i, byte_pos)
            out.append(decoded)
            offset += utf16_len(decoded)
            i += size
            continue
        end = text.find(">", i)
        if end < 0:
            raise HtmlError(f"Unclosed start tag at byte offset {byte_pos}")
        body = text[i + 1 : end]
        i = end + 1
        if not body.startswith("/"):
            stack.append(_open_tag(body, offset, byte_pos))
            continue
        name = body[1:].strip().lower()
        if not stack:
            raise HtmlError(f"Unexpected end tag at byte offset {byte_pos}")
        top = stack[-1]
        if name != top.name:
            raise HtmlError(
                f'Unmatched end tag at byte offset {byte_pos}, expected "</{top.name}>", '
                f'found "</{name}>"'
            )
        stack.pop()
        language = top.attrs.get("class", "")
        if top.name == "code" and stack and stack[-1].name == "pre" and language[:9] == "language-":
            stack[-1].extra["language"] = language.removeprefix("language-")
            top.extra["folded"] = True
        entity = _entity(top, offset)
        if entity is not None:
            entities.append(entity)
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText("".join(out), entities)


def parse_text(raw: str | None, mode: str | None, *, caption: bool = False) -> JSON:
    """Validate a text (or caption) as Telegram does; return {"text": plain[, "entities"]}.

    An empty caption gives {}. Limits count the text after HTML parsing.
    """
    if not raw:
        if caption:
            return {}
        raise bad_request("message text is empty")
    parsed = ParsedText(raw)
    if (mode or "").lower() == "html":
        try:
            parsed = parse_html(raw)
        except HtmlError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    elif (mode or "").lower() not in ("", "markdown", "markdownv2"):
        raise bad_request("unsupported parse_mode")
    if not caption and not parsed.text.strip():
        raise bad_request("message text is empty")
    if len(parsed.text) > (CAPTION_LIMIT if caption else TEXT_LIMIT):
        raise bad_request("message caption is too long" if caption else "message is too long")
    if parsed.entities:
        return {"text": parsed.text, "entities": parsed.entities}
    return {"text": parsed.text}


def inline_markup(markup: Any) -> JSON | None:
    """Validate reply_markup; return it if it is an inline keyboard (echoed in the Message)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request("can't parse inline keyboard markup JSON object")
    for button in (b for row in rows for b in row):
        if not isinstance(button, dict) or not button.get("text"):
            raise bad_request("can't parse inline keyboard button: Text is empty")
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
            raise bad_request("BUTTON_DATA_INVALID")
        if not any(key in button for key in BUTTON_ACTIONS):
            raise bad_request(
                "can't parse inline keyboard button: Text buttons are unallowed in the inline "
                "keyboard"
            )
    return markup
