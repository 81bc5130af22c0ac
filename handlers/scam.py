"""Scam lures and their victims: safety advice and where to report first, then the usual check and tip offer."""
from __future__ import annotations

from dataclasses import replace

from bot.flex.messages import build_text_message
from bot.line.events import InboundEvent
from handlers import check_claim
from handlers.base import Context, Result
from nlp.scam import ScamKind, read_scam

REPORT = "โทรสายด่วน 1441 (ศูนย์ AOC รับแจ้งตลอด 24 ชั่วโมง) หรือแจ้งความออนไลน์ที่ thaipoliceonline.go.th"
SCAM_ADVICE = ("⚠️ ข้อความนี้มีลักษณะเหมือนมิจฉาชีพหลอกลวงค่ะ\n"
               "• อย่ากดลิงก์ และอย่าโหลดแอปที่ส่งมาทางข้อความหรือแชต\n"
               "• อย่าโอนเงิน และอย่าบอกรหัส OTP หรือรหัสผ่านให้ใครรู้\n"
               "• หน่วยงานรัฐและธนาคารไม่ส่งลิงก์ให้โหลดแอป และไม่ขอให้โอนเงินทาง SMS หรือแชต\n"
               f"ถ้าสงสัยหรือเสียเงินไปแล้ว {REPORT}")
VICTIM_ADVICE = ("เสียใจด้วยนะคะ รีบทำตามนี้ให้เร็วที่สุด\n"
                 "1. โทรหาธนาคารของคุณทันที (เบอร์อยู่หลังบัตรหรือในแอปธนาคาร) ขอให้ระงับบัญชีและอายัดเงินที่โอนไป\n"
                 f"2. {REPORT}\n"
                 "3. เก็บหลักฐานไว้ให้ครบ เช่น สลิปโอนเงิน ข้อความแชต เบอร์โทร เลขบัญชีปลายทาง\n"
                 "4. ถ้ากดลิงก์หรือโหลดแอปไปแล้ว ให้ปิดอินเทอร์เน็ตของเครื่องนั้น แล้วเปลี่ยนรหัสผ่านแอปธนาคารจากเครื่องอื่น\n"
                 "อย่าโอนเงินเพิ่ม แม้จะมีคนอ้างว่าช่วยตามเงินคืนได้")
ADVICE = {ScamKind.SCAM: SCAM_ADVICE, ScamKind.VICTIM: VICTIM_ADVICE}


def is_scam_or_victim(event: InboundEvent, _ctx: Context) -> bool:
    return event.is_one_to_one and event.message_type == "text" \
        and read_scam(event.text or "").kind is not ScamKind.NONE


def warn_then_check(event: InboundEvent, ctx: Context) -> Result:
    """Advice first: someone about to tap a link, or who just lost money, needs it before any verdict."""
    advice = build_text_message(ADVICE[read_scam(event.text or "").kind])
    checked = check_claim.check_message(event, ctx)
    return replace(checked, messages=(advice, *checked.messages))
