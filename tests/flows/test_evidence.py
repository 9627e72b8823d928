"""Evidence beyond photos in the intake conversation: kept, limited, never lost."""

from __future__ import annotations

from dataclasses import replace

import pytest

from flows import Step
from flows.events import Media, Text, Unsupported
from flows.evidence import (
    MEGABYTE,
    Evidence,
    EvidenceKind,
    EvidenceLimits,
    Refusal,
    accepted_type,
    refusal,
)
from flows.evidence_texts import describe, my_evidence
from flows.privacy_texts import my_data
from flows.state import Conversation
from tests.flows.helpers import READY, RULES, T0, at, button_data, run, texts_of

LIMITS = EvidenceLimits()


def but(item: Evidence, **fields: object) -> Evidence:
    """`item` with some fields changed."""
    return item.model_copy(update=fields)


VOICE = Evidence(kind=EvidenceKind.VOICE, file_id="AwACvoi1", size=48_000, duration=45)
VIDEO = Evidence(kind=EvidenceKind.VIDEO, file_id="BAACvid1", size=3 * MEGABYTE, duration=20)
NOTE = Evidence(kind=EvidenceKind.VIDEO_NOTE, file_id="DQACvid1", size=900_000, duration=12)
PDF = Evidence(
    kind=EvidenceKind.DOCUMENT, file_id="BQACdoc1", size=MEGABYTE, mime_type="application/pdf"
)
SCAN = but(PDF, file_id="BQACdoc2", mime_type="image/jpeg")
ZIP = but(PDF, file_id="BQACdoc3", mime_type="application/zip")


@pytest.mark.parametrize(
    ("item", "kept", "expected"),
    [
        pytest.param(VOICE, 0, None, id="voice-kept"),
        pytest.param(VIDEO, 4, None, id="fifth-item-kept"),
        pytest.param(PDF, 5, Refusal.TOO_MANY, id="sixth-item-refused"),
        pytest.param(but(VOICE, duration=301), 0, Refusal.TOO_LONG, id="voice-over-5-min"),
        pytest.param(but(VOICE, duration=None), 0, None, id="voice-without-duration"),
        pytest.param(
            but(VIDEO, size=20 * MEGABYTE + 1), 0, Refusal.TOO_LARGE, id="video-over-20-mb"
        ),
        pytest.param(but(NOTE, size=21 * MEGABYTE), 0, Refusal.TOO_LARGE, id="note-too-large"),
        pytest.param(but(PDF, size=25 * MEGABYTE), 0, Refusal.TOO_LARGE, id="document-over-20-mb"),
        pytest.param(SCAN, 0, None, id="image-file-kept"),
        pytest.param(ZIP, 0, Refusal.WRONG_TYPE, id="zip-refused"),
        pytest.param(but(PDF, mime_type=None), 0, Refusal.WRONG_TYPE, id="no-type-refused"),
    ],
)
def test_refusal_names_the_limit_broken(item: Evidence, kept: int, expected: Refusal) -> None:
    assert refusal(item, kept, LIMITS) == expected


def test_document_types_are_configurable_and_image_star_matches_any_image() -> None:
    only_pdf = EvidenceLimits(document_types=("application/pdf",))
    assert accepted_type("IMAGE/PNG", LIMITS) and accepted_type("image/heic", LIMITS)
    assert not accepted_type("image/png", only_pdf) and accepted_type("application/pdf", only_pdf)
    assert not accepted_type("imagex/png", LIMITS)


def test_a_voice_note_while_telling_the_story_is_kept_and_words_are_asked_for() -> None:
    conv, effects = run(at(Step.DESCRIPTION, for_neighbour=False), Media(VOICE))
    assert conv.step is Step.DESCRIPTION and conv.draft is not None
    assert conv.draft.evidence == (VOICE,) and conv.draft.description == ""
    assert "pesan suara Anda sudah saya simpan" in texts_of(effects)
    assert "tuliskan juga beberapa kata" in texts_of(effects)
    assert "Paling banyak 5 bukti selain foto" in texts_of(effects)  # the limits, stated
    assert button_data(effects) == []  # no "Lanjut" before a few words are written
    conv, effects = run(conv, Text("Jalan berlubang dekat pasar Rawa Arum"))
    assert conv.draft is not None and conv.draft.evidence == (VOICE,)  # the voice note stays
    assert "Sudah saya catat" in texts_of(effects) and button_data(effects)[-1].endswith(":next")


