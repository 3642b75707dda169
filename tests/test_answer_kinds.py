"""The kind of answer a question asks for, read in its own language and found in local formats.

The questions of the XQuAD languages are XQuAD's own (tuning articles); those of the other
languages are written for these tests.
"""

from __future__ import annotations

import pytest

from indexer import Settings, build_index, load_index
from indexer.answer.fillers import asked_kind, best_filler
from indexer.answer.questions import (
    analyse,
    has_date,
    has_money,
    has_name,
    has_number,
    read_needs,
)

from .fakes import FakeEmbedder

HALL_QUESTION = "Wie viel kostete die Sporthalle?"
HALL_MONEY = "Die Baukosten betrugen 2,3 Millionen Euro."
HALL_DATE = "Sie wurde am 3. Mai 2019 eröffnet."

ASKED = [
    ("de", HALL_QUESTION, "money"),
    ("de", "In welchem Jahr stellte Joseph Priestley Sauerstoff fest?", "date"),
    ("de", "Wie viele Zylinder hat der Motor von Energiprojekt AB?", "number"),
    ("de", "Wer war der erste Vorsitzende des IPCC?", "name"),
    ("es", "¿Cuándo se fundó la colonia de Nueva Gales del Sur?", "date"),
    ("es", "¿Cuántos colonos se establecieron en Manakintown?", "number"),
    ("es", "¿Quién fundó McKinsey & Company?", "name"),
    ("es", "¿Qué porcentaje de la eficiencia de un motor ha conseguido?", "percent"),
    ("el", "Πότε ιδρύθηκε η αποικία της Νέας Νότιας Ουαλίας;", "date"),
    ("el", "Πόσοι άποικοι αρχικά εγκαταστάθηκαν στο Manakintown;", "number"),
    ("el", "Ποιος έγραψε το ποίημα Το Σήμα της Αναρχίας;", "name"),
    ("ru", "В каком году Дьюар проводил эксперимент с жидким кислородом?", "date"),
    ("ru", "Сколько экзаменационных комиссий существует в Индии?", "number"),
    ("ru", "Кто основал McKinsey & Company?", "name"),
    ("tr", "Dewar hangi yılda sıvı oksijen üzerinde deney yaptı?", "date"),
    ("tr", "Hindistan'da kaç tane Sınav Kurulu var?", "number"),
    ("tr", "Oracle'ın kurucusu kimdir?", "name"),
    ("ar", "متى تم إعلان هذا المرسوم؟", "date"),
    ("ar", "كم عدد لجان الفحص الموجودة في الهند؟", "number"),
    ("vi", "Dewar thí nghiệm oxi lỏng vào năm nào?", "date"),
    ("vi", "Có bao nhiêu Hội đồng Kiểm tra ở Ấn Độ?", "number"),
    ("vi", "Ai thành lập McKinsey & Company?", "name"),
    ("th", "ฝรั่งเศสเข้าควบคุมแอลจีเรียเมื่อใด", "date"),
    ("th", "ในอินเดียมีคณะกรรมการสอบทั้งหมดกี่แห่ง", "number"),
    ("zh", "南非学校法案是哪一年通过的?", "date"),
    ("zh", "这所学校由几个学术单位组成?", "number"),
    ("zh", "体育馆花了多少钱？", "money"),
    ("hi", "फ्रांस ने अल्जीरिया पर कब नियंत्रण किया?", "date"),
    ("hi", "भारत में कितने परीक्षा बोर्ड मौजूद हैं?", "number"),
    ("ro", "În ce an a fost adoptată Legea școlilor din Africa de Sud?", "date"),
    ("ro", "Câte comisii de examinare există în India?", "number"),
    ("ro", "Cine a scris poezia Masca Anarhiei?", "name"),
    ("fr", "Combien a coûté la salle de sport ?", "money"),
    ("fr", "Quand la salle de sport a-t-elle été inaugurée ?", "date"),
    ("fr", "Qui a construit la salle de sport ?", "name"),
    ("it", "Quanto è costata la palestra?", "money"),
    ("it", "Chi ha costruito la palestra?", "name"),
    ("pt", "Quanto custou o ginásio?", "money"),
    ("pt", "Quando foi inaugurado o ginásio?", "date"),
    ("nl", "Hoeveel heeft de sporthal gekost?", "money"),
    ("nl", "Wanneer werd de sporthal geopend?", "date"),
    ("pl", "Ile kosztowała hala sportowa?", "money"),
    ("pl", "Kiedy otwarto halę sportową?", "date"),
    ("sv", "Hur mycket kostade sporthallen?", "money"),
    ("da", "Hvornår blev hallen åbnet?", "date"),
    ("no", "Hvor mye kostet idrettshallen?", "money"),
    ("fi", "Milloin urheiluhalli avattiin?", "date"),
    ("cs", "Kdo postavil sportovní halu?", "name"),
    ("uk", "Скільки коштував спортзал?", "money"),
    ("id", "Kapan gedung olahraga itu dibuka?", "date"),
    ("ja", "スポーツホールはいつ開館しましたか？", "date"),
    ("ko", "체육관은 언제 문을 열었습니까?", "date"),
    ("he", "מתי נפתח אולם הספורט?", "date"),
    ("fa", "سالن ورزشی چه زمانی افتتاح شد؟", "date"),
]


