"""The words phone menus use, per language.

Rules that read prompts (which keys a prompt announces, whether an option is
offered as a person, whether a menu chooses a language) need a little
knowledge of each language. It lives here, as word patterns, so that a new
language is a few lines of data, not new code.

Languages covered: English (en), Lithuanian (lt), Latvian (lv), Russian (ru),
Arabic (ar), Hungarian (hu), German (de), French (fr), Spanish (es) and
Polish (pl). Spoken names of * and #, "press" verbs and key nouns work in a
prompt of any language; number words and language names are listed per
language. How text is cut into words and compared is in ``tokens.py``.

Patterns are written in lower case; ``*`` stands for any ending (so that
inflected forms match: Lithuanian ``konsultant*`` matches konsultantu,
konsultantą...) and a leading ``*`` for any beginning (German compounds:
``*berater`` matches Kundenberater). Words are compared normalised
(NFKC, case folded, Arabic without tashkeel and clitics; see ``tokens.py``).
"""

from __future__ import annotations

from functools import cache, lru_cache

from ivrlint.language.tokens import Token, Words


def _union(per_language: dict[str, tuple[str, ...]]) -> Words:
    return Words(p for patterns in per_language.values() for p in patterns)


#: Spoken names of * and #, every language at once.
KEY_NAMES: dict[str, tuple[str, ...]] = {
    "*": (
        "star", "asterisk",               # en
        "žvaigžd*",                        # lt žvaigždutę
        "zvaigzn*",                        # lv zvaigznīti
        "звезд*",                          # ru звёздочку
        "نجم*",                            # ar النجمة
        "csillag*",                        # hu csillagot
        "stern*",                          # de Sterntaste
        "étoile*", "etoile*",              # fr
        "asterisco*",                      # es
        "gwiazdk*",                        # pl
    ),
    "#": (
        "pound", "hash", "hashtag", "octothorpe",   # en
        "grotel*",                         # lt groteles
        "restīt*", "režģ*",                # lv restīti
        "решетк*", "диез*",                # ru решётку
        "مربع*", "هاش*",                   # ar علامة المربع
        "kettőskereszt*", "négyzetrács*",  # hu
        "raute*",                          # de Rautetaste
        "dièse*", "diese*", "carré*",      # fr
        "almohadilla*", "numeral", "gato",  # es
        "krzyżyk*", "kratk*",              # pl
    ),
}
SPOKEN_KEYS = {key: Words(names) for key, names in KEY_NAMES.items()}

#: Verbs that ask for a key press ("press", "dial", "choose").
PRESS_VERBS = _union({
    "en": ("press", "push", "dial", "select", "choose", "hit"),
    "lt": ("spausk*", "paspausk*", "spaud*", "surink*", "rinkit*", "pasirink*"),
    "lv": ("spied*", "nospied*", "izvēl*", "sastād*"),
    "ru": ("нажм*", "нажим*", "набер*", "набир*", "выбер*"),
    "ar": ("اضغط*", "اضغطي", "اختر", "اختاري", "اطلب"),
    "hu": ("nyomj*", "nyomd*", "nyomva", "válassz*", "tárcsáz*"),
    "de": ("drück*", "wähl*", "tipp*", "betätig*"),
    "fr": ("appuy*", "tapez", "compos*", "sélectionn*", "choisiss*"),
    "es": ("puls*", "marq*", "oprim*", "presion*", "teclee", "seleccion*"),
    "pl": ("naciśn*", "nacisn*", "wciśn*", "wcisn*", "wybierz*", "wybier*"),
})

#: Words that stand between a press verb and its key without changing what
#: is pressed: "press THE STAR KEY", "нажмите НА КЛАВИШУ 1", "nyomja MEG AZ
#: 1-es GOMBOT", "اضغط على الرقم 1", "drücken SIE DIE 1".
KEY_FILLERS = _union({
    "en": ("the", "a", "key", "button", "number", "option", "on", "now", "please", "digit", "then", "also", "just"),
    "lt": ("klaviš*", "mygtuk*", "skaič*", "numer*", "prašom*", "dabar"),
    "lv": ("taustiņ*", "pog*", "cipar*", "lūdzu", "tagad"),
    "ru": ("на", "клавиш*", "кнопк*", "цифр*", "пожалуйста", "сейчас"),
    "ar": ("على", "رقم", "زر", "مفتاح", "الان", "فضلك"),
    "hu": ("meg", "az", "a", "gomb*", "billenty*", "számot", "számú", "számra", "most", "kérjük", "kérem",
           "es", "as", "os", "ös", "et", "at", "ot", "öt", "t", "s", "est", "ast", "öst", "ost"),
    "de": ("sie", "die", "taste*", "bitte", "auf", "ziffer*", "nummer*", "jetzt"),
    "fr": ("sur", "la", "le", "l", "touche*", "maintenant"),
    "es": ("la", "el", "tecla*", "número", "numero", "opción", "opcion", "ahora", "por", "favor"),
    "pl": ("klawisz*", "przycisk*", "cyfr*", "numer*", "teraz", "proszę"),
})

