"""One spelling for each word that citizens and AFNC's titles write in many ways: a loanword in Latin letters or
in Thai ones ("Street Food" / "สตรีทฟู้ด"), its Thai spellings ("เฟสบุ๊ค" / "เฟซบุ๊ก"), and everyday words for a
title's formal one ("โรงบาล" / "โรงพยาบาล", "กิน" / "รับประทาน").

Word tokens and character n-grams agree only on the same letters: before this, "ออมสินปล่อยกู้สตรีทฟู้ด
คนละ2แสน" shared no word with "สินเชื่อ Street Food … 2 แสนบาท" and was answered with another loan's verdict
(fresh18, read after its opening), and a message saying "แมส" never reached a claim about "หน้ากากอนามัย".
Only variants are rewritten, never the spelling they fold into, so a short canonical word ("แอป") that occurs
inside longer ones is harmless. Latin words match whole (no Latin letter either side); Thai ones where no
longer word that merely contains them is known (the look-aheads and look-behinds below).

Out of fold, words only, on the same training data (2026-12-04, fresh18 retired): at the auto threshold 0.955,
3,419 automatic answers with 51 wrong before; 3,427 and 49 with the loanwords and everyday words; 3,451 and 46
with the words read off the training positives and the month names (`nlp.normalise.MONTH_NAME`) as well, when
0.95 became the chosen threshold (3,529 and 50, recall 0.633 -> 0.654, look-alikes answered 0.98% -> 0.90%);
with medicines, the city's trains, a bare "covid" and "ไม่กี่"/"ไม่นาน" read as no negation
(`nlp.negation.LIMIT`), 3,454 and 43 at 0.955, 3,553 and 48 at 0.95, and 0.945 chosen (3,623 and 55, recall
0.671, look-alikes 0.94%).
Those last words were chosen by looking at the same messages, so part of that gain is in-sample; the sealed
split after this change measures it unseen. A second reading, of word pairs only two or three messages used
(ม็อบ/ชุมนุม, วาสลีน/ปิโตรเลียมเจลลี่, ตกงาน/ว่างงาน… and a month as said without its day, "มกรา 65"), moved
nothing beyond noise (at 0.95, 3,542 answers and 52 wrong, or 3,538 and 49 for the months alone, against 3,553
and 48) and was not kept.
"""
from __future__ import annotations

import regex

