# ruff: noqa: E501 - one pattern a line reads better than regexes cut mid-word
"""What kind of answer a question asks for, read in the question's own words (one table a language).

English is read by questions.py's own rules, unchanged; these tables add the other languages the
detector names. Kinds: money (an amount of money), number (how many / much / long / far),
percent (which of the numbers: a share), date (when), calendar (which year, day, century),
person (who, or which company, country, city), place (where: read and measured, not yet
required of an answer, as English's "where" is not). The question words come from each
language's interrogatives (its grammar's list, as Wiktionary gathers them); for the XQuAD
languages they were checked on XQuAD's 338 tuning questions in each language (`python -m
bench.kinds`); the others' (kinds_asked_other.py) were not checked on real questions. `\\b` in a pattern is a word's
edge that counts vowel signs and diacritics as part of the word (Hindi's vowel signs are not
letters to Python).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .kinds_asked_other import OTHER_LANGUAGES

MARKS = r"\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u0900-\u0dff\u200c\u200d"
WORD_EDGE = rf"(?:(?<![\w{MARKS}])(?=[\w{MARKS}])|(?<=[\w{MARKS}])(?![\w{MARKS}]))"
# Codes the detector gives for a close variety of a language with a table (short questions are
# often named so: XQuAD's Chinese questions 50 times as "wuu", Hindi's 8 times as "mr" or "ne").
ALIASES = {
    "lb": "de", "wuu": "zh", "yue": "zh", "gan": "zh", "hak": "zh", "lzh": "zh", "arz": "ar",
    "ary": "ar", "acm": "ar", "apc": "ar", "ajp": "ar", "aeb": "ar", "arq": "ar", "ne": "hi",
    "mr": "hi", "sa": "hi", "nb": "no", "nn": "no", "ms": "id",
}  # fmt: skip

# The languages of XQuAD, checked on its questions; the others are in kinds_asked_other.py.
ASKED: dict[str, dict[str, str]] = {
    # German: Duden's interrogatives ("wie viel", "wann", "wer", "wo", "welches Jahr").
    "de": {
        "money": r"\bwie ?viel\w* .*\b(?:kost\w*|gekostet|verdien\w*|bezahl\w*|zahlt\w*|ausgegeben|eingenommen|wert|geld|euro|dollar)\b|\bwas (?:kostet\w*|kostete\w*)\b|\b(?:wie hoch|welche[rsn]?) (?:\w+ )?(?:war|ist|sind|waren|lag|liegt)? ?(?:die|der|das)? ?(?:\w*kosten|preis|budget|gehalt|umsatz|gebühr\w*|miete|summe|betrag)\b",
        "number": r"\bwie ?viele?\w*\b|\bwie (?:lange?|weit|alt|groß|gross|hoch|oft|schnell|schwer|tief|breit|stark)\b|\bwelche[rsnm]? (?:anzahl|zahl|menge|prozent\w*|anteil|betrag|summe|quote)\b",
        "percent": r"\bprozent\w*|\banteil\b|\bquote\b|\brate\b",
        "date": r"\bwann\b|\bum wie ?viel uhr\b|\b(?:in |an |seit |bis |ab |zu )?welche[rsnm]? (?:jahr\w*|datum|tag|monat|uhrzeit|zeit\w*|epoche|jahreszeit)\b",
        "calendar": r"\b(?:in |an |seit |bis |ab )?welche[rsnm]? (?:jahr|jahres|jahrzehnt\w*|jahrhundert\w*|datum|tag|monat)\b",
        "person": r"\bwer\b|\bwe(?:n|m|ssen)\b|\bwelche[rsnm]? (?:\w+ ){0,2}?(?:person\w*|unternehmen|firma|firmen|organisation\w*|land|länder|stadt|städte|behörde|universität|menschen?|volk|einrichtung)\b",
        "place": r"\bwo(?:hin|her)?\b|\bin welche[rmn]? (?:stadt|land|region|gegend|ort)\b",
    },
    # Spanish: the RAE's interrogatives, with their accents ("cuando" unaccented is "when" as a
    # conjunction, "quien" a relative pronoun).
    "es": {
        "money": r"\bcuánt\w* .*\b(?:cost\w*|cuest\w*|pag\w*|gan\w*|val\w*|dinero|gast\w*|recaud\w*|cobr\w*|invirt\w*)\b|\b(?:cuál|qué) (?:es|era|fue|son|eran) (?:el|la|los|las) (?:precio|coste|costo|presupuesto|salario|sueldo|tarifa|ingresos?)\b|\bqué precio\b",
        "number": r"\bcuánt[oa]s?\b|^\W*cuant[oa]s?\b|\ba qué distancia\b|\bqué tan\b|\bcon qué (?:velocidad|frecuencia)\b|\b(?:en )?qué (?:porcentaje|cantidad|número|proporción|medida|edad|altura)\b",
        "percent": r"\bporcentaje\b|\bpor ciento\b|\bproporción\b|\btasa\b|\bcuota\b",
        "date": r"\bcuándo\b|\b(?:en |a |desde |hasta |durante )?qu[eé] (?:año|fecha|día|mes|siglo|década|hora|momento|época|periodo|período)\b",
        "calendar": r"\b(?:en |desde |hasta |durante )?qu[eé] (?:año|fecha|día|mes|siglo|década)\b|\bcuál (?:es|era|fue) (?:la fecha|el año)\b",
        "person": r"\bquién(?:es)?\b|\bqué (?:\w+ ){0,2}?(?:persona|personas|empresa|compañía|organización|país|países|ciudad|universidad|organismo|pueblo)\b",
        "place": r"\b(?:a|de|desde|hacia|por)?dónde\b|\ben qué (?:lugar|ciudad|país|región)\b",
    },
    # Romanian: DOOM's interrogatives, with both cedilla and comma forms of ș and ț.
    "ro": {
        "money": r"\bc[âa]t\w* .*\b(?:cost\w*|pl[ăa]t\w*|c[âa]știg\w*|câştig\w*|bani|lei|euro|dolari|cheltui\w*)\b|\b(?:care|ce) (?:este|era|a fost) (?:prețul|preţul|costul|bugetul|salariul|valoarea)\b",
        "number": r"\bc[âa]t[eiă]?\b|\bcâți\b|\bcâţi\b|\bcu cât\b|\bcât de (?:mult|departe|des|repede|mare|lung|înalt|vechi)\b|\bce (?:procent|număr|cantitate|proporție|proporţie|parte)\b|\ba câta parte\b|\bla ce distanță\b|\bcu ce viteză\b",
        "percent": r"\bprocent\w*|\bproporți\w*|\bproporţi\w*|\brat[ăa]\b|\bcot[ăa]\b",
        "date": r"^\W*c[âa]nd\b|\bde când\b|\bpână când\b|\bla ce oră\b|\b(?:în |din |la )?(?:ce|care) (?:an|lună|zi|secol|deceniu|perioadă|dată)\b",
        "calendar": r"\b(?:în |din |la )?(?:ce|care) (?:an|lună|zi|secol|deceniu|dată)\b",
        "person": r"\bcine\b|\bcui\b|\b(?:ce|care) (?:\w+ ){0,2}?(?:companie|firmă|organizație|organizaţie|țară|ţară|oraș|oraş|persoană|persoane|universitate|instituție|instituţie)\b",
        "place": r"\bunde\b|\bîncotro\b|\bîn ce (?:loc|oraș|oraş|țară|ţară|regiune|zonă)\b",
    },
    # Greek: the interrogatives of Triantafyllidis' grammar; "πού" and "πότε" carry their accents
    # ("που" is "that", "ποτέ" is "never").
    "el": {
        "money": r"\bπόσ\w* .*\b(?:κόστ\w*|κοστ\w*|στοίχ\w*|πλήρω\w*|πληρ\w*|χρήματ\w*|ευρώ|δολάρι\w*|κέρδ\w*|ξόδεψ\w*|δαπάν\w*)\b|\bποιο (?:ήταν |είναι )?(?:το )?(?:κόστος|τίμημα|ποσό)\b|\bποια (?:ήταν |είναι )?(?:η )?(?:τιμή|αξία)\b",
        "number": r"\bπόσ(?:ος|η|ο|οι|ες|α|ους|ων|ον)\b|\bκατά πόσο\b|\bτι ποσοστό\b|\bποιο (?:ποσοστό|ποσό|αριθμό)\b",
        "percent": r"\bποσοστ\w*|\bτοις εκατό\b",
        "date": r"\bπότε\b|\b(?:σε |κατά |από |μέχρι )?(?:ποια|ποιο|ποιον|ποιας) (?:χρονιά|έτος|ημερομηνία|μέρα|ημέρα|μήνα|αιώνα|δεκαετία|εποχή|ώρα|περίοδο)\b|\bτι ώρα\b",
        "calendar": r"\b(?:σε |κατά |από )?(?:ποια|ποιο|ποιον|ποιας) (?:χρονιά|έτος|ημερομηνία|μέρα|ημέρα|μήνα|αιώνα|δεκαετία)\b",
        "person": r"\bποι(?:ος|οι) (?!(?:είναι|ήταν)\b)\w+(?:ε|ει|αν|ουν|ηκε|ηκαν|ται|νται)\b|\bποι(?:ος|οι|α) (?:είναι|ήταν) (?:(?:ο|η|οι|ένας|μία|μια) )?(?:\w+ ){0,3}?(?:πρόεδρος|αντιπρόεδρος|πρωθυπουργός|ιδρυτής|ιδρυτές|συγγραφέας|ηγέτης|δήμαρχος|βασιλιάς|άνθρωπος|άνδρας|γυναίκα|Αμερικανός|πρόσωπο|υπεύθυνος|κατασκευαστής|διευθυντής|γραμματέας|από)\b|\b(?:σε|από|με|για) ποι(?:ον|ους)\b(?! (?:τρόπο|λόγο|τύπο|αιώνα|μήνα|χρόνο|αριθμό)\b)|\bποιου\b(?=\s*[;;?])|\bποιανού\b|\b(?:ποια|ποιο) (?:\w+ ){0,2}?(?:εταιρεία|εταιρία|οργάνωση|οργανισμός|χώρα|πόλη|πανεπιστήμιο|επιχείρηση)\b",
        "place": r"\bπού\b|\bσε ποια (?:πόλη|χώρα|περιοχή)\b",
    },
    # Russian: the Academy grammar's interrogatives with their cases (кого, кому, кем, чей).
    "ru": {
        "money": r"\bскольк\w* .*\b(?:сто\w*|заплат\w*|плат\w*|заработа\w*|потрат\w*|денег|рубл\w*|доллар\w*|евро)\b|\bво сколько .*\bобош\w*|\bкаков[аы]? (?:была |было )?(?:цена|стоимость|бюджет)\b|\bкакая (?:цена|стоимость)\b|\bна какую сумму\b|\bкакую сумму\b",
        "number": r"\bскольк\w*\b|\bнасколько\b|\bкак (?:долго|далеко|часто|быстро|много|высоко|глубоко|стар\w*)\b|\bкакое количество\b|\bкакой процент\b|\bкакая (?:доля|часть)\b|\bкаков[аоы]? (?:\w+ )?(?:число|количество|доля|процент|численность|скорость|длина|высота|площадь)\b|\bдо каких пор\b",
        "percent": r"\bпроцент\w*|\bдол[яиюе]\b|\bсоотношени\w*",
        "date": r"\bкогда\b(?!-)|\bс каких пор\b|\bв котором часу\b|\bкакого числа\b|\b(?:в |с |до |к |в течение )?(?:каком|какой|какого|котором) (?:году|года|год|месяце|веке|века|столетии|столетия|десятилетии|десятилетия|день|дня|период|периода|момент)\b|\bкакой (?:год|день|месяц|век)\b",
        "calendar": r"\bкакого (?:числа|года|месяца)\b|\b(?:в |с |до |в течение )?(?:каком|какой|какого|котором) (?:году|года|месяце|веке|века|столетии|столетия|десятилетии|десятилетия|день)\b|\bкакой (?:год|день|месяц|век)\b",
        "person": r"\bкто\b|\bкого\b|\bкому\b|\bкем\b|\bо ком\b|\bч(?:ей|ья|ьё|ье|ьи|ьих|ьим|ьей|ьего|ьему)\b|\bкак(?:ая|ой|ие|ую|ого|им) (?:\w+ ){0,2}?(?:компания|компании|организация|страна|город|человек|люди|университет|народ|орган|фирма)\b",
        "place": r"\bгде\b|\bкуда\b|\bоткуда\b|\bв каком (?:месте|городе|регионе|районе)\b|\bв какой (?:стране|области|части)\b",
    },
    # Turkish: TDK's interrogatives with their suffixes ("kaç", not "kaçtı", "fled").
    "tr": {
        "money": r"\bne kadar\w* .*\b(?:mal ol\w*|tutar\w*|öde\w*|kazan\w*|harca\w*|para\w*|fiyat\w*|maliyet\w*|dolar\w*|euro\w*|lira\w*)\b|\b(?:fiyatı|maliyeti|bedeli|ücreti|bütçesi) (?:ne kadar|nedir|neydi|kaç)\b|\bkaç (?:para|lira|dolar|euro|TL)\b|\bkaça mal\b",
        "number": r"\bkaç(?:ar|ı|ıncı|tır|tı[rk]|ta)?\b(?<!\bkaçtı)|\bne kadar\w*|\bne zamana kadar\b|\byüzde kaç\w*",
        "percent": r"\byüzde\b|\boran\w*|\bpay\w*",
        "date": r"\bne zaman(?!a kadar)\w*|\bsaat kaçta\b|\bkaçta\b|\bhangi (?:yıl(?:da|ı|dı|dır|daydı|ında|larda)?|sene(?:de|si)?|tarih(?:te|de|ti)?|gün(?:de|ü)?|ay(?:da|ı)?|yüzyıl\w*|on yıl\w*|dönem(?:de|i)?|zaman(?:da)?|saat(?:te)?|çağ(?:da)?)\b|\bkaçıncı yüzyıl\w*",
        "calendar": r"\bhangi (?:yıl(?:da|ı|dı|dır|daydı|ında|larda)?|sene(?:de|si)?|tarih(?:te|de|ti)?|gün(?:de|ü)?|ay(?:da|ı)?|yüzyıl\w*|on yıl\w*)\b|\bkaçıncı yüzyıl\w*",
        "person": r"\bkim(?:dir|di|dı|ler|lerdir|in|i|e|le|den|inle|miş|mış)?\b|\bkimin\w*|\bhangi (?:\w+ )?(?:şirket|kuruluş|kurum|örgüt|ülke|şehir|kent|kişi|insan|üniversite)\w*",
        "place": r"\bnere\w*|\bhangi (?:şehir|ülke|bölge|yer)\w*",
    },
    # Arabic: the interrogatives of Wright's grammar ("من" asks only opening a question or before
    # هو/كان/الذي: elsewhere it is "from"; "إلى متى" is "how long").
    "ar": {
        "money": r"\b(?:ب)?كم\b.*\b(?:ب|ال)?(?:تكلف\w*|كلف\w*|سعر\w*|ثمن\w*|يساوي|دفع\w*|ربح\w*|كسب\w*|أنفق\w*|ميزاني\w*|دولار\w*|يورو|ريال\w*|جنيه\w*|مال|أموال)\b|\b(?:ما|ما هي|ما هو) (?:تكلفة|سعر|ثمن|قيمة|ميزانية|راتب|رسوم|إيرادات)\b",
        "number": r"\b(?:ب|ل)?كم\b|\bإلى متى\b|\bحتى متى\b|\b(?:ما|ما هو|ما هي) (?:عدد|مقدار|حجم|نسبة|كمية|مدى|مسافة|طول|ارتفاع|سرعة)\b|\bالنسبة المئوية\b",
        "percent": r"\bنسبة\b|\bالنسبة\b|\bالمئوية\b|\bبالمئة\b|\bفي المئة\b",
        "date": r"(?<!إلى )(?<!حتى )\bمتى\b|\b(?:في |خلال |منذ )?(?:أي|اي|أيّ) (?:عام|سنة|قرن|عقد|شهر|يوم|تاريخ|وقت|فترة|ساعة)\b|\b(?:ما|ما هو|ما هي) (?:العام|السنة|القرن|العقد|الشهر|اليوم|التاريخ)\b",
        "calendar": r"\b(?:في |خلال |منذ )?(?:أي|اي|أيّ) (?:عام|سنة|قرن|عقد|شهر|يوم|تاريخ)\b|\b(?:ما|ما هو|ما هي) (?:العام|السنة|القرن|العقد|الشهر|اليوم|التاريخ)\b",
        "person": r"^\W*(?:و|ف)?من\b(?! (?:أين|أي|أجل|قبل|بين|خلال|حيث)\b)|\bمن (?:هو|هي|هم|هما|كان|كانت|الذي|التي|الذين|قام|قامت)\b|\bلمن\b|\b(?:أي|اي|ما هي) (?:شخص|شركة|منظمة|دولة|بلد|مدينة|جامعة|هيئة|مجموعة)\b",
        "place": r"\bأين\b|\b(?:في|إلى) (?:أي|اي) (?:مكان|مدينة|بلد|دولة|منطقة)\b",
    },
    # Hindi: the interrogatives of McGregor's grammar ("कौन सा" is "which", not "who").
    "hi": {
        "money": r"\bकितन(?:ा|ी|े)\b.*\b(?:लागत|खर्च|ख़र्च|क़ीमत|कीमत|मूल्य|पैसे|रुपये|रुपए|डॉलर|भुगतान)\b|\b(?:लागत|खर्च|क़ीमत|कीमत|मूल्य) (?:क्या|कितनी|कितना)\b",
        "number": r"\bकितन(?:ा|ी|े|ों)\b|\bकब तक\b",
        "percent": r"\bप्रतिशत\b|\bफ़ीसदी\b|\bफीसदी\b|\bअनुपात\b|\bदर\b",
        "date": r"\bकब\b(?! तक)|\bकिस (?:वर्ष|साल|सन|तारीख|तिथि|दिन|महीने|माह|सदी|शताब्दी|दशक|समय|युग)\b|\bकौन(?:-| )(?:सा|से|सी) (?:वर्ष|साल|दशक|सदी|शताब्दी|महीना|दिन|तारीख)\b|\bकितने बजे\b",
        "calendar": r"\bकिस (?:वर्ष|साल|सन|तारीख|तिथि|दिन|महीने|माह|सदी|शताब्दी|दशक)\b|\bकौन(?:-| )(?:सा|से|सी) (?:वर्ष|साल|दशक|सदी|शताब्दी|महीना|दिन|तारीख)\b",
        "person": r"\bकौन\b(?![-\s](?:सा|से|सी)\b)|\bकौन(?:-| )(?:सा|से|सी) (?:व्यक्ति|कंपनी|संगठन|देश|शहर|संस्था|विश्वविद्यालय|राष्ट्रपति)\b|\bकिस(?:ने|को|े|का|की|के)\b|\bकिन्होंने\b|\bकिन लोगों\b|\bकिस (?:व्यक्ति|कंपनी|संगठन|देश|शहर|संस्था)\b",
        "place": r"\bकहाँ\b|\bकहां\b|\bकिस (?:जगह|स्थान|क्षेत्र)\b",
    },
    # Vietnamese: the interrogatives of Nguyễn Đình Hoà's grammar ("khi nào", not "khi"; "ai",
    # not "Ai Cập", Egypt).
    "vi": {
        "money": r"\bbao nhiêu (?:tiền|đô|đồng|USD)\b|\b(?:chi phí|giá|giá trị|ngân sách|lương|phí|doanh thu)\b.*\bbao nhiêu\b|\btốn bao nhiêu\b|\btrả bao nhiêu\b",
        "number": r"\bbao nhiêu\b|\bmấy\b|\bbao xa\b|\bbao lâu\b|\bbao lớn\b|\bbao cao\b",
        "percent": r"\bphần trăm\b|\btỷ lệ\b|\btỉ lệ\b",
        "date": r"\bkhi nào\b|\bbao giờ\b|\blúc nào\b|\bhồi nào\b|\bmấy giờ\b|\b(?:năm|ngày|tháng|thế kỷ|thế kỉ|thập kỷ|thập niên|thời điểm|thời gian|giai đoạn) (?:nào|bao nhiêu)\b",
        "calendar": r"\b(?:năm|ngày|tháng|thế kỷ|thế kỉ|thập kỷ|thập niên) (?:nào|bao nhiêu)\b",
        "person": r"\bai\b(?! cập\b)|\b(?:công ty|tổ chức|quốc gia|nước|thành phố|người|nhóm người|cơ quan|trường đại học|tổng thống|cựu sinh viên \w+ \w+) nào\b",
        "place": r"\bở đâu\b|\bđâu\b(?! là\b)|\bnơi nào\b|\bchỗ nào\b|\b(?:khu vực|vùng) nào\b",
    },
    # Chinese: the interrogatives of Li and Thompson's grammar (几, not 几乎 "almost").
    "zh": {
        "money": r"多少钱|花[费了]*多少|(?:费用|价格|成本|造价|价值|预算|工资|收入|售价|票价)[^？?]*多少|多少(?:美元|元|欧元|英镑|日元|人民币|资金|经费|钱)|价值多少|多少费用",
        "number": r"多少|几(?![乎何])|多[长久远大高重快深宽少]|百分之几|什么比例|多大程度",
        "percent": r"百分比|百分之|比例|比率|占比",
        "date": r"何时|什么时候|什么时间|哪一?年|哪个?(?:月|日|天|世纪|年代|时期|朝代|时代)|几月|几号|几点|几时|哪天|何年|何日|哪一年代",
        "calendar": r"哪一?年|哪个?(?:月|日|天|世纪|年代)|几月|几号|哪天|何年|何日|什么日期|哪一年代",
        "person": r"谁|哪一?位|什么人|何人|哪[一个]?(?:家|群|个)?(?:公司|组织|机构|国家|城市|人|团体|大学|企业|政党)",
        "place": r"哪里|哪儿|何处|何地|什么地方|哪个?(?:地方|城市|国家|地区)|在哪(?![个一些位种])",
    },
    # Thai: the interrogatives of Iwasaki and Ingkaphirom's grammar ("เมื่อใด", not "เมื่อ", the
    # conjunction; "กี่", how many).
    "th": {
        "money": r"กี่บาท|ราคา[^?]*เท่า(?:ไร|ไหร่)|(?:ค่าใช้จ่าย|มูลค่า|งบประมาณ|เงิน|ต้นทุน)[^?]*เท่า(?:ไร|ไหร่)|ใช้เงิน",
        "number": r"(?<!เ)กี่|เท่า(?:ไร|ไหร่)|มาก(?:น้อย)?แค่ไหน|นานแค่ไหน|ไกลแค่ไหน",
        "percent": r"เปอร์เซ็?น|ร้อยละ|สัดส่วน|อัตรา",
        "date": r"เมื่อ(?:ไร|ไหร่|ใด)|ตอนไหน|ช่วง(?:ไหน|ใด)|(?:ปี|วัน|เดือน|ทศวรรษ|ศตวรรษ)(?:ใด|ไหน|อะไร|ที่เท่า)|กี่โมง|เวลาใด",
        "calendar": r"(?:ปี|วัน|เดือน|ทศวรรษ|ศตวรรษ)(?:ใด|ไหน|อะไร|ที่เท่า)|ปี (?:พ\.ศ\.|ค\.ศ\.) ?ใด",
        "person": r"ใคร|ผู้ใด|บุคคลใด|คนใด|ท่านใด|(?:บริษัท|องค์กร|ประเทศ|เมือง|กลุ่มคน)(?:ใด|ไหน)",
        "place": r"ที่ไหน|ที่ใด|แห่งใด|ตรงไหน|บริเวณ(?:ใด|ไหน)",
    },
    **OTHER_LANGUAGES,
}


def table_language(language: str) -> str:
    """Return the language whose table reads a detected language, or '' if none does."""
    language = ALIASES.get(language, language)
    return language if language in ASKED else ""


@lru_cache(maxsize=64)
def _compiled(language: str) -> dict[str, re.Pattern]:
    return {
        kind: re.compile(pattern.replace(r"\b", WORD_EDGE), re.IGNORECASE)
        for kind, pattern in ASKED[language].items()
    }


def asked_kinds(question: str, language: str) -> frozenset[str]:
    """Return the kinds of answer a question asks for, read with its language's table."""
    table = table_language(language)
    if not table:
        return frozenset()
    return frozenset(k for k, p in _compiled(table).items() if p.search(question))
