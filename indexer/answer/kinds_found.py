# ruff: noqa: E501 - one language's words a line reads better than regexes cut mid-word
"""Amounts, numbers, dates and times as each language writes them (one table a language).

English keeps questions.py's and fillers.py's own patterns; for another language these are
added to them: numbers with comma decimals and dot or space thousands ("2,3", "68.511",
"68 511"), scale words ("Millionen", "mil millones", "млн", "triệu", "ล้าน", "लाख", "亿"),
currencies, month and day names, clock times ("14 Uhr", "下午3点"), years marked as years
("1987年", "พ.ศ. 2530", "1975 году") and centuries. Digits of other scripts (Arabic-Indic,
Devanagari, Thai, full-width) are read as 0-9 first, and Greek without its accents, one letter
for one so that offsets hold. The words come from each language's reference grammar and
number, month and currency names; they were checked on the gold answers of XQuAD's tuning
questions for its 11 languages (`python -m bench.kinds`), not on real text for the others.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .kinds_asked import MARKS, WORD_EDGE, table_language

_FOLD = str.maketrans(
    {
        **{chr(base + i): str(i) for base in (0x660, 0x6F0, 0x966, 0x9E6, 0xE50, 0xFF10) for i in range(10)},
        "٫": ",", "٬": ".", "％": "%", "٪": "%",
        **dict(zip("άέήίόύώΐΰϊϋΆΈΉΊΌΎΏ", "αεηιουωιυιυΑΕΗΙΟΥΩ", strict=True)),
    }
)  # fmt: skip
NUM = r"(?<![\d.,])\d+(?:[.,]\d+)*(?:[ \u00a0\u202f]\d{3}(?!\d))*"
_HOUR = r"\d{1,2}(?:[.:]\d{2})?"
_SYMBOL = r"[$€£¥₹₽₺₩₪₫฿₴₱₦﷼]"
_CODES = r"(?-i:\b(?:USD|EUR|GBP|JPY|CNY|RMB|INR|RUB|TRY|VND|THB|CHF|SEK|NOK|DKK|PLN|CZK|RON|HUF|UAH|ILS|IRR|IDR|KRW|BRL|AUD|CAD|HKD)\b)"
_YEAR = r"(?<![\d.,])(?:1\d{3}|20\d\d)(?!\d)(?![.,]\d)"
_NUMERIC_DATE = r"(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)"
_NOT_AFTER_A_WORD = rf"(?<![\w{MARKS}])"  # a whole word, also one ending in "." ("Mio.")
_NOT_BEFORE_A_WORD = rf"(?![\w{MARKS}])"
_CONNECT = r"(?:(?:de|di|del|d['’])\s?)?"  # "230 millones de dólares", "2,3 millions d'euros"

# fmt: off
FORMATS: dict[str, dict[str, str]] = {
    # German: Duden's number words, months, "14 Uhr", "19. Jahrhundert", "1950er Jahre".
    "de": dict(numbers=r"eins|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|vierzig|fünfzig|hundert|tausend|dutzend|hälfte|doppelt|million\w*|milliard\w*", scales=r"tausend|mio\.|millionen|million|mrd\.|milliarden|milliarde|billionen|billion", money=r"euro|cent|dollar|us-dollar|franken|pfund|d-mark|mark|yen|rubel|kronen?|schilling", months=r"januar|jänner|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember", days=r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag", clock=r"{h}\s?uhr\b", percent=r"{n}\s?(?:prozent|v\.\s?h\.)", times=r"uhr|morgens|vormittags|mittags|nachmittags|abends|nachts|mitternacht", dates=r"seit|während|später|früher|zuvor|danach|damals|gestern|heute|frühling|frühjahr|sommer|herbst|winter|jahrhundert\w*|jahrzehnt\w*|jahr|jahre|jahren|jahres|epoche|zeitalter|ende des|anfang des|nach dem|vor dem|nach der|vor der", years=r"(?:\d{1,2}\.|\w+ten) jahrhundert\w*|\d{4}er(?:\s?jahre\w*)?"),
    # Spanish: the RAE's numerals ("mil millones"), months, "a las 14 horas", "siglo XIX".
    "es": dict(numbers=r"dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|veinte|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa|cien|ciento|cientos|mil|miles|millón|millones|billón|billones|docena|mitad|doble|triple", scales=r"mil millones|millones|millón|mil|billones|billón", money=r"euros?|dólar(?:es)?|pesos?|libras?|centavos?|céntimos?|yenes|francos?|reales|pesetas?", months=r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre", days=r"lunes|martes|miércoles|jueves|viernes|sábado|domingo", clock=r"{h}\s?(?:h|horas)\b", percent=r"{n}\s?por ciento", times=r"de la (?:mañana|tarde|noche|madrugada)|mediodía|medianoche", dates=r"después|antes|durante|desde|hasta|hace|luego|más tarde|ayer|hoy|primavera|verano|otoño|invierno|siglos?|décadas?|años?|época|finales de|principios de|mediados de", years=r"siglo\s+(?:[ivxlc]+|\d{1,2})\b|década de \d{4}"),
    # French: the Grevisse's numerals, months, "14 h 30", "XIXe siècle".
    "fr": dict(numbers=r"deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|vingt|trente|quarante|cinquante|soixante|cent|cents|mille|millions?|milliards?|douzaine|moitié|double|triple", scales=r"millions?|milliards?|mille|mds?", money=r"euros?|dollars?|francs?|livres?|centimes?|yens?", months=r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre", days=r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche", clock=r"{h}\s?h(?:\s?\d{2})?\b|{h}\s?heures?", percent=r"{n}\s?pour\s?cents?", times=r"heures?|midi|minuit|du matin|du soir|de l'après-midi", dates=r"après|avant|pendant|depuis|jusqu'|il y a|plus tard|hier|aujourd'hui|demain|printemps|automne|hiver|siècles?|décennies?|années?|époque|fin du|début du", years=r"(?:[ivxlc]+|\d{1,2})(?:e|ème) siècle|années \d{2,4}"),
    # Italian: Treccani's numerals, months, "alle 14", "XIX secolo".
    "it": dict(numbers=r"due|tre|quattro|cinque|sette|otto|nove|dieci|undici|dodici|venti|trenta|quaranta|cinquanta|cento|mille|mila|milion[ei]|miliard[oi]|dozzina|metà|doppio", scales=r"mila|milioni|milione|miliardi|miliardo|mln|mld", money=r"euro|dollari|dollaro|lire|lira|sterline|sterlina|franchi|centesimi", months=r"gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre", days=r"lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica", clock=r"(?:alle|ore)\s{h}", percent=r"{n}\s?per\s?cento", times=r"mattina|pomeriggio|sera|notte|mezzogiorno|mezzanotte", dates=r"dopo|prima|durante|da quando|fino a|più tardi|ieri|oggi|domani|primavera|estate|autunno|inverno|secol[oi]|decenni[oi]|anni|anno|epoca|fine del|inizio del", years=r"(?:[ivxlc]+|\d{1,2})°? secolo|secolo (?:[ivxlc]+|\d{1,2})|anni \d{2,4}"),
    # Portuguese: numerals of Cunha and Cintra, months, "14h30", "século XIX".
    "pt": dict(numbers=r"dois|duas|três|quatro|cinco|seis|sete|oito|nove|dez|onze|doze|vinte|trinta|quarenta|cinquenta|cem|cento|mil|milhão|milhões|bilhão|bilhões|dúzia|metade|dobro", scales=r"mil milhões|milhões|milhão|mil|bilhões|bilhão", money=r"euros?|dólar(?:es)?|rea(?:l|is)|libras?|centavos?|escudos?", months=r"janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro", days=r"segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira|sábado|domingo", clock=r"{h}\s?h(?:\d{2})?\b|{h}\s?horas", percent=r"{n}\s?por\s?cento", times=r"da manhã|da tarde|da noite|meio-dia|meia-noite", dates=r"depois|antes|durante|desde|até|mais tarde|ontem|hoje|amanhã|primavera|verão|outono|inverno|séculos?|décadas?|anos?|época|final do|início do", years=r"século (?:[ivxlc]+|\d{1,2})|década de \d{4}|anos \d{2,4}"),
    # Dutch: the ANS's numerals, months, "14 uur", "19e eeuw".
    "nl": dict(numbers=r"twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig|dertig|veertig|vijftig|honderd|duizend|miljoen|miljard|dozijn|helft|dubbel", scales=r"duizend|miljoen|miljard|mln\.?|mld\.?", money=r"euro|dollar|gulden|pond|cent", months=r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december", days=r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag", clock=r"{h}\s?uur\b", percent=r"{n}\s?procent", times=r"'s (?:ochtends|middags|avonds|nachts)|middernacht", dates=r"tijdens|sinds|geleden|later|eerder|gisteren|vandaag|lente|voorjaar|zomer|herfst|najaar|winter|eeuw\w*|decenni(?:um|a)|jaar|jaren|tijdperk", years=r"\d{1,2}e eeuw|jaren \d{2}"),
    # Swedish: SAOL's numerals, months, "klockan 14", "1800-talet".
    "sv": dict(numbers=r"två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tjugo|trettio|fyrtio|femtio|hundra|tusen|miljon\w*|miljard\w*|dussin|hälften|dubbelt", scales=r"tusen|miljoner|miljon|miljarder|miljard|mkr|mdr", money=r"kronor|krona|kr|euro|dollar|öre|pund", months=r"januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december", days=r"måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag", clock=r"(?:klockan|kl\.)\s?{h}", percent=r"{n}\s?procent", times=r"klockan|på morgonen|på kvällen|på natten|midnatt", dates=r"efter|före|sedan|senare|tidigare|igår|idag|imorgon|sommar|höst|vinter|århundrade\w*|sekel|decenni(?:um|er)|år|åren", years=r"\d{2,4}-talet|år \d{4}"),
    # Danish: Retskrivningsordbogen's numerals, months, "klokken 14", "1800-tallet".
    "da": dict(numbers=r"to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tyve|tredive|fyrre|halvtreds|hundrede|tusind|million\w*|milliard\w*|dusin|halvdelen|dobbelt", scales=r"tusind|millioner|million|milliarder|milliard|mio\.|mia\.", money=r"kroner|krone|kr\.?|euro|dollar|øre|pund", months=r"januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december", days=r"mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag", clock=r"(?:klokken|kl\.)\s?{h}", percent=r"{n}\s?procent", times=r"klokken|om morgenen|om aftenen|om natten|midnat", dates=r"efter|før|siden|senere|tidligere|i går|i dag|i morgen|forår|sommer|efterår|vinter|århundrede\w*|årti\w*|år|årene", years=r"\d{2,4}-tallet|år \d{4}"),
    # Norwegian (Bokmål): Bokmålsordboka's numerals, months, "klokken 14".
    "no": dict(numbers=r"to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|elleve|tolv|tjue|tretti|førti|femti|hundre|tusen|million\w*|milliard\w*|dusin|halvparten|dobbelt", scales=r"tusen|millioner|million|milliarder|milliard|mill\.|mrd\.", money=r"kroner|krone|kr\.?|euro|dollar|øre|pund", months=r"januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember", days=r"mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag", clock=r"(?:klokken|kl\.)\s?{h}", percent=r"{n}\s?prosent", times=r"klokken|om morgenen|om kvelden|om natten|midnatt", dates=r"etter|før|siden|senere|tidligere|i går|i dag|i morgen|sommer|høst|vinter|århundre\w*|tiår|år|årene", years=r"\d{2,4}-tallet|år \d{4}"),
    # Finnish: Iso suomen kielioppi's numerals with their cases, months ("tammikuussa").
    "fi": dict(numbers=r"kaksi|kahden|kolme|kolmen|neljä|neljän|viisi|viiden|kuusi|kuuden|seitsemän|kahdeksan|yhdeksän|kymmenen|sata\w*|sadan|tuhat|tuhan\w*|miljoon\w*|miljard\w*|puolet", scales=r"tuhatta|tuhat|miljoonaa|miljoona|miljardia|miljardi|milj\.|mrd\.", money=r"euro\w*|dollari\w*|markka\w*|sentti\w*|kruunu\w*", months=r"tammikuu\w*|helmikuu\w*|maaliskuu\w*|huhtikuu\w*|toukokuu\w*|kesäkuu\w*|heinäkuu\w*|elokuu\w*|syyskuu\w*|lokakuu\w*|marraskuu\w*|joulukuu\w*", days=r"maanantai\w*|tiistai\w*|keskiviikko\w*|torstai\w*|perjantai\w*|lauantai\w*|sunnuntai\w*", clock=r"(?:kello|klo)\s?{h}", percent=r"{n}\s?prosent\w*", times=r"kello|aamulla|illalla|yöllä|keskipäivällä|keskiyöllä", dates=r"jälkeen|ennen|aikana|lähtien|asti|saakka|myöhemmin|aiemmin|sitten|eilen|tänään|huomenna|kevää\w*|kesällä|syksy\w*|talve\w*|vuosisad\w*|vuosisata|vuosikymmen\w*|vuonna|vuotta|vuosi", years=r"\d{2,4}-luvu\w*|vuonna \d{3,4}"),
    # Czech: the Příručka's numerals, months in both cases ("května"), "v 14 hodin".
    "cs": dict(numbers=r"dva|dvě|tři|čtyři|pět|šest|sedm|osm|devět|deset|jedenáct|dvanáct|dvacet|třicet|čtyřicet|padesát|sto|tisíc\w*|milion\w*|miliard\w*|tucet|polovin\w*", scales=r"tisíc|tis\.|milionů|miliony|milion|mil\.|miliard|miliardy|mld\.", money=r"korun\w*|kč|eur\w*|dolar\w*|haléř\w*", months=r"leden|ledna|únor|února|březen|března|duben|dubna|květen|května|červenec|července|červen|června|srpen|srpna|září|říjen|října|listopad|listopadu|prosinec|prosince", days=r"pondělí|úterý|středa|středu|čtvrtek|pátek|sobota|sobotu|neděle|neděli", clock=r"{h}\s?hod(?:in|\.)", percent=r"{n}\s?procent\w*", times=r"hodin\w*|ráno|večer|v noci|poledne|půlnoc\w*", dates=r"během|později|dříve|včera|dnes|zítra|jaro|jaře|léto|létě|podzim|zima|zimě|století|desetiletí|rok|roku|roce|let|letech", years=r"\d{1,2}\. století|v roce \d{3,4}"),
    # Polish: the PWN grammar's numerals with their cases, months ("maja"), "o 14".
    "pl": dict(numbers=r"dwa|dwie|dwóch|trzy|trzech|cztery|czterech|pięć|pięciu|sześć|sześciu|siedem|siedmiu|osiem|ośmiu|dziewięć|dziewięciu|dziesięć|dziesięciu|jedenaście|dwanaście|dwadzieścia|trzydzieści|sto|tysiąc\w*|tysięcy|milion\w*|miliard\w*|tuzin|połow\w*", scales=r"tysięcy|tysiące|tysiąc|tys\.|milionów|miliony|milion|mln|miliardów|miliardy|miliard|mld", money=r"złot\w+|zł|euro|dolar\w*|grosz\w*|funt\w*", months=r"styczeń|stycznia|luty|lutego|marzec|marca|kwiecień|kwietnia|maj|maja|czerwiec|czerwca|lipiec|lipca|sierpień|sierpnia|wrzesień|września|październik|października|listopad|listopada|grudzień|grudnia", days=r"poniedziałek|wtorek|środa|środę|czwartek|piątek|sobota|sobotę|niedziela|niedzielę", clock=r"o (?:godzinie )?{h}", percent=r"{n}\s?proc\w*", times=r"godzin\w*|rano|wieczorem|w nocy|w południe|o północy", dates=r"podczas|później|wcześniej|temu|wczoraj|dziś|dzisiaj|jutro|wiosn\w*|latem|jesie\w*|zimą|wiek\w*|stuleci\w*|dekad\w*|rok|roku|lat|latach", years=r"(?:[ivxlc]+|\d{1,2})\.? wiek\w*|w roku \d{3,4}|latach \d{2,4}"),
    # Romanian: DOOM's numerals ("230 de milioane de dolari"), months ("mai" only with a date).
    "ro": dict(numbers=r"doi|două|trei|patru|cinci|șase|şase|șapte|şapte|opt|nouă|zece|unsprezece|doisprezece|douăsprezece|douăzeci|treizeci|patruzeci|cincizeci|sută|sute|mii|milion\w*|miliard\w*|duzină|jumătate|dublu", scales=r"mii|milioane|milion|miliarde|miliard|mil\.|mld\.", money=r"lei|leu|euro|dolari|dolar|bani|lire|franci", months=r"ianuarie|februarie|martie|aprilie|iunie|iulie|august|septembrie|octombrie|noiembrie|decembrie|(?<=\d )mai|mai(?= \d{4})", days=r"marți|marţi|miercuri|joi|vineri|sâmbătă|duminică", clock=r"(?:ora|orele)\s{h}", percent=r"{n}\s?(?:la sută|procente?)", times=r"dimineața|dimineaţa|seara|noaptea|amiază|miezul nopții", dates=r"după|înainte|în timpul|până|mai târziu|ieri|azi|astăzi|mâine|primăvar\w*|toamn\w*|iarn\w*|secol\w*|deceni\w*|anul|anii|anilor|epoca|sfârșitul|sfârşitul|începutul", years=r"secolul (?:al )?[ivxlc\d]+\w*|anii \d{2,4}|anul \d{3,4}"),
    # Greek (read without accents): Triantafyllidis' numerals, months in their cases.
    "el": dict(numbers=r"δυο|τρια|τρεις|τεσσερα|τεσσερις|πεντε|εξι|επτα|εφτα|οκτω|οχτω|εννεα|εννια|δεκα|εντεκα|ενδεκα|δωδεκα|εικοσι|τριαντα|σαραντα|πενηντα|εκατο|εκατονταδ\w*|χιλι\w*|χιλιαδ\w*|εκατομμυρι\w*|δισεκατομμυρι\w*|μισο|μιση|διπλασι\w*", scales=r"χιλιαδες|χιλ\.|εκατομμυρια|εκατομμυριο|εκατ\.|δισεκατομμυρια|δισεκατομμυριο|δισ\.", money=r"ευρω|δολαρι\w*|λιρ\w*|δραχμ\w*", months=r"ιανουαρ\w*|φεβρουαρ\w*|μαρτ(?:ιος|ιου|ιο)|απριλ(?:ιος|ιου|ιο)|μαι(?:ος|ου|ο)|ιουν(?:ιος|ιου|ιο)|ιουλ(?:ιος|ιου|ιο)|αυγουστ\w*|σεπτεμβρ\w*|οκτωβρ\w*|νοεμβρ\w*|δεκεμβρ\w*", days=r"δευτερα|τριτη|τεταρτη|πεμπτη|παρασκευη|σαββατο|κυριακη", clock=r"{h}\s?(?:π\.μ\.|μ\.μ\.)", percent=r"{n}\s?τοις εκατο", times=r"το πρωι|το βραδυ|μεσανυχτα|μεσημερι", dates=r"μετα|πριν|κατα τη διαρκεια|μεχρι|αργοτερα|νωριτερα|χθες|σημερα|αυριο|ανοιξη|καλοκαιρι|φθινοπωρο|χειμων\w*|αιων\w*|δεκαετι\w*|ετος|ετη|ετων|χρονια|εποχη|τελη|αρχες", years=r"\d{1,2}ο?υ? αιωνα|δεκαετια του \d{2,4}"),
    # Russian: the Academy grammar's numerals with their cases, months ("мая"), "1975 году".
    "ru": dict(numbers=r"два|две|двух|три|трёх|трех|четыре|четырёх|четырех|пять|пяти|шесть|шести|семь|семи|восемь|восьми|девять|девяти|десять|десяти|одиннадцат\w*|двенадцат\w*|двадцат\w*|тридцат\w*|сорок\w*|пятьдесят|сто|тысяч\w*|миллион\w*|млн|миллиард\w*|млрд|дюжин\w*|половин\w*|вдвое", scales=r"тысяч\w*|тыс\.|миллион\w*|млн\.?|миллиард\w*|млрд\.?", money=r"рубл\w*|руб\.|доллар\w*|евро|копе\w*|фунт\w*|иен\w*|франк\w*", months=r"январ\w*|феврал\w*|марта?|марте|апрел\w*|ма[йяе]|июн\w*|июл\w*|август\w*|сентябр\w*|октябр\w*|ноябр\w*|декабр\w*", days=r"понедельник\w*|вторник\w*|сред[ауы]|четверг\w*|пятниц\w*|суббот\w*|воскресень\w*", clock=r"{h}\s?(?:ч\.|час\w*)", percent=r"{n}\s?(?:процент\w*|проц\.)", times=r"час\w*|утр\w*|вечер\w*|ночью|полдень|полночь", dates=r"после|перед|во время|с тех пор|спустя|назад|позже|позднее|раньше|вчера|сегодня|завтра|весн\w*|летом|осен\w*|зим\w*|век\w*|столети\w*|десятилети\w*|год\w*|лет|эпох\w*", years=r"\d{4}\s?(?:г\.|год\w*|гг\.)|[ivxlc]+ век\w*|\d{1,2}\s?(?:-?м|-?го)?\s?век\w*"),
    # Ukrainian: the Academy grammar's numerals, months in three cases ("травня").
    "uk": dict(numbers=r"два|дві|двох|три|трьох|чотири|чотирьох|п['’]ять|шість|сім|вісім|дев['’]ять|десять|одинадцят\w*|дванадцят\w*|двадцят\w*|тридцят\w*|сорок\w*|сто|тисяч\w*|мільйон\w*|млн|мільярд\w*|млрд|половин\w*", scales=r"тисяч\w*|тис\.|мільйон\w*|млн\.?|мільярд\w*|млрд\.?", money=r"гривн\w*|гривень|грн|долар\w*|євро|рубл\w*|копій\w*", months=r"січ(?:ень|ня|ні)|лют(?:ий|ого|ому)|берез(?:ень|ня|ні)|квіт(?:ень|ня|ні)|трав(?:ень|ня|ні)|черв(?:ень|ня|ні)|лип(?:ень|ня|ні)|серп(?:ень|ня|ні)|верес(?:ень|ня|ні)|жовт(?:ень|ня|ні)|листопад\w*|груд(?:ень|ня|ні)", days=r"понеділ\w*|вівтор\w*|серед\w*|четвер\w*|п['’]ятниц\w*|субот\w*|неділ\w*", clock=r"{h}\s?(?:год\.|годин\w*)", percent=r"{n}\s?відсот\w*", times=r"годин\w*|ранку|вечора|вночі|опівдні|опівночі", dates=r"після|перед|під час|відтоді|тому|пізніше|раніше|вчора|сьогодні|завтра|весн\w*|влітку|осен\w*|взимку|столітт\w*|десятиліт\w*|рок\w*|рік|епох\w*", years=r"\d{4}\s?(?:р\.|рок\w*|рр\.)|[ivxlc]+ (?:століття|ст\.)"),
    # Bulgarian: its numerals and months (for Russian questions the detector names Bulgarian).
    "bg": dict(numbers=r"два|две|три|четири|пет|шест|седем|осем|девет|десет|двадесет|сто|хиляд\w*|милион\w*|млн|милиард\w*|млрд|половин\w*", scales=r"хиляди|хил\.|милиона|милион|млн\.?|милиарда|милиард|млрд\.?", money=r"лев\w*|лв\.?|евро|долар\w*|стотинк\w*", months=r"януари|февруари|март|април|май|юни|юли|август|септември|октомври|ноември|декември", days=r"понеделник|вторник|сряда|четвъртък|петък|събота|неделя", clock=r"{h}\s?ч(?:аса|\.)", percent=r"{n}\s?процент\w*", times=r"часа|сутринта|вечерта|през нощта|полунощ", dates=r"след|преди|по време на|по-късно|по-рано|вчера|днес|утре|пролет\w*|есен\w*|зим\w*|век\w*|столети\w*|десетилети\w*|годин\w*", years=r"\d{4}\s?(?:г\.|годин\w*)|[ivxlc]+ век"),
    # Turkish: TDK's numerals, months with their suffixes ("Mayıs'ta"), "%12", "saat 14".
    "tr": dict(numbers=r"iki|üç|dört|beş|altı|yedi|sekiz|dokuz|on|yirmi|otuz|kırk|elli|altmış|yetmiş|seksen|doksan|yüz|bin|milyon\w*|milyar\w*|düzine|yarı\w*", scales=r"bin|milyon|milyar|trilyon", money=r"lira\w*|tl|dolar\w*|euro\w*|avro\w*|kuruş\w*|sterlin\w*|frank\w*", months=r"ocak\w*|şubat\w*|mart\w*|nisan\w*|mayıs\w*|haziran\w*|temmuz\w*|ağustos\w*|eylül\w*|ekim\w*|kasım\w*|aralık\w*", days=r"pazartesi|salı|çarşamba|perşembe|cumartesi|cuma|pazar", clock=r"saat\s{h}", percent=r"(?:yüzde|%)\s?{n}", times=r"saat|sabah\w*|akşam\w*|gece\w*|öğle\w*", dates=r"sonra\w*|önce\w*|sırasında|beri|geçen|dün|bugün|yarın|ilkbahar\w*|bahar\w*|yazın|sonbahar\w*|kış\w*|yüzyıl\w*|on yıl\w*|yıl\w*|sene\w*|dönem\w*|çağ\w*", years=r"\d{1,2}\.\s?yüzyıl\w*|\d{4}\s?yılı\w*"),
    # Arabic: Wright's numerals, Gregorian and Levantine month names, with their prefixes.
    "ar": dict(prefix=r"(?:[وفبلك])?(?:ال)?", numbers=r"واحد|اثنان|اثنين|اثنتان|اثنتين|ثلاث\w*|أربع\w*|خمس\w*|ست|ستة|سبع\w*|ثمان\w*|تسع\w*|عشر\w*|مائة|مئة|مئات|ألف|آلاف|ألفا|مليون|ملايين|مليار|مليارات|نصف|ضعف|أحد عشر|إحدى عشرة|سباعي|سداسي|خماسي|رباعي|ثلاثي|ثنائي", scales=r"ألف|آلاف|مليون|ملايين|مليار|مليارات|ترليون", money=r"دولار\w*|يورو|جنيه\w*|ريال\w*|دينار\w*|درهم\w*|ليرة|ليرات|فرنك\w*", months=r"يناير|فبراير|مارس|أبريل|إبريل|ابريل|مايو|ماي|يونيو|يونيه|يوليو|يوليه|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|نوفمبر|ديسمبر|كانون الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين الأول|تشرين الثاني|كانون الأول", days=r"الاثنين|الإثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأحد", clock=r"الساعة\s?{h}", percent=r"{n}\s?(?:بالمئة|بالمائة|في المئة|في المائة)", times=r"الساعة|ساعة|صباح\w*|مساء\w*|ظهر\w*|منتصف الليل|فجر\w*|ليلا", dates=r"بعد|قبل|خلال|منذ|حتى|لاحق\w*|أمس|اليوم|غدا|ربيع|صيف|خريف|شتاء|قرن|القرن|القرون|عقد|سنة|سنوات|عام|أعوام|عصر|نهاية|بداية|أواخر|أوائل", years=r"\w+ينيات|(?:سنة|عام|العام)\s?\d{3,4}|القرن \w+|\d{4}\s?م\b"),
    # Hebrew: its numerals and months, with the prefixes ב, ל, ה, ו, מ.
    "he": dict(prefix=r"(?:[ושהבלמכ])?", numbers=r"שתיים|שניים|שתי|שלוש\w*|ארבע\w*|חמש\w*|שש|שישה|שבע\w*|שמונה|תשע\w*|עשר\w*|מאה|מאות|אלף|אלפים|אלפי|מיליון|מיליוני|מיליארד|חצי|כפול", scales=r"אלף|אלפים|מיליון|מיליארד", money=r"שקל\w*|ש[\"״]ח|דולר\w*|אירו|יורו|לירה|לירות", months=r"ינואר|פברואר|מרץ|מרס|אפריל|מאי|יוני|יולי|אוגוסט|ספטמבר|אוקטובר|נובמבר|דצמבר", days=r"יום (?:ראשון|שני|שלישי|רביעי|חמישי|שישי)|שבת", clock=r"בשעה\s?{h}", percent=r"{n}\s?אחוז\w*", times=r"בשעה|בבוקר|בערב|בלילה|בצהריים|חצות", dates=r"אחרי|לפני|במהלך|מאז|מאוחר יותר|אתמול|היום|מחר|אביב|קיץ|סתיו|חורף|המאה|עשור\w*|שנה|שנים|שנת|תקופ\w*", years=r"(?:בשנת|שנת|בשנים)\s?\d{3,4}|המאה ה-?\w+"),
    # Persian: Lazard's numerals, Gregorian and Solar Hijri months.
    "fa": dict(numbers=r"دو|سه|چهار|پنج|شش|هفت|هشت|ده|یازده|دوازده|بیست|سی|چهل|پنجاه|صد|هزار|میلیون|میلیارد|نیم|نصف", scales=r"هزار|میلیون|میلیارد", money=r"تومان|ریال|دلار|یورو|پوند", months=r"ژانویه|فوریه|مارس|آوریل|ژوئن|ژوئیه|اوت|سپتامبر|اکتبر|نوامبر|دسامبر|فروردین|اردیبهشت|خرداد|مرداد|شهریور|آبان|بهمن|اسفند", days=r"شنبه|یکشنبه|دوشنبه|سه\u200cشنبه|چهارشنبه|پنجشنبه|جمعه", clock=r"ساعت\s?{h}", percent=r"{n}\s?درصد", times=r"ساعت|صبح|عصر|ظهر|نیمه\u200cشب", dates=r"بعد از|پس از|قبل از|پیش از|در طول|بعدها|دیروز|امروز|فردا|بهار|تابستان|پاییز|زمستان|قرن|دهه|سال|سالهای|سال\u200cهای|دوران|دوره", years=r"(?:در )?سال\s?\d{3,4}|قرن \w+"),
    # Hindi: McGregor's numerals (लाख, करोड़), months, "2 बजे", "उन्नीसवीं सदी".
    "hi": dict(numbers=r"दो|तीन|चार|पांच|पाँच|छह|छः|सात|आठ|नौ|दस|ग्यारह|बारह|बीस|तीस|चालीस|पचास|सौ|हज़ार|हजार|लाख|करोड़|करोड|मिलियन|बिलियन|अरब|आधा|आधे|आधी|दोगुना|दर्जन", scales=r"हज़ार|हजार|लाख|करोड़|करोड|मिलियन|बिलियन|अरब", money=r"रुपये|रुपए|रुपया|रुपयों|रु\.|डॉलर|डालर|यूरो|पाउंड|पैसे", months=r"जनवरी|फ़रवरी|फरवरी|मार्च|अप्रैल|अप्रेल|मई|जून|जुलाई|अगस्त|सितंबर|सितम्बर|अक्टूबर|अक्तूबर|नवंबर|नवम्बर|दिसंबर|दिसम्बर", days=r"सोमवार|मंगलवार|बुधवार|गुरुवार|बृहस्पतिवार|शुक्रवार|शनिवार|रविवार", clock=r"{h}\s?बजे", percent=r"{n}\s?(?:प्रतिशत|फ़ीसदी|फीसदी)", times=r"बजे|सुबह|शाम|रात|दोपहर", dates=r"बाद|पहले|दौरान|कल|आज|वसंत|गर्मी|गर्मियों|सर्दी|सर्दियों|सदी|शताब्दी|दशक|वर्ष|साल|युग|काल|अंत|शुरुआत", years=r"सन\s?\d{3,4}|\d{4}\s?(?:ई\.|ईस्वी)|\S+वीं (?:सदी|शताब्दी)|\d{4} के दशक"),
    # Vietnamese: Nguyễn Đình Hoà's numerals ("triệu", "tỷ"), "tháng 5 năm 2013", "14 giờ"; "đồng"
    # only after an amount (it is also "same", "field", "community").
    "vi": dict(numbers=r"hai|ba|bốn|sáu|bảy|tám|chín|mười|mươi|trăm|nghìn|ngàn|triệu|tỷ|tỉ|nửa|gấp đôi", scales=r"nghìn|ngàn|triệu|tỷ|tỉ", money=r"(?:(?<=\d)|(?<=\d )|(?<=nghìn )|(?<=ngàn )|(?<=triệu )|(?<=tỷ )|(?<=tỉ ))đồng|đô la|đô-la|euro|bảng anh|nhân dân tệ|vnđ", months=r"tháng (?:một|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười|mười một|mười hai|giêng|chạp)|tháng\s?\d{1,2}", days=r"thứ (?:hai|ba|tư|năm|sáu|bảy)|chủ nhật", clock=r"{h}\s?giờ", percent=r"{n}\s?phần trăm", times=r"giờ|buổi sáng|buổi chiều|buổi tối|trưa|nửa đêm|ban đêm", dates=r"sau|trước|trong suốt|từ khi|kể từ|cho đến|đến khi|sau đó|hôm qua|hôm nay|ngày mai|mùa xuân|mùa hè|mùa hạ|mùa thu|mùa đông|thế kỷ|thế kỉ|thập kỷ|thập niên|năm|thời kỳ|thời đại|cuối", years=r"(?:ngày \d{1,2} )?tháng \d{1,2} năm \d{1,4}|năm \d{1,4}|thế k[ỷỉ] (?:thứ )?[ivxlc\d]+|những năm \d{2,4}"),
    # Indonesian and Malay: Tata Bahasa Baku's numerals, months, "pukul 14.00", "abad ke-19".
    "id": dict(numbers=r"dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|belas|puluh|seratus|ratus|ratusan|seribu|ribu|ribuan|juta|jutaan|miliar|triliun|setengah|separuh|lusin", scales=r"ribu|juta|miliar|triliun", money=r"rupiah|rp\.?|dolar|euro|ringgit|yen", months=r"januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember", days=r"senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu", clock=r"(?:pukul|jam)\s?{h}", percent=r"{n}\s?persen", times=r"pukul|pagi|siang|sore|malam", dates=r"setelah|sesudah|sebelum|selama|sejak|hingga|sampai|kemudian|kemarin|hari ini|besok|musim semi|musim panas|musim gugur|musim dingin|abad|dekade|tahun|zaman|akhir|awal", years=r"tahun \d{3,4}|abad ke-?\s?(?:\d{1,2}|[ivxlc]+)|\d{4}-an"),
    # Chinese: numerals with a measure word ("六座", not 三 of 三角洲), 万/亿, "1987年", "下午3点".
    "zh": dict(edges="none", numbers=r"(?:[二三四五六七八九十两]|一[十百千万亿])[一二三四五六七八九十百千万亿〇零两]*[个位名座所次种条家本层倍岁年天人户对届期项只辆架艘部台份张件级场成]|[一二三四五六七八九十百千万亿〇零两]{2,}|半数|一半|双倍|数百|数千|数万", scales=r"万亿|百万|千万|万|亿|千", money=r"美元|欧元|英镑|日元|人民币|港元|美金|法郎|卢布|韩元|台币|(?<=[\d万亿千百十])元|块钱", months=r"\d{1,2}\s*月|[一二三四五六七八九十]{1,3}月", days=r"星期[一二三四五六日天]|周[一二三四五六日]|礼拜[一二三四五六日天]", clock=r"(?:上午|下午|晚上|凌晨)?{h}\s*[点时](?:\d{1,2}\s*分)?", percent=r"{n}\s?%|百分之[\d一二三四五六七八九十百点.]+", times=r"上午|下午|凌晨|中午|晚上|早上|午夜|傍晚", dates=r"之前|以前|之后|以后|期间|自从|直到|此后|后来|昨天|今天|明天|春季|夏季|秋季|冬季|春天|夏天|秋天|冬天|世纪|年代|年间|时期|时代|年前|年后|距今|\d+\s*年", years=r"\d{3,4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?)?|[〇零一二三四五六七八九]{4}年|(?:\d{1,2}\s*|[一二三四五六七八九十]{1,3})世纪(?:\s*\d{2}\s*年代)?|\d{2,4}\s*年代|公元前?\s*\d+"),
    # Japanese: numerals with a counter, 万/億, "1987年", "午後3時", "平成元年".
    "ja": dict(edges="none", numbers=r"(?:[二三四五六七八九十]|一[十百千万億])[一二三四五六七八九十百千万億〇]*[つ人個回本枚台件名歳倍年日社校]|[一二三四五六七八九十百千万億〇]{2,}|半分", scales=r"万|億|兆|千", money=r"(?<=[\d万億兆千百十])円|ドル|ユーロ|ポンド|ウォン|人民元", months=r"\d{1,2}\s*月|[一二三四五六七八九十]{1,3}月", days=r"[月火水木金土日]曜日?", clock=r"(?:午前|午後)?{h}\s*時(?:\d{1,2}\s*分)?", percent=r"{n}\s?(?:%|パーセント)", times=r"午前|午後|正午|深夜|夜明け", dates=r"以前|以後|以来|昨日|今日|明日|世紀|年代|時代|年前|年後|\d+\s*年", years=r"\d{3,4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{1,2}\s*世紀|\d{2,4}\s*年代|(?:西暦|昭和|平成|令和|大正|明治)\s*(?:\d{1,4}|元)\s*年"),
    # Korean: Sohn's native and Sino-Korean numerals, 만/억, "1987년", "오후 3시".
    "ko": dict(edges="left", numbers=r"하나|둘|셋|넷|다섯|여섯|일곱|여덟|아홉|스물|서른|마흔|쉰|절반|\d\s*(?:만|억|조|천|백)", scales=r"만|억|조|천", money=r"(?:\d|만|억|조)\s?원|달러|유로|엔화|위안|파운드", months=r"\d{1,2}\s*월", days=r"[월화수목금토일]요일", clock=r"(?:오전|오후)?\s?{h}\s*시(?:\s*\d{1,2}\s*분)?", percent=r"{n}\s?(?:%|퍼센트|프로)", times=r"오전|오후|정오|자정|아침|저녁", dates=r"이전|이후|동안|부터|까지|어제|오늘|내일|봄|여름|가을|겨울|세기|년대|시대|시기|년 전|년 후|\d+\s*년", years=r"\d{3,4}\s*년(?:\s*\d{1,2}\s*월(?:\s*\d{1,2}\s*일)?)?|\d{1,2}\s*세기|\d{2,4}\s*년대"),
    # Thai: numerals ("สาม", not of "สามารถ"), ล้าน, months and their short forms, "พ.ศ. 2530".
    "th": dict(edges="none", numbers=r"สอง|สาม(?!ารถ|ัญ)|สี่|ห้า(?!ม)|หก|เจ็ด|แปด|เก้า(?!อี้)|สิบ|ยี่สิบ|(?<!เรียบ)ร้อย|พัน(?!ธ)|หมื่น|แสน|ล้าน|ครึ่ง|โหล", scales=r"พัน(?!ธ)|หมื่น|แสน|ล้าน", money=r"(?<!บท)บาท|ดอลลาร์|ดอลล่าร์|ยูโร|ปอนด์|เยน|หยวน|สตางค์", months=r"มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม|ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\.", days=r"วัน(?:จันทร์|อังคาร|พุธ|พฤหัส|ศุกร์|เสาร์|อาทิตย์)", clock=r"{h}\s?(?:นาฬิกา|น\.|โมง)", percent=r"{n}\s?(?:%|เปอร์เซ็นต์|เปอร์เซนต์)|ร้อยละ\s?{n}", times=r"นาฬิกา|โมง|ตอนเช้า|ตอนบ่าย|ตอนเย็น|กลางคืน|เที่ยง", dates=r"หลัง|ก่อน|ระหว่าง|ตั้งแต่|จนถึง|ต่อมา|เมื่อวาน|วันนี้|พรุ่งนี้|ฤดูใบไม้ผลิ|ฤดูร้อน|ฤดูใบไม้ร่วง|ฤดูหนาว|ศตวรรษ|ทศวรรษ|ปี|ยุค|สมัย|ปลาย|ช่วง", years=r"(?:พ\.ศ\.|ค\.ศ\.|ปี)\s?\d{3,4}|ศตวรรษที่\s?\d{1,2}|ทศวรรษ\s?\d{4}"),
}
# fmt: on


def fold(text: str) -> str:
    """Return text with other scripts' digits as 0-9 and Greek unaccented, offsets unchanged."""
    return text.translate(_FOLD)


