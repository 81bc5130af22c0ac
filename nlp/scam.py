"""Read a message for scams: a lure itself (a link or app to install, an OTP or a transfer asked for, in an
agency's or a bank's name) or someone telling us they were scammed. Text in, meaning out.

Conservative by design: a scam needs an action the scammer wants (install, tap, transfer, give a code) *and* a
pretext (an impersonated body, a reward, a threat); a warning about scams ("อย่าโหลดแอป…", "ระวัง…") without a
link is not one. A victim needs a scam word with a plea for help, or said of someone ("แม่โดนหลอก…") with a loss; or to
have just done what a scammer asks ("กดลิงก์ไปแล้ว").
Measured on bench/data/scams.jsonl (`python -m bench scams`, results in bench/RESULTS.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import regex

from nlp.normalise import URL


class ScamKind(StrEnum):
    NONE = "none"
    SCAM = "scam"
    """The message is, or passes on, a scammer's lure."""
    VICTIM = "victim"
    """The sender, or someone close, was scammed or has just done what a scammer asked."""


@dataclass(frozen=True)
class ScamReading:
    kind: ScamKind
    signals: tuple[str, ...] = ()
    """Which pattern families fired, for tests and the benchmark's error analysis."""


def _words(*patterns: str) -> regex.Pattern[str]:
    return regex.compile("|".join(patterns), regex.IGNORECASE)


# Matched on the text with whitespace removed (Thai writes no spaces between words; users add them anywhere).
APP = _words(r"(?:โหลด|ดาวน์โหลด|ดาวโหลด|ติดตั้ง|ลง)แอ[ปพ]", r"\.apk\b", r"\bapk\b", r"แอ[ปพ]\S{0,12}(?:ตามลิงก์|ในลิงก์)")
"""Install an app: how the land-title, tax-refund and electricity-bill scams take over a phone."""
TAP = _words(r"(?:กด|คลิก|คลิ๊ก|แตะ)(?:ที่)?(?:ลิ[งน]ก์|ลิ้งค์|link)", r"ลิ[งน]ก์(?:ด้านล่าง|นี้|ข้างล่าง)", r"แอดไลน์",
             r"(?:เพิ่มเพื่อน|ทักไลน์)(?:ไลน์)?(?:ไอดี|id)?", r"lin\.ee", r"line\.me/ti")
OTP = _words(r"\botp\b", r"รหัส(?:ยืนยัน|หกหลัก|6หลัก)", r"(?:แจ้ง|บอก|ส่ง|กรอก)รหัส(?:ผ่าน|atm|บัตร)?",
             r"เลขหลังบัตร", r"cvv")
TRANSFER = _words(r"โอน(?:เงิน)?(?:ค่า|มัดจำ|ก่อน|เข้าบัญชี)", r"ค่า(?:ธรรมเนียม|ดำเนินการ|มัดจำ|ประกัน)\S{0,20}(?:ก่อน|โอน)",
                  r"ชำระ(?:ค่า)?\S{0,20}(?:ก่อน|ภายใน)", r"บัญชี(?:ปลอดภัย|ตรวจสอบ)")
PRETEXT_BODY = _words(r"กรมที่ดิน", r"โฉนด", r"สรรพากร", r"ภาษีคืน", r"คืนภาษี", r"การไฟฟ้า", r"ค่าไฟ(?:เกิน|คืน)",
                      r"ประปา", r"ธนาคาร", r"ตำรวจ", r"สภ\.", r"ดีเอสไอ", r"\bdsi\b", r"ปปง", r"ศาล", r"ไปรษณีย์",
                      r"พัสดุ", r"\bdhl\b", r"kerry", r"flash", r"ประกันสังคม", r"กรมบัญชีกลาง", r"บำนาญ", r"กสทช",
                      r"กรมการขนส่ง", r"ใบขับขี่", r"ภาษีรถ", r"กยศ", r"ออมสิน", r"กรุงไทย", r"ธกส", r"ธ\.ก\.ส",
                      r"เป๋าตัง", r"ทางรัฐ")
PRETEXT_LURE = _words(r"ได้รับสิทธิ", r"รับสิทธิ", r"คืนเงิน", r"เงินคืน", r"รับเงิน", r"ได้รับเงิน", r"รางวัล",
                      r"ถูก(?:ระงับ|อายัด|ปิด)", r"จะถูก", r"ค้างชำระ", r"ผิดกฎหมาย", r"ยืนยันตัวตน", r"อัป?เดตข้อมูล",
                      r"อัพเดทข้อมูล", r"ลงทะเบียน", r"สินเชื่อ\S{0,10}(?:อนุมัติ|ด่วน|ไม่ต้องค้ำ)", r"อนุมัติ",
                      r"รายได้(?:วันละ|ต่อวัน)", r"งานออนไลน์", r"กดไลก์", r"ลงทุน\S{0,10}(?:ผลตอบแทน|กำไร)", r"ตกค้าง",
                      r"ภายใน24ชั่วโมง", r"ภายในวันนี้", r"หมายเรียก", r"หมายจับ")
