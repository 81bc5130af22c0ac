"""The place-name resolver (nlp/places.py) over the geothai gazetteer (nlp/gazetteer.py)."""
from __future__ import annotations

import csv
from pathlib import Path

import geothai
import pytest

from nlp.gazetteer import Level
from nlp.places import PlaceReader, load_gazetteer

CENTRES_CSV = Path(__file__).resolve().parent.parent / "data" / "sample" / "centres.csv"


@pytest.fixture(scope="module")
def gazetteer() -> PlaceReader:
    return load_gazetteer()


def codes(gazetteer: PlaceReader, text: str) -> list[str]:
    return [place.code for place in gazetteer.resolve(text).places]


@pytest.mark.parametrize("text, expected", [
    ("ศูนย์ดิจิ หนองคาย", ["43"]),
    ("ศูนย์ดิจิทัลชุมชนหนองคายมีไหมคะ", ["43"]),
    ("ศูนย์ดิจิทัลชุมชน อำเภอโพธิ์ตาก", ["4317"]),
    ("มีศูนย์ที่ จ.ยโสธร ไหม", ["35"]),
    ("ศูนย์ดิจิทัล น่าน", ["55"]),
    ("ศูนย์ดิจิทัลปาย", ["5803"]),  # a three-letter district needs no marker
    ("อำเภอเมืองหนองคาย", ["4301"]),
    ("ในเมืองพิษณุโลกมีศูนย์ไหม", ["6501"]),
    ("ศูนย์ดิจิทัล Chiang Mai", ["50"]),
])
def test_exact_names(gazetteer: PlaceReader, text: str, expected: list[str]) -> None:
    assert codes(gazetteer, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("หนองคาบ", ["43"]),  # not ต.หนองค่าย, whose tone mark the writer would have had to add
    ("ศูนย์ดิจิ หนองคาบ", ["43"]),
    ("ศูนย์ดิจิทัลแถวหนองคาบค่ะ", ["43"]),
    ("พิษณุโลค", ["65"]),
    ("ศูนย์ที่พิษณุโลค", ["65"]),
    ("ยโสธน", ["35"]),
    ("จ.อุบลราชทานี", ["34"]),
    ("โพธิตาก", ["4317", "480115"]),  # thanthakhat left out: the same as โพธิ์ตาก
    ("เพชลบุรี", ["76"]),  # not ชลบุรี with a stray "เพ"
    ("ต.คลอมตำหรุ อ.เมืองชลบุรี", ["200112"]),
    ("ต.เขาคอค อ.ประโคนชัย", ["310715"]),  # not ต.โพน… or ต.เขาค้อ, cut short of the typo
    ("ต.โพนสูม อ.บ้านดุง", ["411104"]),
    ("อ.โพธิตาก", ["4317"]),
    ("ต.แม่สุข", ["520604", "560703"]),  # a tambon's typo is read after a marker
])
def test_misspelt_names(gazetteer: PlaceReader, text: str, expected: list[str]) -> None:
    assert codes(gazetteer, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("โพธิ์ตาก", ["4317", "480115"]),  # อ.โพธิ์ตาก holds its ต.โพธิ์ตาก (431701); the other is in นครพนม
    ("อ.โพธิ์ตาก", ["4317"]),
    ("อำเภอโพธิ์ตาก", ["4317"]),
    ("ต.โพธิ์ตาก", ["431701", "480115"]),
    ("ศูนย์ดิจิทัลแถว ต.โพธิ์ตาก", ["431701", "480115"]),
    ("ตำบลโพธิ์ตาก", ["431701", "480115"]),
    ("โคราช", ["30"]),
    ("ต.โคราช", ["301803"]),  # the tambon of that name in อ.สูงเนิน
    ("เลย", []),  # the province's name is an everyday word
    ("จ.เลย", ["42"]),
    ("จังหวัดเลย", ["42"]),
    ("แชะ", []),  # a three-letter tambon is read only after a marker
    ("ต.แชะ", ["300201"]),
    ("ปง", ["5606"]),  # a district may be that short
    ("ต.ปง", ["560601"]),
    ("อ.บ้านกร่าง", ["640402", "650113", "720502"]),  # the marker is wrong, the name is still a tambon
])
def test_markers_say_the_level(gazetteer: PlaceReader, text: str, expected: list[str]) -> None:
    assert codes(gazetteer, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("แม่สุก", ["520604", "560703"]),
    ("บ้านกร่าง", ["640402", "650113", "720502"]),
    ("ท่าทอง", ["640710", "650105", "840202"]),
    ("บางเขน", ["1005", "120103"]),
    ("บางรัก", ["1004", "920109"]),
])
def test_ambiguous_names_give_every_place_in_order(gazetteer: PlaceReader, text: str, expected: list[str]) -> None:
    query = gazetteer.resolve(text)
    assert [place.code for place in query.places] == expected
    assert query.ambiguous


