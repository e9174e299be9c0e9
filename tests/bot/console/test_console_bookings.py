"""The booking-request queue: new -> contacted -> booked / closed, who changed it and when."""

from __future__ import annotations

import httpx2
import sqlalchemy as sa
from sanic import Sanic

from clinic.database.tables import audit_log, booking_history, booking_requests
from tests.bot.console.console_support import Truth
from tools.console_client import csrf_token


def bookings(app: Sanic) -> list[sa.engine.Row]:
    with app.ctx.engine.connect() as connection:
        return list(connection.execute(sa.select(booking_requests).order_by(booking_requests.c.id)))


async def move(client: httpx2.AsyncClient, booking_id: int, status: str) -> httpx2.Response:
    page = await client.get(f"/bookings/{booking_id}")
    return await client.post(
        f"/bookings/{booking_id}/status", data={"csrf_token": csrf_token(page.text), "status": status}
    )


async def test_the_queue_lists_every_new_request_linked_to_its_conversation(
    app: Sanic, staff: httpx2.AsyncClient, truths: dict[str, Truth]
) -> None:
    rows = bookings(app)
    assert {r.conversation_id for r in rows} == {s for s, t in truths.items() if t.completed}
    page = (await staff.get("/bookings")).text
    assert page.count('<span class="status new">new</span>') == len(rows)
    first = rows[0]
    assert first.patient_name.replace("'", "&#39;") in page and first.contact in page
    assert f'href="/conversations/{first.conversation_id}"' in page


async def test_status_changes_are_recorded_with_who_and_when_and_audited(app: Sanic, staff: httpx2.AsyncClient) -> None:
    booking = bookings(app)[0]
    assert (await move(staff, booking.id, "contacted")).status_code == 302
    assert (await move(staff, booking.id, "booked")).status_code == 302
    assert bookings(app)[0].status == "booked"
    detail = (await staff.get(f"/bookings/{booking.id}")).text
    assert "sam: new → contacted" in detail and "sam: contacted → booked" in detail
    assert 'name="status"' not in detail  # nothing further to do with a booked request
    with app.ctx.engine.connect() as connection:
        history = connection.execute(sa.select(booking_history).order_by(booking_history.c.id)).all()
        entries = (
            connection.execute(sa.select(audit_log.c.detail).where(audit_log.c.action == "booking_status"))
            .scalars()
            .all()
        )
    assert [(h.from_status, h.to_status, h.changed_by) for h in history] == [
        ("new", "contacted", "sam"),
        ("contacted", "booked", "sam"),
    ]
    assert entries == ["new -> contacted", "contacted -> booked"]
    assert "booked" in (await staff.get("/bookings?status=booked")).text
    assert f'href="/bookings/{booking.id}"' not in (await staff.get("/bookings")).text  # left the open queue


async def test_a_skipped_or_backward_step_is_refused(app: Sanic, staff: httpx2.AsyncClient) -> None:
    booking = bookings(app)[0]
    refused = await move(staff, booking.id, "booked")  # new -> booked skips contacting the patient
    assert refused.status_code == 409 and "can&#39;t become booked" in refused.text
    await move(staff, booking.id, "closed")
    assert (await move(staff, booking.id, "contacted")).status_code == 409
    assert bookings(app)[0].status == "closed"
    token = csrf_token((await staff.get("/bookings")).text)
    missing = await staff.post("/bookings/99999/status", data={"csrf_token": token, "status": "contacted"})
    assert missing.status_code == 404 and (await staff.get("/bookings/99999")).status_code == 404
