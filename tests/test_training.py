"""`make model` in small: training on a fixture gives a working, reproducible pair of models."""
from __future__ import annotations

import csv
from pathlib import Path

from bench.corpus import SEED_CSV
from bench.stories import HELD_OUT, claims, story_clusters
from bench.train_matcher import excluded_stories, natural_pairs
from nlp.decision import Band, load_models
from nlp.match import ClaimMatcher, ClaimText
from nlp.normalise import normalise
from nlp.training import (
    BOUND_FLOOR,
    JOIN_BOUND_FLOOR,
    JOIN_PRECISION_FLOOR,
    NEGATIVE_AUTO_CEILING,
    PRECISION_FLOOR,
    Choice,
    LabelledText,
    Trained,
    choose_band,
    choose_chained_band,
    choose_embed_from,
    examples,
    fit,
    lowest_keeping,
    out_of_fold,
    pipeline,
    precision_lower_bound,
    save,
    with_join,
)

CLAIMS = [
    ClaimText("loan", "ออมสินปล่อยสินเชื่อไทรทอง กู้ได้ทุกอาชีพ ผ่อนนานสุด 7 ปี", "fake"),
    ClaimText("water", "ดื่มน้ำมะนาวโซดาทุกเช้า รักษามะเร็งได้หายขาด", "fake"),
    ClaimText("licence", "กรมการขนส่งทางบกเปิดทำใบขับขี่ออนไลน์ ไม่ต้องสอบ ผ่านเพจเฟซบุ๊ก", "fake"),
    ClaimText("rain", "กรมอุตุนิยมวิทยาเตือนฝนตกหนักภาคใต้ 3 วัน", "true"),
    ClaimText("aid", "รัฐบาลแจกเงินผู้สูงอายุคนละ 3,000 บาท ลงทะเบียนผ่านแอปทางรัฐ", "true"),
]
PHRASINGS = {
    "loan": ["ออมสินมีสินเชื่อไทรทอง ทุกอาชีพกู้ได้ ผ่อน 7 ปี จริงไหม", "ด่วน ออมสินสินเชื่อไทรทอง กู้ได้ทุกอาชีพ"],
    "water": ["น้ำมะนาวโซดาตอนเช้ารักษามะเร็งหายจริงเหรอ", "แชร์ต่อ ดื่มมะนาวโซดาทุกเช้า มะเร็งหายขาด"],
    "licence": ["ทำใบขับขี่ออนไลน์ไม่ต้องสอบผ่านเพจขนส่ง", "เพจกรมขนส่งรับทำใบขับขี่ ไม่ต้องไปสอบ จริงมั้ย"],
    "rain": ["อุตุเตือนฝนหนักภาคใต้สามวัน", "กรมอุตุฯ ประกาศฝนตกหนักทางใต้ 3 วันนะ"],
    "aid": ["ผู้สูงอายุได้เงิน 3,000 บาท ลงทะเบียนทางรัฐ", "รัฐแจกคนแก่ 3000 บาทผ่านแอปทางรัฐจริงไหม"],
}
OTHERS = ["สวัสดีค่ะ กินข้าวหรือยัง", "ออมสินเปิดสาขาใหม่ที่เชียงใหม่", "ฝนตกหนักที่ภาคเหนือ 5 วัน", "555"]


def fixture_items() -> list[LabelledText]:
    items = [LabelledText(text, frozenset({claim_id}), claim_id, "positive", True)
             for claim_id, texts in PHRASINGS.items() for text in texts]
    return items + [LabelledText(text, frozenset(), f"other-{index}", "unrelated", True)
                    for index, text in enumerate(OTHERS)]


def train(directory: Path) -> None:
    matcher = ClaimMatcher(CLAIMS)
    boosters, choices, trained = {}, {}, {}
    for name, embed in (("lexical", False), ("full", True)):
        found = examples(matcher, fixture_items(), embed=embed)
        predictions = out_of_fold(found)
        choice, _sweep = choose_band(matcher, found, predictions, floor=0.0)
        if name == "full":
            choice, _sweep = choose_chained_band(matcher, trained["lexical"], found, predictions,
                                                 choice.band.suggest, floor=0.0)
        boosters["claim", name], choices["claim", name] = fit(found), choice
        trained[name] = Trained(found, predictions, choice.band)
    embed_from = choose_embed_from(matcher, trained["lexical"], trained["full"])
    chained = pipeline(matcher, trained["lexical"], trained["full"], embed_from)
    save(directory, boosters, choices, {"claim": chained}, {"fixture": True})