@pytest.mark.parametrize("text, expected", [
    ("มุกดาหาร", "49"),  # not also ต.มุกดาหาร inside it
    ("ศูนย์ดิจิ พระนครศรีอยุธยา มีไหมคะ", "14"),
    ("นครนายก", "26"),
])
def test_a_province_holds_its_namesakes(gazetteer: PlaceReader, text: str, expected: str) -> None:
    assert codes(gazetteer, text) == [expected]


def test_ambiguity_is_capped(gazetteer: PlaceReader) -> None:
    query = gazetteer.resolve("อ.เมือง")
    assert len(query.places) == 8
    assert all(place.level is Level.DISTRICT and place.code.endswith("01") for place in query.places)


@pytest.mark.parametrize("text, expected", [
    ("ต.โพธิ์ตาก อ.เมืองนครพนม", "480115"),
    ("ต.โพธิ์ตาก จ.หนองคาย", "431701"),
    ("ศูนย์ดิจิทัลชุมชน จ.หนองคาย อ.โพธิ์ตาก", "4317"),
    ("โพธิ์ตาก หนองคาย", "4317"),  # อ.โพธิ์ตาก, which holds ต.โพธิ์ตาก too
    ("ศูนย์ดิจิทัล อ.เมือง พิษณุโลก", "6501"),
    ("อ.เมือง จ.พิษณุโลก", "6501"),
    ("อ.เมือง โคราช", "3001"),
    ("เมืองโคราช", "3001"),
    ("แม่สุก ลำปาง", "520604"),
    ("แม่สุก จ.พะเยา", "560703"),
    ("ศูนย์ที่บ้านกร่างพิษณุโลก", "650113"),
    ("ท่าทอง สุราษฎร์", "840202"),
    ("ตลาด มหาสารคาม", "440101"),  # an everyday word narrows a province
    ("วิทยาลัยธาตุพนม อ.ธาตุพนม จ.นครพนม", "4805"),
])
def test_a_second_mention_disambiguates(gazetteer: PlaceReader, text: str, expected: str) -> None:
    query = gazetteer.resolve(text)
    assert [place.code for place in query.places] == [expected]
    assert not query.ambiguous


@pytest.mark.parametrize("text, expected", [
    ("ศูนย์ในเขตบางเขน", ["1005"]),
    ("บางเขน กทม", ["1005"]),
    ("ศูนย์ดิจิทัล เขตจตุจักร", ["1030"]),
    ("แขวงลาดยาว เขตจตุจักร", ["103001"]),
    ("ลาดยาว จตุจักร", ["103001"]),
    ("ดินแดง กทม.", ["1026"]),
    ("แขวงทุ่งสองห้อง เขตหลักสี่ กรุงเทพมหานคร", ["104101"]),
])
def test_bangkok_khet_and_khwaeng(gazetteer: PlaceReader, text: str, expected: list[str]) -> None:
    assert codes(gazetteer, text) == expected


@pytest.mark.parametrize("text", ["ศูนย์ดิจิทัลชุมชนกทม", "กทม.", "ศูนย์ดิจิทัล กรุงเทพ", "กรุงเทพฯ", "กรุงเทพมหานคร",
                                  "Bangkok", "จังหวัดกรุงเทพมหานคร", "ในเขตกรุงเทพ"])
def test_bangkok_aliases(gazetteer: PlaceReader, text: str) -> None:
    assert codes(gazetteer, text) == ["10"]