SPELLINGS: tuple[tuple[str, str], ...] = (
    # platforms, apps and the words around them
    (r"เฟ[ซส]\s?บุ[๊็]?[กค]|facebook|(?<![a-z])fb(?![a-z])", "เฟซบุ๊ก"),
    (r"ติ[๊็]?ก\s?ต[็๊]?อ[กค]|tik\s?tok", "ติ๊กต็อก"),
    (r"ยูทู[บป]|youtube", "ยูทูบ"),
    (r"กูเกิ้ล|google", "กูเกิล"),
    (r"(?<![a-z])line(?![a-z])", "ไลน์"),
    (r"แอ[ปพ]{1,2}\s?(?:ลิ|พลิ)เคชั่?น|application|(?<![a-z])apps?(?![a-z])|แอ[๊]?พ|แอ๊ป", "แอป"),
    (r"ลิ[้]?[งน][กค]์|(?<![a-z])link(?![a-z])", "ลิงก์"),
    (r"อีเมล์|e-?mail", "อีเมล"),
    (r"เว[็]?[บป]ไซ[ตท]์?|website", "เว็บไซต์"),
    (r"(?<![a-z])sms(?![a-z])|เอส\s?เอ็ม\s?เอส", "เอสเอ็มเอส"),
    (r"(?<![a-z])online(?![a-z])|ออนไลน(?!์)", "ออนไลน์"),
    (r"(?<![a-z])wi-?fi(?![a-z])", "ไวไฟ"),
    (r"(?<![a-z])qr\s?code(?![a-z])|คิว\s?อาร์\s?โค้?ด|(?<![a-z])qr(?![a-z])", "คิวอาร์โค้ด"),
    (r"(?<![a-z])mymo(?![a-z])", "มายโม"),
    (r"shopee|ช[้็]?อปปี้?", "ช้อปปี้"),
    (r"lazada|ลาซาดา", "ลาซาด้า"),
    (r"iphone|ไอ\sโฟน", "ไอโฟน"),
    (r"(?<![a-z])atm(?![a-z])|เอ\s?ที\s?เอ็ม", "เอทีเอ็ม"),
    (r"(?<![a-z])atk(?![a-z])|เอ\s?ที\s?เค(?!\p{Thai})", "เอทีเค"),
    (r"walk[\s-]?in|วอล?์?[กค]\s?อิน", "วอล์กอิน"),
    (r"street\s?food|สตรีท\s?ฟู้?[ดท]", "สตรีทฟู้ด"),
    (r"smart\s?card|สมาร์[ทต]\s?การ์ด", "สมาร์ทการ์ด"),
    (r"rapid\s?test|แร[พป]{1,2}ิด\s?เทส(?:ต์|ท์)?", "แรพิดเทสต์"),
    # vaccines
    (r"pfizer|ไฟ\sเซอร์", "ไฟเซอร์"),
    (r"astra\s?zeneca|แอส\s?ตร้?า\s?เซน?เนก้?า|แอสตร้?า(?!\s?เซ)|(?<![a-z])az(?![a-z])", "แอสตร้าเซนเนก้า"),
    (r"sinovac|ซิโน\s?แว[คก]", "ซิโนแวค"),
    (r"sinopharm|ซิโน\sฟาร์ม", "ซิโนฟาร์ม"),
    (r"moderna|โมเดอ?ร์\s?นา", "โมเดอร์นา"),
    (r"vaccines?|แวคซีน|วัค\sซีน", "วัคซีน"),
    (r"(?<![a-z])covid(?![a-z])", "โควิด"),
    # medicines and the city's trains
    (r"ibuprofen|ไอบูโพ?ร?เฟน", "ไอบูโพรเฟน"),
    (r"paracetamol|พาราเซตามอล|พาราเซตตามอล|(?<![a-z])para(?![a-z])", "พารา"),
    (r"ivermectin|ไอเวอร์เม[กค]ติน", "ไอเวอร์เมกติน"),
    (r"favipiravir|ฟาวิพิ?ราเวียร์", "ฟาวิพิราเวียร์"),
    (r"vitamin|วิตตามิน", "วิตามิน"),
    (r"(?<![a-z])bts(?![a-z])|บี\s?ที\s?เอส", "บีทีเอส"),
    (r"(?<![a-z])mrt(?![a-z])|เอ็ม\s?อาร์\s?ที", "เอ็มอาร์ที"),
    (r"(?<![a-z])brt(?![a-z])|บี\s?อาร์\s?ที", "บีอาร์ที"),
    # everyday words for a title's formal one
    (r"โรง\s?['’]?บาล|(?<!เคา)รพ\.(?!\s?สต)|(?<!\p{Thai})รพ(?![\p{Thai}.])", "โรงพยาบาล"),
    (r"แมส(?:ก์)?(?!เส|เซ|ซี)|(?<![a-z])masks?(?![a-z])", "หน้ากากอนามัย"),
    (r"รับประทาน", "กิน"),
    (r"ฉี่", "ปัสสาวะ"),
    (r"เสียชีวิต", "ตาย"),
    # words a training message used where its claim used another, most often first (read off the training
    # splits' positives on 2026-12-04; see bench/RESULTS.md for what that means for the out-of-fold figures)
    (r"กระทรวงสาธารณสุข", "สธ."),
    (r"คณะรัฐมนตรี", "ครม."),
    (r"การไฟฟ้านครหลวง", "กฟน."),
    (r"การไฟฟ้าส่วนภูมิภาค", "กฟภ."),
    (r"(?<!\p{Thai})ธกส(?!\p{Thai})", "ธ.ก.ส."),
    (r"(?<!\p{Thai})กลต(?!\p{Thai})", "ก.ล.ต."),
    (r"อุตุนิยมวิทยา", "อุตุฯ"),
    (r"เกษตรฯ", "เกษตรและสหกรณ์"),
    (r"(?<!\p{Thai})จนท\.?", "เจ้าหน้าที่"),
    (r"(?<!\p{Thai})ตร\.", "ตำรวจ"),
    (r"เขมร", "กัมพูชา"),
    (r"มาเลย์", "มาเลเซีย"),
    (r"โคราช", "นครราชสีมา"),
    (r"จับมือ(?:กับ)?", "ร่วมกับ"),
    (r"ไฟเขียว", "อนุมัติ"),
    (r"ต่างด้าว", "ต่างชาติ"),
    (r"เส้นเลือด", "หลอดเลือด"),
    (r"คีโม", "เคมีบำบัด"),
    (r"แต้ม", "คะแนน"),
    (r"ติดคุก", "จำคุก"),
    (r"มหาลัย", "มหาวิทยาลัย"),
    (r"ทางด่วน", "ทางพิเศษ"),
    (r"เพ็[จด]", "เพจ"),
    (r"รถเมล์?", "รถโดยสาร"),
    (r"อุทกภัย", "น้ำท่วม"),
    (r"(?<=\d\s?)ขวบ", "ปี"),
    (r"คนป่วย", "ผู้ป่วย"),
    (r"คนแก่|คนชรา", "ผู้สูงอายุ"),
    (r"กิโลกรัม", "กก."),
    (r"(?<=\d\s?)ชม\.?", "ชั่วโมง"),
    (r"(?<!วัน|พระ|ดวง|แสง|ทิศ)อาทิตย์", "สัปดาห์"),
    (r"ชำระ", "จ่าย"),
    (r"(?<!กรม)ท่าอากาศยาน(?!ไทย)", "สนามบิน"),
    (r"ได้(?:รับ)?เงิน", "รับเงิน"),
    (r"ต่อเวลา", "ขยายเวลา"),
    (r"ส่วนตัว", "ส่วนบุคคล"),
    (r"รู้เท่าทัน", "รู้ทัน"),
)
"""(variants, the one spelling): Latin loanwords of AFNC's titles, their Thai spellings and everyday synonyms."""

FOLDS = tuple((regex.compile(pattern), f" {canonical} " if canonical.endswith(".") else canonical)
              for pattern, canonical in SPELLINGS)
"""An abbreviation is written between spaces: two Thai letters are read as a name only so ("ปลัดสธ." is not)."""


def fold_spellings(text: str) -> str:
    """The lower-cased text with every variant of SPELLINGS written its one way."""
    for pattern, canonical in FOLDS:
        text = pattern.sub(canonical, text)
    return text
