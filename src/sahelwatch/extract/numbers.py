"""Fatalities and wounded from English and French text, with ACLED's conventions.

    >>> count_casualties("Gunmen killed 3 soldiers and 2 civilians and wounded four others.").fatalities
    5
    >>> count_casualties("Des hommes armés ont tué une dizaine de civils.", lang="fr").fatalities
    10

Method (no parser needed, so it runs on raw notes as fast as on spaCy sentences):

* the text is tokenised; parenthesised asides ("(2 assailants, a soldier and a peacekeeper)",
  "(coded as X at geoprecision 2)") are blanked, so breakdowns of a total are not counted twice;
* each death trigger (killed, dead, died, lost their lives, executed, bodies, tués, morts, ont péri...)
  takes its victims from the noun phrases to its right when it is an active verb ("killing at least
  22 villagers") or to its left otherwise ("two soldiers and three civilians were killed"): every
  number phrase of a coordinated list counts (distinct victim groups are summed; attackers count too);
* number phrases read digits ("1,400"), number words via text2num ("twenty-two", "vingt-deux"),
  ACLED's readings of vague counts ("a dozen"/"dozens" 12, "several"/"a few" 3, "une dizaine" 10,
  "une vingtaine" 20, "hundreds" 100) and qualifiers ("more than 100" → 100, "between 10 and 15" → 10);
* a singular victim without a number ("killed a gendarme", "the mayor was killed") is 1; a plural
  without one ("killed civilians") is *unspecified*: ACLED codes 10 for a significant attack and 3
  otherwise: ``count_casualties(..., significant=True)`` picks 10 (the caller decides significance);
* negations ("no casualties", "no one was killed", "aucune victime") give an explicit 0, and
  "casualties" alone is not a death count (0);
* wounded triggers (wounded, injured, blessés...) are counted the same way, kept apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = [
    "CountMention",
    "Casualties",
    "count_casualties",
    "fatalities",
    "parse_number",
    "UNSPECIFIED_SIGNIFICANT",
    "UNSPECIFIED_LIMITED",
]

UNSPECIFIED_SIGNIFICANT = 10
UNSPECIFIED_LIMITED = 3

_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?|[A-Za-zÀ-ÿ]+(?:['’-][A-Za-zÀ-ÿ]+)*|\S")


@dataclass(frozen=True, slots=True)
class Tok:
    text: str
    start: int
    end: int
    low: str


@dataclass(slots=True)
class CountMention:
    """One count of victims tied to a trigger word."""

    text: str
    start_char: int
    end_char: int
    value: int | None  # None: deaths reported without a number
    kind: str  # "killed" or "wounded"
    qualifier: str = "exact"  # exact, at least, more than, about, at most, vague, unspecified, singular, none
    trigger: str = ""


@dataclass(slots=True)
class Casualties:
    fatalities: int
    wounded: int | None
    mentions: list[CountMention] = field(default_factory=list)
    unspecified: bool = False  # deaths reported without any number: the ACLED default was applied
    explicit_zero: bool = False  # "no casualties", "no one was killed"


# ------------------------------------------------------------------------------------------------
# vocabulary

_KILL_ACTIVE = {
    "killings",
    "execution",
    "executions",
    "killed",
    "killing",
    "kills",
    "executed",
    "executing",
    "assassinated",
    "assassinating",
    "murdered",
    "murdering",
    "massacred",
    "massacring",
    "slaughtered",
    "slaughtering",
    "beheaded",
    "beheading",
    "lynched",
    "lynching",
    "slain",
    "slew",
    "tuant",
    "tué",
    "tués",
    "tuée",
    "tuées",
    "tue",
    "tuent",
    "exécuté",
    "exécutés",
    "exécutant",
    "assassiné",
    "assassinés",
    "assassinant",
    "massacré",
    "massacrés",
    "égorgé",
    "égorgés",
    "abattu",
    "abattus",
    "claimed",  # "claimed the lives of" (checked in context)
    "coûté",
    "coûtant",
    "coûte",
    "coûter",  # "a coûté la vie à trente civils" (checked in context)
    # army communiqués' "neutralised" means killed (ACLED counts such reported deaths)
    "neutralised",
    "neutralized",
    "neutralising",
    "neutralizing",
    "neutralisé",
    "neutralisés",
    "neutralisant",
}
_DEATH_PASSIVE = {
    "dead",
    "died",
    "deaths",
    "death",
    "fatalities",
    "fatality",
    "perished",
    "succumbed",
    "bodies",
    "body",
    "corpses",
    "corpse",
    "remains",
    "morts",
    "mort",
    "morte",
    "mortes",
    "décédés",
    "décédé",
    "décès",
    "péri",
    "périssent",
    "cadavres",
    "cadavre",
    "corps",
    "victimes",
    "tués",
    "tuées",
    "tué",
    "tuée",
    "killed",
    "executed",
    "assassinated",
    "murdered",
    "massacred",
    "slaughtered",
    "beheaded",
    "lynched",
    "slain",
    "exécutés",
    "exécuté",
    "assassiné",
    "assassinés",
    "abattus",
    "abattu",
    "égorgés",
}
_ADJ_ED = {
    "armed",
    "suspected",
    "presumed",
    "alleged",
    "unidentified",
    "unarmed",
    "retired",
    "displaced",
    "detained",
    "abducted",
    "kidnapped",
    "hundred",
    "red",
    "uniformed",
    "masked",
    "trained",
    "based",
    "affiliated",
    "linked",
    "related",
    "integrated",
    "reconstituted",
    "assumed",
    "believed",
    "said",
    "used",
}
_ANIMALS = {
    "sheep",
    "cattle",
    "cows",
    "cow",
    "oxen",
    "ox",
    "donkeys",
    "donkey",
    "goats",
    "goat",
    "camels",
    "camel",
    "livestock",
    "animals",
    "horses",
    "horse",
    "bovins",
    "boeufs",
    "moutons",
    "chèvres",
    "ânes",
    "bétail",
    "dogs",
}
_BODY_WORDS = {"bodies", "body", "corpses", "corpse", "remains", "cadavres", "cadavre", "corps"}
_WOUND = {
    "wounded",
    "wounding",
    "injured",
    "injuring",
    "injuries",
    "hurt",
    "wounds",
    "blessé",
    "blessés",
    "blessée",
    "blessées",
    "blessant",
    "blessures",
}
_WOUND_RIGHT = {"wounded", "wounding", "injured", "injuring", "blessant", "blessé", "blessés"}
_AUX = {
    "were",
    "was",
    "is",
    "are",
    "been",
    "being",
    "have",
    "has",
    "had",
    "also",
    "reportedly",
    "allegedly",
    "all",
    "later",
    "subsequently",
    "reported",
    "confirmed",
    "initially",
    "eventually",
    "both",
    "each",
    "then",
    "ont",
    "été",
    "a",
    "ont-ils",
    "sont",
    "est",
    "aussi",
    "également",
    "tous",
    "toutes",
    "finally",
    "apparently",
    "shot",
    "found",
    "beaten",
    "burnt",
    "burned",
    "stabbed",
    "hacked",
    "left",
    "lying",
    "who",
    "that",
    "which",
    "got",
    "get",
    "be",
    "immediately",
    "instantly",
    "presumably",
    "retrouvés",
    "retrouvé",
    "retrouvée",
    "fatally",
    "seriously",
    "severely",
    "slightly",
    "lightly",
    "critically",
    "mortally",
    "gravement",
    "légèrement",
}
_NEG = {
    "no",
    "not",
    "without",
    "nobody",
    "none",
    "neither",
    "nor",
    "aucun",
    "aucune",
    "sans",
    "pas",
    "ni",
    "zero",
    "never",
    "n'y",
    "n'a",
    "n'ont",
    "n'est",
}
_STOP_LEFT = {
    "in",
    "on",
    "at",
    "near",
    "during",
    "after",
    "before",
    "while",
    "when",
    "where",
    "since",
    "by",
    "with",
    "from",
    "into",
    "against",
    "following",
    "as",
    "than",
    "leaving",
    "left",
    "causing",
    "including",
    "among",
    "dont",
    "parmi",
    "dans",
    "lors",
    "après",
    "avant",
    "près",
    "contre",
    "faisant",
    "but",
    "mais",
    "killing",
    "wounding",
    "injuring",
    "tuant",
    "blessant",
    "if",
    "whether",
    "toll",
    "bilan",
}
_STOP_RIGHT = {
    "including",
    "among",
    "of whom",
    "dont",
    "parmi",
    "in",
    "near",
    "at",
    "on",
    "during",
    "while",
    "after",
    "before",
    "when",
    "where",
    "who",
    "which",
    "that",
    "by",
    "as",
    "since",
    "from",
    "with",
    "but",
    "mais",
    "dans",
    "près",
    "lors",
    "à",
    "au",
    "aux",
    "en",
    "qui",
    "que",
    "pendant",
}
_PRONOUN_ONE = {"him", "her", "le", "la", "l'", "himself", "herself"}
_PRONOUN_MANY = {"them", "les", "themselves"}
_DET_ONE = {
    "a",
    "an",
    "one",
    "the",
    "un",
    "une",
    "le",
    "la",
    "l'",
    "his",
    "her",
    "its",
    "their",
    "son",
    "sa",
    "another",
    "this",
    "that",
    "ce",
    "cet",
    "cette",
}
_UNITS = {
    "km",
    "kms",
    "kilometres",
    "kilometers",
    "kilometre",
    "kilometer",
    "miles",
    "mile",
    "metres",
    "meters",
    "m",
    "hours",
    "hour",
    "h",
    "days",
    "day",
    "weeks",
    "week",
    "months",
    "month",
    "years",
    "year",
    "minutes",
    "am",
    "pm",
    "jours",
    "heures",
    "ans",
    "mois",
    "semaines",
    "%",
    "percent",
    "times",
    "fois",
    "years-old",
    "year-old",
    "vehicles",
    "vehicle",
    "motorbikes",
    "motorcycles",
    "houses",
    "cattle",
    "heads",
    "head",
    "camels",
    "sheep",
    "goats",
    "tonnes",
    "tons",
    "rifles",
    "weapons",
    "shells",
    "rockets",
    "mortars",
    "cfa",
    "francs",
    "dollars",
    "usd",
    "fcfa",
    "oxen",
    "cows",
    "donkeys",
    "animals",
    "livestock",
    "horses",
    "bovins",
    "boeufs",
    "villages",
    "localities",
    "positions",
    "points",
    "bombs",
    "mines",
    "ieds",
    "attacks",
}

_NUMWORDS_EN = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
}
_NUMWORDS_FR = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "cent": 100,
    "cents": 100,
    "mille": 1000,
}
#: vague quantities as coded in ACLED's Mali notes (conservative readings)
_VAGUE: dict[tuple[str, ...], int] = {
    ("a", "dozen"): 12,
    ("dozen",): 12,
    ("dozens",): 12,
    ("several", "dozen"): 24,
    ("a", "couple", "of"): 2,
    ("several",): 3,
    ("a", "few"): 3,
    ("few",): 3,
    ("scores",): 12,
    ("tens",): 10,
    ("hundreds",): 100,
    ("a", "hundred"): 100,
    ("thousands",): 1000,
    ("a", "handful", "of"): 3,
    ("numerous",): 10,
    ("many",): 10,
    ("une", "dizaine"): 10,
    ("dizaine",): 10,
    ("des", "dizaines"): 12,
    ("dizaines",): 12,
    ("une", "douzaine"): 12,
    ("une", "quinzaine"): 15,
    ("une", "vingtaine"): 20,
    ("une", "trentaine"): 30,
    ("une", "quarantaine"): 40,
    ("une", "cinquantaine"): 50,
    ("une", "soixantaine"): 60,
    ("une", "centaine"): 100,
    ("des", "centaines"): 100,
    ("plusieurs",): 3,
    ("quelques",): 3,
    ("nombreux",): 10,
    ("nombreuses",): 10,
    ("de", "nombreux"): 10,
    ("de", "nombreuses"): 10,
}
_QUALIFIERS: dict[tuple[str, ...], str] = {
    ("at", "least"): "at least",
    ("more", "than"): "more than",
    ("over",): "more than",
    ("nearly",): "about",
    ("almost",): "about",
    ("about",): "about",
    ("around",): "about",
    ("approximately",): "about",
    ("some",): "about",
    ("up", "to"): "at most",
    ("as", "many", "as"): "at most",
    ("roughly",): "about",
    ("an", "estimated"): "about",
    ("a", "reported"): "exact",
    ("a", "further"): "exact",
    ("at", "most"): "at most",
    ("less", "than"): "at most",
    ("fewer", "than"): "at most",
    ("no", "fewer", "than"): "at least",
    ("no", "less", "than"): "at least",
    ("plus", "de"): "more than",
    ("au", "moins"): "at least",
    ("près", "de"): "about",
    ("environ",): "about",
    ("quelque",): "about",
    ("pas", "moins", "de"): "at least",
    ("jusqu'à",): "at most",
    ("a", "total", "of"): "exact",
    ("another",): "exact",
    ("further",): "exact",
    ("an", "additional"): "exact",
    ("additional",): "exact",
    ("other",): "exact",
    ("autres",): "exact",
}


def _by_first(table: dict) -> dict[str, list]:
    out: dict[str, list] = {}
    for k, v in sorted(table.items(), key=lambda kv: -len(kv[0])):
        out.setdefault(k[0], []).append((k, v))
    return out


_QUAL_BY_FIRST = _by_first(_QUALIFIERS)
_VAGUE_BY_FIRST = _by_first(_VAGUE)
_FIRST_WORDS = set(_QUAL_BY_FIRST) | set(_VAGUE_BY_FIRST) | {"between", "entre"}


@lru_cache(maxsize=4096)
def _words_value(words: tuple[str, ...], lang: str) -> int | None:
    if not words:
        return None
    text = " ".join(words)
    try:
        from text_to_num import text2num

        return int(text2num(text, lang))
    except Exception:
        pass
    if len(words) == 1:
        w = words[0]
        table = _NUMWORDS_FR if lang == "fr" else _NUMWORDS_EN
        if w in table:
            return table[w]
        if "-" in w:  # twenty-two
            parts = w.split("-")
            vals = [table.get(p) for p in parts]
            if all(v is not None for v in vals):
                return sum(vals)  # type: ignore[arg-type]
    return None


@lru_cache(maxsize=8192)
def _is_numword(w: str) -> bool:
    parts = w.split("-")
    return all(p in _NUMWORDS_EN or p in _NUMWORDS_FR or p in ("et",) for p in parts) and w not in ("a", "et")


def _number_at(toks: list[Tok], i: int, lang: str) -> tuple[int, str, int] | None:
    """A number phrase starting at token i: (value, qualifier, index after the phrase)."""
    n = len(toks)
    first = toks[i].low
    if first not in _FIRST_WORDS and not first[0].isdigit() and not _is_numword(first):
        return None
    qual = "exact"
    j = i
    for q, label in _QUAL_BY_FIRST.get(first, ()):
        if tuple(t.low for t in toks[j : j + len(q)]) == q:
            # "some" and "other" qualify only a number that follows
            qual = label
            j += len(q)
            break
    if j < n and toks[j].low == "between" or (j < n and toks[j].low == "entre"):
        j += 1
        qual = "at least"
    if j >= n:
        return None
    # vague quantities
    for v, val in _VAGUE_BY_FIRST.get(toks[j].low, ()):
        if tuple(t.low for t in toks[j : j + len(v)]) == v:
            k = j + len(v)
            if k < n and toks[k].low in ("of", "de", "d'"):
                k += 1
            return val, ("vague" if qual == "exact" else qual), k
    t = toks[j]
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", t.text):
        val = int(t.text.replace(",", ""))
        k = j + 1
        # "10-15", "10 to 15", "10 or 15": the lower figure
        if (
            k + 1 < n
            and toks[k].low in ("-", "–", "to", "or", "and", "à", "ou", "et")
            and re.fullmatch(r"\d+", toks[k + 1].text)
        ):
            k += 2
            qual = "at least" if qual == "exact" else qual
        return val, qual, k
    # number words
    k = j
    words: list[str] = []
    while k < n and (_is_numword(toks[k].low) or (words and toks[k].low in ("and", "et", "-"))):
        words.append(toks[k].low)
        k += 1
    while words and words[-1] in ("and", "et", "-"):
        words.pop()
        k -= 1
    if words:
        val = _words_value(
            tuple(words),
            "fr" if lang == "fr" or words[0] in _NUMWORDS_FR and words[0] not in _NUMWORDS_EN else "en",
        )
        if val is None and len(words) == 1:
            val = _NUMWORDS_EN.get(words[0]) or _NUMWORDS_FR.get(words[0])
        if val is not None:
            if k + 1 < n and toks[k].low in ("or", "to", "ou", "à") and _is_numword(toks[k + 1].low):
                k += 2
                qual = "at least" if qual == "exact" else qual
            return val, qual, k
    return None


_MONTH_WORDS = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
}


def _count_at(toks: list[Tok], i: int, lang: str) -> tuple[int, str, int] | None:
    """A number phrase that can be a count of people: not a date, a year, a time or a measure."""
    got = _number_at(toks, i, lang)
    if not got:
        return None
    val, qual, k = got
    if k < len(toks) and (toks[k].low in _UNITS or toks[k].low in _MONTH_WORDS or toks[k].text in ("h", "H")):
        return None
    if i > 0 and toks[i - 1].low in _MONTH_WORDS:
        return None
    if re.fullmatch(r"(19|20)\d\d", toks[k - 1].text) and qual == "exact":
        return None
    if k < len(toks) and toks[k].low in ("th", "st", "nd", "rd", "er", "ème", "-year-old", "year-old"):
        return None
    return got


def parse_number(text: str, lang: str = "en") -> tuple[int, str] | None:
    """Value and qualifier of a number phrase: "more than 100" → (100, "more than"), "une dizaine" → (10, "vague")."""
    toks = _tokens(text)
    for i in range(len(toks)):
        got = _number_at(toks, i, lang)
        if got:
            return got[0], got[1]
    return None


def _tokens(text: str) -> list[Tok]:
    return [
        Tok(m.group(0), m.start(), m.end(), m.group(0).lower().replace("’", "'"))
        for m in _TOKEN.finditer(text)
    ]


def _blank_parens(text: str) -> str:
    """Replace (...) and [...] asides with spaces (offsets kept)."""
    out = list(text)
    depth = 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        if depth:
            out[i] = " "
        if ch in ")]" and depth:
            depth -= 1
    return "".join(out)


_DEVICES = {
    "ied",
    "ieds",
    "mine",
    "mines",
    "explosive",
    "explosives",
    "bomb",
    "bombs",
    "device",
    "devices",
    "engin",
    "engins",
    "explosif",
    "explosifs",
    "charge",
    "charges",
    "vehicle",
    "vehicles",
    "weapons",
    "véhicule",
    "armes",
    "threat",
    "menace",
    "cell",
    "cellule",
    "base",
    "network",
    "réseau",
}
_QUOTES = re.compile(r"[«»“”\"]")
_BOUNDARY = {".", ";", ":", "!", "?", "—"}


def _is_plural(word: str) -> bool:
    w = word.lower()
    if w in (
        "people",
        "men",
        "women",
        "children",
        "persons",
        "personnes",
        "gens",
        "police",
        "militia",
        "civils",
        "villagers",
        "others",
        "autres",
        "troops",
        "forces",
        "community",
        "communauté",
        "population",
        "group",
        "groupe",
        "family",
        "famille",
        "crew",
        "convoy",
        "patrol",
        "unit",
        "contingent",
        "army",
        "militants",
    ):
        return True
    if w in ("his", "this", "its", "gas", "bus", "chief", "chef", "boss", "status", "fils", "corps"):
        return False
    return len(w) > 3 and w.endswith(("s", "x")) and not w.endswith(("ss", "us", "is"))


_PLURAL_DET = {"the", "their", "les", "ses", "leurs", "these", "those", "his", "her", "its", "nos", "des"}
_CLAUSE_AUX = {"were", "was", "are", "is", "have", "has", "had", "ont", "sont", "a", "est"}


def _np_end(toks: list[Tok], j: int) -> int:
    n = len(toks)
    while (
        j < n
        and toks[j].text not in _BOUNDARY
        and toks[j].low not in ("and", "et", ",", "&")
        and toks[j].low not in _STOP_RIGHT
        and toks[j].low not in _WOUND
        and toks[j].low not in _KILL_ACTIVE
    ):
        j += 1
    return j


def _new_clause(toks: list[Tok], j: int) -> bool:
    """Does the phrase at j start a new clause ("three others were abducted")?"""
    for k in range(j, min(len(toks), j + 9)):
        t = toks[k]
        if t.text in _BOUNDARY or t.low in (",", "and", "et"):
            return False
        if t.low in _CLAUSE_AUX and k > j:
            return True
    return False


def _costs_lives(toks: list[Tok], i: int) -> bool:
    """ "coûté la vie à", "coûtant la vie aux": a death trigger whose victims follow."""
    return (
        toks[i].low.startswith("coût")
        and [t.low for t in toks[i + 1 : i + 3]] == ["la", "vie"]
        and i + 3 < len(toks)
        and toks[i + 3].low in ("à", "aux", "a")
    )


#: verbs of saying after a noun phrase: the phrase is a source ("..., the ministry said")
_SAID = frozenset(
    {
        "said",
        "says",
        "say",
        "told",
        "reported",
        "reports",
        "announced",
        "confirmed",
        "stated",
        "added",
        "according",
        "indique",
        "indiqué",
        "précise",
        "précisé",
        "affirme",
        "affirmé",
        "déclaré",
        "rapporte",
        "annoncé",
        "selon",
    }
)


def _source_follows(toks: list[Tok], j: int) -> bool:
    """A verb of saying within the next few words of the noun phrase at j, before any punctuation."""
    for k in range(j, min(len(toks), j + 5)):
        if toks[k].text in _BOUNDARY or toks[k].text == ",":
            return False
        if toks[k].low in _SAID:
            return True
    return False


def _scan_right(
    toks: list[Tok], i: int, lang: str, used: set[int]
) -> tuple[list[tuple[int, str, int, int]], str | None]:
    """Victims after an active trigger at i ("killing two soldiers, a civilian and his son").

    Returns [(value, qualifier, start_idx, end_idx)] and a fallback ("singular", "plural", "them") when no
    conjunct carried a count.
    """
    n = len(toks)
    j = i + 1
    if _costs_lives(toks, i):
        j = i + 4  # "a coûté la vie à": the victims follow "à"
    while j < n and toks[j].low in (
        "off",
        "the",
        "lives",
        "life",
        "of",
        "de",
        "des",
        "du",
        "leurs",
        "leur",
        "vies",
        "vie",
    ):
        if toks[j].low == "the" and not (j + 1 < n and toks[j + 1].low in ("lives", "life")):
            break
        if toks[j].low in ("des", "de") and not (
            j + 1 < n
            and _count_at(toks, j + 1, lang) is None
            and toks[j + 1].low in ("lives", "life", "vies")
        ):
            if j == i + 1 and toks[i].low in (
                "death",
                "deaths",
                "killing",
                "killings",
                "décès",
                "mort",
                "execution",
                "executions",
            ):
                j += 1
            break
        j += 1
    out: list[tuple[int, str, int, int]] = []
    fallback: str | None = None
    conj = 0
    skipped = 0
    while j < n and conj < 10:
        t = toks[j]
        if (
            t.text in _BOUNDARY
            or t.low in _WOUND
            or (t.low in _KILL_ACTIVE and conj)
            or (t.low in _STOP_RIGHT and conj)
        ):
            break
        got = _count_at(toks, j, lang) if j not in used else None
        if got is None and t.low in _PLURAL_DET and j + 1 < n and (j + 1) not in used:
            got2 = _count_at(toks, j + 1, lang)
            if got2:
                got = got2
                j += 1
        if got:
            val, qual, k = got
            out.append((val, qual, j, k))
            end = _np_end(toks, k)
        elif t.low in _PRONOUN_ONE:
            out.append((1, "singular", j, j + 1))
            end = j + 1
        elif t.low in _PRONOUN_MANY:
            if not out:
                fallback = "them"
            break
        elif t.low in _DET_ONE or t.low in _PLURAL_DET:
            end = _np_end(toks, j + 1)
            if out and _source_follows(toks, j + 1):
                break  # "killing seven of them, the interior ministry said": who said it, not a victim
            head = toks[end - 1].text if end - 1 > j else ""
            # "the chiefs of X and Y": the head is the first noun before "of"
            for k2 in range(j + 1, end):
                if toks[k2].low in ("of", "de", "du", "des", "d'"):
                    head = toks[k2 - 1].text
                    break
            if _is_plural(head) and t.low not in ("a", "an", "one", "un", "une", "another"):
                if not out:
                    fallback = "plural"
            else:
                out.append((1, "singular", j, j + 1))
        elif conj == 0 and skipped < 4:
            # adjectives and names before the head: "killed Dogon villagers", "killed presumed militants"
            if t.low in ("unknown", "undetermined", "unspecified", "nombre", "indéterminé"):
                fallback = "plural"
                break
            if _is_plural(t.text) and not t.text[0].isupper():
                fallback = "plural"
                break
            if t.text[0].isupper() and _is_plural(t.text):
                fallback = "plural"
                break
            skipped += 1
            j += 1
            continue
        else:
            break
        # another conjunct? ", a customs agent", "and four civilians", ", and his son"
        k = end
        if k < n and toks[k].low in ("and", "et", ",", "&"):
            nxt = k + 1
            if nxt < n and toks[nxt].low in ("and", "et"):
                nxt += 1
            if (
                nxt < n
                and (
                    toks[nxt].low in _DET_ONE
                    or toks[nxt].low in _PLURAL_DET
                    or toks[nxt].low in _PRONOUN_ONE
                    or _count_at(toks, nxt, lang)
                )
                and not _new_clause(toks, nxt)
            ):
                j = nxt
                conj += 1
                continue
        break
    return out, fallback


def _scan_left(
    toks: list[Tok], i: int, lang: str, used: set[int]
) -> tuple[list[tuple[int, str, int, int]], str | None]:
    """Counts before a trigger at i ("two soldiers and three civilians were killed")."""
    j = i - 1
    singular_aux = False
    while j >= 0 and toks[j].low in _AUX:
        if toks[j].low in ("was", "is", "has", "est", "a"):
            singular_aux = True
        j -= 1
    end = j
    # the segment: back to a boundary, a stop word or another trigger
    k = end
    while k >= 0:
        t = toks[k]
        if (
            t.text in _BOUNDARY
            or t.low in _STOP_LEFT
            or t.low in _WOUND
            or t.low in _KILL_ACTIVE
            or t.low in _DEATH_PASSIVE
        ):
            break
        if t.text == ",":
            # cross a comma only inside a list of counts: "two soldiers, three civilians and one attacker"
            nx = k + 2 if k + 2 <= end and toks[k + 1].low in ("and", "et") else k + 1
            if not (nx <= end and _count_at(toks, nx, lang)):
                break
            back = [p for p in range(k - 1, max(-1, k - 5), -1)]
            if not any(
                _count_at(toks, p, lang)
                for p in back
                if toks[p].text not in _BOUNDARY and toks[p].text != ","
            ):
                break
        if t.low.endswith("ed") and t.low not in _ADJ_ED and k < end:
            break
        k -= 1
    seg_start = k + 1
    if k >= 0 and toks[k].low in ("including", "dont", "among") and k - 1 >= 0:
        # "at least 35 villagers including children were killed": the total is before "including"
        outer, fb = _scan_left(toks, k, lang, used)
        if outer:
            return outer, fb
    out: list[tuple[int, str, int, int]] = []
    p = seg_start
    while p <= end:
        got = _count_at(toks, p, lang) if p not in used else None
        if got:
            val, qual, q = got
            if q < len(toks) and toks[q].low in _UNITS:
                p = q
                continue
            out.append((val, qual, p, q))
            p = q
            continue
        if toks[p].low in ("a", "an", "un", "une", "another") and (
            p == seg_start or toks[p - 1].low in ("and", "et", ",")
        ):
            out.append((1, "singular", p, p + 1))
        p += 1
    if out:
        return out, None
    if seg_start > end:
        return [], ("singular" if singular_aux else None)
    head = toks[end].low if end >= 0 else ""
    if singular_aux:
        return [], "singular"
    if head and _is_plural(head):
        return [], "plural"
    if head in (
        "one",
        "individual",
        "man",
        "woman",
        "child",
        "person",
        "civilian",
        "soldier",
        "homme",
        "femme",
        "enfant",
    ):
        return [], "singular"
    if end >= seg_start and any(toks[p].low in _DET_ONE for p in range(seg_start, end + 1)):
        return [], "singular"  # "the officer died", "the village chief killed"
    return [], ("plural" if end >= seg_start else None)


def _negated(toks: list[Tok], i: int) -> bool:
    window = [t.low for t in toks[max(0, i - 4) : i]]
    return any(w in _NEG for w in window) or any(w.startswith("n'") for w in window)


_ZERO = re.compile(
    r"\b(?:no|without|zero|nil|aucune?|sans|pas\s+de)\s+(?:reported\s+|immediate\s+|human\s+|known\s+)?"
    r"(?:casualt(?:y|ies)|fatalit(?:y|ies)|deaths?|victims?|losses|injur(?:y|ies)|victime?s?|perte?s?\s+(?:humaine|en\s+vies?)s?|morts?|blessés?)\b"
    r"|\b(?:no\s*one|nobody|none|personne)\s+(?:was\s+|were\s+|has\s+been\s+|n'a\s+été\s+)?(?:killed|hurt|injured|wounded|died|tué|blessé)",
    re.IGNORECASE,
)


_UNKNOWN_NUMBER = re.compile(
    r"\b(?:an?\s+)?(?:unknown|unspecified|undetermined|unconfirmed|undisclosed)\s+number\s+of\s+\w+(?:\s+\w+)?\s+(?:were\s+|was\s+|also\s+)*(?:killed|dead|died)"
    r"|\b(?:killed|killing)\s+an?\s+(?:unknown|unspecified|undetermined)\s+number"
    r"|\bun\s+nombre\s+(?:indéterminé|inconnu)\s+de\s+\w+\s+(?:ont\s+été\s+)?(?:tués|morts)",
    re.IGNORECASE,
)


def count_casualties(
    text: str,
    lang: str = "en",
    *,
    significant: bool | None = None,
    unspecified_significant: int = UNSPECIFIED_SIGNIFICANT,
    unspecified_limited: int = UNSPECIFIED_LIMITED,
) -> Casualties:
    """Deaths and wounded reported in ``text`` (a sentence, a note or an article).

    ``significant`` tells how to code deaths reported without a number: True → ``unspecified_significant``
    (ACLED: 10), False or None → ``unspecified_limited`` (ACLED: 3).
    """
    lang = "fr" if lang == "fr" else "en"
    # quotation marks are blanked (offsets kept): a quoted verb counts like any other, avoir « neutralisé » vingt
    blanked = _QUOTES.sub(" ", _blank_parens(text))
    toks = _tokens(blanked)
    used: set[int] = set()
    mentions: list[CountMention] = []
    unspecified = False
    for i, t in enumerate(toks):
        low = t.low
        nx1 = toks[i + 1].low if i + 1 < len(toks) else ""
        nx2 = toks[i + 2].low if i + 2 < len(toks) else ""
        if (
            low in ("lost", "perdu", "perdent", "perdaient")
            and nx1 in ("their", "his", "her", "la", "leur", "leurs", "its")
            and nx2 in ("lives", "life", "vie", "vies")
        ):
            low = "died"  # "lost their lives", "ont perdu la vie": deaths, victims on the left
        elif (
            low in ("lost", "perdu")
            and _count_at(toks, i + 1, lang)
            and any(
                tk.low
                in (
                    "soldiers",
                    "troops",
                    "men",
                    "soldats",
                    "militaires",
                    "hommes",
                    "fighters",
                    "combattants",
                    "peacekeepers",
                    "gendarmes",
                    "policemen",
                    "members",
                    "éléments",
                )
                for tk in toks[i + 1 : i + 6]
            )
        ):
            low = "killed"  # "the army has lost more than 100 soldiers"
        is_wound = low in _WOUND
        is_active = low in _KILL_ACTIVE
        is_death = low in _DEATH_PASSIVE or is_active
        if not (is_wound or is_death):
            continue
        # words that look like triggers but are not
        if low == "claimed" and not (
            i + 2 < len(toks) and toks[i + 1].low == "the" and toks[i + 2].low in ("lives", "life")
        ):
            continue
        if low.startswith("coût") and not _costs_lives(toks, i):
            continue
        if low.startswith("neutrali") and any(tk.low in _DEVICES for tk in toks[i + 1 : i + 5]):
            continue  # "neutralized an IED": a device, not people
        if (
            low in ("death", "mort", "morte") and i > 0 and toks[i - 1].low in ("to", "à")
        ):  # "beaten to death", "condamné à mort"
            if i > 1 and toks[i - 2].low in (
                "sentenced",
                "condamné",
                "condamnés",
                "threats",
                "menaces",
                "threatened",
            ):
                continue
            if any(tk.low in _KILL_ACTIVE for tk in toks[max(0, i - 8) : i]):
                continue  # "lynched a policeman to death": already counted at the verb
            # "beat a detainee to death": the victim sits between the verb and "to death"
            got = None
            for p in range(i - 2, max(-1, i - 7), -1):
                if toks[p].text in _BOUNDARY or toks[p].text == ",":
                    break
                got = _count_at(toks, p, lang) if p not in used else None
                if got or toks[p].low in ("a", "an", "the", "one", "un", "une", "him", "her"):
                    val = (
                        got[0]
                        if got
                        else (1 if toks[p].low not in ("the",) or not _is_plural(toks[i - 2].text) else None)
                    )
                    q = got[1] if got else "singular"
                    mentions.append(
                        CountMention(
                            text[toks[p].start : toks[i].end],
                            toks[p].start,
                            toks[i].end,
                            val,
                            "killed",
                            q if val else "unspecified",
                            t.text,
                        )
                    )
                    used.update(range(p, i))
                    break
            else:
                mentions.append(CountMention(t.text, t.start, t.end, None, "killed", "unspecified", t.text))
            continue
        if (
            low in ("body", "corps")
            and not (i + 1 < len(toks) and toks[i + 1].low in ("of", "de", "du", "des"))
            and not (i > 0 and toks[i - 1].low in ("a", "the", "un", "le", "his", "her", "son", "sa"))
        ):
            continue
        if (
            low in ("death", "deaths", "décès")
            and i + 1 < len(toks)
            and toks[i + 1].low in ("threats", "threat", "squad", "sentence", "penalty")
        ):
            continue
        if low == "dead" and i + 1 < len(toks) and toks[i + 1].low in ("end",):
            continue
        if low in ("injuries", "wounds", "blessures") and not (i > 0 and _number_at(toks, i - 1, lang)):
            continue  # "died of his injuries", "stab wounds": no count of wounded
        if low == "remains" and not (i + 1 < len(toks) and toks[i + 1].low == "of"):
            continue
        if (
            low
            in (
                "killing",
                "killings",
                "death",
                "deaths",
                "execution",
                "executions",
                "murder",
                "murders",
                "décès",
                "mort",
            )
            and i > 0
            and toks[i - 1].low in ("the", "la", "le", "les", "this", "these")
            and not (
                i > 2
                and toks[i - 3].low
                in ("resulting", "resulted", "led", "leading", "causing", "caused", "entraînant")
            )
        ):
            continue  # "in response to the killing of three men": a reference, not this event's toll
        lo, hi = i, i
        while lo > max(0, i - 6) and toks[lo - 1].text not in _BOUNDARY and toks[lo - 1].text != ",":
            lo -= 1
        while (
            hi < min(len(toks) - 1, i + 5) and toks[hi + 1].text not in _BOUNDARY and toks[hi + 1].text != ","
        ):
            hi += 1
        clause_toks = toks[lo : hi + 1]
        if any(tk.low in _ANIMALS for tk in clause_toks) and not any(
            tk.low
            in ("people", "civilians", "soldiers", "man", "woman", "men", "women", "herders", "villagers")
            for tk in clause_toks
        ):
            continue  # "killed two sheep", "the two donkeys were also killed"
        if low in ("victimes", "victims"):
            continue  # victims of what? ACLED reads deaths explicitly
        if _negated(toks, i):
            continue
        kind = "wounded" if is_wound else "killed"
        if low == "dead" and i > 0 and toks[i - 1].low in ("shot", "stabbed", "beaten", "hacked"):
            is_active = True  # "shot dead two civilians"
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if (
            is_active
            and nxt is not None
            and nxt.low in ("and", "et")
            and i + 2 < len(toks)
            and toks[i + 2].low.endswith(("ed", "é", "és"))
        ):
            nxt = toks[i + 3] if i + 3 < len(toks) else None  # "killed and decapitated a man"
            if nxt is not None and (
                _number_at(toks, i + 3, lang) or nxt.low in _DET_ONE | _PRONOUN_ONE | _PRONOUN_MANY
            ):
                counts, fallback = _scan_right(toks, i + 2, lang, used)
                if counts or fallback:
                    for val, qual, a, b in counts:
                        used.update(range(a, b))
                        mentions.append(
                            CountMention(
                                text[toks[a].start : toks[b - 1].end],
                                toks[a].start,
                                toks[b - 1].end,
                                val,
                                kind,
                                qual,
                                t.text,
                            )
                        )
                    if not counts:
                        mentions.append(
                            CountMention(
                                t.text,
                                t.start,
                                t.end,
                                1 if fallback == "singular" else None,
                                kind,
                                "singular" if fallback == "singular" else "unspecified",
                                t.text,
                            )
                        )
                    continue
            nxt = toks[i + 1]
        passive = i > 0 and (
            toks[i - 1].low in ("were", "was", "been", "being", "are", "is", "été")
            or (
                toks[i - 1].low in ("also", "reportedly", "allegedly")
                and i > 1
                and toks[i - 2].low in ("were", "was", "been", "are", "is")
            )
        )
        right_first = (
            bool(nxt)
            and (nxt.text not in _BOUNDARY)
            and not (passive and low not in _BODY_WORDS)
            and (
                (is_active and low.endswith(("ing", "ant")))
                or (low in _WOUND_RIGHT and low.endswith(("ing", "ant")))
                or (
                    nxt is not None
                    and (_number_at(toks, i + 1, lang) or nxt.low in _DET_ONE | _PRONOUN_ONE | _PRONOUN_MANY)
                    and (is_active or is_wound)
                    and (is_active or low not in ("dead", "morts", "mort", "blessés", "blessé"))
                )
                or (
                    low in ("bodies", "body", "corpses", "corpse", "cadavres", "corps", "remains")
                    and nxt.low in ("of", "de", "du", "des")
                )
                or (
                    low in ("death", "deaths", "killing", "killings", "décès", "execution", "executions")
                    and nxt.low in ("of", "de", "des", "du")
                )
                or (
                    is_active
                    and low.endswith(("ed", "é", "és"))
                    and not passive
                    and nxt.text.isalpha()
                    and nxt.low not in _STOP_RIGHT
                    and nxt.low not in ("and", "et", "by", "par", "off", "dead", "while", "amid")
                    and nxt.low not in _AUX
                    and nxt.low not in _DEATH_PASSIVE
                    and nxt.low not in _WOUND
                )
            )
        )
        counts: list[tuple[int, str, int, int]] = []
        fallback: str | None = None
        if right_first:
            counts, fallback = _scan_right(toks, i, lang, used)
            if not counts and fallback is None:
                counts, fallback = _scan_left(toks, i, lang, used)
        else:
            counts, fallback = _scan_left(toks, i, lang, used)
            if not counts and fallback is None and is_active:
                counts, fallback = _scan_right(toks, i, lang, used)
        if counts:
            for val, qual, a, b in counts:
                used.update(range(a, b))
                mentions.append(
                    CountMention(
                        text[toks[a].start : toks[b - 1].end],
                        toks[a].start,
                        toks[b - 1].end,
                        val,
                        kind,
                        qual,
                        t.text,
                    )
                )
            continue
        if fallback == "them":
            # "abducted six men and executed them": the last count before the trigger
            prev = None
            for p in range(i - 1, -1, -1):
                if toks[p].text in (".",):
                    break
                got = _count_at(toks, p, lang)
                if got and p not in used:
                    prev = (p, got)
                    break
            if prev:
                p, (val, qual, q) = prev
                used.update(range(p, q))
                mentions.append(
                    CountMention(
                        text[toks[p].start : toks[q - 1].end],
                        toks[p].start,
                        toks[q - 1].end,
                        val,
                        kind,
                        qual,
                        t.text,
                    )
                )
                continue
            fallback = "plural"
        if fallback == "singular":
            mentions.append(CountMention(t.text, t.start, t.end, 1, kind, "singular", t.text))
        elif fallback == "plural" or (
            fallback is None and kind == "killed" and low not in ("death", "deaths", "décès", "body", "corps")
        ):
            mentions.append(CountMention(t.text, t.start, t.end, None, kind, "unspecified", t.text))
    killed = [m for m in mentions if m.kind == "killed"]
    # bodies and corpses usually belong to victims already counted ("booby-trapped the corpse")
    if any(m.trigger.lower() not in _BODY_WORDS and m.value for m in killed):
        killed = [m for m in killed if m.trigger.lower() not in _BODY_WORDS]
        mentions = [m for m in mentions if m.kind != "killed" or m in killed]
    wounded_m = [m for m in mentions if m.kind == "wounded"]
    total = sum(m.value for m in killed if m.value is not None)
    explicit_zero = bool(_ZERO.search(text)) and not any(m.value for m in killed)
    default = unspecified_significant if significant else unspecified_limited
    if total and _UNKNOWN_NUMBER.search(blanked):
        total += default  # "one soldier killed ... an unspecified number of assailants were also killed"
        unspecified = True
    if not any(m.value for m in killed) and any(m.value is None for m in killed) and not explicit_zero:
        unspecified = True
        total = unspecified_significant if significant else unspecified_limited
    wounded_total = (
        sum(m.value for m in wounded_m if m.value is not None)
        if any(m.value is not None for m in wounded_m)
        else None
    )
    return Casualties(total, wounded_total, mentions, unspecified, explicit_zero)


def fatalities(text: str, lang: str = "en", *, significant: bool | None = None) -> int:
    """ACLED fatality count of ``text`` (deaths only; the wounded are not counted)."""
    return count_casualties(text, lang, significant=significant).fatalities


# ------------------------------------------------------------------------------------------------
# spaCy (thin): ``span._.casualties`` on any sentence or span; ``doc._.casualties`` for the whole text


def register_spacy_components() -> None:
    """Register the ``casualties`` getter on Doc and Span (computed on demand, language from the Doc)."""
    from spacy.tokens import Doc, Span

    if not Span.has_extension("casualties"):
        Span.set_extension("casualties", getter=lambda sp: count_casualties(sp.text, sp.doc.lang_))
    if not Doc.has_extension("casualties"):
        Doc.set_extension("casualties", getter=lambda doc: count_casualties(doc.text, doc.lang_))
