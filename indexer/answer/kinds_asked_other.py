# ruff: noqa: E501 - one pattern a line reads better than regexes cut mid-word
"""Question words of the languages outside XQuAD, one table a language (read by kinds_asked.py).

Written from each language's grammar as kinds_asked.py's tables are, and checked only by the
tests (tests/test_answer_kinds.py): there is no set of real questions here to check them on.
"""

OTHER_LANGUAGES: dict[str, dict[str, str]] = {
    # French: the interrogatives of the Grevisse; "qui" only where it asks, not as a relative.
    "fr": {
        "money": r"\bcombien\b.*\b(?:co[uû]t\w*|pa[yi]\w*|gagn\w*|argent|euros?|dollars?|dépens\w*|vaut|valait|rapport\w*)\b|\bquel (?:est|était|a été) (?:le )?(?:prix|co[uû]t|budget|salaire|montant|chiffre d'affaires)\b",
        "number": r"\bcombien\b|\bquel(?:le)?s? (?:est |était |sont )?(?:le |la |l')?(?:nombre|pourcentage|proportion|part|taux|quantité|montant|distance|âge|taille|hauteur|durée)\b|\bà quelle (?:distance|vitesse|fréquence)\b",
        "percent": r"\bpourcentage\b|\bpour cent\b|\bproportion\b|\bpart\b|\btaux\b",
        "date": r"\bquand\b|\bà quel(?:le)? (?:moment|heure|date|époque)\b|\b(?:en |de )?quel(?:le)?s? (?:année|an|jour|date|mois|siècle|décennie|saison)\b",
        "calendar": r"\b(?:en |à |de )?quel(?:le)?s? (?:année|an|jour|date|mois|siècle|décennie)\b",
        "person": r"^\W*qui\b|\b(?:à|de|par|avec|pour|chez|contre|selon) qui\b|\bquel(?:le)?s? (?:\w+ ){0,2}?(?:personne|entreprise|société|organisation|pays|ville|université|organisme|peuple)\b",
        "place": r"\boù\b|\bd'où\b|\bdans quel(?:le)? (?:ville|pays|région|lieu|endroit)\b",
    },
    # Italian: the Treccani grammar's interrogatives ("per quanto riguarda" does not ask).
    "it": {
        "money": r"\bquant\w* .*\b(?:cost\w*|pag\w*|guadagn\w*|val\w*|spes\w*|soldi|euro|dollari|incass\w*)\b|\bqual (?:è|era|è stato) il (?:prezzo|costo|budget|salario|valore)\b",
        "number": r"\b(?<!per )quant[oiae]\b(?! riguarda)|\bche (?:percentuale|numero|quantità|distanza|età)\b|\bqual (?:è|era) (?:il|la) (?:numero|percentuale|quota|proporzione|tasso)\b|\ba che distanza\b|\bcon che (?:frequenza|velocità)\b",
        "percent": r"\bpercentual\w*|\bper cento\b|\bproporzione\b|\bquota\b|\btasso\b",
        "date": r"\bquando\b|\b(?:in |a |da )?(?:che|quale) (?:anno|mese|secolo|decennio|giorno|periodo|epoca|data|ora)\b",
        "calendar": r"\b(?:in |di |da )?(?:che|quale|quali) (?:anno|mese|secolo|decennio|giorno|data)\b",
        "person": r"\bchi\b|\b(?:quale|quali|che) (?:\w+ ){0,2}?(?:persona|persone|azienda|società|compagnia|organizzazione|paese|paesi|città|università|ente|popolo)\b",
        "place": r"\bdove\b|\bdov'|\bin quale (?:città|paese|regione|luogo)\b",
    },
    # Portuguese: the interrogatives of Cunha and Cintra's grammar ("quanto a" is "as for").
    "pt": {
        "money": r"\bquant\w* .*\b(?:cust\w*|pag\w*|ganh\w*|val\w*|gast\w*|dinheiro|reais|euros?|dólares|arrecad\w*|fatur\w*)\b|\bqual (?:é|era|foi) o (?:preço|custo|orçamento|salário|valor)\b",
        "number": r"\bquant[oa]s?\b(?! a\b)|\bque (?:percentagem|porcentagem|número|quantidade|distância|idade|proporção)\b|\bqual (?:é|era|foi) (?:o|a) (?:número|percentagem|porcentagem|proporção|taxa|quantidade)\b|\ba que distância\b|\bcom que (?:frequência|velocidade)\b",
        "percent": r"\bpercentagem\b|\bporcentagem\b|\bpor cento\b|\bproporção\b|\btaxa\b|\bparcela\b",
        "date": r"\bquando\b|\b(?:em |a |desde |até )?(?:que|qual) (?:ano|mês|século|década|dia|data|época|período|horas?)\b",
        "calendar": r"\b(?:em |de |no )?(?:que|qual|quais) (?:ano|mês|século|década|dia|data)\b",
        "person": r"\bquem\b|\b(?:qual|quais|que) (?:\w+ ){0,2}?(?:pessoa|pessoas|empresa|companhia|organização|país|países|cidade|universidade|órgão|povo)\b",
        "place": r"\b(?:a|de)?onde\b|\bem que (?:cidade|país|região|lugar|local)\b",
    },
    # Dutch: the ANS's interrogatives ("wie" is "who" here, not German's "how").
    "nl": {
        "money": r"\bhoeveel\b.*\b(?:(?:ge)?kost\w*|betaal\w*|betaald|verdien\w*|geld|euro|dollar|uitgegeven|opgebracht|waard)\b|\bwat (?:kost|kostte|kostten)\b|\bwat (?:is|was|zijn|waren) (?:de|het) (?:prijs|kosten|budget|salaris|omzet|waarde)\b",
        "number": r"\bhoeveel\w*\b|\bhoe (?:lang|ver|oud|groot|vaak|snel|hoog|zwaar|diep|breed|veel)\b|\bwelk(?:e)? (?:percentage|aantal|deel|getal|bedrag)\b",
        "percent": r"\bpercentage\b|\bprocent\b|\baandeel\b|\bdeel\b",
        "date": r"\bwanneer\b|\bhoe laat\b|\b(?:in |op |sinds |tot )?welk(?:e)? (?:jaar|datum|dag|maand|eeuw|decennium|tijd|periode)\b",
        "calendar": r"\b(?:in |op )?welk(?:e)? (?:jaar|datum|dag|maand|eeuw|decennium)\b",
        "person": r"\bwie\b|\bwiens\b|\bwelk(?:e)? (?:\w+ ){0,2}?(?:persoon|personen|bedrijf|organisatie|land|landen|stad|universiteit|instantie|volk)\b",
        "place": r"\bwaar(?:heen|vandaan)?\b(?! (?:voor|om|door|mee|van|aan|op|over|uit)\b)|\bin welk(?:e)? (?:stad|land|plaats|regio)\b",
    },
    # Swedish: SAOL's interrogatives; "var" is "where" only opening the question ("was" otherwise).
    "sv": {
        "money": r"\bhur mycket\b.*\b(?:kosta\w*|betala\w*|tjäna\w*|pengar|kronor|euro|dollar|värd)\b|\bvad (?:kostar|kostade)\b|\bvad (?:är|var) (?:priset|kostnaden|budgeten|lönen)\b",
        "number": r"\bhur (?:många|mycket|länge|långt|gammal|gamla|stor|stora|ofta|snabbt|hög|högt)\b|\bvilk(?:en|et|a) (?:andel|procent\w*|antal)\b",
        "percent": r"\bprocent\w*|\bandel\b",
        "date": r"\bnär\b|\bhur dags\b|\b(?:i |på )?vilk(?:en|et) (?:år|dag|månad|datum|tid|tidpunkt|period|decennium|århundrade)\b",
        "calendar": r"\b(?:i |på )?vilk(?:en|et) (?:år|dag|månad|datum|decennium|århundrade)\b",
        "person": r"\bvem\b|\bvems\b|\bvilk(?:en|et|a) (?:\w+ ){0,2}?(?:person|personer|företag|organisation|land|länder|stad|universitet)\b",
        "place": r"^\W*var\b|\bvar (?:ligger|finns|föddes|bor|bodde|låg)\b|\bvarifrån\b|\bvart\b",
    },
    # Danish: Retskrivningsordbogen's interrogatives ("hvis" is also "if": not read).
    "da": {
        "money": r"\bhvor meget\b.*\b(?:koste\w*|betal\w*|tjen\w*|penge|kroner|euro|dollar|værd)\b|\bhvad (?:koster|kostede)\b|\bhvad (?:er|var) (?:prisen|omkostningerne|budgettet|lønnen)\b",
        "number": r"\bhvor (?:mange|meget|længe|langt|gammel|gamle|stor|store|ofte|hurtigt|høj|højt)\b|\bhvilk(?:en|et|e) (?:andel|procent\w*|antal)\b",
        "percent": r"\bprocent\w*|\bandel\b",
        "date": r"\bhvornår\b|\bhvad tid\b|\b(?:i |på )?hvilk(?:en|et) (?:år|dag|måned|dato|tid|periode|årti|århundrede)\b",
        "calendar": r"\b(?:i |på )?hvilk(?:en|et) (?:år|dag|måned|dato|årti|århundrede)\b",
        "person": r"\bhvem\b|\bhvilk(?:en|et|e) (?:\w+ ){0,2}?(?:person|personer|firma|virksomhed|organisation|land|lande|by|universitet)\b",
        "place": r"\bhvor(?:fra|hen)?\b(?! (?:mange|meget|længe|langt|gammel|gamle|stor|store|ofte|hurtigt|høj|højt)\b)",
    },
    # Norwegian (Bokmål): Bokmålsordboka's interrogatives.
    "no": {
        "money": r"\bhvor mye\b.*\b(?:koste\w*|betal\w*|tjen\w*|penger|kroner|euro|dollar|verdt)\b|\bhva (?:koster|kostet)\b|\bhva (?:er|var) (?:prisen|kostnaden|budsjettet|lønnen)\b",
        "number": r"\bhvor (?:mange|mye|lenge|langt|gammel|gamle|stor|store|ofte|fort|raskt|høy|høyt)\b|\bhvilk(?:en|et|e) (?:andel|prosent\w*|antall)\b",
        "percent": r"\bprosent\w*|\bandel\b",
        "date": r"\bnår\b|\bhva tid\b|\b(?:i |på )?hvilk(?:en|et) (?:år|dag|måned|dato|tid|periode|tiår|århundre)\b",
        "calendar": r"\b(?:i |på )?hvilk(?:en|et) (?:år|dag|måned|dato|tiår|århundre)\b",
        "person": r"\bhvem\b|\bhvilk(?:en|et|e) (?:\w+ ){0,2}?(?:person|personer|firma|selskap|organisasjon|land|by|universitet)\b",
        "place": r"\bhvor(?:fra|hen)?\b(?! (?:mange|mye|lenge|langt|gammel|gamle|stor|store|ofte|fort|raskt|høy|høyt)\b)",
    },
    # Finnish: Iso suomen kielioppi's interrogatives, with their case forms (kenen, kenelle).
    "fi": {
        "money": r"\b(?:paljonko|kuinka paljon|mitä)\b.*\b(?:maksa\w*|ansaits\w*|rahaa|euro\w*|dollari\w*|kustan\w*)\b|\bmikä (?:on|oli) (?:\w+ )?(?:hinta|kustannus|budjetti|palkka)\b",
        "number": r"\bkuinka (?:monta|paljon|pitkä\w*|kauan|kaukana|vanha|suuri|usein|nopea\w*|korkea)\b|\bmonta\b|\bmontako\b|\bpaljonko\b|\bmoniko\b|\bmiten (?:pitkä|paljon|kauan)\b",
        "percent": r"\bprosent\w*|\bosuu\w*",
        "date": r"\bmilloin\b|\bmihin aikaan\b|\bmonelta\b|\bmistä lähtien\b|\bmihin asti\b|\bminä (?:vuonna|päivänä|kuukautena|vuosisatana|vuosikymmenenä)\b|\bmikä (?:vuosi|päivämäärä|päivä)\b|\bmillä (?:vuosisadalla|vuosikymmenellä)\b",
        "calendar": r"\bminä (?:vuonna|päivänä|kuukautena|vuosisatana|vuosikymmenenä)\b|\bmikä (?:vuosi|päivämäärä|päivä)\b|\bmillä (?:vuosisadalla|vuosikymmenellä)\b|\bmonesko\b",
        "person": r"\bkuka\b|\bketkä\b|\bken(?:en|eltä|elle|een|et|estä|eksi)\b|\bketä\b|\bkeitä\b|\bmikä (?:yritys|yhtiö|järjestö|maa|kaupunki|yliopisto|henkilö)\b",
        "place": r"\bmissä\b|\bminne\b|\bmistä\b(?! lähtien)|\bmihin\b(?! (?:aikaan|asti))",
    },
    # Czech: Internetová jazyková příručka's interrogatives ("čí", not "číslo").
    "cs": {
        "money": r"\bkolik\b.*\b(?:stál\w*|stoj\w*|zaplat\w*|platil\w*|vydělal\w*|peněz|korun\w*|eur\w*|dolar\w*|utratil\w*)\b|\bjaká (?:je|byla) (?:cena|hodnota)\b|\bjaké (?:jsou|byly) náklady\b|\bjaký (?:je|byl) (?:rozpočet|plat)\b",
        "number": r"\bkolik\w*\b|\bjak (?:dlouho|daleko|často|rychle|starý|stará|velký|velká|vysoký|vysoká|moc)\b|\bjaký (?:podíl|počet)\b|\bjaké procento\b|\bo kolik\b",
        "percent": r"\bprocent\w*|\bpodíl\w*",
        "date": r"\bkdy\b|\bv kolik hodin\b|\bod kdy\b|\bdo kdy\b|\bv (?:jakém|kterém) (?:roce|měsíci|století|desetiletí|období)\b|\bkterého (?:dne|roku|měsíce)\b|\b(?:jaký|který) (?:den|rok|měsíc)\b|\bjaké (?:datum|století)\b",
        "calendar": r"\bv (?:jakém|kterém) (?:roce|měsíci|století|desetiletí)\b|\bkterého (?:dne|roku|měsíce)\b|\b(?:jaký|který) (?:den|rok|měsíc)\b|\bjaké (?:datum|století)\b",
        "person": r"\bkdo\b|\bkoho\b|\bkomu\b|\bkým\b|\bčí\b|\bčího\b|\b(?:která|který|jaká|jaký) (?:\w+ ){0,2}?(?:osoba|společnost|firma|organizace|země|město|univerzita|stát)\b",
        "place": r"\bkde\b|\bkam\b|\bodkud\b|\bv (?:jakém|kterém) (?:městě|státě|místě|regionu)\b|\bve které zemi\b",
    },
    # Polish: the PWN grammar's interrogatives with their cases (kogo, komu, kim).
    "pl": {
        "money": r"\bile\b.*\b(?:kosztow\w*|kosztuj\w*|zapłac\w*|płac\w*|zarobi\w*|pieniędzy|złotych|zł|euro|dolarów|wydał\w*)\b|\bjaka (?:jest|była) (?:cena|wartość|kwota)\b|\bjaki (?:jest|był) (?:koszt|budżet)\b",
        "number": r"\bile\b|\bilu\b|\biloma\b|\bjak (?:długo|daleko|często|szybko|stary|stara|duży|duża|wysoki|wysoka|wiele)\b|\bjaki (?:procent|odsetek|udział)\b|\bjaka (?:część|liczba|ilość)\b|\bo ile\b",
        "percent": r"\bprocent\w*|\bodsetek\b|\budział\w*",
        "date": r"\bkiedy\b|\bo której\b|\bod kiedy\b|\bdo kiedy\b|\bw (?:którym|jakim) (?:roku|miesiącu|wieku|stuleciu|dziesięcioleciu|okresie)\b|\bktórego (?:dnia|roku|miesiąca)\b|\bjakiego dnia\b|\b(?:jaki|który) (?:rok|dzień|miesiąc)\b|\bjaka data\b",
        "calendar": r"\bw (?:którym|jakim) (?:roku|miesiącu|wieku|stuleciu|dziesięcioleciu)\b|\bktórego (?:dnia|roku|miesiąca)\b|\bjakiego dnia\b|\b(?:jaki|który) (?:rok|dzień|miesiąc)\b|\bjaka data\b",
        "person": r"\bkto\b|\bkogo\b|\bkomu\b|\bkim\b|\bczyj\w*\b|\b(?:która|który|jaka|jaki|które) (?:\w+ ){0,2}?(?:osoba|firma|spółka|organizacja|kraj|państwo|miasto|uniwersytet)\b",
        "place": r"\bgdzie\b|\bdokąd\b|\bskąd\b|\bw (?:jakim|którym) (?:mieście|kraju|miejscu|regionie)\b",
    },
    # Ukrainian: the interrogatives of the Academy's grammar (скільки, коли, хто, де).
    "uk": {
        "money": r"\bскільк\w* .*\b(?:кошт\w*|заплат\w*|плат\w*|заробив\w*|грошей|гривен\w*|гривень|долар\w*|євро)\b|\bяка (?:ціна|вартість)\b",
        "number": r"\bскільк\w*\b|\bнаскільки\b|\bяк (?:довго|далеко|часто|швидко|багато|високо)\b|\bякий відсоток\b|\bяка (?:частка|кількість)\b",
        "percent": r"\bвідсот\w*|\bчастк\w*",
        "date": r"\bколи\b|\bо котрій\b|\bз яких пір\b|\bякого (?:числа|року|дня)\b|\b[ву] (?:якому|котрому) (?:році|місяці|столітті|десятилітті)\b|\bякий (?:рік|день|місяць)\b",
        "calendar": r"\bякого (?:числа|року|дня)\b|\b[ву] (?:якому|котрому) (?:році|місяці|столітті|десятилітті)\b|\bякий (?:рік|день|місяць)\b",
        "person": r"\bхто\b|\bкого\b|\bкому\b|\bким\b|\bчи(?:й|я|є|ї|їх)\b|\bяк(?:а|ий|е|і) (?:\w+ ){0,2}?(?:компанія|організація|країна|місто|людина|люди|університет)\b",
        "place": r"\bде\b|\bкуди\b|\bзвідки\b|\bв якому (?:місті|регіоні|місці)\b|\bу якій (?:країні|області)\b",
    },
    # Bulgarian: its grammar's interrogatives (the detector names Russian questions so at times).
    "bg": {
        "money": r"\bколко\b.*\b(?:струва\w*|плати\w*|лева|евро|долара|пари)\b|\bкаква (?:е|беше) цената\b",
        "number": r"\bколко\b|\bкакъв процент\b",
        "percent": r"\bпроцент\w*|\bдял\w*",
        "date": r"\bкога\b|\b(?:в |през )?(?:коя|кой|кое) (?:година|ден|месец|век|десетилетие|час)\b",
        "calendar": r"\b(?:в |през )?(?:коя|кой|кое) (?:година|ден|месец|век|десетилетие)\b",
        "person": r"\bкой\b(?! (?:ден|месец|век|час))|\bкого\b|\bкому\b|\bчи(?:й|я|е|и)\b",
        "place": r"\bкъде\b|\bоткъде\b|\bнакъде\b",
    },
    # Hebrew: the interrogatives with their prefixes (למי, בכמה); "מי" asks opening a question.
    "he": {
        "money": r"\b(?:ב|ל)?כמה\b.*(?:עלה|עולה|עלתה|עלו|שילם|שילמו|הרוויח|כסף|שקל\w*|דולר\w*|אירו|יורו|הוציא)|\bמה (?:המחיר|העלות|התקציב|השכר|הערך)\b",
        "number": r"\b(?:ב|ל|מ)?כמה\b|\bמה (?:מספר|אחוז|שיעור|היקף|גודל|גיל|מרחק)\b",
        "percent": r"\bאחוז\w*|\bשיעור\b|\bיחס\b",
        "date": r"\b(?:עד |מ)?מתי\b|\b(?:ב)?(?:איזו|איזה) (?:שנה|תאריך|יום|חודש|מאה|עשור|תקופה|שעה)\b",
        "calendar": r"\b(?:ב)?(?:איזו|איזה) (?:שנה|תאריך|יום|חודש|מאה|עשור)\b",
        "person": r"^\W*(?:ו)?מי\b|\b(?:ל|מ|ב)מי\b|\b(?:את|עם|של|על ידי) מי\b|\b(?:איזו|איזה) (?:חברה|ארגון|מדינה|עיר|אדם|אוניברסיטה|קבוצה)\b",
        "place": r"\bאיפה\b|\bהיכן\b|\bלאן\b|\bמאין\b|\bמהיכן\b|\bמאיפה\b|\bבאיזו (?:עיר|מדינה|ארץ)\b",
    },
    # Persian: the interrogatives of Lazard's grammar ("چه کسی", "کجا", "چه سالی").
    "fa": {
        "money": r"\b(?:چقدر|چه مقدار|چند)\b.*(?:هزینه|قیمت|پول|دلار|تومان|ریال|یورو|پرداخت|درآمد|خرج)|\b(?:قیمت|هزینه|بودجه|حقوق)\w* .*\b(?:چقدر|چند)\b",
        "number": r"\bچند\b|\bچندم\b|\bچقدر\b|\bچه (?:تعداد|مقدار|مدت)\b",
        "percent": r"\bدرصد\w*|\bنسبت\b",
        "date": r"\bچه (?:زمانی|وقت)\b|\bکِی\b|\b(?:در |از |تا )?چه (?:سالی|سال|تاریخی|تاریخ|روزی|ماهی|قرنی|دهه\u200cای|دهه)\b|\bکدام (?:سال|روز|ماه|قرن|دهه)\b",
        "calendar": r"\b(?:در |از )?چه (?:سالی|سال|تاریخی|تاریخ|روزی|ماهی|قرنی|دهه\u200cای|دهه)\b|\bکدام (?:سال|روز|ماه|قرن|دهه)\b",
        "person": r"\bچه (?:کسی|کسانی)\b|\bکدام (?:شرکت|سازمان|کشور|شهر|شخص|دانشگاه|گروه)\b",
        "place": r"\bکجا\w*|\bدر کدام (?:شهر|کشور|منطقه)\b",
    },
    # Indonesian and Malay: Tata Bahasa Baku's interrogatives (berapa, kapan, siapa, di mana).
    "id": {
        "money": r"\bberapa\b.*\b(?:biaya|harga|dibayar|membayar|bayar|uang|rupiah|dolar|euro|gaji|anggaran|menghabiskan)\b|\b(?:biaya|harga|anggaran|gaji)\b.*\bberapa\b",
        "number": r"\bberapa(?:kah)?\b|\bseberapa\b",
        "percent": r"\bpersen\w*|\bpersentase\b|\bproporsi\b|\brasio\b",
        "date": r"\bkapan(?:kah)?\b|\b(?:pada )?(?:tahun|tanggal|bulan|abad|dekade|hari|pukul|jam) (?:berapa|apa|ke-?\s?berapa)\b",
        "calendar": r"\b(?:pada )?(?:tahun|tanggal|bulan|abad|dekade|hari) (?:berapa|apa|ke-?\s?berapa)\b",
        "person": r"\bsiapa\w*\b|\b(?:perusahaan|organisasi|negara|kota|universitas|kelompok|orang) (?:apa|mana)\b",
        "place": r"\bdi ?mana\w*\b|\bke ?mana\b|\bdari ?mana\b",
    },
    # Japanese: the interrogatives of Martin's reference grammar (いつ, not いつも "always").
    "ja": {
        "money": r"いくら|値段|価格|費用|金額|何円|何ドル",
        "number": r"いくつ|何(?:人|個|回|本|枚|台|件|つ|種類|名|歳|倍|年間|日間|時間|パーセント|割|社|カ国|か国|校)|どのくらい|どれくらい|どれだけ|どれほど",
        "percent": r"パーセント|割合|比率|％|%",
        "date": r"いつ(?!も|か|でも)|何年(?!間)|何月|何日(?!間)|何時(?!間)|何曜日|何世紀|何年代|どの(?:年|時期|時代)",
        "calendar": r"何年(?!間)|何月|何日(?!間)|何曜日|何世紀|何年代|どの年",
        "person": r"誰|だれ|どなた|どの(?:人|会社|企業|組織|国|都市|大学|団体|人物)",
        "place": r"どこ|どちら|何処|どの(?:場所|地域)",
    },
    # Korean: the interrogatives of Sohn's grammar (언제, not 언제나 "always").
    "ko": {
        "money": r"얼마에|얼마짜리|(?:비용|가격|금액|예산|급여|값)(?:은|는|이|가)? 얼마|얼마(?:를|나)? .*(?:비용|가격|돈|지불|벌었|달러|유로|들었|썼)",
        "number": r"얼마|몇",
        "percent": r"퍼센트|비율|%",
        "date": r"언제(?!나|든지)|몇\s?년(?!\s?(?:동안|간))|몇\s?월|며칠|몇\s?시|무슨 요일|어느 (?:해|년|날|시기|시대|세기)|몇\s?세기|몇\s?년대",
        "calendar": r"몇\s?년(?!\s?(?:동안|간))|몇\s?월|며칠|어느 (?:해|년도|날)|몇\s?세기|몇\s?년대|무슨 요일",
        "person": r"누구|누가|어느 (?:사람|회사|기업|조직|나라|국가|도시|대학|단체)",
        "place": r"어디|어느 (?:곳|지역|장소)",
    },
}
