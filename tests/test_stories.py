"""The story set's splits: which folder's messages land in which split, and what training may read."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import stories
from bench.__main__ import arguments
from bench.__main__ import main as bench_main
from bench.matching import HELD_OUT_TEXT


def write(path: Path, rows: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


def claim(claim_id: str, split: str) -> dict[str, object]:
    return {"claim_id": claim_id, "split": split, "story": f"s-{claim_id}", "also_ok": [f"{claim_id}-twin"]}


SEALED_ROWS = {"fresh4": ("g", "question", "ได้ข่าวว่ารถไฟฟรีทุกสายจริงไหมครับ"),
               "fresh5": ("h", "noisy", "ไปรษณีย์ไทยแจกกล่องฟรีจิงป่าว"),
               "fresh6": ("i", "excerpt", "…ทางด่วนฟรีช่วงสงกรานต์…"),
               "fresh7": ("j", "chain", "ส่งต่อด่วน ค่าวีซ่าแรงงานลดเหลือห้าร้อย"),
               "fresh8": ("k", "numbers", "เบี้ยผู้สูงอายุขึ้นเป็นหนึ่งพันบาทจริงไหม"),
               "fresh9": ("l", "noisy", "ปลาทูขึ้นราคาเข่งละร้อยจิงป่ะ"),
               "fresh10": ("m", "question", "ร้านทำผมต้องปิดสามวันจริงไหมคะ"),
               "fresh11": ("n", "retelling", "ตาบอกว่าได้ยินจากวิทยุว่าค่าน้ำลดครึ่งหนึ่ง"),
               "fresh12": ("o", "excerpt", "…ผู้โดยสารเล่าว่าแท็กซี่ขึ้นราคา…"),
               "fresh13": ("p", "noisy", "ราคายางขึ้นกิโลละร้อยจริงม่าย"),
               "fresh14": ("q", "question", "ค่าไฟลดหน่วยละห้าสิบสตางค์จริงไหมครับ"),
               "fresh15": ("r", "numbers", "ส้มตำจานละห้าสิบขึ้นเป็นร้อยนึงแม่นบ่"),
               "fresh16": ("s", "chain", "ด่วน! ธนาคารปิดสาขาทั่วประเทศวันจันทร์นี้ ส่งต่อด้วย"),
               "fresh17": ("t", "retelling", "นายที่ไซต์งานเว้าว่าค่าแรงขั้นต่ำขึ้นเป็นสี่ร้อยห้าสิบ"),
               "fresh18": ("u", "question", "ค่าโซล่าลดลิตรละสองบาทจริงม่าย"),
               "fresh19": ("v", "noisy", "ไข่ไก่ขึ้นแผงละสองร้อยจิงดิ"),
               "fresh20": ("w", "question", "น้ำมันปาล์มขวดละร้อยจริงไหมคะ"),
               "fresh21": ("x", "chain", "ด่วน! ค่าทางด่วนลดเหลือครึ่งราคาตั้งแต่พรุ่งนี้ ส่งต่อด้วย"),
               "fresh22": ("y", "retelling", "ลุงที่ท่าเรือบอกว่าน้ำมันเรือประมงลดลิตรละห้าบาท"),
               "fresh23": ("z", "noisy", "ค่ารถเมล์ขึ้นเป็นยี่สิบบาทจิงป่าวคะ")}
"""One claim and one message per sealed split that has a folder of its own (fresh4 on)."""


@pytest.fixture
def story_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path / "claims.jsonl", [claim("a", "train"), claim("b", "test")])
    write(tmp_path / "claims_more.jsonl", [claim("c", "train2"), claim("d", "fresh")])
    write(tmp_path / "written" / "auntie.jsonl", [
        {"kind": "positive", "claim_id": "a", "style": "question", "text": "ออมสินปล่อยกู้จริงไหมคะ"},
        {"kind": "hard_negative", "claim_id": "b", "style": "negation", "text": "ออมสินไม่ได้ปล่อยกู้นะ"},
        {"kind": "positive", "claim_id": "c", "style": "chain", "text": "เขียนผิดแฟ้ม: เรื่องของชุดที่สอง"}])
    write(tmp_path / "written_more" / "village_headman.jsonl", [
        {"kind": "positive", "claim_id": "c", "style": "chain", "text": "ประกาศจากผู้ใหญ่บ้าน รถไฟฟ้าลดภาษี"},
        {"kind": "positive", "claim_id": "d", "style": "chain", "text": "เขียนผิดแฟ้ม: เรื่องที่ปิดผนึก"},
        {"kind": "unrelated", "text": "พรุ่งนี้ประชุมหมู่บ้านบ่ายสองโมง"}])
    write(tmp_path / "fresh" / "anyone.jsonl", [
        {"kind": "positive", "claim_id": "d", "style": "question", "text": "แม่ทัพภาค 2 ได้เลื่อนยศจริงไหม"},
        {"kind": "unrelated", "text": "ฝากซื้อไข่ไก่หนึ่งแผงด้วย"}])
    write(tmp_path / "claims_fresh2.jsonl", [claim("e", "fresh2")])
    write(tmp_path / "fresh2" / "someone.jsonl", [
        {"kind": "positive", "claim_id": "e", "style": "retelling", "text": "เขาว่าค่าไฟงวดหน้าลดลงครึ่งหนึ่ง"},
        {"kind": "positive", "claim_id": "d", "style": "chain", "text": "เขียนผิดแฟ้ม: เรื่องของชุดแรกที่ปิดผนึก"}])
    write(tmp_path / "claims_fresh3.jsonl", [claim("f", "fresh3")])
    for split, (claim_id, style, text) in SEALED_ROWS.items():
        write(tmp_path / f"claims_{split}.jsonl", [claim(claim_id, split)])
        write(tmp_path / split / "sealed.jsonl", [{"kind": "positive", "claim_id": claim_id, "style": style,
                                                   "text": text}])
    write(tmp_path / "fresh3" / "another.jsonl", [
        {"kind": "positive", "claim_id": "f", "style": "excerpt", "text": "…ไปรษณีย์ส่งพัสดุฟรีทั่วประเทศ…"},
        {"kind": "positive", "claim_id": "e", "style": "chain", "text": "เขียนผิดแฟ้ม: เรื่องของชุดที่สามที่ปิดผนึก"}])
    monkeypatch.setattr(stories, "STORIES", tmp_path)
    return tmp_path


def test_every_claim_file_is_read(story_set: Path) -> None:
    assert {c.claim_id: c.split for c in stories.claims().values()} == {
        "a": "train", "b": "test", "c": "train2", "d": "fresh", "e": "fresh2", "f": "fresh3", "g": "fresh4",
        "h": "fresh5", "i": "fresh6", "j": "fresh7", "k": "fresh8", "l": "fresh9", "m": "fresh10", "n": "fresh11", "o": "fresh12", "p": "fresh13",
        "q": "fresh14", "r": "fresh15", "s": "fresh16", "t": "fresh17", "u": "fresh18",
        "v": "fresh19", "w": "fresh20", "x": "fresh21", "y": "fresh22", "z": "fresh23"}


def test_each_folder_gives_its_own_splits(story_set: Path) -> None:
    by_text = {q.text: q for q in stories.load(frozenset({"train", "train2", "dev", "test", "fresh", "fresh2",
                                                        "fresh3", *SEALED_ROWS}))}
    assert by_text["ประกาศจากผู้ใหญ่บ้าน รถไฟฟ้าลดภาษี"].split == "train2"
    assert by_text["ประกาศจากผู้ใหญ่บ้าน รถไฟฟ้าลดภาษี"].acceptable == {"c", "c-twin"}
    assert by_text["พรุ่งนี้ประชุมหมู่บ้านบ่ายสองโมง"].split == "train"
    assert by_text["แม่ทัพภาค 2 ได้เลื่อนยศจริงไหม"].split == "fresh"
    assert by_text["ฝากซื้อไข่ไก่หนึ่งแผงด้วย"].split == "fresh"
    assert by_text["ออมสินไม่ได้ปล่อยกู้นะ"].split == "test"
    # a row about a claim its folder was not given is left out, never relabelled
    assert "เขียนผิดแฟ้ม: เรื่องที่ปิดผนึก" not in by_text
    assert "เขียนผิดแฟ้ม: เรื่องของชุดที่สอง" not in by_text
    assert by_text["เขาว่าค่าไฟงวดหน้าลดลงครึ่งหนึ่ง"].split == "fresh2"
    assert "เขียนผิดแฟ้ม: เรื่องของชุดแรกที่ปิดผนึก" not in by_text
    assert by_text["…ไปรษณีย์ส่งพัสดุฟรีทั่วประเทศ…"].split == "fresh3"
    assert "เขียนผิดแฟ้ม: เรื่องของชุดที่สามที่ปิดผนึก" not in by_text
    assert {split: by_text[text].split for split, (_claim, _style, text) in SEALED_ROWS.items()} == {
        split: split for split in SEALED_ROWS}


def test_training_never_reads_a_held_out_split(story_set: Path) -> None:
    assert stories.TRAINING.isdisjoint(stories.HELD_OUT)
    trained = stories.load(stories.TRAINING)
    assert {q.split for q in trained} == {"train", "train2"} | stories.RETIRED
    assert not {q.text for q in trained} & {q.text for q in stories.load(stories.HELD_OUT)}


def test_an_opened_sealed_split_is_trained_on_and_no_longer_benchmarked() -> None:
    assert stories.RETIRED <= stories.TRAINING
    assert {"test", "fresh23"} <= stories.HELD_OUT
    for opened in ("fresh", "fresh6", "fresh7", "fresh8", "fresh9", "fresh10", "fresh11", "fresh12", "fresh13",
                   "fresh14", "fresh15", "fresh16", "fresh17", "fresh18", "fresh19", "fresh20", "fresh21", "fresh22"):
        with pytest.raises(SystemExit):
            bench_main(["matching"], opened)
    assert set(HELD_OUT_TEXT) == stories.HELD_OUT  # every split the benchmark may open says what it is


def test_bench_split_flag() -> None:
    assert arguments(["matching", "cases", "--split", "fresh"]) == (["matching", "cases"], "fresh")
    assert arguments(["--split=fresh", "matching"]) == (["matching"], "fresh")
    assert arguments(["load", "--quick"]) == (["load"], None)