@pytest.mark.parametrize("text", [
    "ศูนย์ดิจิทัลชุมชนใกล้ฉัน",
    "สวัสดีค่ะ",
    "ขอบคุณมากครับ",
    "หลักสูตรการตลาดดิจิทัล",
    "ศูนย์ดิจิทัลชุมชนอยู่ที่ไหนบ้างคะ",
    "ศูนย์ใหม่เปิดเมื่อไหร่คะ",
    "อยากเรียนขายของออนไลน์ค่ะ",
    "เปิดกี่โมงคะ วันเสาร์เปิดไหม",
    "มีคอร์สถ่ายรูปสินค้าฟรีไหม",
    "ลงทะเบียนเรียนยังไงคะ",
    "ใกล้บ้านฉันมีไหม",
    "ไปตลาดนัดแถวบ้าน",
    "ธนาคารออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท",
    "โอนเงินผ่านแอปเป๋าตังได้ไหม",
    "ข่าวปลอมแพร่ระบาดในวงกว้าง",
    "เลยไม่รู้จะไปที่ไหนดี",
    "แขวงการทางแจ้งปิดถนน",
    "ทำใหม่ได้ไหมคะ",
    "ช่วยแก้ปัญหาให้หน่อย",
    "ห้างดังลดราคาครึ่งหนึ่ง",
    "ประกาศเมื่อ ต.ค. 2566 ที่ผ่านมา",
    "เว็บลงทุนนี้มี ก.ล.ต. รับรองแล้ว",
    "จังหวัดไหนมีศูนย์บ้างคะ",
    "ศูนย์อยู่ในเขตเมืองไหม",
    "ติดต่อที่ว่าการอำเภอได้ไหม",
    "อ.สมชาย สอนคอมพิวเตอร์",
    "โรงงานในเขตอุตสาหกรรม",
    "ด่วน!! ฉีดวัคซีนโควิดแล้วเป็นหมัน หมอยืนยันแล้ว ให้ดื่มน้ำร้อนผสมมะนาวทุกเช้าจะล้างพิษวัคซีนออกจากร่างกาย"
    " ส่งต่อให้คนที่คุณรักด้วย ห้ามฉีดเด็ดขาด รัฐบาลปิดข่าวเรื่องนี้ไว้ ใครฉีดไปแล้วให้กินกระเทียมสดวันละ 3 กลีบ",
    "hello, is there a digital centre?",
])
def test_text_without_a_place_gives_none(gazetteer: PlaceReader, text: str) -> None:
    query = gazetteer.resolve(text)
    assert query.places == ()
    assert not query.ambiguous


@pytest.mark.parametrize("code, label", [
    ("431701", "ต.โพธิ์ตาก อ.โพธิ์ตาก จ.หนองคาย"),
    ("4317", "อ.โพธิ์ตาก จ.หนองคาย"),
    ("43", "จ.หนองคาย"),
    ("6501", "อ.เมืองพิษณุโลก จ.พิษณุโลก"),
    ("100502", "แขวงอนุสาวรีย์ เขตบางเขน กรุงเทพฯ"),
    ("1005", "เขตบางเขน กรุงเทพฯ"),
    ("10", "กรุงเทพฯ"),
])
def test_label(gazetteer: PlaceReader, code: str, label: str) -> None:
    place = gazetteer.place(code)
    assert place is not None
    assert place.label() == label


def test_lookups_by_code(gazetteer: PlaceReader) -> None:
    bang_khen = gazetteer.place("1005")
    assert bang_khen is not None and bang_khen.name == "บางเขน" and bang_khen.level is Level.DISTRICT
    tambon = gazetteer.place("480115")
    assert tambon is not None and (tambon.province_code, tambon.district_code) == ("48", "4801")
    province = gazetteer.place("43")
    assert province is not None and province.district_code is None
    assert gazetteer.place("99") is None
    assert len(gazetteer.provinces()) == 77
    assert [place.code for place in gazetteer.districts("43")] == [d.code for d in geothai.districts("43")]


def test_every_sample_centre_address_resolves_to_its_own_code(gazetteer: PlaceReader) -> None:
    with CENTRES_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        expected = row["subdistrict_code"] or row["district_code"] or row["province_code"]
        assert codes(gazetteer, row["address"]) == [expected], row["address"]


def test_the_gazetteer_is_built_once() -> None:
    assert load_gazetteer() is load_gazetteer()
