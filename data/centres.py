"""Community digital centres: where they are, what they offer, and which ones answer a user's question."""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.models import Centre
from nlp.places import load_gazetteer

SERVICE_LABELS = {
    "internet": "อินเทอร์เน็ต",
    "wifi": "ฟรีไวไฟ",
    "computers": "คอมพิวเตอร์ให้ใช้งาน",
    "printer": "เครื่องพิมพ์",
    "training": "อบรม/กิจกรรมเสริมทักษะดิจิทัล",
    "online_selling": "ช่วยขายสินค้าออนไลน์",
    "product_photo": "ถ่ายภาพสินค้าเพื่อขายออนไลน์ (ร่วมกับไปรษณีย์ไทย)",
    "library": "ห้องสมุด",
}
"""The `services` vocabulary of centres.csv (data/sample/README.md) and how replies name each service."""
CENTRE_NAME_SCORE = 88
"""A centre named in a message: partial-ratio score (0-100) its name must reach; names share long prefixes
("ศูนย์ดิจิทัลชุมชน…"), so the generic words are stripped before comparing."""
GENERIC_NAME_WORDS = ("ศูนย์ดิจิทัลชุมชน", "ศูนย์ดิจิทัล", "ศูนย์", "ตำบล", "โรงเรียน", "อบต.", "ชุมชน")


@dataclass(frozen=True)
class AreaCentres:
    """Centres found for a place; `level` says how far the search had to widen (subdistrict → province)."""

    centres: tuple[Centre, ...]
    level: str


def active_centres(session: Session) -> list[Centre]:
    return list(session.scalars(select(Centre).where(Centre.active).order_by(Centre.code)))


def centres_in_area(session: Session, province_code: str, district_code: str | None = None,
                    subdistrict_code: str | None = None, limit: int = 10) -> AreaCentres:
    """The centres of the most specific area that has any, widening from subdistrict to district to province."""
    levels = (("subdistrict", Centre.subdistrict_code, subdistrict_code), ("district", Centre.district_code,
              district_code), ("province", Centre.province_code, province_code))
    for level, column, value in levels:
        if value is None:
            continue
        found = tuple(session.scalars(select(Centre).where(Centre.active, column == value)
                                      .order_by(Centre.code).limit(limit)))
        if found:
            return AreaCentres(found, level)
    return AreaCentres((), "province")


def _name_key(name: str) -> str:
    for word in GENERIC_NAME_WORDS:
        name = name.replace(word, " ")
    return " ".join(name.split())


def find_centre_by_name(session: Session, text: str) -> Centre | None:
    """The one centre a message names ("ศูนย์ดิจิทัลชุมชนวัดบูรพา เปิดกี่โมง"), or None."""
    query = _name_key(text)
    if len(query) < 3:
        return None
    centres = active_centres(session)
    keys = {index: _name_key(centre.name) for index, centre in enumerate(centres)}
    best = process.extractOne(query, keys, scorer=fuzz.partial_ratio, score_cutoff=CENTRE_NAME_SCORE,
                              processor=None)
    if best is None or len(keys[best[2]]) < 3:
        return None
    return centres[best[2]]


def area_label(centre: Centre) -> str:
    """The centre's area in Thai, most specific first ("ต.โพธิ์ตาก อ.โพธิ์ตาก จ.หนองคาย")."""
    return load_gazetteer().label_of(centre.subdistrict_code, centre.district_code, centre.province_code)


def service_labels(centre: Centre) -> list[str]:
    return [SERVICE_LABELS.get(service, service) for service in centre.services]
