"""Community digital centres: near a shared location, in a named place, or by name."""
from __future__ import annotations

from typing import Any

from bot.flex.centre import CentreCard, build_centre_details_message, build_centres_message, build_location_message
from bot.flex.messages import build_text_message, location_action, quick_reply
from bot.line.events import InboundEvent, Location
from bot.line.postback import Action
from bot.richmenu.spec import MenuCommand
from data.centres import area_label, centres_in_area, find_centre_by_name
from data.conversation import State
from data.courses import upcoming_sessions
from data.models import Centre, LocationPrecision, utcnow
from data.users import stop_awaiting
from handlers.base import Context, Result, UserInputError, says
from handlers.places import ask_which_place, picked_place
from handlers.replies import main_quick_replies
from nlp.gazetteer import Level, Place
from nlp.places import load_gazetteer

NEAR_KM = 50.0
"""Beyond this a centre is not "near" (about an hour by road): the answer falls back to the centres of the
user's district or province whose site is unknown, else says honestly that none is near and whom to ask."""
NEAREST_COUNT = 3
DETAIL_SESSIONS = 3
AREA_COUNT = 10
ASK_LOCATION = ("ส่งตำแหน่งของคุณมาได้เลยค่ะ (กดปุ่ม \"ส่งตำแหน่ง\" ด้านล่าง) "
                "หรือพิมพ์ชื่ออำเภอ/จังหวัด เช่น \"ศูนย์ดิจิทัล อ.โพธิ์ตาก\"")
NONE_IN_PLACE = ("ยังไม่มีข้อมูลศูนย์ดิจิทัลชุมชนใน {place} ในระบบค่ะ 🙏 "
                 "ลองส่งตำแหน่งของคุณมา เพื่อหาศูนย์ที่ใกล้ที่สุดได้นะคะ")
FOUND_IN_PLACE = "ศูนย์ดิจิทัลชุมชนใน {place} ค่ะ"
WIDENED = {Level.DISTRICT: "ยังไม่มีข้อมูลศูนย์ใน {place} ค่ะ นี่คือศูนย์ในอำเภอเดียวกันนะคะ",
           Level.PROVINCE: "ยังไม่มีข้อมูลศูนย์ใน {place} ค่ะ นี่คือศูนย์ในจังหวัดเดียวกันนะคะ"}
NEAREST = "ศูนย์ที่ใกล้คุณที่สุดค่ะ"
NOTHING_NEAR = ("ยังไม่พบศูนย์ดิจิทัลชุมชนในระยะ {km:.0f} กม. จากตำแหน่งของคุณค่ะ\n"
                "ติดต่อสอบถามที่ว่าการอำเภอ เทศบาล หรือ อบต. ใกล้บ้าน "
                "หรือโทรสายด่วนศูนย์บริการประชาชน 1111 ได้นะคะ")
IN_YOUR_AREA = {Level.DISTRICT: "ยังไม่มีพิกัดศูนย์ใกล้คุณค่ะ จึงแสดงศูนย์ในอำเภอของคุณแทนนะคะ",
                Level.PROVINCE: "ยังไม่มีพิกัดศูนย์ใกล้คุณค่ะ จึงแสดงศูนย์ในจังหวัดของคุณแทนนะคะ"}
APPROXIMATE_NOTE = "ℹ️ ตำแหน่งที่มีคำว่า “โดยประมาณ” เป็นจุดอ้างอิงของพื้นที่ ไม่ใช่ที่ตั้งจริง"
CALL_FIRST = "โทรสอบถามก่อนเดินทางนะคะ"
SEARCH_FIRST = "ก่อนเดินทาง กดปุ่ม “แผนที่” เพื่อค้นหาจากชื่อศูนย์นะคะ"
"""Only advice a user can follow: a call when every approximate centre shown has a phone."""
CENTRE_GONE = "ขออภัยค่ะ ไม่พบศูนย์นี้ในระบบแล้ว ลองค้นหาใหม่อีกครั้งนะคะ"
NO_PIN = "ศูนย์นี้ยังไม่มีพิกัดที่ตั้งที่แน่นอน จึงส่งตำแหน่งให้ไม่ได้ กดปุ่ม “แผนที่” เพื่อค้นหาจากชื่อศูนย์นะคะ"


def _card(centre: Centre, km: float | None = None) -> CentreCard:
    return CentreCard.of(centre, area_label(centre), km)


def _follow_up_actions() -> list[dict[str, Any]]:
    return [location_action(), *main_quick_replies()]


