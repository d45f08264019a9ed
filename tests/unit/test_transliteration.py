"""The Latin name proposed from the original script, as the registrar sees it in the preview: ICAO Doc 9303
for Cyrillic and for Latin with diacritics, Kazakh letters as Kazakhstan's passports write them, no patronymic,
and a reason instead of a name when there is no rule, mixed scripts or nothing to write."""

from __future__ import annotations

import unicodedata

import iuliia
import pytest

from tracker.transliteration import (
    NameParts,
    Proposal,
    Reason,
    _propose_slowly,
    name_parts,
    propose_latin,
    propose_passport_name,
    split_name,
)

KAZAKH = {
    "Әлихан Бөкейхан": "ALIKHAN BOKEIKHAN",  # ә ө
    "Ғабит Мүсірепов": "GABIT MUSIREPOV",  # ғ ү і
    "Қасым-Жомарт Тоқаев": "KASYM-ZHOMART TOKAEV",  # қ, hyphen kept
    "Іңкәр Жаңылова": "INKAR ZHANYLOVA",  # І ң ә
    "Мұхтар Әуезов": "MUKHTAR AUEZOV",  # ұ Ә
    "Шаһмардан Үсенов": "SHAHMARDAN USENOV",  # һ Ү
    "Құрманғазы Сағырбайұлы": "KURMANGAZY SAGYRBAIULY",  # Қ ұ ғ
    "ӘЛИЯ НҰРЛАНҚЫЗЫ": "ALIIA NURLANKYZY",  # upper case as lists often write it
    "ӘҒҚҢӨҰҮҺІ әғқңөұүһі": "AGKNOUUHI AGKNOUUHI",  # every Kazakh letter, both cases
}
RUSSIAN = {
    "Пётр Щукин": "PETR SHCHUKIN",  # ё щ
    "Майя Ильина": "MAIIA ILINA",  # й я ь
    "Степан Подъячев": "STEPAN PODIEIACHEV",  # ъ я
    "Эдуард Цыганков": "EDUARD TSYGANKOV",  # э ц ы
    "Юлия Хохлова": "IULIIA KHOKHLOVA",  # ю я х
    "Вячеслав Жуков": "VIACHESLAV ZHUKOV",  # я ч ж
    "  ИВАНОВ   иван  ": "IVANOV IVAN",  # spaces and case normalized
}
OTHER_CYRILLIC = {
    "Ґанна Євтушенко": "GANNA IEVTUSHENKO",  # Ukrainian ґ є
    "Їжакевич Ірина": "IZHAKEVICH IRINA",  # Ukrainian ї і
    "Мар'яна Кравчук": "MARIANA KRAVCHUK",  # Ukrainian apostrophe dropped
    "Святлана Ціханоўская": "SVIATLANA TSIKHANOUSKAIA",  # Belarusian і ў
    "Ђорђе Марјановић": "DORDE MARJANOVIC",  # Serbian ђ ј ћ
    "Љубомир Јовановић": "LJUBOMIR JOVANOVIC",  # Serbian љ ј
    "Њагул Џеко": "NJAGUL DZEKO",  # Serbian њ џ
    "Ѓорѓи Ќосевски": "GORGI KOSEVSKI",  # Macedonian ѓ ќ
    "Ѕвездан": "DZVEZDAN",  # Macedonian ѕ
    "Өмүрбек Текебаев": "OMURBEK TEKEBAEV",  # Kyrgyz ө ү
    "Чыңгыз Айтматов": "CHYNGYZ AITMATOV",  # Kyrgyz ң
    "Ухнаагийн Хүрэлсүх": "UKHNAAGIIN KHURELSUKH",  # Mongolian ү
    "Ӯроқов Ӣсоев": "UROKOV ISOEV",  # Tajik ӯ ӣ: the letter under the accent
}
LATIN = {
    "Jürgen Müller-Lüdenscheidt": "JUERGEN MUELLER-LUEDENSCHEIDT",  # German ü
    "Bärbel Gößling": "BAERBEL GOESSLING",  # German ä ö ß
    "Søren Kierkegaard": "SOEREN KIERKEGAARD",  # Danish ø
    "Åsa Ødegård": "AASA OEDEGAARD",  # Norwegian, Swedish å ø
    "Þórður Guðmundsson": "THORDUR GUDMUNDSSON",  # Icelandic þ ð ó
    "Sæmundur Æsir": "SAEMUNDUR AESIR",  # æ
    "Łukasz Żółkiewski": "LUKASZ ZOLKIEWSKI",  # Polish ł ż ó
    "Lech Wałęsa": "LECH WALESA",  # Polish ł ę
    "Recep Tayyip Erdoğan": "RECEP TAYYIP ERDOGAN",  # Turkish ğ
    "Işıl Çelik": "ISIL CELIK",  # Turkish ı ç
    "İlhan Şahin": "ILHAN SAHIN",  # Turkish İ ş
    "José Luis Rodríguez Zapatero": "JOSE LUIS RODRIGUEZ ZAPATERO",  # Spanish é í
    "Íñigo Muñoz": "INIGO MUNOZ",  # Spanish ñ
    "François Hollande": "FRANCOIS HOLLANDE",  # French ç
    "Jean-Noël Barrot": "JEAN-NOEL BARROT",  # French ë
    "Hélène Carrère d'Encausse": "HELENE CARRERE DENCAUSSE",  # French è, apostrophe dropped
    "Œdipe Lefèvre": "OEDIPE LEFEVRE",  # œ
    "Antonín Dvořák": "ANTONIN DVORAK",  # Czech ř
    "Ștefan Țiriac": "STEFAN TIRIAC",  # Romanian comma below
    "Pál Erdős": "PAL ERDOS",  # Hungarian ő
    "Martí Col·lell": "MARTI COLLELL",  # Catalan middle dot dropped
    "Ŀuís Paŀlarès": "LUIS PALLARES",  # Catalan ŀ
    "Ĳsbrand van Dijk": "IJSBRAND VAN DIJK",  # Dutch ĳ
    "Anne-Marie O'Connor": "ANNE-MARIE OCONNOR",  # plain ASCII: upper-cased, apostrophe dropped
    "Smith,  John": "SMITH JOHN",
    "ＫＩＭ Ｙｕｎａ": "KIM YUNA",  # fullwidth letters typed on an East Asian keyboard
}
MARKS = {
    "Д'Артаньян": "DARTANIAN",
    "Д’Артаньян": "DARTANIAN",  # typographic apostrophe
    "Жан-Поль Бельмондо": "ZHAN-POL BELMONDO",
    "Жан – Поль": "ZHAN-POL",  # an en dash with spaces around it is the hyphen of one name
    "Анна-Мария Иванова-Петрова": "ANNA-MARIIA IVANOVA-PETROVA",
    "-Иванов Иван-": "IVANOV IVAN",  # a hyphen at the edge of a word goes
    "Ива́нов": "IVANOV",  # a stress mark
    "Иванов (Ivanov)": "IVANOV IVANOV",  # two words, two scripts: each by its own rule
}


