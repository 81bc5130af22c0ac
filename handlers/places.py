"""Asking which place a user meant when a name fits several (two ต.โพธิ์ตาก, a บ้านใหม่ in many provinces)."""
from __future__ import annotations

from bot.flex.messages import MAX_ACTION_LABEL, build_text_message, postback_action, shorten
from bot.line import postback
from handlers.base import Result, existing
from nlp.gazetteer import Place
from nlp.places import MAX_PLACES, PlaceQuery, load_gazetteer

WHICH_PLACE = "หมายถึงที่ไหนคะ เลือกได้เลยค่ะ"
NAME_THE_PROVINCE = "ชื่อนี้มีหลายแห่งค่ะ ช่วยพิมพ์ชื่อจังหวัดต่อท้ายด้วยนะคะ เช่น \"{example}\""
PLACE_GONE = "ปุ่มนี้หมดอายุแล้วค่ะ ลองพิมพ์ชื่อสถานที่อีกครั้งนะคะ"


def _choice_label(place: Place) -> str:
    """The place and its province ("ต.โพธิ์ตาก จ.นครพนม"): what tells same-named places apart."""
    parts = place.label().split(" ")
    return " ".join((parts[0], parts[-1])) if len(parts) > 2 else place.label()


def _district_label(place: Place) -> str:
    """A tambon's district ("อ.บางใหญ่"): what tells apart same-named tambons of one province."""
    parts = place.label().split(" ")
    return parts[1] if len(parts) > 2 else parts[0]


def ask_which_place(query: PlaceQuery, action: str) -> Result:
    """Quick replies, one per place; `action` is the postback that answers with the chosen place's code.

    The gazetteer caps its readings, so a full list means there may be more: the user names the province.
    Labels cut to LINE's 20 characters may collide; they are then numbered and spelled out in the question.
    """
    if len(query.places) >= MAX_PLACES:
        return Result(messages=(build_text_message(NAME_THE_PROVINCE.format(example=query.places[0].label())),))
    labels = [_choice_label(place) for place in query.places]
    question = WHICH_PLACE
    if len({shorten(label, MAX_ACTION_LABEL) for label in labels}) < len(labels):
        # Same name, same province: the district tells them apart, and the question spells each one out.
        question += "\n" + "\n".join(f"{number}. {place.label()}" for number, place in enumerate(query.places, 1))
        labels = [f"{number}. {_district_label(place)}" for number, place in enumerate(query.places, 1)]
    actions = [postback_action(label, postback.encode(action, p=place.code), place.label())
               for label, place in zip(labels, query.places)]
    return Result(messages=(build_text_message(question, actions),))


def picked_place(params: dict[str, str]) -> Place:
    return existing(load_gazetteer().place(params.get("p", "")), PLACE_GONE)