def test_training_writes_models_the_matcher_loads(tmp_path: Path) -> None:
    train(tmp_path)
    models = load_models("claim", tmp_path)
    assert isinstance(models.lexical.band, Band)
    match = ClaimMatcher(CLAIMS, models=models).rank("ออมสินปล่อยสินเชื่อไทรทอง กู้ได้ทุกอาชีพ ผ่อนนานสุด 7 ปี")
    assert match.candidates[0].claim_id == "loan"
    assert 0.0 <= match.candidates[0].score <= 1.0


def test_training_is_reproducible(tmp_path: Path) -> None:
    train(tmp_path / "first")
    train(tmp_path / "second")
    for name in ("claim_lexical.txt", "claim_full.txt", "manifest.json"):
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()


def test_a_floor_nothing_meets_takes_the_strictest_threshold() -> None:
    matcher = ClaimMatcher(CLAIMS)
    found = examples(matcher, fixture_items(), embed=False)
    choice, sweep = choose_band(matcher, found, out_of_fold(found), floor=1.01)
    assert choice.band.auto == sweep[-1].band.auto == max(row.band.auto for row in sweep)
    assert (choice.autos, choice.errors) == (sweep[-1].autos, sweep[-1].errors)
    assert choice.band.join == choice.band.auto  # nor does any threshold keep the floors for joining


def test_the_embedding_is_skipped_only_below_where_it_ever_answered(tmp_path: Path) -> None:
    train(tmp_path)
    models = load_models("claim", tmp_path)
    assert 0.0 <= models.embed_from < 1.0


def test_a_threshold_whose_precision_bound_is_too_low_is_passed_over() -> None:
    # 5 wrong of 259 is a 0.981 point estimate but only a 0.960 lower bound; 1 of 200 keeps 0.977
    sweep = [choice(0.90, 259, 5), choice(0.95, 200, 1), choice(0.99, 100, 0)]
    assert precision_lower_bound(259, 5) < BOUND_FLOOR <= precision_lower_bound(200, 1)
    assert lowest_keeping(sweep, PRECISION_FLOOR).band.auto == 0.95


def test_a_threshold_that_answers_too_many_look_alikes_is_passed_over() -> None:
    # 2 wrong of 300 keeps the precision floors, but both are look-alikes: 2% of the messages that match no claim
    sweep = [choice(0.90, 300, 2, negative_autos=0.02), choice(0.95, 250, 1, negative_autos=0.01),
             choice(0.99, 100, 0)]
    assert sweep[0].precision_bound >= BOUND_FLOOR and sweep[0].negative_autos > NEGATIVE_AUTO_CEILING
    assert lowest_keeping(sweep, PRECISION_FLOOR).band.auto == 0.95
    # joining a tip to a case keeps the join floors only: the look-alike ceiling is a verdict's
    chosen = with_join(sweep, PRECISION_FLOOR)
    assert (chosen.band.auto, chosen.band.join, chosen.band.join_threshold) == (0.95, 0.90, 0.90)


def test_a_join_is_judged_by_the_wrong_join_target() -> None:
    """25 wrong of 1,000 (0.975) fails a verdict's floor of 0.98 but keeps the issue's wrong-join target (<= 3%)."""
    sweep = [choice(0.85, 1000, 25, negative_autos=0.03), choice(0.90, 600, 5, negative_autos=0.02),
             choice(0.95, 250, 1, negative_autos=0.01), choice(0.99, 100, 0)]
    assert JOIN_PRECISION_FLOOR <= sweep[0].precision < PRECISION_FLOOR
    assert sweep[0].precision_bound >= JOIN_BOUND_FLOOR
    chosen = with_join(sweep, PRECISION_FLOOR)
    assert (chosen.band.auto, chosen.band.join) == (0.95, 0.85)
    # a threshold under the join target (0.96) is passed over
    assert with_join([choice(0.85, 1000, 40), *sweep[1:]], PRECISION_FLOOR).band.join == 0.90


def choice(auto: float, autos: int, errors: int, negative_autos: float = 0.0) -> Choice:
    return Choice(band=Band(auto=auto, suggest=0.05), autos=autos, errors=errors,
                  precision=1 - errors / autos, precision_bound=precision_lower_bound(autos, errors),
                  recall=autos / 300, top3=0.95, negative_autos=negative_autos)


def test_held_out_stories_are_never_trained_on() -> None:
    """The sealed and test splits' stories, and the old dev set's, give no AFNC natural pair either."""
    rows = list(csv.DictReader(SEED_CSV.open(encoding="utf-8-sig", newline="")))
    story_of = dict(zip((row["id"] for row in rows), story_clusters([normalise(row["claim"]).text for row in rows])))
    held = {story_of[c.claim_id] for c in claims().values() if c.split in HELD_OUT}
    assert {story_of[c.claim_id] for c in claims().values() if c.split == "fresh23"} <= held
    excluded = excluded_stories()
    assert held <= excluded
    assert not {item.group for item in natural_pairs(excluded)} & {f"s{story}" for story in held}