@pytest.mark.parametrize(
    ("name", "latin"),
    [*KAZAKH.items(), *RUSSIAN.items(), *OTHER_CYRILLIC.items(), *LATIN.items(), *MARKS.items()],
)
def test_it_proposes_the_passport_spelling(name: str, latin: str) -> None:
    assert propose_latin(name) == Proposal(latin)


@pytest.mark.parametrize(
    ("name", "word", "scripts"),
    [
        ("Ивaнов Иван", "Ивaнов", ("cyrillic", "latin")),  # a Latin "a" in a Cyrillic word
        ("Петрова Анна Сергеевнa", "Сергеевнa", ("cyrillic", "latin")),
        ("Сейiтов Арман", "Сейiтов", ("cyrillic", "latin")),  # a Latin "i" for the Kazakh "і"
        ("Ivanоv Ivan", "Ivanоv", ("cyrillic", "latin")),  # a Cyrillic "о" in a Latin word
        ("Əлия Сейітова", "Əлия", ("cyrillic", "latin")),  # the Latin schwa for the Kazakh "ә"
        ("Αlexis Tsipras", "Αlexis", ("greek", "latin")),  # a Greek capital alpha
    ],
)
def test_it_flags_mixed_scripts_in_one_word(name: str, word: str, scripts: tuple[str, ...]) -> None:
    assert propose_latin(name) == Proposal(None, Reason.MIXED_SCRIPTS, word, scripts)