def test_a_video_and_a_pdf_after_the_story_are_kept_with_the_limits_stated() -> None:
    start = at(Step.DESCRIPTION, for_neighbour=False, description=READY["description"])
    conv, effects = run(start, Media(VIDEO, caption="airnya setinggi lutut"))
    assert conv.draft is not None and conv.draft.evidence == (VIDEO,)
    assert conv.draft.description.endswith("\nairnya setinggi lutut")
    said = texts_of(effects)
    assert "video 0:20 3,0 MB sudah saya simpan sebagai bukti ke-1" in said
    assert "Paling banyak 5 bukti" in said and "5 menit" in said and "20 MB" in said
    assert "Lanjut" in said or button_data(effects)[-1].endswith(":next")
    conv, effects = run(conv, Media(PDF))
    assert conv.draft is not None and conv.draft.evidence == (VIDEO, PDF)
    assert "berkas PDF 1,0 MB sudah saya simpan sebagai bukti ke-2" in texts_of(effects)
    assert "Paling banyak" not in texts_of(effects)  # stated once


@pytest.mark.parametrize(
    ("item", "says"),
    [
        pytest.param(but(VOICE, duration=400), "paling lama 5 menit (yang ini 6:40)", id="long"),
        pytest.param(
            but(VIDEO, size=30 * MEGABYTE), "paling besar 20 MB (yang ini 30,0 MB)", id="big"
        ),
        pytest.param(ZIP, "hanya gambar (foto) atau PDF", id="zip"),
    ],
)
def test_an_item_over_a_limit_is_refused_politely_and_the_draft_is_unchanged(
    item: Evidence, says: str
) -> None:
    start = at(Step.KELURAHAN, **READY, evidence=(VOICE,))
    conv, effects = run(start, Media(item))
    assert conv.draft == start.draft and conv.step is Step.KELURAHAN
    assert says in texts_of(effects) and "tetap tersimpan" in texts_of(effects)
    assert "Di kelurahan mana" in texts_of(effects[-1:])


def test_the_sixth_item_is_refused_and_the_count_is_configurable() -> None:
    five = tuple(but(VOICE, file_id=f"AwAC{n}") for n in range(5))
    conv, effects = run(at(Step.PLACE_DETAIL, **READY, evidence=five), Media(PDF))
    assert conv.draft is not None and conv.draft.evidence == five
    assert "paling banyak 5 bukti" in texts_of(effects)
    two = replace(RULES, evidence=EvidenceLimits(max_items=2))
    conv, effects = run(at(Step.PLACE_DETAIL, **READY, evidence=five[:2]), Media(PDF), rules=two)
    assert conv.draft is not None and len(conv.draft.evidence) == 2
    assert "paling banyak 2 bukti" in texts_of(effects)


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        pytest.param("sticker", "stiker tidak bisa saya simpan", id="sticker"),
        pytest.param("animation", "GIF tidak bisa saya simpan", id="gif"),
        pytest.param("audio", "berkas musik/rekaman tidak bisa", id="music"),
    ],
)
def test_stickers_gifs_and_music_say_what_can_be_kept_and_lose_nothing(
    kind: str, says: str
) -> None:
    start = at(Step.DESCRIPTION, for_neighbour=False, evidence=(VOICE,))
    conv, effects = run(start, Unsupported(kind))
    assert conv.draft == start.draft
    assert says in texts_of(effects) and "pesan suara, video" in texts_of(effects)


def test_evidence_without_a_report_open_points_to_the_start_button() -> None:
    conv, effects = run(at(Step.IDLE), Media(VOICE))
    assert conv.draft is None and "Buat laporan" in texts_of(effects)
    assert button_data(effects) == ["g:lapor"]


def test_evidence_while_writing_to_officers_asks_for_text_and_keeps_the_message_open() -> None:
    start = Conversation(messaging="SW-7K3M-Q9XA", updated_at=T0)
    conv, effects = run(start, Media(VOICE))
    assert conv.messaging == "SW-7K3M-Q9XA"
    assert "hanya bisa meneruskan teks dan foto" in texts_of(effects)


def test_the_summary_counts_the_evidence() -> None:
    conv, effects = run(at(Step.SUMMARY, **READY, evidence=(VOICE, PDF)), Media(SCAN))
    assert conv.draft is not None and len(conv.draft.evidence) == 3
    assert "Bukti lain: 3" in texts_of(effects)


def test_dataku_lists_the_evidence_of_each_report_and_of_the_draft() -> None:
    assert describe(NOTE) == "video bulat 0:12 879 KB" and describe(SCAN) == "berkas gambar 1,0 MB"
    assert my_evidence(()) == ""
    draft = at(Step.DESCRIPTION, evidence=(VOICE,)).draft
    text = my_data("Siti", None, None, None, draft, [], [], RULES.timezone)
    assert "bukti: pesan suara 0:45" in text
