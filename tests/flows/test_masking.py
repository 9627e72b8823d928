"""Masking personal data in a proposed public text, case by case."""

from __future__ import annotations

import pytest

from flows.masking import mask_personal_data

SITI = ["Siti Aminah", "siti_a"]


@pytest.mark.parametrize(
    ("text", "names", "numbers", "masked"),
    [
        pytest.param(
            "hubungi 0812-3456-7890", [], [], "hubungi [nomor telepon]", id="mobile-dashes"
        ),
        pytest.param(
            "wa +62 812 3456 7890 ya", [], [], "wa [nomor telepon] ya", id="mobile-plus62-spaces"
        ),
        pytest.param("hp 6281299887766.", [], [], "hp [nomor telepon].", id="mobile-62-no-plus"),
        pytest.param(
            "kantor (0254) 391234 tutup", [], [], "kantor [nomor telepon] tutup", id="landline"
        ),
        pytest.param("NIK 3672012345678901 ditolak", [], [], "NIK [NIK/KK] ditolak", id="nik"),
        pytest.param(
            "KK 3672 0123 4567 8901 hilang", [], [], "KK [NIK/KK] hilang", id="kk-in-groups"
        ),
        pytest.param("email siti.a+1@mail.co.id", [], [], "email [email]", id="email"),
        pytest.param("ig @siti_aminah", [], [], "ig [akun]", id="username"),
        pytest.param(
            "Saya Siti Aminah, SITI ya", SITI, [], "Saya [nama], [nama] ya", id="name-any-case"
        ),
        pytest.param(
            "bu aminah bilang ke siti_a", SITI, [], "bu [nama] bilang ke [nama]", id="name-parts"
        ),
        pytest.param(
            "Ibu Rina dan ibu-ibu PKK", ["Ibu Rina"], [], "[nama] dan ibu-ibu PKK", id="honorific"
        ),
        pytest.param("Sitinjak datang", SITI, [], "Sitinjak datang", id="only-whole-words"),
        pytest.param(
            "id saya 5512345, nomor 081377778888",
            [],
            ["5512345", "+6281377778888"],
            "id saya [nomor], nomor [nomor telepon]",
            id="own-numbers",
        ),
        pytest.param(
            "RT 03/RW 01 no 5, 12/11/2026, Rp 50.000, 2 minggu",
            SITI,
            [],
            "RT 03/RW 01 no 5, 12/11/2026, Rp 50.000, 2 minggu",
            id="ordinary-numbers-stay",
        ),
        pytest.param("(nama) [nama]", ["Nama"], [], "([nama]) [nama]", id="masks-stay-masks"),
    ],
)
def test_mask_personal_data(text: str, names: list[str], numbers: list[str], masked: str) -> None:
    assert mask_personal_data(text, names, numbers) == masked


def test_identity_only_keeps_other_contacts() -> None:
    """For officers of an anonim report: the reporter goes, the office's number stays."""
    text = "Saya Siti (0812-3456-7890), kantor kelurahan 0254-391234"
    shown = mask_personal_data(text, SITI, ["+6281234567890"], contacts=False)
    assert shown == "Saya [nama] ([nomor]), kantor kelurahan 0254-391234"