@pytest.mark.parametrize(
    ("name", "word", "scripts"),
    [
        ("习近平", "习近平", ("cjk",)),
        ("岸田 文雄", "岸田", ("cjk",)),
        ("さくら子", "さくら子", ("cjk", "hiragana")),  # kanji with kana is Japanese, not a typo
        ("김정은", "김정은", ("hangul",)),
        ("მიხეილ სააკაშვილი", "მიხეილ", ("georgian",)),
        ("Նիկոլ Փաշինյան", "Նիկոլ", ("armenian",)),
        ("Κυριάκος Μητσοτάκης", "Κυριάκος", ("greek",)),
        ("محمد عبد الله", "محمد", ("arabic",)),
        ("נתניהו", "נתניהו", ("hebrew",)),
        ("नरेन्द्र मोदी", "नरेन्द्र", ("devanagari",)),
        ("ประยุทธ์ จันทร์โอชา", "ประยุทธ์", ("thai",)),
        ("Ӯроқов Зоҳир", "Зоҳир", ("cyrillic",)),  # Tajik ҳ: no rule checked
        ("Муса Җәлил", "Җәлил", ("cyrillic",)),  # Tatar җ
        ("İlham Əliyev", "Əliyev", ("latin",)),  # Azerbaijani ə: not in ICAO's table
    ],
)
def test_it_asks_for_the_latin_name_where_no_rule_exists(name: str, word: str, scripts: tuple[str, ...]) -> None:
    assert propose_latin(name) == Proposal(None, Reason.NO_RULE, word, scripts)


@pytest.mark.parametrize("name", ["", "   ", "***", "12345", "—", "№ 5", "''", "ь Ь-ь", "?!", "\u200b"])
def test_it_says_nothing_is_left_of_symbols_and_digits(name: str) -> None:
    assert propose_latin(name) == Proposal(None, Reason.NOTHING_LEFT)


def test_it_writes_russian_as_iuliias_icao_schema_does() -> None:
    for cyrillic, _latin in iuliia.ICAO_DOC_9303.samples:
        expected = " ".join(iuliia.ICAO_DOC_9303.translate(cyrillic).upper().replace(",", " ").split())
        assert propose_latin(cyrillic).latin == expected


def test_it_reads_decomposed_letters_as_composed() -> None:
    assert propose_latin(unicodedata.normalize("NFD", "Йөрген Müller")) == Proposal("IORGEN MUELLER")


@pytest.mark.parametrize(
    "name",
    [*KAZAKH, *RUSSIAN, *OTHER_CYRILLIC, *LATIN, *MARKS, "Ивaнов Иван", "习近平", "***", "İlham Əliyev"],
)
def test_its_quick_way_agrees_with_its_letter_by_letter_way(name: str) -> None:
    assert propose_latin(name) == _propose_slowly(unicodedata.normalize("NFC", name))


