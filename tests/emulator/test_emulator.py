"""Tests of the Bot API emulator, driven over real HTTP by PTB's `telegram.Bot`."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import MessageEntityType, ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from emulator import BotApiEmulator, FloodLimits, User


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without it PTB warns (PTBDeprecationWarning) when building RetryAfter or reading
    # durations, and filterwarnings=error turns that warning into the raised exception.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as b:
        yield b


@pytest.fixture
def siti(emu: BotApiEmulator) -> User:
    return emu.user(1001, "Siti", username="siti")


# PTB strips "Bad Request: " from error descriptions and str.capitalize()s the rest
# ("BUTTON_DATA_INVALID" becomes "Button_data_invalid"), hence the (?i) in the matches below.


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in pairs])


async def test_get_me_and_call_log(emu: BotApiEmulator, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.first_name) == (123456, "SuaraWargaBot", "Suara Warga")
    assert me.is_bot
    assert [name for name, _ in emu.calls] == ["getMe", "getMe"]  # initialize() + get_me()


async def test_text_and_command_arrive_with_entities(
    emu: BotApiEmulator, bot: Bot, siti: User
) -> None:
    emu.send_text(siti, "halo")
    emu.send_text(siti, "/lapor@SuaraWargaBot jalan rusak")
    plain, command = await bot.get_updates()
    assert plain.message is not None and plain.message.text == "halo"
    assert plain.message.entities == ()
    assert command.message is not None and command.effective_chat is not None
    assert command.effective_chat.id == 1001 and command.effective_chat.type == "private"
    assert command.message.from_user is not None
    assert command.message.from_user.username == "siti"
    (entity,) = command.message.entities
    assert entity.type == MessageEntityType.BOT_COMMAND
    assert (entity.offset, entity.length) == (0, len("/lapor@SuaraWargaBot"))
    assert command.update_id == plain.update_id + 1


async def test_offset_confirms_and_drops_updates(emu: BotApiEmulator, bot: Bot, siti: User) -> None:
    ids = [emu.send_text(siti, f"pesan {i}")["update_id"] for i in range(3)]
    assert [u.update_id for u in await bot.get_updates()] == ids
    assert [u.update_id for u in await bot.get_updates()] == ids  # not confirmed yet
    assert [u.update_id for u in await bot.get_updates(offset=ids[1])] == ids[1:]
    assert emu.pending_updates() == 2
    assert await bot.get_updates(offset=ids[-1] + 1) == ()
    assert emu.pending_updates() == 0
    assert await bot.get_updates(offset=0) == ()  # confirmed updates are gone for good


async def test_replayed_update_is_delivered_again(
    emu: BotApiEmulator, bot: Bot, siti: User
) -> None:
    update = emu.send_text(siti, "sekali")
    (first,) = await bot.get_updates()
    assert await bot.get_updates(offset=first.update_id + 1) == ()
    emu.enqueue_raw(update)
    (again,) = await bot.get_updates(offset=first.update_id + 1)
    assert again.update_id == first.update_id
    assert again.message is not None and again.message.text == "sekali"


async def test_allowed_updates_filter(emu: BotApiEmulator, bot: Bot, siti: User) -> None:
    sent = await bot.send_message(siti.id, "Pilih", reply_markup=keyboard(("Ya", "y")))
    emu.press(siti, emu.last(siti), "y")
    emu.send_text(siti, "teks")
    (only,) = await bot.get_updates(allowed_updates=["message"])
    assert only.message is not None and only.message.text == "teks"
    assert sent.message_id == 1 and emu.pending_updates() == 1


async def test_set_webhook_sets_allowed_updates_as_telegram_does(
    emu: BotApiEmulator, bot: Bot, siti: User
) -> None:
    await bot.get_updates(allowed_updates=["message"])  # a poller before asked for less
    assert await bot.set_webhook("https://example.invalid/hook", allowed_updates=["callback_query"])
    assert emu.allowed_updates == ["callback_query"]
    await bot.send_message(siti.id, "Pilih", reply_markup=keyboard(("Ya", "y")))
    emu.press(siti, emu.last(siti), "y")
    emu.send_text(siti, "teks")
    (press,) = emu.take_updates(10)
    assert press["callback_query"]["data"] == "y"


async def test_long_poll_returns_as_soon_as_update_is_queued(
    emu: BotApiEmulator, bot: Bot, siti: User
) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    assert not poll.done()
    emu.send_text(siti, "ada laporan")
    (update,) = await asyncio.wait_for(poll, 2)
    assert update.message is not None and update.message.text == "ada laporan"
    assert time.monotonic() - started < 1.5
    started = time.monotonic()
    assert await bot.get_updates(offset=update.update_id + 1, timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 2  # an empty long poll lasts its timeout


async def test_inline_keyboard_round_trip(emu: BotApiEmulator, bot: Bot, siti: User) -> None:
    message = await bot.send_message(
        siti.id, "Kategori?", reply_markup=keyboard(("Jalan rusak", "cat:1"), ("Sampah", "cat:2"))
    )
    assert message.reply_markup is not None
    assert message.reply_markup.inline_keyboard[1][0].callback_data == "cat:2"
    shown = await emu.wait_for(siti, "Kategori")
    assert shown == emu.sent(siti)[-1] and shown["from"]["is_bot"]
    assert emu.buttons(shown) == [("Jalan rusak", "cat:1"), ("Sampah", "cat:2")]
    assert emu.button_data(shown, "Sampah") == "cat:2"
    with pytest.raises(AssertionError, match="Jalan rusak"):
        emu.button_data(shown, "Banjir")
    with pytest.raises(AssertionError, match="no button"):
        emu.press(siti, shown, "cat:9")

    emu.press(siti, shown, emu.button_data(shown, "Sampah"))
    (update,) = await bot.get_updates()
    query = update.callback_query
    assert query is not None and query.data == "cat:2"
    assert query.message is not None and query.message.message_id == message.message_id
    assert await bot.answer_callback_query(query.id, text="Dicatat")
    assert emu.callback_answers == [{"callback_query_id": query.id, "text": "Dicatat"}]
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query.id)


async def test_reply_keyboard_and_reply_to(emu: BotApiEmulator, bot: Bot, siti: User) -> None:
    markup = ReplyKeyboardMarkup([["Kirim lokasi"]], resize_keyboard=True)
    question = await bot.send_message(siti.id, "Di mana?", reply_markup=markup)
    assert question.reply_markup is None  # Telegram echoes inline keyboards only
    shown = emu.keyboard(siti)
    assert shown is not None and shown["keyboard"] == [[{"text": "Kirim lokasi"}]]
    answer = emu.send_text(siti, "Jl. Merdeka", reply_to=emu.last(siti))["message"]
    assert answer["reply_to_message"]["text"] == "Di mana?"
    reply = await bot.send_message(siti.id, "Terima kasih", reply_to_message_id=2)
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.text == "Jl. Merdeka"
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(siti.id, "x", reply_to_message_id=99)


async def test_edit_message_text(emu: BotApiEmulator, bot: Bot, siti: User) -> None:
    message = await bot.send_message(siti.id, "Menunggu", reply_markup=keyboard(("Batal", "x")))
    edited = await bot.edit_message_text("Selesai", chat_id=siti.id, message_id=message.message_id)
    assert not isinstance(edited, bool) and edited.text == "Selesai"
    (current,) = emu.sent(siti)
    assert current["text"] == "Selesai" and "edit_date" in current
    assert "reply_markup" not in current  # editing without reply_markup removes the keyboard
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Selesai", chat_id=siti.id, message_id=message.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("?", chat_id=siti.id, message_id=42)
    assert await bot.delete_message(siti.id, message.message_id)
    assert emu.sent(siti) == []
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(siti.id, message.message_id)


@pytest.mark.parametrize(
    "text",
    ["<b>tebal", "a < b", "baris<br>baru", "Tom & Jerry", "<b><i>x</b></i>", "x > y", "</b>"],
)
async def test_invalid_html_is_rejected(bot: Bot, siti: User, text: str) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(siti.id, text, parse_mode=ParseMode.HTML)


async def test_valid_html_becomes_text_and_entities(
    emu: BotApiEmulator, bot: Bot, siti: User
) -> None:
    html = (
        '<b>Laporan</b> &lt;#12&gt; &amp; <a href="https://x.id/?a=1&amp;b=2">lihat</a> '
        "&#x27;ok&#39;"
    )
    message = await bot.send_message(siti.id, html, parse_mode=ParseMode.HTML)
    assert message.text == "Laporan <#12> & lihat 'ok'"
    assert message.text_html.startswith("<b>Laporan</b>")
    kinds = [(e.type, e.offset, e.length, e.url) for e in message.entities]
    assert kinds == [("bold", 0, 7, None), ("text_link", 16, 5, "https://x.id/?a=1&b=2")]
    assert emu.calls[-1][1]["text"] == html


async def test_length_limits(bot: Bot, siti: User) -> None:
    assert (await bot.send_message(siti.id, "x" * 4096)).text == "x" * 4096
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(siti.id, "x" * 4097)
    # The limit counts the text after parsing: tags and entities do not count.
    bold = await bot.send_message(siti.id, f"<b>{'&amp;' * 4096}</b>", parse_mode=ParseMode.HTML)
    assert bold.text == "&" * 4096
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(siti.id, "<b> </b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.send_photo(siti.id, b"JPEG", caption="c" * 1025)


async def test_callback_data_over_64_bytes_is_rejected(bot: Bot, siti: User) -> None:
    ok = await bot.send_message(siti.id, "ok", reply_markup=keyboard(("A", "a" * 64)))
    assert ok.reply_markup is not None
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(siti.id, "x", reply_markup=keyboard(("A", "a" * 65)))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):  # 33 * 2 bytes in UTF-8
        await bot.send_message(siti.id, "x", reply_markup=keyboard(("A", "é" * 33)))


async def test_photo_by_file_id_and_download(emu: BotApiEmulator, bot: Bot, siti: User) -> None:
    group = emu.group(-100200, "Petugas Pengaduan")
    emu.send_photo(siti, caption="lubang", content=b"JPEG-BYTES")
    (update,) = await bot.get_updates()
    assert update.message is not None and update.message.caption == "lubang"
    assert len(update.message.photo) == 2
    largest = update.message.photo[-1]

    forwarded = await bot.send_photo(
        group.id, largest.file_id, caption="<i>Bukti</i>", parse_mode=ParseMode.HTML
    )
    assert forwarded.photo[-1].file_id == largest.file_id
    assert forwarded.caption == "Bukti" and forwarded.chat.title == "Petugas Pengaduan"
    assert emu.sent(group)[0]["photo"][-1]["file_id"] == largest.file_id

    file = await bot.get_file(largest.file_id)
    assert file.file_path is not None and file.file_path.startswith(emu.base_file_url)
    assert bytes(await file.download_as_bytearray()) == b"JPEG-BYTES"

    uploaded = await bot.send_photo(siti.id, b"NEW-PHOTO")
    new_file = await bot.get_file(uploaded.photo[-1].file_id)
    assert bytes(await new_file.download_as_bytearray()) == b"NEW-PHOTO"
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_photo(siti.id, "AgACnope")


async def test_media_group_and_document(emu: BotApiEmulator, bot: Bot, siti: User) -> None:
    album = await bot.send_media_group(
        siti.id, [InputMediaPhoto(b"ONE", caption="1"), InputMediaPhoto(b"TWO")]
    )
    assert [m.caption for m in album] == ["1", None]
    assert album[0].media_group_id == album[1].media_group_id is not None
    second = await bot.get_file(album[1].photo[-1].file_id)
    assert bytes(await second.download_as_bytearray()) == b"TWO"
    document = await bot.send_document(siti.id, b"%PDF", filename="tiket.pdf")
    assert document.document is not None and document.document.file_name == "tiket.pdf"
    assert len(emu.sent(siti)) == 3


async def test_blocked_chat_is_forbidden(emu: BotApiEmulator, bot: Bot, siti: User) -> None:
    emu.block(siti)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(siti.id, "halo")
    emu.unblock(siti)
    assert (await bot.send_message(siti.id, "halo")).text == "halo"
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(999, "siapa?")


async def test_injected_faults(emu: BotApiEmulator, bot: Bot, siti: User) -> None:
    emu.fail_next("sendMessage", 429, retry_after=1)
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(siti.id, "satu")
    assert raised.value.retry_after.total_seconds() == 1  # type: ignore[union-attr]
    emu.fail_next("sendmessage", 500, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match=r"(?i)Internal Server Error"):
            await bot.send_message(siti.id, "dua")
    assert (await bot.send_message(siti.id, "tiga")).text == "tiga"
    assert [m["text"] for m in emu.sent(siti)] == ["tiga"]

    emu.faults.drop_next("getMe")
    with pytest.raises(NetworkError):
        await bot.get_me()
    emu.set_delay(0.3, ["getMe"])
    started = time.monotonic()
    await bot.get_me()
    assert time.monotonic() - started >= 0.3


async def test_group_command_and_wait_for(emu: BotApiEmulator, bot: Bot, siti: User) -> None:
    group = emu.group(-100200, "Petugas Pengaduan")
    update = emu.send_text(siti, "/status", chat=group)
    assert update["message"]["chat"] == {
        "id": -100200,
        "type": "group",
        "title": "Petugas Pengaduan",
    }
    await bot.send_message(group.id, "Status: 3 laporan terbuka")
    waiter = asyncio.create_task(emu.wait_for(group, lambda m: "selesai" in m.get("text", "")))
    await asyncio.sleep(0.05)
    await bot.send_message(group.id, "Laporan #1 selesai")
    assert (await waiter)["text"] == "Laporan #1 selesai"
    with pytest.raises(AssertionError, match="Status: 3 laporan terbuka"):
        await emu.wait_for(group, "tidak ada", timeout=0.1)


async def test_unknown_method_and_wrong_token_over_raw_http(emu: BotApiEmulator) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{emu.base_url}{emu.token}/sendTelepathy", data={}) as resp:
            assert resp.status == 400
            body = await resp.json()
        assert body == {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: method not found",
        }
        async with session.get(f"{emu.base_url}{emu.token}/GETME") as resp:
            assert (await resp.json())["result"]["username"] == "SuaraWargaBot"
        async with session.post(
            f"{emu.base_url}{emu.token}/sendMessage", json={"chat_id": 5, "text": "hi"}
        ) as resp:
            assert (await resp.json())["description"] == "Bad Request: chat not found"
        async with session.get(f"{emu.base_url}123:WRONG/getMe") as resp:
            assert resp.status == 401
            assert (await resp.json())["description"] == "Unauthorized"


async def test_ptb_application_polls_and_replies(emu: BotApiEmulator, siti: User) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(
            update.effective_chat.id, "Selamat datang", reply_markup=keyboard(("Lapor", "lapor"))
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer("Oke")
        await update.callback_query.edit_message_text(f"Dipilih: {update.callback_query.data}")

    builder = ApplicationBuilder().token(emu.token).base_url(emu.base_url)
    app = builder.base_file_url(emu.base_file_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        assert app.updater is not None
        await app.start()
        await app.updater.start_polling(timeout=10, drop_pending_updates=True)
        emu.send_text(siti, "/start")
        welcome = await emu.wait_for(siti, "Selamat datang")
        emu.press(siti, welcome, emu.button_data(welcome, "Lapor"))
        await emu.wait_until(lambda: emu.last(siti)["text"] == "Dipilih: lapor")
        assert emu.callback_answers[0]["text"] == "Oke"
        await app.updater.stop()
        await app.stop()
    assert emu.pending_updates() == 0  # the final getUpdates confirmed everything
    assert [n for n, _ in emu.calls][:2] == ["getMe", "deleteWebhook"]


async def test_every_user_update_kind_parses_in_ptb(
    emu: BotApiEmulator, bot: Bot, siti: User
) -> None:
    emu.clock = lambda: 1_700_000_000
    text = emu.send_text(siti, "awal")["message"]
    emu.edit_text(siti, text, "awal (diedit)")
    emu.send_location(siti, -6.0, 106.05)
    emu.send_contact(siti, phone_number="+6281234567890")
    emu.send_contact(siti, "+628999", user_id=2002, first_name="Budi")
    emu.send_sticker(siti)
    emu.send_voice(siti, b"OGG", duration=4)
    emu.send_document(siti, b"%PDF", file_name="ktp.pdf", caption="KTP")
    emu.send_video(siti, caption="banjir")
    emu.block(siti, notify=True)
    updates = await bot.get_updates()
    edited, location, own, other, sticker, voice, document, video = (
        u.edited_message or u.message for u in updates[1:9]
    )
    assert edited is not None and edited.text == "awal (diedit)" and edited.edit_date
    assert location is not None and location.location is not None
    assert (location.location.latitude, location.location.longitude) == (-6.0, 106.05)
    assert location.date.timestamp() == 1_700_000_000
    assert own is not None and own.contact is not None and own.contact.user_id == 1001
    assert other is not None and other.contact is not None
    assert (other.contact.user_id, other.contact.first_name) == (2002, "Budi")
    assert sticker is not None and sticker.sticker is not None and sticker.sticker.emoji == "👍"
    assert voice is not None and voice.voice is not None
    assert voice.voice.duration.total_seconds() == 4  # type: ignore[union-attr]
    assert bytes(await (await voice.voice.get_file()).download_as_bytearray()) == b"OGG"
    assert document is not None and document.document is not None
    assert (document.document.file_name, document.caption) == ("ktp.pdf", "KTP")
    assert video is not None and video.video is not None and video.caption == "banjir"
    kicked = updates[9].my_chat_member
    assert kicked is not None and kicked.new_chat_member.status == "kicked"


async def test_commands_webhook_chat_and_actions(emu: BotApiEmulator, bot: Bot, siti: User) -> None:
    assert await bot.set_my_commands([BotCommand("lapor", "Buat laporan")])
    assert emu.commands == [{"command": "lapor", "description": "Buat laporan"}]
    assert [c.command for c in await bot.get_my_commands()] == ["lapor"]
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Lapor", "huruf besar")])
    assert await bot.delete_my_commands() and emu.commands == []

    assert await bot.send_chat_action(siti.id, "typing")
    chat = await bot.get_chat(siti.id)
    assert (chat.id, chat.type, chat.first_name, chat.username) == (1001, "private", "Siti", "siti")

    assert await bot.set_webhook("https://example.invalid/hook")
    assert (await bot.get_webhook_info()).url == "https://example.invalid/hook"
    with pytest.raises(Conflict, match=r"(?i)webhook is active"):
        await bot.get_updates()
    emu.send_text(siti, "dibuang")
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert emu.pending_updates() == 0

    # A second instance polling makes Telegram end the first one's long poll with 409.
    first = asyncio.create_task(bot.get_updates(timeout=3))
    await asyncio.sleep(0.1)
    async with Bot(emu.token, base_url=emu.base_url) as second:
        assert await second.get_updates() == ()
    with pytest.raises(Conflict, match=r"(?i)terminated by other getUpdates"):
        await first


# -- injected failures (tests/emulator/faults.py) ------------------------------------------


async def outcomes_of_get_me(emu: BotApiEmulator, bot: Bot, calls: int) -> list[str]:
    """Call getMe `calls` times; the outcome of each, as the server logged it."""
    for _ in range(calls):
        with contextlib.suppress(NetworkError, RetryAfter):
            await bot.get_me()
    return [r.outcome for r in emu.received if r.method == "getMe"][-calls:]


async def test_random_faults_are_seeded_and_counted(emu: BotApiEmulator, bot: Bot) -> None:
    shares = {"error": 0.2, "too_many": 0.1, "drop": 0.1, "slow": 0.1}
    emu.faults.randomly(**shares, slow_seconds=0.02, methods=["getMe"], seed=7)
    first = await outcomes_of_get_me(emu, bot, 100)
    counts = emu.faults.injected
    assert (first.count("500"), first.count("429"), first.count("drop")) == (
        counts["500"],
        counts["429"],
        counts["drop"],
    )
    assert all(counts[kind] > 0 for kind in ("500", "429", "drop", "slow"))
    assert 30 <= sum(counts.values()) <= 70  # about half of 100 calls
    emu.faults.randomly(**shares, slow_seconds=0.02, methods=["getMe"], seed=7)
    assert await outcomes_of_get_me(emu, bot, 100) == first  # the same seed, the same run


async def test_flood_limits_answer_429_with_retry_after(
    emu: BotApiEmulator, bot: Bot, siti: User
) -> None:
    now = [1000.0]  # the flood control's clock, in seconds
    flood = emu.faults.limit(FloodLimits(overall_per_second=6, group_per_window=4))
    flood.clock = lambda: now[0]
    group = emu.group(-100200, "Petugas")
    for _ in range(3):  # a private chat: a burst of 3, then 1 per second
        await bot.send_message(siti.id, "halo")
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(siti.id, "terlalu cepat")
    assert raised.value.retry_after == timedelta(seconds=1)
    now[0] += 1
    await bot.send_message(siti.id, "sudah boleh")
    now[0] += 1
    for _ in range(2):
        await bot.send_message(group.id, "kartu")
    now[0] += 30
    for _ in range(2):
        await bot.send_message(group.id, "kartu")
    with pytest.raises(RetryAfter) as raised:  # a group: 4 in any 60 s
        await bot.send_message(group.id, "kartu ke-5")
    assert raised.value.retry_after == timedelta(seconds=30)  # when the first 2 expire
    for user in [emu.user(1100 + i, f"Warga {i}") for i in range(4)]:
        await bot.send_message(user.id, "pengumuman")  # 2 + 4 sends in this second
    with pytest.raises(RetryAfter):  # overall: 6 per second, even to a fresh chat
        await bot.send_message(emu.user(1002, "Budi").id, "pengumuman")
    assert emu.faults.injected["flood"] == 3
    assert [r.outcome for r in emu.sends(outcome="429")] == ["429"] * 3
    assert len(emu.sent(siti)) == 4 and len(emu.sent(group)) == 4  # a 429 does not count


async def test_faults_for_one_chat_and_lost_answers(
    emu: BotApiEmulator, bot: Bot, siti: User
) -> None:
    budi = emu.user(1002, "Budi")
    emu.fail_next(None, 429, retry_after=3, chat_id=budi.id)
    assert (await bot.send_message(siti.id, "untuk Siti")).text == "untuk Siti"
    with pytest.raises(RetryAfter):
        await bot.send_message(budi.id, "untuk Budi")
    emu.faults.lose_next("sendMessage")
    with pytest.raises(NetworkError):
        await bot.send_message(siti.id, "terkirim, tapi jawabannya hilang")
    assert emu.last(siti)["text"] == "terkirim, tapi jawabannya hilang"  # it took effect
    assert [(r.chat_id, r.outcome) for r in emu.sends()] == [
        (siti.id, "ok"),
        (budi.id, "429"),
        (siti.id, "lost"),
    ]
    assert emu.faults.injected == {"429": 1, "lost": 1}


async def test_delay_before_or_after_processing(emu: BotApiEmulator, bot: Bot, siti: User) -> None:
    emu.set_delay(0.5, ["sendMessage"])
    call = asyncio.create_task(bot.send_message(siti.id, "lambat"))
    await emu.wait_until(lambda: len(emu.sends()) == 1)
    call.cancel()  # the client gives up while the server waits: nothing happens
    with contextlib.suppress(asyncio.CancelledError):
        await call
    await asyncio.sleep(0.6)
    assert emu.sent(siti) == []
    emu.faults.clear()
    emu.set_delay(0.5, ["sendMessage"], after=True)
    call = asyncio.create_task(bot.send_message(siti.id, "diterima, jawaban lambat"))
    await emu.wait_until(lambda: len(emu.sent(siti)) == 1)
    assert not call.done()  # Telegram has the message; the bot does not know it yet
    assert (await call).text == "diterima, jawaban lambat"
