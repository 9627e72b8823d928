"""Documents another service demanded are landmarks, not the subject (`flows.demanded`):
the KK and KTP a hospital asks for do not pull the report to Disdukcapil, while a real
KTP problem still goes there."""

from __future__ import annotations

import pytest

from flows.city_pack import load_city_pack
from flows.classify import Classifier
from flows.normalize import sentences

PACK = load_city_pack()
KEYWORDS = Classifier(PACK.catalogue, lexicon=PACK.lexicon)


@pytest.mark.parametrize(
    ("text", "body"),
    [
        (
            "mau kontrol ke poli di rsud disuruh bikin surat pengantar baru, terus kata admin "
            "harus ada fc kk sama ktp suami juga",
            "rsud",
        ),
        (
            "pendaftaran sekolah anak saya minta fotokopi KK dan akta kelahiran yang dilegalisir, "
            "padahal kuota zonasi sudah diumumkan penuh",
            "dindikbud",
        ),
        (
            "petugas BPJS minta surat dari RT, RW, kelurahan dan kecamatan buat pindah faskes, "
            "padahal di aplikasi cuma perlu KTP",
            "bpjs_kesehatan",
        ),
        (
            "mau pasang sambungan air baru PDAM disuruh bawa fotokopi KTP, KK dan surat "
            "keterangan domisili dari kelurahan",
            "pdam",
        ),
    ],
)
def test_a_demanded_document_does_not_take_the_report(text: str, body: str) -> None:
    result = KEYWORDS.classify(text)
    assert result.candidates[0].body_id == body
    assert any(label.startswith("diminta: ") for c in result.candidates for label in c.matched)


@pytest.mark.parametrize(
    "text",
    [
        "sudah tiga bulan KTP saya belum jadi, disuruh bawa KK asli terus tiap datang",
        "KTP saya hilang, mau cetak ulang di dukcapil antre dari subuh",
        "kk saya salah nama, sudah ke capil tiga kali belum diganti",
    ],
)
def test_a_real_document_problem_still_goes_to_disdukcapil(text: str) -> None:
    assert KEYWORDS.classify(text).candidates[0].body_id == "disdukcapil"


def test_sending_somewhere_is_not_a_demanded_document() -> None:
    result = KEYWORDS.classify("surat pengantar ditolak di kecamatan, disuruh ke kelurahan lagi")
    assert result.candidates[0].body_id == "kelurahan"
    assert not any(label.startswith("diminta: kelurahan") for label in result.candidates[0].matched)


def test_a_full_stop_ends_the_list_but_a_comma_does_not() -> None:
    words, clauses, full = sentences("diminta surat RT, RW. KTP hilang")
    assert words == ["diminta", "surat", "rt", "rw", "ktp", "hilang"]
    assert clauses == {2, 3, 5} and full == {3, 5}


def test_not_theirs_is_a_refusal() -> None:
    text = (
        "mau daftar jaminan kesehatan daerah buat ibu, ke kantor BPJS katanya itu program "
        "pemkot, bukan mereka. daftarnya di mana?"
    )
    result = KEYWORDS.classify(text)
    assert result.candidates[0].body_id == "dinkes"
    assert any(label.startswith("menolak: ") for c in result.candidates for label in c.matched)