def show_cards(intro: str, cards: list[CentreCard]) -> Result:
    approximate = [card for card in cards if card.precision is not LocationPrecision.EXACT]
    if approximate:
        advice = CALL_FIRST if all(card.phone for card in approximate) else SEARCH_FIRST
        intro = f"{intro}\n{APPROXIMATE_NOTE} {advice}"
    return Result(messages=(build_text_message(intro),
                            build_centres_message(cards, utcnow(), quick_reply(_follow_up_actions()))))


is_near_me_request = says({MenuCommand.CENTRES})
"""The rich menu's tile and the quick reply: answered without classifying."""


def ask_for_location(_event: InboundEvent, ctx: Context) -> Result:
    stop_awaiting(ctx.user, State.SESSION_LOCATION)  # the location to come is for centres, not courses
    return Result(messages=(build_text_message(ASK_LOCATION, _follow_up_actions()),))


def centres_of(place: Place, ctx: Context) -> Result:
    district = place.district_code if place.level is not Level.PROVINCE else None
    subdistrict = place.code if place.level is Level.SUBDISTRICT else None
    found = centres_in_area(ctx.session, place.province_code, district, subdistrict, limit=AREA_COUNT)
    if not found.centres:
        return Result(messages=(build_text_message(NONE_IN_PLACE.format(place=place.label()),
                                                   _follow_up_actions()),))
    level = Level(found.level)
    intro = FOUND_IN_PLACE if level is place.level else WIDENED[level]
    return show_cards(intro.format(place=place.label()), [_card(centre) for centre in found.centres])


def answer_query(event: InboundEvent, ctx: Context) -> Result:
    """Free text about centres: a centre by name, centres in a named place, or "near me"."""
    text = event.text or ""
    query = load_gazetteer().resolve(text)
    if query.ambiguous:
        return ask_which_place(query, Action.CENTRE_PLACE)
    if query.places:
        return centres_of(query.places[0], ctx)
    centre = find_centre_by_name(ctx.session, text)
    if centre is not None:
        return show_cards(centre.name, [_card(centre)])
    return ask_for_location(event, ctx)


def nearest_to(location: Location, ctx: Context) -> Result:
    """The nearest centres with coordinates; if none is near, those of the user's district or province."""
    near = ctx.knowledge.nearest_centres(ctx.session, location.latitude, location.longitude, NEAREST_COUNT, NEAR_KM)
    if near:
        return show_cards(NEAREST, [_card(item.centre, item.km) for item in near])
    query = load_gazetteer().resolve(location.address or "")
    if query.places and not query.ambiguous:
        place = query.places[0]
        found = centres_in_area(ctx.session, place.province_code,
                                place.district_code if place.level is not Level.PROVINCE else None,
                                limit=AREA_COUNT)
        unplaced = [centre for centre in found.centres if centre.latitude is None or centre.longitude is None]
        if unplaced:  # near perhaps, but without coordinates: found by the address LINE attached
            return show_cards(IN_YOUR_AREA[Level(found.level)], [_card(centre) for centre in unplaced])
    # Never a centre hundreds of kilometres away: whom to ask is more use than a far list.
    return Result(messages=(build_text_message(NOTHING_NEAR.format(km=NEAR_KM), _follow_up_actions()),))


def is_location(event: InboundEvent, _ctx: Context) -> bool:
    return event.is_one_to_one and event.message_type == "location" and event.location is not None


def answer_location(event: InboundEvent, ctx: Context) -> Result:
    assert event.location is not None
    return nearest_to(event.location, ctx)


def _centre_from(params: dict[str, str], ctx: Context) -> Centre:
    centre = ctx.session.get(Centre, params.get("c", ""))
    if centre is None or not centre.active:
        raise UserInputError(CENTRE_GONE)
    return centre


def show_centre(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    """[รายละเอียด]: more than the card: full address, the week's hours, phone, services, coming sessions."""
    centre = _centre_from(params, ctx)
    views = upcoming_sessions(ctx.session, utcnow(), centre_codes=[centre.code], limit=DETAIL_SESSIONS)
    sessions = [(view.course.title, view.session.starts_at) for view in views]
    return Result(messages=(build_centre_details_message(_card(centre), sessions, _follow_up_actions()),))


def send_centre_location(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    """Only a centre whose own position is known gets a pin: a district's reference point is not an address."""
    card = _card(_centre_from(params, ctx))
    if not card.pinpointed:
        return Result(messages=(build_text_message(NO_PIN, main_quick_replies()),))
    return Result(messages=(build_location_message(card),))


def show_place(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    """A place picked from the "which one?" quick replies."""
    return centres_of(picked_place(params), ctx)