#: "or", "and": a list of keys goes on after them ("press 1, 2 or 3").
CONJUNCTIONS = _union({
    "en": ("or", "and"), "lt": ("arba", "ir"), "lv": ("vai", "un"), "ru": ("или", "либо", "и"),
    "ar": ("او",), "hu": ("vagy", "és", "illetve"), "de": ("oder", "und"), "fr": ("ou", "et"),
    "es": ("o", "u", "y", "e"), "pl": ("lub", "albo", "i", "oraz", "czy"),
})

#: Verbs of typing in digits. A # said in the same sentence ("enter your
#: account number followed by the pound key") ends the entry; it is not a
#: menu option.
ENTRY_VERBS = _union({
    "en": ("enter", "type", "input", "followed"),
    "lt": ("įves*", "įvesk*"),
    "lv": ("ievad*",),
    "ru": ("введ*", "ввод*", "ввест*"),
    "ar": ("ادخل*", "ادخال*", "متبوع*"),
    "hu": ("adja", "írj*", "üss*", "üsse"),
    "de": ("eingeb*", "geben"),
    "fr": ("saisi*", "entrez", "suivi*"),
    "es": ("introduzc*", "ingres*", "digit*", "seguido*"),
    "pl": ("wprowadź*", "wprowadz*", "wpisz*", "podaj*"),
})

#: Number words that name a key, per language ("press one", "нажмите
#: единицу", "nyomja meg az egyest"). Only read right after a press verb
#: or in a list of keys, since "one" and "egy" are also ordinary words.
NUMBER_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"0": ("zero", "oh", "nought"), "1": ("one",), "2": ("two",), "3": ("three",), "4": ("four",),
           "5": ("five",), "6": ("six",), "7": ("seven",), "8": ("eight",), "9": ("nine",)},
    "lt": {"0": ("nul*",), "1": ("vien*",), "2": ("du", "dvejet*"), "3": ("trys", "tris", "trejet*"),
           "4": ("keturi*", "ketvert*"), "5": ("penk*",), "6": ("šeš*",), "7": ("septyn*",), "8": ("aštuon*",),
           "9": ("devyn*",)},
    "lv": {"0": ("null*",), "1": ("vien*",), "2": ("div*",), "3": ("trīs",), "4": ("četr*",), "5": ("piec*",),
           "6": ("seš*",), "7": ("septiņ*",), "8": ("astoņ*",), "9": ("deviņ*",)},
    "ru": {"0": ("ноль", "нуль", "нол*"), "1": ("один", "одна", "единиц*"), "2": ("два", "двойк*"),
           "3": ("три", "тройк*"), "4": ("четыре", "четверк*"), "5": ("пять", "пятерк*"), "6": ("шесть", "шестерк*"),
           "7": ("семь", "семерк*"), "8": ("восемь", "восьмерк*"), "9": ("девять", "девятк*")},
    "ar": {"0": ("صفر",), "1": ("واحد",), "2": ("اثن*",), "3": ("ثلاث*",), "4": ("اربع*",), "5": ("خمس*",),
           "6": ("سته", "ست"), "7": ("سبع*",), "8": ("ثمان*",), "9": ("تسع*",)},
    "hu": {"0": ("nulla*", "nullás*"), "1": ("egyes*", "egyet"), "2": ("kettő*", "kettes*"),
           "3": ("három", "hármas*", "hármat"), "4": ("négy*",), "5": ("öt", "ötös*", "ötöt"),
           "6": ("hat", "hatos*", "hatot"), "7": ("hét", "hetes*", "hetet"), "8": ("nyolc*",), "9": ("kilenc*",)},
    "de": {"0": ("null",), "1": ("eins",), "2": ("zwei",), "3": ("drei",), "4": ("vier",), "5": ("fünf",),
           "6": ("sechs",), "7": ("sieben",), "8": ("acht",), "9": ("neun",)},
    "fr": {"0": ("zéro", "zero"), "1": ("un",), "2": ("deux",), "3": ("trois",), "4": ("quatre",), "5": ("cinq",),
           "6": ("six",), "7": ("sept",), "8": ("huit",), "9": ("neuf",)},
    "es": {"0": ("cero",), "1": ("uno",), "2": ("dos",), "3": ("tres",), "4": ("cuatro",), "5": ("cinco",),
           "6": ("seis",), "7": ("siete",), "8": ("ocho",), "9": ("nueve",)},
    "pl": {"0": ("zero",), "1": ("jeden", "jedynk*"), "2": ("dwa", "dwójk*"), "3": ("trzy", "trójk*"),
           "4": ("cztery", "czwórk*"), "5": ("pięć", "piątk*"), "6": ("sześć", "szóstk*"), "7": ("siedem", "siódemk*"),
           "8": ("osiem", "ósemk*"), "9": ("dziewięć", "dziewiątk*")},
}