WARNING = _words(r"อย่า(?:กด|คลิก|โหลด|ติดตั้ง|โอน|หลงเชื่อ|เชื่อ|ให้|แอด|บอก)", r"ระวัง", r"เตือนภัย", r"แจ้งเตือน",
                 r"ไม่มีนโยบาย", r"ไม่เคย(?:ส่ง|มี)", r"มิจฉาชีพ(?:แอบอ้าง|ใช้|หลอก)")
"""A warning about scams names the same things as a scam; without a link to act on it is advice, not a lure."""
SCAMMED = _words(r"(?:โดน|ถูก)\S{0,8}(?:หลอก|มิจฉาชีพ|แก๊ง|ต้มตุ๋น|ฉ้อโกง|โกง|ดูดเงิน|แฮก|ล้วงข้อมูล)",
                 r"เสียรู้", r"เงิน(?:ใน)?บัญชี(?:หาย|หมด|ถูกโอน|ถูกดูด)", r"เงินหาย(?:จาก|ไป|หมด)", r"ดูดเงิน")
SELF = _words(r"^(?:ฉัน|แม่|พ่อ|ยาย|ย่า|ตา|ปู่|เรา|หนู|ผม|ดิฉัน|ลูก|พี่|น้อง|เพื่อน|ญาติ|ป้า|ลุง|น้า|อา|สามี|ภรรยา|แฟน|"
              r"ที่บ้าน|คุณแม่|คุณพ่อ|เมื่อวาน|เมื่อกี้|วันนี้|ตอนนี้)",
              r"(?:ฉัน|แม่|พ่อ|ยาย|ย่า|ตา|ปู่|หนู|ผม|ดิฉัน|ลูก|เพื่อน|ญาติ|ป้า|ลุง|สามี|ภรรยา|แฟน|ที่บ้าน)(?:เพิ่ง)?(?:โดน|ถูก)",
              r"ของ(?:ฉัน|หนู|ผม|แม่|พ่อ|ยาย|เรา)")
LOSS = _words(r"โอน(?:เงิน)?(?:ไป|ให้)(?:แล้ว)?", r"เสียเงิน", r"หาย(?:ไป)?\d", r"\d\S{0,6}(?:บาท|หมื่น|แสน|ล้าน)")
PLEA = _words(r"ทำ(?:ยังไง|อย่างไร|ไง)(?:ดี|ต่อ)", r"ช่วย(?:ด้วย|หน่อย)", r"ต้องทำ(?:ยังไง|อย่างไร|อะไร)",
              r"แจ้งความ\S{0,6}(?:ที่ไหน|ยังไง|อย่างไร|ได้ไหม)", r"(?:ได้|เอา|ขอ|ตาม)เงินคืน", r"อายัด\S{0,10}(?:ยังไง|ได้ไหม|ไหม)")
"""Asking what to do now: a victim's question, where news about scams only reports."""
JUST_DID = _words(r"(?:กด|คลิก)(?:ลิ[งน]ก์|ลิ้งค์)\S{0,30}?แล้ว", r"(?:โหลด|ติดตั้ง|ลง)แอ[ปพ]\S{0,30}?แล้ว",
                  r"(?:ให้|บอก|กรอก)(?:รหัส|otp)\S{0,30}?แล้ว", r"โอน(?:เงิน)?ไปแล้ว")
"""Having already done what the scammer asked: advice is urgent even without the word หลอก."""
ACTIONS = {"app": APP, "tap": TAP, "otp": OTP, "transfer": TRANSFER}
PRETEXTS = {"body": PRETEXT_BODY, "lure": PRETEXT_LURE}


def read_scam(text: str) -> ScamReading:
    squeezed = "".join(text.split())
    fired = [name for name, pattern in (*ACTIONS.items(), *PRETEXTS.items()) if pattern.search(squeezed)]
    has_link = URL.search(text) is not None
    if SCAMMED.search(squeezed) and (PLEA.search(squeezed) or (SELF.search(squeezed) and LOSS.search(squeezed))):
        return ScamReading(ScamKind.VICTIM, ("scammed", *fired))
    if JUST_DID.search(squeezed) and SELF.search(squeezed):
        return ScamReading(ScamKind.VICTIM, ("just_did", *fired))
    if has_link:
        fired.append("link")
    actions = [name for name in fired if name in ACTIONS or name == "link"]
    pretexts = [name for name in fired if name in PRETEXTS]
    warned = WARNING.search(squeezed) is not None
    if not actions or not pretexts or (warned and not has_link):
        return ScamReading(ScamKind.NONE, tuple(fired))
    if actions == ["link"] and pretexts == ["body"]:  # a bank's or agency's own news links to its site
        return ScamReading(ScamKind.NONE, tuple(fired))
    return ScamReading(ScamKind.SCAM, tuple(fired))
