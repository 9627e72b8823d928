"""What erasure and retention remove besides the reporter's identity: her words.

`/hapusdata` and retention keep a report's facts and the officers' work, and remove
everything the resident wrote or that shows who she is (`storage.personal_data` lists
every column and what happens to it). Run on the reports' ids before the reports are
anonymised, while the people's names and numbers are still there to mask.
"""

from __future__ import annotations

from collections.abc import Sequence

from flows.masking import mask_personal_data
from flows.public_view import identity_names, identity_numbers
from flows.report import Neighbour, Reporter, Status
from storage.proposals import PROPOSAL_SOURCE
from storage.queries.runner import Row, Runner

WORDS_ERASED = "(dihapus)"
"""What stands where the resident's own words were (`storage.queries.privacy.ERASED`)."""
REPORTER_ACTOR = "pelapor"
"""The history actor of what the reporter herself did or wrote."""
_GONE_WITH_THE_REPORT = (
    "report_photos",
    "report_evidence",
    "held_relays",
    "routing_examples",
    "kind_examples",
)
"""Tables whose rows of an erased report are hers alone (photos, evidence, messages
still waiting for officers, the story kept as a lesson for the classifier): deleted."""
_LESSONS = ("routing_examples", "kind_examples")
"""The tables of officers' lessons; deleting from them advances `learning_version`
(`service.retraining` then retrains the learned model without them)."""
_OFFICERS_COLUMNS = "reject_reason, end_note"
"""Officers' texts on the report's row (a withdrawal's reason in end_note is then erased)."""
PIN_DECIMALS = 3
"""An erased or retained report's pin is rounded to this many decimals of a degree
(about 110 m): still the problem's neighbourhood on the map, no longer one house."""
DIGEST_PURPOSES = ("card_digest", "reminder_digest")
"""Officers' messages about several reports (no `report_id`) that name each by code."""


def _people(row: Row) -> tuple[Reporter, Neighbour | None]:
    """The reporter and neighbour of a `PROPOSAL_SOURCE` row."""
    reporter = Reporter(
        user_id=int(row["reporter_user_id"]),
        chat_id=int(row["reporter_chat_id"]),
        name=str(row["reporter_name"]),
        username=row["reporter_username"],
        phone=row["reporter_phone"],
    )
    neighbour = None
    if row["neighbour_name"] is not None:
        neighbour = Neighbour(name=str(row["neighbour_name"]), phone=row["neighbour_phone"])
    return reporter, neighbour