@pytest.mark.parametrize(("language", "question", "kind"), ASKED)
def test_a_question_is_read_in_its_own_language(language, question, kind):
    needs = analyse(question)
    assert needs.language == language
    assert asked_kind(needs, question) == kind


@pytest.mark.parametrize(
    ("language", "question"),
    [
        ("tr", "Hugenotlar Fransa'dan neden kaçtı?"),  # "kaçtı": fled, not "how many"
        ("zh", "他几乎每天都去体育馆吗？"),  # 几乎: almost, not "how many"
        ("th", "หัวข้ออื่นใดสามารถมีความเกี่ยวข้องกับอารยะขัดขืนได้"),  # เกี่ยว holds กี่
        ("ru", "Между какими двумя улицами когда-то проживали богатые люди?"),  # когда-то: once
        ("el", "Ποιος είναι ο στόχος της πολιτικής ανυπακοής;"),  # ποιος: "what", no person
    ],
)
def test_words_that_only_look_like_question_words_ask_nothing(language, question):
    needs = read_needs(question, language)
    assert not (needs.number or needs.money or needs.date or needs.name)


def test_a_language_without_a_table_is_read_as_before():
    question = "Je, ni lini ukumbi wa michezo ulifunguliwa? When was it?"  # Swahili: no table
    assert read_needs(question, "sw") == read_needs(question, "en").__class__(
        **{**read_needs(question, "en").__dict__, "language": "sw"}
    )
    for text in ("Ilifunguliwa mwaka 2019.", "Gharama zilikuwa shilingi milioni mbili."):
        assert has_number(text, "sw") == has_number(text)
        assert has_money(text, "sw") == has_money(text)
        assert has_date(text, True, "sw") == has_date(text, True)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", HALL_MONEY),
        ("es", "El coste fue de 230 millones de dólares."),
        ("fr", "Les travaux ont coûté 2,3 millions d'euros."),
        ("ro", "Harvard a redus participațiile cu 230 de milioane de dolari."),
        ("ru", "Гарвард сократил вложения на 230 млн долларов."),
        ("tr", "Yönetim varlıklarını 230 milyon dolar düşürdü."),
        ("el", "Το κόστος ήταν 230 εκατ. ευρώ."),
        ("ar", "بلغت التكلفة ٢٣٠ مليون ريال."),
        ("hi", "इसकी लागत ५०० करोड़ रुपये थी।"),
        ("vi", "Chi phí là 500 triệu đồng."),
        ("th", "ค่าก่อสร้าง 230 ล้านบาท"),
        ("zh", "哈佛管理层减持了2.3亿美元的股份。"),
    ],
)
def test_amounts_of_money_are_found_as_each_language_writes_them(language, text):
    assert has_money(text, language)
    filler = best_filler(text, "?", "money", language)
    assert filler is not None and any(c.isdigit() for c in text[filler.start : filler.end])


