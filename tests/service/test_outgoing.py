"""Long payloads are cut to Telegram's limits without breaking HTML (`split_parts`), and
`service.outbox.enqueue` queues the parts in order."""

from __future__ import annotations

import html
import itertools
from datetime import UTC, datetime

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from emulator.html_check import parse_html, parse_text, utf16_len
from flows.effects import Keyboard
from service.outbox import enqueue
from service.outgoing import CAPTION_LIMIT, TEXT_LIMIT, Outgoing, packed_lines, split_parts
from storage import Store

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
BUTTONS = ((("Lanjut ➡️", "2:next"),),)
WORDS = ["Jalan", "rusak", "di", "depan", "SDN", "2", "&", "<", ">", "🙂", " ", "\n", "\n\n"]


def visible(part: Outgoing) -> str:
    return parse_html(part.text).text


def assert_sendable(parts: list[Outgoing], original: Outgoing) -> None:
    """Each part valid Telegram HTML within its limit; together they show the original."""
    for number, part in enumerate(parts):
        caption = part.photo is not None
        assert caption == (number == 0 and original.photo is not None)
        parse_text(part.text, "HTML", caption=caption)  # raises like Telegram would
        assert utf16_len(visible(part)) <= (CAPTION_LIMIT if caption else TEXT_LIMIT)
        last = number == len(parts) - 1
        assert part.buttons == (original.buttons if last else ())
        assert part.keyboard == (original.keyboard if last else "keep")
    assert_same_visible_text([visible(part) for part in parts], visible(original))


def assert_same_visible_text(pieces: list[str], whole: str) -> None:
    """`whole` is the pieces in order, with only whitespace between them (dropped at cuts)."""
    position = 0
    for piece in pieces:
        found = whole.find(piece, position)
        assert found >= 0 and not whole[position:found].strip(), (position, piece[:40])
        position = found + len(piece)
    assert not whole[position:].strip()


def test_short_payloads_come_back_as_they_are() -> None:
    text = Outgoing(text="<b>Halo</b> " + "a" * 4000, buttons=BUTTONS, keyboard=Keyboard.REMOVE)
    photo = Outgoing(text="c" * 1024, photo="AgACfoto")
    assert split_parts(text) == [text]
    assert split_parts(photo) == [photo]


def test_long_text_is_cut_at_paragraphs_and_buttons_stay_last() -> None:
    paragraphs = [f"<b>Bagian {i}</b>\n" + "kata " * 500 for i in range(4)]  # ~2510 each
    out = Outgoing(text="\n\n".join(paragraphs), buttons=BUTTONS, keyboard=Keyboard.CONTACT)
    parts = split_parts(out)
    assert [visible(p).split("\n")[0] for p in parts] == [f"Bagian {i}" for i in range(4)]
    assert_sendable(parts, out)


def test_tags_open_at_a_cut_are_closed_and_reopened() -> None:
    link = '<a href="https://sw.id/?a=1&amp;b=2">'
    out = Outgoing(text=f"<b>{link}<i>{'tautan ' * 1200}</i></a></b>")
    first, second, third = split_parts(out)
    assert first.text.startswith(f"<b>{link}<i>") and first.text.endswith("</i></a></b>")
    assert second.text.startswith(f"<b>{link}<i>") and third.text.endswith("</i></a></b>")
    assert {e["url"] for p in (first, second) for e in parse_html(p.text).entities if "url" in e}
    assert_sendable([first, second, third], out)


def test_no_spaces_entities_and_emoji_are_never_split() -> None:
    out = Outgoing(text="&amp;" * 3000 + "🙂" * 3000)  # 9000 UTF-16 units, no whitespace
    parts = split_parts(out)
    assert len(parts) == 3
    assert_sendable(parts, out)
    assert all(utf16_len(visible(p)) == TEXT_LIMIT for p in parts[:2])
    word = Outgoing(text="x" * 9000)
    assert [len(p.text) for p in split_parts(word)] == [TEXT_LIMIT, TEXT_LIMIT, 808]


def test_long_caption_becomes_a_short_caption_and_text_messages() -> None:
    story = html.escape("Sampah menumpuk <3 minggu> & bau. ") * 120  # ~4200 characters
    out = Outgoing(text=f"<b>Foto 1/1</b>\n{story}", photo="AgACfoto", buttons=BUTTONS)
    photo, *rest = split_parts(out)
    assert photo.photo == "AgACfoto" and photo.buttons == ()
    assert visible(photo).startswith("Foto 1/1") and len(visible(photo)) <= CAPTION_LIMIT
    assert rest and all(p.photo is None for p in rest) and rest[-1].buttons == BUTTONS
    assert_sendable([photo, *rest], out)