class ErasureQueries(Runner):
    """Removing the residents' words from reports about to be anonymised."""

    async def _forget_words_of(self, report_ids: Sequence[int]) -> None:
        """Erase what the reporters of these reports wrote and mask them out of what
        officers wrote about them. This writes; call it before anonymising.

        Gone: the story and address, a withdrawal's reason, her messages to officers
        (history lines and those still held back), photos and other evidence, the
        lessons taught with her story, and the finished digests naming the reports; the
        pin is rounded to about 110 m (`PIN_DECIMALS`).
        Kept, her and her neighbour's names and numbers masked out: officers' answers,
        notes, closing notes, reasons and the public text (`_clear_people_from_public_texts`).
        """
        ids = sorted(report_ids)
        for of_reports, params in self._chunks_of("id", ids):
            rows = await self._rows(
                "read the people of erased reports",
                # Built from "?" marks; values are bound.
                f"SELECT {PROPOSAL_SOURCE}, {_OFFICERS_COLUMNS}, code, "  # noqa: S608
                f"latitude, longitude FROM reports WHERE {of_reports}",
                params,
            )
            for row in rows:
                await self._mask_officers_texts(row, *_people(row))
                await self._blur_pin(row)
            await self._forget_digests_naming([str(row["code"]) for row in rows])
            await self._execute(
                "erase the residents' words",
                # Built from "?" marks; values are bound.
                "UPDATE reports SET description = ?, address = NULL, "  # noqa: S608
                "end_note = CASE WHEN status = ? THEN NULL ELSE end_note END, "
                f"photos_public = ? WHERE {of_reports}",
                (WORDS_ERASED, Status.DICABUT.value, False, *params),
            )
        lessons_gone = 0
        for of_reports, params in self._chunks_of("report_id", ids):
            for table in _GONE_WITH_THE_REPORT:
                gone = await self._execute(
                    f"forget {table} of erased reports",
                    # `table` is a literal of this module; values are bound.
                    f"DELETE FROM {table} WHERE {of_reports}",  # noqa: S608
                    params,
                )
                lessons_gone += gone if table in _LESSONS else 0
        if lessons_gone:  # the lessons changed: workers retrain without them
            await self._execute(
                "count the erasure as a change of the lessons",
                "UPDATE learning_version SET version = version + 1 WHERE id = 1",
            )
            await self._execute(
                "erase the reporters' messages from the history",
                # Built from "?" marks; values are bound.
                "UPDATE report_history SET note = ? "  # noqa: S608
                f"WHERE actor = ? AND note IS NOT NULL AND {of_reports}",
                (WORDS_ERASED, REPORTER_ACTOR, *params),
            )

    async def _blur_pin(self, report: Row) -> None:
        """Round the report's pin to `PIN_DECIMALS` (a map point of the problem may be
        her house); `report` is its row, with latitude and longitude."""
        latitude, longitude = report["latitude"], report["longitude"]
        if latitude is None or longitude is None:
            return
        blurred = (round(float(latitude), PIN_DECIMALS), round(float(longitude), PIN_DECIMALS))
        if blurred != (latitude, longitude):
            await self._execute(
                "blur an erased report's pin",
                "UPDATE reports SET latitude = ?, longitude = ? WHERE id = ?",
                (*blurred, report["id"]),
            )

    async def _forget_supporters_of(self, report_ids: Sequence[int]) -> None:
        """Retention: forget who supported these reports (their Telegram ids), keep how
        many did (`former_supporters`, counted on the board). This writes."""
        for of_reports, params in self._chunks_of("id", sorted(report_ids)):
            await self._execute(
                "keep how many supported reports past retention",
                # Built from "?" marks; values are bound.
                "UPDATE reports SET former_supporters = former_supporters + "  # noqa: S608
                "(SELECT count(*) FROM report_supporters s WHERE s.report_id = reports.id) "
                f"WHERE {of_reports}",
                params,
            )
        for of_reports, params in self._chunks_of("report_id", sorted(report_ids)):
            await self._execute(
                "forget the supporters of reports past retention",
                # Built from "?" marks; values are bound.
                f"DELETE FROM report_supporters WHERE {of_reports}",  # noqa: S608
                params,
            )

    async def _mask_officers_texts(
        self, report: Row, reporter: Reporter, neighbour: Neighbour | None
    ) -> None:
        """Mask the report's people out of the officers' texts about it (their answers
        may quote her); the rest of the officers' work stays. `report` is its row, with
        `_OFFICERS_COLUMNS`."""
        report_id = int(report["id"])
        names = identity_names(reporter, neighbour)
        numbers = identity_numbers(reporter, neighbour)

        def masked(text: str) -> str:
            return mask_personal_data(text, names, numbers, contacts=False)

        history = await self._rows(
            "read officers' history lines",
            "SELECT id, note FROM report_history "
            "WHERE report_id = ? AND actor <> ? AND note IS NOT NULL",
            (report_id, REPORTER_ACTOR),
        )
        for line in history:
            note = str(line["note"])
            if masked(note) != note:
                await self._execute(
                    "mask a history line",
                    "UPDATE report_history SET note = ? WHERE id = ?",
                    (masked(note), line["id"]),
                )
        closing = await self._value(
            "read a closing note", "SELECT note FROM closings WHERE report_id = ?", (report_id,)
        )
        if closing is not None and masked(str(closing)) != closing:
            await self._execute(
                "mask a closing note",
                "UPDATE closings SET note = ? WHERE report_id = ?",
                (masked(str(closing)), report_id),
            )
        for column in _OFFICERS_COLUMNS.split(", "):
            text = report[column]
            if text is not None and masked(str(text)) != text:
                await self._execute(
                    f"mask {column}",
                    # `column` is a literal of this function; values are bound.
                    f"UPDATE reports SET {column} = ? WHERE id = ?",  # noqa: S608
                    (masked(str(text)), report_id),
                )

    async def _forget_digests_naming(self, codes: Sequence[str]) -> None:
        """Delete the finished digests that name these reports (their lines quote the
        story, masked); pending ones go out as queued and are pruned with the rest.
        Digests have no `report_id`: the index on (report_id, purpose) finds them."""
        if not codes:
            return
        purposes = ", ".join("?" for _ in DIGEST_PURPOSES)
        naming = " OR ".join("payload LIKE ?" for _ in codes)
        await self._execute(
            "forget digests naming erased reports",
            # Built from "?" marks; values are bound.
            "DELETE FROM outbox WHERE report_id IS NULL "  # noqa: S608
            f"AND purpose IN ({purposes}) AND state <> ? AND ({naming})",
            (*DIGEST_PURPOSES, "pending", *(f"%{code}%" for code in codes)),
        )
