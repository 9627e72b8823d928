"""Status news links to the report's public page, when the board has an address."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from flows.notices import status_changed
from flows.office import Office
from flows.report import Place, Privacy, Report, Reporter, Status

FILED = datetime(2026, 3, 2, 2, tzinfo=UTC)


def report(privacy: Privacy) -> Report:
    return Report(
        id=1, code="SW-AAAA-0001", filed_at=FILED, updated_at=FILED,
        reporter=Reporter(user_id=5, chat_id=5, name="Siti"), description="Jalan rusak parah.",
        place=Place(kecamatan="Cilegon", kelurahan="Ciwedus"), privacy=privacy,
        body="dpupr", status=Status.DIPROSES,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("public_url", "privacy", "expected"),
    [
        pytest.param("https://lapor.example.go.id", Privacy.BIASA,
                     "https://lapor.example.go.id/laporan/SW-AAAA-0001", id="biasa"),
        pytest.param("https://lapor.example.go.id", Privacy.ANONIM,
                     "https://lapor.example.go.id/laporan/SW-AAAA-0001", id="anonim"),
        pytest.param("https://lapor.example.go.id", Privacy.RAHASIA, None, id="rahasia-no-page"),
        pytest.param("", Privacy.BIASA, None, id="no-address"),
    ],
)  # fmt: skip
def test_status_news_links_to_the_public_page(
    public_url: str, privacy: Privacy, expected: str | None
) -> None:
    shown = report(privacy)
    page = Office(public_url=public_url).report_page(shown)

    text = status_changed(shown, "Petugas DPUPR", "DPUPR", page)

    assert page == expected
    assert ("papan publik" in text) == (expected is not None)
    if expected:
        assert expected in text