def test_evidence_keeps_its_file_and_caption_first_and_round_trips() -> None:
    out = Outgoing(
        text="Bukti 1/1 " + "panjang " * 200, media=("voice", "AwACsuara"), reply_to=(7, "card")
    )
    first, *rest = split_parts(out)
    assert first.media == ("voice", "AwACsuara") and len(visible(first)) <= CAPTION_LIMIT
    assert rest and all(p.media is None for p in rest)
    assert Outgoing.from_json(out.to_json()) == out


_leaf = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS), max_size=400).map("".join),
).map(html.escape)
_html = st.recursive(
    _leaf,
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(["b", "i"]), st.lists(inner, max_size=4)).map(
            lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"
        ),
        st.lists(inner, max_size=4).map(
            lambda xs: f'<a href="https://sw.id/l?a=1&amp;b=2">{"".join(xs)}</a>'
        ),
        st.lists(inner, min_size=1, max_size=6).map("".join),
    ),
    max_leaves=24,
)


WRAPS = {"": ("", ""), "b": ("<b>", "</b>"), "a": ('<a href="https://sw.id/x">', "</a>")}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=_html,
    length=st.one_of(st.integers(0, 1200), st.integers(4000, 14000)),
    wrap=st.sampled_from(sorted(WRAPS)),
    photo=st.booleans(),
    buttons=st.booleans(),
)
def test_any_html_we_generate_splits_into_sendable_parts(
    body: str, length: int, wrap: str, photo: bool, buttons: bool
) -> None:
    opening, closing = WRAPS[wrap]  # a tag around everything spans every cut
    repeat = min(length // max(len(parse_html(body).text), 1) + 1, 500)
    text = opening + body * repeat + closing  # about `length` characters shown
    assume(parse_html(text).text.strip())  # Telegram refuses an empty message anyway
    out = Outgoing(
        text=text, photo="AgACfoto" if photo else None, buttons=BUTTONS if buttons else ()
    )
    parts = split_parts(out)
    event(f"{min(len(parts), 4)} parts")
    assert_sendable(parts, out)


async def test_enqueue_writes_one_row_per_part_in_order(store: Store) -> None:
    long = Outgoing(text="\n\n".join(["kata " * 700] * 3), buttons=BUTTONS)
    edit = Outgoing(text="kartu " * 1000, edit=(7, "card"))
    async with store.transaction() as tx:
        ids = await enqueue(tx, 1001, long, now=NOW)
        (edit_id,) = await enqueue(tx, -100777, edit, now=NOW, purpose="card_edit")
    assert len(ids) == 3 and ids == sorted(ids)
    async with store.transaction() as tx:
        (first,) = [m for m in await tx.due_messages(NOW) if m.chat_id == 1001]
        await tx.mark_sent(first.id, telegram_message_id=1, now=NOW)
        (second,) = [m for m in await tx.due_messages(NOW) if m.chat_id == 1001]
        (queued_edit,) = [m for m in await tx.due_messages(NOW) if m.chat_id == -100777]
    assert (first.id, second.id) == tuple(ids[:2])
    assert Outgoing.from_json(second.payload) == split_parts(long)[1]
    assert Outgoing.from_json(queued_edit.payload) == edit  # the sender spreads an edit
    assert queued_edit.id == edit_id and queued_edit.purpose == "card_edit"


@given(st.lists(st.text(alphabet="ab &🙂", max_size=1500), max_size=30))
def test_packed_lines_keep_each_line_whole_in_order_in_as_few_texts_as_fit(
    lines: list[str],
) -> None:
    texts = packed_lines(lines)
    assert "\n".join(texts) == "\n".join(lines)
    assert all(utf16_len(text) <= TEXT_LIMIT for text in texts)  # no line here is longer
    for before, after in itertools.pairwise(texts):
        assert utf16_len(before) + 1 + utf16_len(after.split("\n")[0]) > TEXT_LIMIT


def test_a_line_over_the_limit_is_a_text_of_its_own() -> None:
    long = "x" * (TEXT_LIMIT + 10)
    assert packed_lines(["a", long, "b"]) == ["a", long, "b"]
