"""The board's view of a report: nothing private, whatever the report and its history."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from flows.board import board_report
from flows.report import HistoryEntry, Place, Privacy, Report, Reporter, Status

FILED = datetime(2026, 3, 2, 2, tzinfo=UTC)
names = st.sampled_from(["Siti Aminah", "Budi Santoso", "Rina", "Ahmad Fauzi"])
phones = st.sampled_from([None, "+6281234567890", "+6285712345678"])
ids = st.integers(min_value=10_000, max_value=9_999_999_999)


@st.composite
def reports(draw: st.DrawFn) -> tuple[Report, list[HistoryEntry]]:
    reporter = Reporter(
        user_id=draw(ids),
        chat_id=draw(ids),
        name=draw(names),
        username=draw(st.sampled_from([None, "sitiam", "budi_s"])),
        phone=draw(phones),
    )
    # Stories and answers that repeat the identity, as residents and officers do.
    story = f"Saya {reporter.name}, hp {reporter.phone or '-'}: jalan rusak parah di gang."
    approved = draw(st.booleans())
    report = Report(
        id=1,
        code="SW-AAAA-0001",
        filed_at=FILED,
        updated_at=FILED,
        reporter=reporter,
        description=story,
        place=Place(kecamatan="Cilegon", kelurahan="Ciwedus", latitude=-6.01, longitude=106.05),
        privacy=draw(st.sampled_from(Privacy)),
        body="dpupr",
        status=draw(st.sampled_from(Status)),
        public_text=story if draw(st.booleans()) else None,
        public_at=FILED + timedelta(days=1) if approved else None,
    )
    history = [
        HistoryEntry(
            at=FILED + timedelta(hours=i),
            actor="dpupr",
            from_status=None,
            to_status=Status.DIPROSES,
            note=f"Bapak/Ibu {reporter.name} ({reporter.user_id}), catatan {kind}",
            kind=kind,
            public=public,
        )
        for i, (kind, public) in enumerate(
            draw(
                st.lists(
                    st.tuples(st.sampled_from(["reply", "note", "status"]), st.booleans()),
                    max_size=4,
                )
            )
        )
    ]
    return report, history


@settings(max_examples=200, deadline=None)
@given(reports(), st.integers(min_value=0, max_value=50))
def test_the_board_never_shows_an_identity_or_a_confidential_story(
    drawn: tuple[Report, list[HistoryEntry]], supporters: int
) -> None:
    report, history = drawn

    view = board_report(report, supporters, history)

    if report.privacy.confidential:
        assert view is None
        return
    assert view is not None
    shown = repr(asdict(view))
    reporter = report.reporter
    for private in (reporter.name, reporter.username, reporter.phone):
        if private:
            assert private not in shown
    assert str(reporter.user_id) not in shown and str(reporter.chat_id) not in shown
    if report.public_at is None:
        assert view.view.text is None and view.answers == () and view.latitude is None
    assert all(step.status for step in view.steps)
    assert "catatan note" not in shown  # internal notes never, public or not