#: Nouns that name a person who answers: enough on their own ("for an
#: operator", "konsultantas", "ügyintézőnkkel").
PERSON_NOUNS = _union({
    "en": ("agent", "agents", "operator", "operators", "representative", "representatives", "rep", "reps",
           "adviser", "advisers", "advisor", "advisors", "consultant", "consultants", "attendant", "receptionist",
           "specialist", "specialists", "colleague", "colleagues"),
    "lt": ("konsultant*", "operator*", "darbuotoj*", "specialist*", "vadybinink*", "atstov*", "patarėj*"),
    "lv": ("konsultant*", "operator*", "darbiniek*", "speciālist*", "pārstāv*", "padomniek*"),
    "ru": ("оператор*", "консультант*", "специалист*", "сотрудник*", "менеджер*", "представител*"),
    "ar": ("موظف*", "ممثل*", "مستشار*", "مختص*"),
    "hu": ("ügyintéz*", "munkatárs*", "kollég*", "operátor*", "tanácsadó*"),
    "de": ("*mitarbeiter*", "*berater", "*beraterin*", "*betreuer*", "operator*", "vermittlung*",
           "ansprechpartner*", "agent", "agenten"),
    "fr": ("conseiller*", "conseillère*", "téléconseill*", "opérateur*", "opératrice*", "agent", "agents",
           "interlocut*", "standardiste*"),
    "es": ("agente*", "operador*", "asesor*", "representante*", "ejecutiv*", "especialista*", "consultor*"),
    "pl": ("konsultant*", "operator*", "doradc*", "pracownik*", "agent", "agenta", "agentem"),
})

#: Words that name a person only when the caller is also offered to talk:
#: "to talk to someone" (but not "if someone used your card"), "a person"
#: (but not "pay in person").
PERSON_WORDS_WITH_TALK = _union({
    "en": ("someone", "somebody", "person", "people", "human", "humans", "staff", "team"),
    "lt": ("žmog*", "žmon*", "komand*"),
    "lv": ("cilvēk*", "kād*", "komand*"),
    "ru": ("человек*", "кем", "живым", "команд*"),
    "ar": ("شخص*", "احد", "فريق*"),
    "hu": ("valaki*", "személy*", "ember*", "csapat*"),
    "de": ("person*", "mensch*", "jemand*", "team*"),
    "fr": ("personne*", "quelqu", "équipe*"),
    "es": ("persona*", "alguien", "equipo*"),
    "pl": ("osob*", "ktoś", "kimś", "człowiek*", "zespoł*", "zespół*"),
})

#: Verbs (and nouns) of talking to someone.
TALK_WORDS = _union({
    "en": ("speak", "speaking", "talk", "talking", "chat", "connect*", "reach", "transfer*"),
    "lt": ("kalbėt*", "pakalbėt*", "susisiek*", "sujung*", "pokalb*"),
    "lv": ("runāt*", "parunāt*", "sarun*", "sazinā*", "savieno*"),
    "ru": ("поговор*", "говор*", "связ*", "соедин*", "разговор*"),
    "ar": ("تحدث*", "تكلم*", "تواصل*", "تحويل*", "محادث*"),
    "hu": ("beszél*", "kapcsol*"),
    "de": ("sprech*", "verbind*", "gespräch*"),
    "fr": ("parler", "joindre", "relation", "contacter"),
    "es": ("habl*", "comunic*", "contact*"),
    "pl": ("rozmaw*", "porozmaw*", "połącz*", "polacz*", "kontakt*"),
})