@pytest.mark.parametrize(
    ("full_name", "parts"),
    [
        ("Иванов Иван Иванович", NameParts("Иванов", "Иван", "Иванович")),
        ("ПЕТРОВА АННА СЕРГЕЕВНА", NameParts("ПЕТРОВА", "АННА", "СЕРГЕЕВНА")),
        ("Кузнецов Никита Ильич", NameParts("Кузнецов", "Никита", "Ильич")),
        ("Ильина Мария Ильинична", NameParts("Ильина", "Мария", "Ильинична")),
        ("Лукашэнка Аляксандр Рыгоравіч", NameParts("Лукашэнка", "Аляксандр", "Рыгоравіч")),
        ("Шевченко Олена Іванівна", NameParts("Шевченко", "Олена", "Іванівна")),
        ("Сейітов Арман Болатұлы", NameParts("Сейітов", "Арман", "Болатұлы")),
        ("Сейітова Айгерім Болат қызы", NameParts("Сейітова", "Айгерім", "Болат қызы")),
        ("Болатұлы Арман Серікұлы", NameParts("Болатұлы", "Арман", "Серікұлы")),  # a surname in -ұлы too
        ("Нұрланқызы Айгерім", NameParts("Нұрланқызы", "Айгерім")),  # the surname, not a patronymic
        ("Ким Елена", NameParts("Ким", "Елена")),
        ("Ли Мин Хо", NameParts("Ли", "Мин Хо")),
        ("Иванов", NameParts("Иванов", "")),
        ("", NameParts("", "")),
    ],
)
def test_it_splits_a_full_name_cell(full_name: str, parts: NameParts) -> None:
    assert split_name(full_name) == parts


@pytest.mark.parametrize(
    ("columns", "parts"),
    [
        (("Иванов", "Иван", "Иванович"), NameParts("Иванов", "Иван", "Иванович")),
        (("Иванов", "Иван Иванович", ""), NameParts("Иванов", "Иван", "Иванович")),  # "Имя Отчество"
        (("Сейітов", "Арман", "Болатұлы"), NameParts("Сейітов", "Арман", "Болатұлы")),  # "Әкесінің аты"
        (("Сейітов", "Арман Болат ұлы", ""), NameParts("Сейітов", "Арман", "Болат ұлы")),
        (("Нұрланқызы", "Айгерім", ""), NameParts("Нұрланқызы", "Айгерім")),
        ((" Петрова ", " Анна  Мария ", ""), NameParts("Петрова", "Анна Мария")),
    ],
)
def test_it_takes_surname_given_names_and_patronymic_columns(columns: tuple[str, str, str], parts: NameParts) -> None:
    assert name_parts(*columns) == parts


@pytest.mark.parametrize(
    ("parts", "full_name", "latin"),
    [
        (split_name("Иванов Иван Иванович"), "Иванов Иван Иванович", "IVANOV IVAN"),
        (split_name("Сейітов Арман Болатұлы"), "Сейітов Арман Болатұлы", "SEIITOV ARMAN"),
        (split_name("Сейітова Айгерім Болат қызы"), "Сейітова Айгерім Болат қызы", "SEIITOVA AIGERIM"),
        (split_name("Нұрланқызы Айгерім"), "Нұрланқызы Айгерім", "NURLANKYZY AIGERIM"),
        (split_name("Петрова Анна Сергеевна"), "Петрова Анна Сергеевна", "PETROVA ANNA"),
        (split_name("Ким Елена"), "Ким Елена", "KIM ELENA"),
        (name_parts("Жақсылықов", "Ерлан", "Әбдіғаниұлы"), "Жақсылықов Ерлан Әбдіғаниұлы", "ZHAKSYLYKOV ERLAN"),
        (name_parts("Смирнова", "Ольга Юрьевна"), "Смирнова Ольга Юрьевна", "SMIRNOVA OLGA"),
    ],
)
def test_it_leaves_the_patronymic_out_of_the_latin_name(parts: NameParts, full_name: str, latin: str) -> None:
    assert parts.full_name == full_name
    assert propose_passport_name(parts) == Proposal(latin)


def test_it_flags_mixed_scripts_in_a_patronymic_it_leaves_out() -> None:
    proposal = propose_passport_name(split_name("Иванов Иван Ивaнович"))
    assert proposal == Proposal(None, Reason.MIXED_SCRIPTS, "Ивaнович", ("cyrillic", "latin"))
