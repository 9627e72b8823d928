"""Words about who the person is do not outweigh what the service is (`flows.persons`):
a kader's complaint about BPJS's counter for a neighbour with a disability is BPJS's,
while a complaint about the person's own needs stays with Dinsos."""

from __future__ import annotations

import pytest

from flows.city_pack import load_city_pack
from flows.classify import Classifier

PACK = load_city_pack()
KEYWORDS = Classifier(PACK.catalogue, lexicon=PACK.lexicon)
BLENDED = Classifier(PACK.catalogue, lexicon=PACK.lexicon, labelled=PACK.examples)


@pytest.mark.parametrize(
    ("text", "body"),
    [
        (
            "saya mengantar tetangga, penyandang disabilitas, ke kantor BPJS Kesehatan; loket "
            "prioritas tutup dan beliau disuruh antre biasa tiga jam",
            "bpjs_kesehatan",
        ),
        (
            "adik saya pakai kursi roda, datang untuk perekaman KTP tapi alatnya tidak bisa "
            "dipakai yang tidak bisa berdiri",
            "disdukcapil",
        ),
        (
            "saya bantu nenek lansia tetangga saya mengurus keringanan PBB, petugas Bapenda "
            "menolak berkasnya tanpa alasan",
            "bapenda",
        ),
    ],
)
def test_the_service_outweighs_who_the_person_is(text: str, body: str) -> None:
    for classifier in (KEYWORDS, BLENDED):
        result = classifier.classify(text)
        assert result.candidates[0].body_id == body
    labels = [label for c in KEYWORDS.classify(text).candidates for label in c.matched]
    assert any(label.startswith("siapa: ") for label in labels)


@pytest.mark.parametrize(
    "text",
    [
        "ada lansia terlantar tinggal sendirian di gubuk, tidak ada yang mengurus",
        "bantuan untuk penyandang disabilitas di RW kami belum cair tiga bulan",
        "tetangga saya janda tiga anak tidak pernah dapat bansos",
    ],
)
def test_the_persons_own_needs_stay_with_dinsos(text: str) -> None:
    assert KEYWORDS.classify(text).candidates[0].body_id == "dinsos"
    assert BLENDED.classify(text).candidates[0].body_id == "dinsos"


def test_the_writers_own_introduction_is_not_the_office() -> None:
    text = (
        "Dengan hormat, kami Ketua RT 02 RW 06 Kelurahan Tegal Bunder melaporkan bahwa "
        "sebulan terakhir terjadi empat kali pencurian sepeda motor di lingkungan kami."
    )
    result = KEYWORDS.classify(text)
    assert result.candidates[0].body_id == "polri"
    labels = [label for c in result.candidates for label in c.matched]
    assert any(label.startswith("penulis: ") for label in labels)


def test_the_kelurahan_named_as_the_problem_still_counts() -> None:
    text = "kami warga RW 04 mengeluhkan kantor kelurahan tutup di jam kerja, lurah tidak ada"
    assert KEYWORDS.classify(text).candidates[0].body_id == "kelurahan"
