"""Pictures through the webhook: read and checked, recognised by their hash, kept for cases, refused politely."""
from __future__ import annotations

import dataclasses
import io
import logging
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import func, select, update

from bench.image_set import TEMPLATES
from bench.render import NOTO_SANS_THAI, Style, jpeg, render, variant
from bot.devtools.line_emulator import LineEmulator
from bot.devtools.webhooks import body_of, message_event, post, user_source
from bot.runtime.picture_links import LINK_LIFETIME_SECONDS, picture_url
from bot.runtime.services import EXTENSION_KEY
from data.coordinators import make_coordinator
from data.images import IMAGE_RETENTION, purge_images, record_image
from data.models import Agency, Case, StoredImage, Tip, User, Verdict, utcnow
from data.privacy import erase_user
from data.users import touch_user
from data.verdicts import give_verdict
from nlp.image import ImageProblem, ImageRejectedError, hash_image, is_ocr_available, open_image, preprocess, read_text
from tests.conftest import CHANNEL_SECRET, finish, make_app, services
from tests.conversation import drain, last_to, quick_reply_data, send_postback
from tests.test_check import FORWARDED, PICKED, write_claims
from workers.images import GONE, READ_FROM_PICTURE, REJECTED, SEEN_BEFORE

USER = "U" + "5" * 32
OTHER = "U" + "6" * 32
COORDINATOR = "U" + "c" * 32
FAKE_ID = "afnc-2170bbe3c3"
POSTER = Style(layout="poster", background="#C62828", ink="#FFFFFF", font_size=40, weight=700)
UNKNOWN = "ประกาศ! กรมป่าไม้แจกต้นกล้าฟรี ที่ว่าการอำเภอทุกแห่ง วันเสาร์นี้เท่านั้น"
needs_ocr = pytest.mark.skipif(not is_ocr_available(), reason="Tesseract with Thai data is not installed")


@pytest.fixture()
def seeded(app: Flask, tmp_path: Path) -> Flask:
    result = app.test_cli_runner().invoke(args=["claims", "import", str(write_claims(tmp_path / "c.csv", PICKED))])
    assert result.exit_code == 0, result.output
    return app


def send_image(app: Flask, line: LineEmulator, user: str, data: bytes, content_type: str = "image/jpeg",
               age: timedelta = timedelta(0)) -> dict[str, Any]:
    """Upload the picture to the emulator's content endpoint, send its webhook, run the jobs; the answer."""
    event = message_event(user, {"type": "image", "contentProvider": {"type": "line"}, "quoteToken": "q"},
                          line.issue_reply_token(user_source(user)))
    event["timestamp"] -= int(age.total_seconds() * 1000)
    line.upload_content(event["message"]["id"], data, content_type)
    assert post(app.test_client(), body_of(event), CHANNEL_SECRET).status_code == 200
    drain(app)
    return last_to(line, user).__dict__


def subtitle(message: dict[str, Any]) -> str:
    return message["contents"]["header"]["contents"][1]["text"]


def without_ocr(app: Flask) -> None:
    """As on a machine without Tesseract (the flag the factory sets from what it finds)."""
    app.extensions[EXTENSION_KEY] = dataclasses.replace(services(app), ocr_available=False)


def count(app: Flask, *where: Any) -> int:
    with services(app).db.session() as session:
        return session.scalar(select(func.count()).select_from(StoredImage).where(*where)) or 0


@needs_ocr
def test_a_picture_of_a_known_fake_gets_the_verdict_then_its_copies_get_it_from_the_hash(
        seeded: Flask, line: LineEmulator) -> None:
    original = render(FORWARDED, POSTER)
    answer = send_image(seeded, line, USER, jpeg(original, 60))
    assert answer["kind"] == "reply"
    card = answer["messages"][0]
    assert card["type"] == "flex" and "ข่าวปลอม" in card["altText"] and subtitle(card) == READ_FROM_PICTURE
    paths = [request.path for request in line.requests]
    assert paths.index("/v2/bot/chat/loading/start") < paths.index("/v2/bot/message/reply")
    assert any(path.endswith("/content") for path in paths)
    with services(seeded).db.session() as session:
        stored = session.scalars(select(StoredImage)).one()
        assert stored.claim_id == FAKE_ID and "ไทรทอง" in (stored.ocr_text or "")

    without_ocr(seeded)  # OCR fails on the forward: the hash alone answers
    copy = variant(original, crop=0.02, border=10, scale=0.8)
    answer = send_image(seeded, line, OTHER, jpeg(copy, 35))
    assert subtitle(answer["messages"][0]) == SEEN_BEFORE and FAKE_ID in str(answer["messages"][0])