#: "of" after a number word makes it a quantity, not a key: "press one of
#: the keys", "нажмите одну из клавиш", "vieną iš".
PARTITIVES = _union({
    "en": ("of",), "lt": ("iš",), "lv": ("no",), "ru": ("из",), "ar": ("من",), "hu": ("közül",),
    "de": ("von", "der"), "fr": ("de", "des", "d"), "es": ("de",), "pl": ("z", "spośród"),
})

#: Words of the caller being someone ("if you are an agent or a broker"):
#: a person noun near them describes the caller, not whom they will reach.
#: English says it in two words; ``wording.offers_person`` reads them.
CALLER_IS = _union({
    "lt": ("esate",), "lv": ("esat",), "ru": ("являетесь",), "ar": ("كنت",),
    "fr": ("êtes",), "es": ("eres",), "pl": ("jesteś", "jestes"),
})
CALLER_IS_ENGLISH = (("you", "are"), ("you", "re"), ("are", "you"))

#: Words of staying on the line: "or hold for an agent" is the no-input path,
#: not the key said before it.
HOLD_WORDS = _union({
    "en": ("hold", "stay", "remain", "wait"), "lt": ("lik*", "laukit*", "palauk*"), "lv": ("paliec*", "gaid*"),
    "ru": ("оставайтесь", "ожида*", "дожд*"), "ar": ("ابق*", "انتظر*"), "hu": ("maradjon", "várjon", "tartsa"),
    "de": ("bleiben", "warten"), "fr": ("restez", "patientez"), "es": ("permanezc*", "esper*"),
    "pl": ("pozostań*", "pozostan*", "czekaj*", "zaczekaj*"),
})

#: Words of leaving a message for a callback: an option offered as "leave a
#: message for an adviser" may lead to a voicemail.
CALLBACK_WORDS = _union({
    "en": ("message", "messages", "voicemail", "callback", "back"),
    "lt": ("žinut*", "perskambin*"),
    "lv": ("ziņojum*", "ziņu", "atzvan*"),
    "ru": ("сообщени*", "перезвон*", "обратн*"),
    "ar": ("رساله*", "اتصال*"),
    "hu": ("üzenet*", "visszahív*"),
    "de": ("nachricht*", "rückruf*"),
    "fr": ("message*", "rappel*"),
    "es": ("mensaje*", "devol*"),
    "pl": ("wiadomo*", "oddzwon*"),
})

#: Names of languages, as a menu offers them ("For English", "Lietuviškai",
#: "на русском языке", "magyarul"), in the languages of this lexicon.
LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("english", "angliškai", "anglų", "angliski", "angļu", "англ*", "انجليزي*", "انكليزي*", "angol*",
           "englisch*", "anglais*", "inglés", "ingles", "angielsk*"),
    "lt": ("lithuanian", "lietuv*", "литов*", "ليتواني*", "litván*", "litauisch*", "lituanien*", "lituano*", "litewsk*"),
    "lv": ("latvian", "latvi*", "латыш*", "لاتفي*", "lett", "lettül", "lettisch*", "letton*", "letón", "łotewsk*"),
    "ru": ("russian", "rusų", "rusišk*", "krievu", "krieviski", "русск*", "روسي*", "orosz*", "russisch*",
           "russe", "ruso", "rosyjsk*"),
    "ar": ("arabic", "arabų", "arābu", "арабск*", "عربي*", "arab", "arabul", "arabisch*", "arabe", "árabe", "arabsk*"),
    "hu": ("hungarian", "vengr*", "ungāru", "венгер*", "مجري*", "magyar*", "ungarisch*", "hongrois*", "húngaro",
           "węgiersk*"),
    "de": ("german", "vokiečių", "vokišk*", "vācu", "vāciski", "немецк*", "الماني*", "német*", "deutsch*",
           "allemand*", "alemán", "aleman", "niemieck*"),
    "fr": ("french", "prancūz*", "franču", "франц*", "فرنسي*", "francia*", "französisch*", "français", "francais",
           "francés", "frances", "francusk*"),
    "es": ("spanish", "ispan*", "spāņu", "испан*", "اسباني*", "spanyol*", "spanisch*", "espagnol*", "español",
           "espanol", "hiszpańsk*"),
    "pl": ("polish", "lenk*", "poļu", "польск*", "بولندي*", "lengyel*", "polnisch*", "polonais*", "polaco",
           "polsk*"),
}
_LANGUAGE_WORDS = {tag: Words(names) for tag, names in LANGUAGE_NAMES.items()}


