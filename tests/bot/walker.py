"""The one walker of the end-to-end tests: a resident files a report as a script of steps.

A step is what the resident does and what the bot's next messages say::

    ("send", "/lapor", "Ceritakan")        # type a text
    ("tap", "Kirim laporan", "Kode laporan")  # press the newest button with that label
    ("contact", "6281377778888", "Ringkasan")  # share a phone number

Several replies are "|"-separated, in the order they come; "" waits for none. The first
answer to a tap may be the pressed message itself, edited to show the next question.
`filing_steps` writes the script of a whole report from the answers of a `Filing`.
"""

from __future__ import annotations

from dataclasses import dataclass

from emulator import JSON
from flows.keyboard_texts import PICK_PLACE_LABEL
from flows.places import load_places
from tests.bot.harness import Person
from tests.helpers import code_in

Step = tuple[str, str, str]
"""(action, text or label or phone number, expected replies "|"-separated)."""

REPLY_TIMEOUT = 5.0


@dataclass(frozen=True)
class Filing:
    """What a resident answers while filing her own report."""

    story: str
    body: str = "Ya, benar"  # the answer to the body the bot names; or "Tidak tahu"
    kecamatan: str = "Cilegon"
    kelurahan: str = "Ketileng"
    privacy: str = "Biasa"
    phone: str | None = None  # shared as a contact; None skips the question ("Lewati")
    typed: bool = False  # type the kecamatan and kelurahan instead of tapping them


def names_place(filing: Filing) -> bool:
    """The story names the kelurahan of the filing (the bot then proposes it)."""
    return load_places().kelurahan_in(filing.story) == filing.kelurahan


def place_steps(filing: Filing) -> list[Step]:
    """The place: one tap when the story names the kelurahan (the bot proposes it), else
    typed, or picked from the lists (the reply keyboard's "Pilih dari daftar")."""
    if names_place(filing):
        return [("tap", "Ya, benar", "identitas pelapor")]
    # Each expected text is one no other question holds (a message may come twice).
    kecamatan = load_places().match_kecamatan(filing.kecamatan)  # typed may be lower case
    assert kecamatan is not None, filing.kecamatan
    kelurahan_question = f"Di kelurahan mana (Kecamatan {kecamatan.name})"
    if filing.typed:
        first: list[Step] = [("send", filing.kecamatan, kelurahan_question)]
        then = "send"
    else:
        first = [
            ("send", PICK_PLACE_LABEL, "Di kecamatan mana"),
            ("tap", filing.kecamatan, kelurahan_question),
        ]
        then = "tap"
    return [
        *first,
        (then, filing.kelurahan, "detail lokasi"),
        ("tap", "Lanjut", "identitas pelapor"),
    ]


def filing_steps(filing: Filing) -> list[Step]:
    """The script of a report, from /lapor to the message with its code."""
    # Only a named body can be confirmed ("Ya, benar"); otherwise the bot may also ask.
    named = "Sepertinya ini urusan" if filing.body == "Ya, benar" else "urusan"
    phone: Step = (
        ("contact", filing.phone, "Ringkasan")
        if filing.phone
        else ("send", "Lewati", "dilewati|Ringkasan")
    )
    return [
        ("send", "/lapor", "Ceritakan"),
        ("send", filing.story, "Sudah saya catat"),
        ("tap", "Lanjut", named),
        ("tap", filing.body, "Lokasinya di" if names_place(filing) else "Di kelurahan mana masa"),
        *place_steps(filing),
        ("tap", filing.privacy, "nomor HP"),
        phone,
        ("tap", "Kirim laporan", "Kode laporan"),
    ]


async def walk(person: Person, steps: list[Step], *, timeout: float = REPLY_TIMEOUT) -> JSON:  # noqa: ASYNC109
    """Do each step and wait for its replies, like a person; returns the last reply (or
    the newest message to the person when the last step waits for none)."""
    last: JSON | None = None
    for action, what, replies in steps:
        pressed: JSON | None = None
        if action == "send":
            person.emu.send_text(person.user, what)
        elif action == "contact":
            person.emu.send_contact(person.user, what)
        else:
            pressed = dict(person.with_button(what))
            await person.tap(what)
        for reply in filter(None, replies.split("|")):
            if pressed is not None:
                last, pressed = await person.answer(pressed, reply, timeout=timeout), None
            else:
                last = await person.expect(reply, timeout=timeout)
    return last if last is not None else person.emu.last(person.user)


async def file_report(person: Person, filing: Filing, *, timeout: float = REPLY_TIMEOUT) -> str:  # noqa: ASYNC109
    """Walk the whole report; returns the code the bot confirmed."""
    return code_in(await walk(person, filing_steps(filing), timeout=timeout))
