"""Decode a text file's bytes: UTF-8, a byte-order mark, or the likeliest legacy code page."""

from __future__ import annotations

import re

# A valid multi-byte UTF-8 sequence; a file holding some of these but failing strict UTF-8
# decoding is corrupt UTF-8, and decoding it as a legacy code page would only make mojibake.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# Legacy encodings by how common they are on the web: the tie-breaker between equal fits.
_PREVALENCE = {
    name: rank
    for rank, name in enumerate(
        ["cp1252", "latin_1", "iso8859_15", "cp1251", "cp1250", "gb18030", "gb2312", "shift_jis",
         "euc_jp", "euc_kr", "big5", "cp1256", "cp1253", "cp1254", "cp1255", "cp1257", "koi8_r"]
    )
}  # fmt: skip
_TIE = 0.15  # chaos and coherence scores this close count as equal fits
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode_bytes(data: bytes) -> tuple[str, str] | str:
    """Decode file bytes as (text, encoding), or return the reason they are not text."""
    if not data:
        return "empty file (0 bytes)"
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                return f"not valid {encoding} despite its byte-order mark"
    if b"\x00" in data[:65536]:
        return "binary content (NUL bytes), not text"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        if _UTF8_MULTIBYTE.search(data):
            return f"invalid UTF-8 (corrupt bytes at byte {error.start})"
    return _detect_legacy_encoding(data)


def _detect_legacy_encoding(data: bytes) -> tuple[str, str] | str:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return "not text in any encoding the detector recognises"
    # Short texts fit several code pages about equally well; among near-equal fits, take the
    # most common encoding (the detector's own order is arbitrary within such a tie).
    top = matches[0]
    tied = [
        m for m in matches if m.chaos <= top.chaos + _TIE and m.coherence >= top.coherence - _TIE
    ]
    best = min(tied, key=lambda m: _PREVALENCE.get(m.encoding, len(_PREVALENCE)))
    text = str(best)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > len(text) * 0.01:
        return "binary content (control characters), not text"
    return text, best.encoding