def base_language(tag: str) -> str:
    """The language of a BCP 47 tag: "lt-LT" -> "lt"."""
    return tag.split("-")[0].split("_")[0].lower()


def known_language(tag: str | None) -> bool:
    """Does this lexicon have the number words and names of `tag`'s language?"""
    return tag is not None and base_language(tag) in NUMBER_WORDS


@cache
def number_words(tag: str | None) -> tuple[tuple[Words, str], ...]:
    """(words, key) for the number words of `tag`'s language; every language's when it is not known."""
    languages = [base_language(tag)] if tag is not None and known_language(tag) else list(NUMBER_WORDS)
    return tuple((Words(NUMBER_WORDS[lang][key]), key) for lang in languages for key in NUMBER_WORDS[lang])


def spoken_key(token: Token, language: str | None = None, numbers: bool = False) -> str | None:
    """The key a token names: a lone digit, a written or spoken * or #, and
    with `numbers` a number word of the language."""
    if token.kind == "digit":
        return token.digit
    if token.kind == "symbol":
        return token.text
    if token.kind != "word":
        return None
    return _word_key(token.forms, language if numbers else None, numbers)


@lru_cache(maxsize=65536)
def _word_key(forms: tuple[str, ...], language: str | None, numbers: bool) -> str | None:
    """spoken_key of a word, by its forms (words repeat across prompts: each is looked up once)."""
    for key, names in SPOKEN_KEYS.items():
        if names.matches(forms):
            return key
    if numbers:
        for words, key in number_words(language):
            if words.matches(forms):
                return key
    return None


def number_word_key(words: list[Token], index: int, language: str | None) -> str | None:
    """The key a number word names ("press one"), unless a partitive makes
    it a quantity ("press one of the keys")."""
    if index + 1 < len(words) and words[index + 1] in PARTITIVES:
        return None
    return spoken_key(words[index], language, numbers=True)


def language_named(token: Token) -> str | None:
    """The language tag a word names ("English", "lietuviškai", "по-русски"), if any."""
    for tag, words in _LANGUAGE_WORDS.items():
        if token in words:
            return tag
    return None


def press_verb_before(words: list[Token], index: int, first: int = 0, extra: Words | None = None) -> int | None:
    """Index of the press verb that asks for the key at `index` ("press 1",
    "нажмите на клавишу 1", "اضغط على الرقم 1"), looking back over fillers
    and no further than `first`; None if there is none. `extra` adds press
    verbs learned from the prompt itself."""
    j = index - 1
    while j >= first and j >= index - 4:
        word = words[j]
        if word in PRESS_VERBS or (extra is not None and word in extra):
            return j
        if word.kind != "word" or word not in KEY_FILLERS:
            return None
        j -= 1
    return None


def press_verb_after(words: list[Token], index: int, last: int, extra: Words | None = None) -> int | None:
    """Index of a press verb that follows the key at `index` over fillers
    (Hungarian "az 1-es gombot nyomja meg", German "die 1 drücken"), up to
    `last`; not one that asks for a key of its own ("on line 2, press 3")."""
    j = index + 1
    while j <= last and j <= index + 4:
        word = words[j]
        if word in PRESS_VERBS or (extra is not None and word in extra):
            return None if _key_follows(words, j, last) else j
        if word.kind != "word" or word not in KEY_FILLERS:
            return None
        j += 1
    return None


def _key_follows(words: list[Token], verb: int, last: int) -> bool:
    """Does a key come right after the press verb at `verb`, over fillers?"""
    j = verb + 1
    while j <= last and words[j].kind == "word" and words[j] in KEY_FILLERS and spoken_key(words[j]) is None:
        j += 1
    return j <= last and (spoken_key(words[j]) is not None or number_word_key(words, j, None) is not None)
