"""bench.kinds on a tiny parallel set: English kinds as the reference, before and after."""

from __future__ import annotations

from bench.kinds import _kind, measure, per_kind, table

ENGLISH = {
    "1": ("When does the ferry leave?", ["at 2 pm"]),
    "2": ("How much did the sports hall cost?", ["2.3 million euros"]),
    "3": ("Who built the sports hall?", ["Hans Müller"]),
    "4": ("Why was the hall closed?", ["because of the flood"]),
}
GERMAN = {
    "1": ("Um wie viel Uhr fährt die Fähre ab?", ["um 14 Uhr"]),
    "2": ("Wie viel kostete die Sporthalle?", ["2,3 Millionen Euro"]),
    "3": ("Wer hat die Sporthalle gebaut?", ["Hans Müller"]),
    "4": ("Warum wurde die Halle geschlossen?", ["wegen der Flut"]),
}


def test_the_language_own_words_agree_with_the_english_kinds():
    reference = {i: _kind(q, "en", "en") for i, (q, _) in ENGLISH.items()}
    assert reference == {"1": "date", "2": "money", "3": "name", "4": None}
    row = measure(GERMAN, reference, ENGLISH, "de", "")
    assert row["agreement"] == {"before": 0.25, "after": 1.0}  # English words read only "why"
    # "um 14 Uhr" is no date in English's words; "Euro" and a capital name are in both.
    assert row["gold holds"]["before"] == 2 / 3 and row["gold holds"]["after"] == 1.0
    assert row["per kind"]["money"] == {"tp": 1, "tn": 3}
    lines = table({"de": row}).splitlines()
    assert lines[2].startswith("| de | 0.250 | **1.000** | 0.667 | **1.000** |")
    assert "1.00/1.00 (1)" in per_kind({"de": row})
