"""A small library of documents for find and the query language: contracts and notes in five
languages, each file with a known modified date."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from .scans import text_pdf

LEASE = (
    "Lease agreement\n\n"
    "Neither party is liable for delays caused by Force\n"
    "Majeure, as agreed in clause 12 of this lease.\n\n"
    "The tenant pays the rent monthly. Termination requires inter-\n"
    "national notice, sent by registered mail to the landlord.\n"
)
DRAFT = "# Draft lease\n\nThis draft mentions force majeure only in passing and is not signed.\n"
TERMS = ["Force majeure events suspend every obligation of both parties to this contract."]
GERMAN = (
    "Die Kündigung des Mietvertrags muss schriftlich erfolgen. Der Vermieter bestätigt den "
    "Eingang der Kündigung innerhalb von zwei Wochen. Eine mündliche Kündigung ist nicht "
    "wirksam, auch wenn beide Parteien damit einverstanden sind.\n"
)
CHINESE = (
    "双方同意在合同终止后三十日内结清全部款项。合同终止前，任何一方不得单方面变更条款。"
    "本合同一式两份，双方各执一份，具有同等法律效力。\n"
)
THAI = (
    "สัญญาเช่านี้มีผลบังคับใช้ตั้งแต่วันที่ลงนาม ผู้เช่าต้องชำระค่าเช่าทุกเดือนภายในวันที่ห้า "
    "หากผู้เช่าผิดนัดชำระค่าเช่า ผู้ให้เช่ามีสิทธิบอกเลิกสัญญาได้ทันที\n"
)
ARABIC = (
    "يَنتهي العقدُ بعد ثلاثين يوماً من الإشعار الكتابي. يجب على المستأجر دفع الإيجار شهرياً "
    "في موعده، ولا يجوز له تأجير العقار من الباطن دون موافقة المالك.\n"
)
FILES = {
    "contracts/lease.txt": (LEASE, "2024-01-15"),
    "contracts/lease-draft.md": (DRAFT, "2024-06-01"),
    "contracts/terms.pdf": (None, "2023-05-01"),
    "notes/kuendigung.txt": (GERMAN, "2025-02-01"),
    "notes/hetong.txt": (CHINESE, "2025-02-01"),
    "notes/thai.txt": (THAI, "2025-02-01"),
    "notes/arabic.txt": (ARABIC, "2025-02-01"),
}


def write_library(folder: Path) -> Path:
    """Write the library into folder, each file modified at noon of its day; return folder."""
    for name, (text, day) in FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            path.write_bytes(text_pdf(TERMS))
        else:
            path.write_text(text, encoding="utf-8", newline="")
        stamp = datetime.fromisoformat(f"{day}T12:00:00").timestamp()
        os.utime(path, (stamp, stamp))
    return folder