def test_without_tesseract_an_unknown_picture_is_offered_to_the_agencies(app: Flask, line: LineEmulator) -> None:
    without_ocr(app)
    offer = send_image(app, line, USER, jpeg(render(UNKNOWN)))["messages"][0]
    assert "ส่งรูปให้เจ้าหน้าที่ตรวจสอบไหม" in offer["text"]
    send_postback(app.test_client(), line, USER, quick_reply_data(offer, "ส่งเลย"))
    drain(app)
    assert "เลขที่อ้างอิง T-" in last_to(line, USER).messages[0]["text"]
    with services(app).db.session() as session:
        image = session.scalars(select(StoredImage)).one()
        tip = session.get(Tip, image.tip_id)
        assert tip is not None and tip.submitted_at is not None and tip.case_id is not None
        assert image.content is not None and image.content_type == "image/jpeg"


@needs_ocr
def test_a_verdict_on_a_picture_case_answers_the_next_forward_from_the_hash(app: Flask, line: LineEmulator) -> None:
    picture = render(UNKNOWN, POSTER)
    offer = send_image(app, line, USER, jpeg(picture))["messages"][0]
    assert "ส่งรูปให้เจ้าหน้าที่" in offer["text"]
    send_postback(app.test_client(), line, USER, quick_reply_data(offer, "ส่งเลย"))
    drain(app)
    with services(app).db.session() as session:
        image = session.scalars(select(StoredImage)).one()
        assert "วันเสาร์นี้" in (image.ocr_text or "")
        case = session.get(Case, session.get(Tip, image.tip_id).case_id)  # type: ignore[union-attr]
        coordinator, _ = touch_user(session, "U" + "c" * 32)
        give_verdict(session, case, Verdict.FAKE, "กรมป่าไม้ไม่มีโครงการนี้", None, coordinator, None)
    answer = send_image(app, line, OTHER, jpeg(variant(picture, crop=0.01), 40))
    assert subtitle(answer["messages"][0]) == SEEN_BEFORE


@pytest.mark.parametrize("reading", ["hash only", "OCR"])
def test_a_job_retried_after_line_failed_stores_one_picture_and_one_draft(reading: str, app: Flask,
                                                                          line: LineEmulator) -> None:
    if reading == "hash only":
        without_ocr(app)
    elif not is_ocr_available():
        pytest.skip("Tesseract with Thai data is not installed")
    attempts = services(app).line.settings.attempts
    line.fail_next(count=attempts, status=500, path_prefix="/v2/bot/message/reply")  # the job's first run fails
    offer = send_image(app, line, USER, jpeg(render(UNKNOWN, POSTER)))["messages"][0]
    replies = [request.status for request in line.requests if request.path == "/v2/bot/message/reply"]
    assert replies == [500] * attempts + [200]
    assert len(line.delivered(USER)) == 1 and "ส่งรูปให้เจ้าหน้าที่" in offer["text"]
    assert sum(request.path.endswith("/content") for request in line.requests) == 1  # the retry fetched nothing
    with services(app).db.session() as session:
        image = session.scalars(select(StoredImage)).one()
        tip = session.scalars(select(Tip)).one()
        assert image.tip_id == tip.id and image.content is not None
        assert (reading == "OCR") == ("วันเสาร์นี้" in tip.text)
    send_postback(app.test_client(), line, USER, quick_reply_data(offer, "ส่งเลย"))
    drain(app)
    with services(app).db.session() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1


def test_an_answer_after_the_reply_token_expired_is_pushed(app: Flask, line: LineEmulator) -> None:
    without_ocr(app)
    answer = send_image(app, line, USER, jpeg(render(UNKNOWN)), age=timedelta(minutes=5))
    assert answer["kind"] == "push"


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _animated() -> bytes:
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (40, 40), colour) for colour in ("red", "blue")]
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    return buffer.getvalue()