@pytest.mark.parametrize(
    ("language", "text", "calendar"),
    [
        ("de", "Die Fähre fährt täglich um 14 Uhr ab.", False),
        ("de", HALL_DATE, True),
        ("zh", "该法令于1685年颁布。", True),
        ("zh", "渡轮每天下午3点出发。", False),
        ("ja", "平成元年に開館した。", True),
        ("th", "เชียงใหม่ก่อตั้งขึ้นในปี พ.ศ. 1839", True),
        ("th", "สร้างเสร็จเมื่อ พ.ศ. 2530", True),
        ("ar", "أعلن المرسوم عام ١٦٨٥.", True),
        ("hi", "यह सन १९८७ में बना।", True),
        ("ru", "Виктория приняла конституцию в 1975 году.", True),
        ("ru", "Паром отходит в 14 ч.", False),
        ("vi", "Nhà máy đóng cửa vào tháng 5 năm 2013.", True),
        ("el", "Ιδρύθηκε τον Μάιο.", True),
        ("tr", "12 Mayıs'ta vatandaşlığa kavuştular.", True),
        ("fr", "Le ferry part à 14 h 30.", False),
    ],
)
def test_dates_and_times_are_found_as_each_language_writes_them(language, text, calendar):
    assert has_date(text, calendar, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("th", "นักวิทยาศาสตร์สามารถวัดได้"),  # สามารถ: "can", not สาม "three"
        ("vi", "Cộng đồng người Việt ở đây rất lớn."),  # đồng: "community", not money
        ("ro", "Este mai mare decât celelalte."),  # mai: "more", not May
        ("zh", "荷兰三角洲位于莱茵河畔。"),  # 三 of 三角洲 (delta) is no number
    ],
)
def test_words_that_only_look_like_amounts_or_dates_are_not(language, text):
    assert not (has_money(text, language) or has_date(text, True, language))
    assert language != "th" or not has_number(text, language)
    assert language != "zh" or not has_number(text, language)


def test_names_cannot_be_told_in_a_script_without_capitals():
    assert has_name("يقع المصنع في السويد.", "أين يقع المصنع؟", "ar")
    assert has_name("Sie liegt in Schweden.", "Wo liegt die Fabrik?", "de")
    assert not has_name("it lies far to the north.", "Where is the plant?", "en")


def test_the_sports_hall_question_asks_for_money_and_only_the_cost_holds_it():
    needs = analyse(HALL_QUESTION)
    assert needs.language == "de" and needs.money
    assert has_money(HALL_MONEY, "de") and not has_money(HALL_DATE, "de")
    filler = best_filler(HALL_MONEY, HALL_QUESTION, asked_kind(needs, HALL_QUESTION), "de")
    assert HALL_MONEY[filler.start : filler.end] == "2,3 Millionen Euro"


def test_the_sports_hall_is_answered_with_its_cost_not_its_opening_day(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "sporthalle.txt").write_text(
        "Die neue Sporthalle von Neustadt\n\n"
        "Die Sporthalle am Stadtpark wurde am 3. Mai 2019 eröffnet. "
        f"{HALL_MONEY} Die Halle bietet Platz für achthundert Zuschauer, und drei Vereine "
        "trainieren dort jede Woche. Im Winter finden hier auch Konzerte und Märkte statt.\n",
        encoding="utf-8",
    )
    settings = Settings(min_answer_score=-1.0)  # the fake model's scores say nothing
    build_index(docs, tmp_path / "index", settings, FakeEmbedder())
    index = load_index(tmp_path / "index", settings, FakeEmbedder())
    answer = index.answer(HALL_QUESTION)
    assert not answer.refused, answer.reason
    quote = answer.quotes[0]
    assert quote.text == HALL_MONEY
    text = index.document_text("sporthalle.txt")
    assert text[quote.answer[0] : quote.answer[1]] == "2,3 Millionen Euro"