def _words(spec: dict, field: str) -> str:
    """Return a field's words as one group, edged as the language's words are."""
    words = spec.get(field, "")
    if not words:
        return r"(?!x)x"
    edges = spec.get("edges", "both")
    left = _NOT_AFTER_A_WORD if edges != "none" else ""
    right = _NOT_BEFORE_A_WORD if edges == "both" else ""
    return f"{left}{spec.get('prefix', '')}(?:{words}){right}".replace(r"\b", WORD_EDGE)


@lru_cache(maxsize=64)
def formats(language: str) -> dict[str, re.Pattern] | None:
    """Return a language's compiled checks and spans, or None where it has no table."""
    table = table_language(language)
    if table not in FORMATS:
        return None
    spec = FORMATS[table]
    words = {field: _words(spec, field) for field in ("numbers", "scales", "money", "months", "days", "times", "dates", "years")}  # fmt: skip
    clock = spec["clock"].replace("{h}", _HOUR).replace(r"\b", WORD_EDGE)
    amount = rf"(?:{NUM}|{words['numbers']})"
    scaled = rf"{amount}(?:\s?{_CONNECT}{words['scales']})?"
    currency = rf"(?:{_SYMBOL}|{_CODES}|{words['money']})"
    months = words["months"]
    day = rf"\d{{1,2}}\.?\s?{_CONNECT}{months}(?:\s?/\s?{months})?(?:,?\s?{_CONNECT}\d{{4}})?|{months}\s?\d{{1,2}}(?:,\s?\d{{4}})?|{months}\s?{_CONNECT}\d{{4}}"
    span_number = rf"{NUM}(?:\s?[-–]\s?{NUM})?"
    percent = spec["percent"].replace("{n}", span_number).replace(r"\b", WORD_EDGE)
    calendar = f"{_YEAR}|{_NUMERIC_DATE}|{months}|{words['years']}"
    patterns = {
        "has_number": words["numbers"],
        "has_money": f"{_SYMBOL}|{_CODES}|{words['money']}",
        "has_calendar": calendar,
        "has_date": f"{calendar}|{words['days']}|{clock}|{words['times']}|{words['dates']}",
        "money": rf"{_SYMBOL}\s?{NUM}(?:\s?{words['scales']})?|{scaled}\s?{_CONNECT}{currency}",
        "percent": rf"{percent}|{span_number}\s?%|%\s?{span_number}",
        "date": f"{day}|{words['years']}|{clock}|{_YEAR}",
        "number": rf"{NUM}(?:\s?{_CONNECT}{words['scales']})?|{words['numbers']}",
    }
    return {name: re.compile(pattern, re.IGNORECASE) for name, pattern in patterns.items()}


def holds(text: str, check: str, language: str) -> bool:
    """Whether text holds a kind ("has_number", "has_money", ...) as its language writes it."""
    compiled = formats(language)
    return bool(compiled and compiled[check].search(fold(text)))


def spans(text: str, kind: str, language: str) -> list[tuple[int, int]]:
    """Return the spans of a kind (money, percent, date, number) in the language's formats."""
    compiled = formats(language)
    if not compiled:
        return []
    return [(m.start(), m.end()) for m in compiled[kind].finditer(fold(text))]