BAD_INPUTS = {
    "not an image": (b"%PDF-1.4 not a picture at all", ImageProblem.NOT_AN_IMAGE),
    "corrupt": (jpeg(render("ข่าว"))[:300], ImageProblem.NOT_AN_IMAGE),
    "huge canvas": (_png(Image.new("1", (9000, 9000))), ImageProblem.TOO_LARGE),
    "huge file": (b"\xff\xd8\xff" + bytes(11 * 1024 * 1024), ImageProblem.TOO_LARGE),
    "animated": (_animated(), ImageProblem.ANIMATED),
    "video": (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(2000), ImageProblem.NOT_AN_IMAGE),
    "audio": (b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64" + bytes(2000), ImageProblem.NOT_AN_IMAGE),
}
"""What a picture message may carry instead of a still picture (a video or a voice note's bytes among them);
video and audio messages themselves get their own answer (tests/test_webhook.py)."""


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_pictures_get_a_polite_answer(name: str, app: Flask, line: LineEmulator) -> None:
    data, problem = BAD_INPUTS[name]
    answer = send_image(app, line, USER, data)
    assert answer["messages"] == [{"type": "text", "text": REJECTED[problem]}]
    assert count(app) == 0


def test_a_picture_line_no_longer_has_gets_a_polite_answer(app: Flask, line: LineEmulator) -> None:
    event = message_event(USER, {"type": "image", "contentProvider": {"type": "line"}, "quoteToken": "q"},
                          line.issue_reply_token(user_source(USER)))
    assert post(app.test_client(), body_of(event), CHANNEL_SECRET).status_code == 200
    drain(app)
    assert last_to(line, USER).messages == [{"type": "text", "text": GONE}]


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_open_image_refuses_bad_input(name: str) -> None:
    data, problem = BAD_INPUTS[name]
    with pytest.raises(ImageRejectedError) as raised:
        open_image(data)
    assert raised.value.problem is problem


def test_forwarded_copies_hash_near_and_other_pictures_do_not() -> None:
    original = render(FORWARDED, POSTER)
    hashes = hash_image(open_image(jpeg(original, 75)).image)
    for copy in (variant(original, crop=0.03, border=12), variant(original, scale=0.6), variant(original, border=30)):
        assert hash_image(open_image(jpeg(copy, 30)).image).is_near(hashes)
    for other in (render(UNKNOWN, POSTER), render(FORWARDED)):
        assert not hash_image(open_image(jpeg(other, 75)).image).is_near(hashes)


@pytest.mark.parametrize("template", ["poster-red", "chat-dark", "chat-sent"])
def test_preprocessing_makes_dark_text_on_white_whatever_the_grounds(template: str) -> None:
    """White on red, light on dark, dark on a green bubble on blue: the grounds go white, the text dark."""
    style = dataclasses.replace(TEMPLATES[template], font=NOTO_SANS_THAI)
    prepared = preprocess(render(UNKNOWN, style))
    histogram = prepared.histogram()
    assert prepared.mode == "L" and sum(histogram[224:]) > prepared.width * prepared.height * 0.8
    assert sum(histogram[:64]) > prepared.width * prepared.height * 0.005


@needs_ocr
def test_ocr_reads_a_sent_bubble_on_the_chat_ground() -> None:
    """The bubble is green on LINE's blue: one global threshold made Tesseract skip it and read the header only."""
    style = dataclasses.replace(TEMPLATES["chat-sent"], font=NOTO_SANS_THAI)
    read = read_text(open_image(jpeg(render(UNKNOWN, style), 50)).image)
    assert "กล้าฟรี" in read and "วันเสาร์นี้เท่านั้น" in read


@needs_ocr
def test_ocr_reads_thai() -> None:
    assert "วันเสาร์นี้" in read_text(open_image(jpeg(render(UNKNOWN, POSTER), 50)).image)


def test_erasing_a_user_deletes_pictures_no_case_needs(app: Flask, line: LineEmulator) -> None:
    without_ocr(app)
    send_image(app, line, USER, jpeg(render(UNKNOWN)))  # a draft: nobody else needs it
    offer = send_image(app, line, USER, jpeg(render(FORWARDED, POSTER)))["messages"][0]
    send_postback(app.test_client(), line, USER, quick_reply_data(offer, "ส่งเลย"))  # a case needs this one
    drain(app)
    with services(app).db.session() as session:
        user = session.scalars(select(User).where(User.line_user_id == USER)).one()
        assert erase_user(session, user).counts["images"] == 1
    assert count(app) == 1 and count(app, StoredImage.user_id.is_(None), StoredImage.content.is_not(None)) == 1


def test_retention_drops_old_pictures(app: Flask) -> None:
    hashes = hash_image(render(UNKNOWN))
    old = utcnow() - IMAGE_RETENTION - timedelta(days=1)
    with services(app).db.session() as session:
        record_image(session, hashes, user_id=None, ocr_text=None, content=b"x", content_type="image/jpeg")
        session.execute(update(StoredImage).values(created_at=old))
        record_image(session, hashes, user_id=None, ocr_text=None, content=b"y", content_type="image/jpeg")
    with services(app).db.session() as session:
        assert purge_images(session) == 1
    assert count(app) == 1 and count(app, StoredImage.content.is_not(None)) == 1


def test_without_tesseract_the_bot_starts_and_says_so(database_url: str, line: LineEmulator, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on it
    with caplog.at_level(logging.WARNING):
        app = make_app(database_url, line.base_url)
    assert services(app).ocr_available is False
    assert any("Tesseract" in record.getMessage() for record in caplog.records)
    services(app).db.engine.dispose()


@pytest.mark.parametrize("reading", ["hash only", "OCR"])
def test_a_picture_case_card_shows_the_picture_at_a_signed_expiring_link_and_its_text(
        reading: str, database_url: str, line: LineEmulator) -> None:
    if reading == "OCR" and not is_ocr_available():
        pytest.skip("Tesseract with Thai data is not installed")
    app = make_app(database_url, line.base_url, PUBLIC_BASE_URL="https://bot.example.org")
    try:
        if reading == "hash only":
            without_ocr(app)
        with services(app).db.session() as session:
            session.add(Agency(code="afnc", name="ศูนย์ต่อต้านข่าวปลอม", categories=[], keywords=[], aliases=[]))
            session.flush()
            make_coordinator(session, COORDINATOR, "afnc", actor="test")
        sent = jpeg(render(UNKNOWN, POSTER))
        offer = send_image(app, line, USER, sent)["messages"][0]
        send_postback(app.test_client(), line, USER, quick_reply_data(offer, "ส่งเลย"))
        drain(app)
        card = line.delivered(COORDINATOR)[-1].messages[0]
        assert ("วันเสาร์นี้" in str(card["contents"]["body"])) == (reading == "OCR")
        url = card["contents"]["hero"]["url"]
        assert url.startswith("https://bot.example.org/pictures/")
        path = url.removeprefix("https://bot.example.org")
        client = app.test_client()
        served = client.get(path)
        assert (served.status_code, served.content_type, served.data) == (200, "image/jpeg", sent)
        assert client.get(path[:-1] + ("0" if path[-1] != "0" else "1")).status_code == 403
        image_id = int(path.split("/")[2].split("?")[0])
        expired = picture_url("", image_id, services(app).picture_key, now=time.time() - LINK_LIFETIME_SECONDS - 1)
        assert client.get(expired).status_code == 403
    finally:
        finish(app)


def test_two_citizens_forwarding_one_picture_join_one_case(app: Flask, line: LineEmulator) -> None:
    without_ocr(app)  # no text to match on: the hash joins them
    picture = render(UNKNOWN, POSTER)
    for user, copy in ((USER, jpeg(picture, 80)), (OTHER, jpeg(variant(picture, crop=0.02), 40))):
        offer = send_image(app, line, user, copy)["messages"][0]
        send_postback(app.test_client(), line, user, quick_reply_data(offer, "ส่งเลย"))
        drain(app)
    other = send_image(app, line, USER, jpeg(render(FORWARDED)))["messages"][0]
    send_postback(app.test_client(), line, USER, quick_reply_data(other, "ส่งเลย"))
    drain(app)
    with services(app).db.session() as session:
        assert [case.requester_count for case in session.scalars(select(Case).order_by(Case.id))] == [2, 1]
