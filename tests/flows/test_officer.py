"""Officers' card actions decided purely: what a closed report refuses, and which
report another may be a duplicate of."""

from __future__ import annotations

from typing import Any

import pytest

from flows.officer import (
    Act,
    CardAction,
    Decision,
    closed_no_answer,
    decide,
    duplicate_refusal,
)
from flows.report import Place, Privacy, Report, Reporter, Status
from tests.flows.helpers import RULES, T0


def report(code: str = "SW-7K3M-Q9XA", report_id: int = 1, **changes: Any) -> Report:
    fields: dict[str, Any] = {
        "id": report_id,
        "code": code,
        "status": Status.DITERIMA,
        "filed_at": T0,
        "updated_at": T0,
        "privacy": Privacy.BIASA,
        "body": "dlh",
        "kind": "sarana_rusak",
        "description": "Sampah menumpuk di TPS",
        "reporter": Reporter(user_id=1001, chat_id=1001, name="Siti"),
        "place": Place(kecamatan="Cilegon", kelurahan="Bagendung"),
    }
    fields.update(changes)
    return Report(**fields)


def decided(status: Status, act: Act, arg: str = "") -> Decision | str:
    return decide(report(status=status), CardAction(act, arg), RULES, T0, 2)


@pytest.mark.parametrize("status", [Status.SELESAI, Status.DITOLAK, Status.DUPLIKAT])
@pytest.mark.parametrize(
    ("act", "arg"),
    [
        pytest.param(Act.TEMPLATES, "", id="template-menu"),
        pytest.param(Act.TEMPLATE, "0", id="template-answer"),
    ],
)
def test_a_closed_report_sends_no_template_answer(status: Status, act: Act, arg: str) -> None:
    refusal = decided(status, act, arg)
    assert refusal == closed_no_answer(report(status=status))
    assert "tidak dikirim ke pelapor" in refusal


@pytest.mark.parametrize(
    ("status", "act", "arg", "expected"),
    [
        pytest.param(Status.DIPROSES, Act.TEMPLATE, "1", Decision(template=1), id="open-template"),
        pytest.param(
            Status.DITERIMA, Act.TEMPLATES, "", Decision(keyboard="templates"), id="open-menu"
        ),
        pytest.param(Status.SELESAI, Act.NOTE, "", Decision(ask="note"), id="closed-note-ok"),
        pytest.param(Status.DITOLAK, Act.BACK, "", Decision(), id="closed-back-ok"),
    ],
)
def test_what_stays_allowed(status: Status, act: Act, arg: str, expected: Decision) -> None:
    assert decided(status, act, arg) == expected


X = report("SW-AAAA-0001", 1)
Y = report("SW-AAAA-0002", 2)
Y_DUPLICATE_OF_Z = report(
    "SW-AAAA-0002", 2, status=Status.DUPLIKAT, duplicate_of="SW-AAAA-0003", reject_reason="duplikat"
)
X_DUPLICATE_OF_Y = report(
    "SW-AAAA-0001", 1, status=Status.DUPLIKAT, duplicate_of="SW-AAAA-0002", reject_reason="duplikat"
)


@pytest.mark.parametrize(
    ("this", "other", "refused_with"),
    [
        pytest.param(X, Y, None, id="open-of-open"),
        pytest.param(X, report("SW-AAAA-0002", 2, status=Status.SELESAI), None, id="of-solved"),
        pytest.param(X, None, "tidak ditemukan", id="unknown-or-other-chats"),
        pytest.param(X, X, "sama dengan laporan ini", id="itself"),
        pytest.param(X, Y_DUPLICATE_OF_Z, "duplikat dari SW-AAAA-0003", id="of-a-duplicate"),
        pytest.param(Y, X_DUPLICATE_OF_Y, "sudah ditutup sebagai duplikat", id="cycle-y-to-x"),
        pytest.param(X_DUPLICATE_OF_Y, Y, "sudah ditutup", id="this-one-closed-meanwhile"),
    ],
)
def test_duplicate_refusal(this: Report, other: Report | None, refused_with: str | None) -> None:
    refusal = duplicate_refusal(this, other)
    if refused_with is None:
        assert refusal is None
    else:
        assert refusal is not None and refused_with in refusal
