"""Names that compete with each other: a message about one bank must never get another bank's verdict."""
from __future__ import annotations

ENTITY_GROUPS: dict[str, tuple[tuple[str, ...], ...]] = {
    "bank": (("ออมสิน",), ("กรุงไทย",), ("กสิกร",), ("ไทยพาณิชย์", "scb"), ("กรุงศรี",), ("ธ.ก.ส", "ธกส"),
             ("ธอส", "อาคารสงเคราะห์"), ("ทีทีบี", "ttb", "ทหารไทย"), ("ธนาคารกรุงเทพ", "bbl"), ("ยูโอบี", "uob"),
             ("ซีไอเอ็มบี", "cimb"), ("ไอแบงก์", "อิสลาม"), ("เอสเอ็มอีดีแบงก์", "sme d bank")),
    "telecom": (("เอไอเอส", "ais"), ("ทรู", "true"), ("ดีแทค", "dtac"), ("ทีโอที", "tot", "nt ")),
    "utility": (("การไฟฟ้า", "กฟภ", "กฟน"), ("ประปา", "กปภ", "กปน")),
    "fund": (("ประกันสังคม", "สปส"), ("กยศ",), ("กบข",), ("กอช",)),
    "transport": (("การรถไฟ", "รฟท"), ("ขนส่ง",), ("ทางหลวง",), ("บขส",), ("ขสมก",)),
    "disease": (("เบาหวาน",), ("มะเร็ง",), ("ความดันโลหิตสูง", "ความดันสูง", "โรคความดัน"), ("โควิด", "covid"),
                ("ไข้เลือดออก",), ("โรคหัวใจ", "หัวใจวาย"), ("โรคไต", "ไตวาย"), ("โรคตับ", "ตับแข็ง"),
                ("อัลไซเมอร์",), ("เอดส์", "hiv"), ("ไมเกรน",), ("ต้อกระจก", "ต้อหิน"), ("เก๊าท์", "เกาต์"),
                ("หอบหืด",), ("ไข้หวัดใหญ่",), ("ฝีดาษ", "mpox"), ("พาร์กินสัน",)),
    "payment": (("เป๋าตัง",), ("ทางรัฐ",), ("พร้อมเพย์", "promptpay"), ("คนละครึ่ง",), ("บัตรสวัสดิการ", "บัตรคนจน")),
}
"""Each group lists rivals; each rival lists its spellings (matched as substrings of normalised text)."""


def mentioned(text: str) -> dict[str, frozenset[int]]:
    """For each group, which of its rivals the text names."""
    found: dict[str, frozenset[int]] = {}
    for group, rivals in ENTITY_GROUPS.items():
        names = frozenset(index for index, spellings in enumerate(rivals) if any(s in text for s in spellings))
        if names:
            found[group] = names
    return found


def conflict(query: dict[str, frozenset[int]], claim: dict[str, frozenset[int]]) -> str | None:
    """The group in which the message names a rival that the claim does not, while the claim names another."""
    for group, names in query.items():
        claimed = claim.get(group)
        if claimed and not names & claimed:
            return group
    return None
