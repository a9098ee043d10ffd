"""Claims that are not events: force strengths, troop numbers, alliances, rivalries, affiliations, patterns.

    >>> claims = find_claims(text, document_id=doc.id, published=doc.published)
    >>> [(c.kind, c.subject, c.value, c.stated_by) for c in claims]

Each claim keeps the sentence, its character offsets in the document (``Provenance``), the number as
written and its qualifier ("as many as 2,000" → value 2000, qualifier "at most"), the subject and
object as the surface text (an optional ``normalise_actor(surface) -> canonical | None`` maps them to
registry names), and who made the statement ("a US report", "officials", "general Ibrahim Fane";
"he said" is resolved to the last named speaker of the preceding sentences).

The rules are cue phrases on one sentence (English and French); they favour precision: a sentence
gives a claim only when a cue and a subject are both found.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..model import Claim, Provenance
from .numbers import count_casualties, parse_number

NormaliseActor = Callable[[str], "str | None"]

__all__ = ["find_claims", "claims_from_doc", "split_sentences", "stated_by", "Sentence"]


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int
    end: int


_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|St|No|U\.S|U\.N|M|Mme|Cpt|Cdt)\.$")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets (a light splitter; pass spaCy sentences to ``find_claims`` when you have them)."""
    out: list[Sentence] = []
    start = 0
    for m in re.finditer(r"[.!?]+[\"”’)]*(?=\s+[\"“‘(]?[A-ZÀ-Ý0-9])|\n\s*\n|\n(?=[A-ZÀ-Ý\"“(])", text):
        end = m.end()
        if _ABBREV.search(text[start : m.start() + 1]):
            continue
        seg = text[start:end]
        if seg.strip():
            lead = len(seg) - len(seg.lstrip())
            out.append(Sentence(seg.strip(), start + lead, start + lead + len(seg.strip())))
        start = end
    seg = text[start:]
    if seg.strip():
        lead = len(seg) - len(seg.lstrip())
        out.append(Sentence(seg.strip(), start + lead, start + lead + len(seg.strip())))
    return out


# ------------------------------------------------------------------------------------------------
# who said it

_SPEAKER = r"(?P<who>(?:(?:an?|the|une?|le|la|les|des)\s+)?[\w’'.-]+(?:\s+[\w’'.-]+){0,9}?)"
_SAID = r"(?:said|says|say|told|stated|reported|claimed|announced|added|warned|a\s+déclaré|a\s+affirmé|ont\s+déclaré|a\s+indiqué|affirme|déclare|a\s+dit|indique|estime)"
_STATED_PATTERNS = [
    re.compile(
        r"^(?P<who>(?:[\w’'.-]+\s+){0,4}?(?:officials?|sources?|residents|witnesses|analysts|diplomats|leaders|"
        r"officers?|spokes(?:man|woman|person)|ministry|government|army|report|responsables|sources|habitants|témoins))"
        r"\s+(?:say|says|said|believe|believes|estimate|estimates|disent|affirment|estiment)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?P<who>[A-ZÀ-Ý][\w’'-]+(?:\s+[A-ZÀ-Ý][\w’'-]+){0,3}),\s+(?:who|qui)\b[^,]*,\s+(?:said|says|told|a\s+déclaré|affirme|a\s+affirmé)\b"
    ),
    re.compile(
        r"\b(?:according\s+to|citing|selon|d'après|d’après)\s+"
        + _SPEAKER
        + r"(?=\s*(?:[,.;:)]|$|\s+(?:released|published|obtained|issued|dated|seen)\b))",
        re.IGNORECASE,
    ),
    re.compile(
        r"[,”\"]\s*" + _SAID + r"\s+" + _SPEAKER + r"(?=\s*(?:[,.;:]|$|\s+(?:who|of|from|in|on|at)\b))",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?:^|[,–—:;]\s*|\(\s*|\b(?:and|but)\s+)"
        + _SPEAKER
        + r"\s+"
        + _SAID
        + r"(?=\s*(?:[.,:;]|$|\s+(?:that|on|in|last|this)\b))",
        re.IGNORECASE,
    ),
]
#: what is claimed in a claim of responsibility ("claimed the attack", "claimed responsibility")
_DEED = re.compile(
    r"(?i)^(?:the\s+|an?\s+|this\s+|la\s+|l['’]\s*)?(?:responsibility|responsabilité|attacks?|attaques?|"
    r"ambush(?:es)?|embuscades?|killings?|bombings?|abductions?|kidnappings?|enlèvements?|assassinat|raid)\b"
)
_PRONOUNS = {"he", "she", "they", "il", "elle", "ils", "elles", "the official", "the officer", "the general"}


def stated_by(sentence: str) -> str | None:
    """Who made the statement in this sentence, as written ("a US report", "officials"), or None."""
    best: tuple[int, str] | None = None
    for rx in _STATED_PATTERNS:
        for m in rx.finditer(sentence):
            who = m.group("who").strip(" ,“”\"'").rstrip(".")
            who = re.sub(r"^(?:and|but|while|as)\s+", "", who, flags=re.IGNORECASE)
            # cut trailing clauses: "a US report released this month", "official who spoke on ..."
            who = re.split(
                r"\s+(?:who|which|that|released|published|obtained|in\s+an?\s+interview)\b", who, maxsplit=1
            )[0]
            if not who or len(who.split()) > 10:
                continue
            if who.lower() in ("it", "this", "that", "there", "which") or re.match(
                r"(?i)(?:his|her|their|its|that|this)\b", who
            ):
                continue
            if _DEED.match(who):
                continue  # "JNIM claimed the attack": a claim of responsibility, not a speaker
            if best is None or m.start() < best[0]:
                best = (m.start(), who)
    return best[1] if best else None


# ------------------------------------------------------------------------------------------------
# cues

_QUAL = {
    "as many as": "at most",
    "up to": "at most",
    "jusqu'à": "at most",
    "no more than": "at most",
    "about": "about",
    "around": "about",
    "some": "about",
    "roughly": "about",
    "approximately": "about",
    "an estimated": "about",
    "nearly": "about",
    "almost": "about",
    "close to": "about",
    "près de": "about",
    "environ": "about",
    "quelque": "about",
    "more than": "at least",
    "over": "at least",
    "at least": "at least",
    "plus de": "at least",
    "au moins": "at least",
}
_QUAL_RX = "|".join(sorted((re.escape(q) for q in _QUAL), key=len, reverse=True))
#: vague strengths, read conservatively (the least the words allow) with their qualifier
_VAGUE = {
    "hundreds": (100, "at least"),
    "several hundred": (100, "at least"),
    "a few hundred": (100, "at least"),
    "thousands": (1000, "at least"),
    "several thousand": (1000, "at least"),
    "a few thousand": (1000, "at least"),
    "dozens": (12, "at least"),
    "des centaines": (100, "at least"),
    "plusieurs centaines": (100, "at least"),
    "quelques centaines": (100, "at least"),
    "des milliers": (1000, "at least"),
    "plusieurs milliers": (1000, "at least"),
    "quelques milliers": (1000, "at least"),
    "une centaine": (100, "about"),
    "un millier": (1000, "about"),
}
_NUM_RX = (
    r"\d{1,3}(?:[, \u202f]\d{3})+|\d+(?:\.\d+)?(?:\s*(?:million|thousand))?|"
    + "|".join(sorted((k.replace(" ", r"\s+") for k in _VAGUE), key=len, reverse=True))
    + "|"
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|fifty|a)\s+(?:hundred|thousand)"
)
_FIGHTERS = (
    r"fighters|militants|combatants|jihadists|insurgents|members|men|recruits|gunmen|militiamen|people|"
    r"combattants|djihadistes|jihadistes|hommes|éléments|membres|miliciens"
)
_TROOPS = (
    r"troops|soldiers|peacekeepers|personnel|service\s+members|servicemembers|military\s+personnel|"
    r"soldats|militaires|casques\s+bleus|hommes\s+de\s+troupe|policemen|gendarmes"
)
_QTY = re.compile(
    rf"(?P<qty>(?:(?P<qual>{_QUAL_RX}|between|entre)\s+)?(?P<num>{_NUM_RX})(?:\s+(?:and|et|to|à)\s+(?P<hi>{_NUM_RX}))?)\s+(?P<adj>(?:[A-Za-zÀ-ÿ’'-]+\s+){{0,2}}?)(?:d['’])?(?P<noun>{_FIGHTERS}|{_TROOPS})\b",
    re.IGNORECASE,
)
_STRONG = re.compile(
    rf"(?P<qty>(?:(?P<qual>{_QUAL_RX})\s+)?(?P<num>{_NUM_RX}))[\s-]+strong\b|\bfort\s+d[e']\s*(?P<qty2>(?:(?P<qual2>{_QUAL_RX})\s+)?(?P<num2>{_NUM_RX}))",
    re.IGNORECASE,
)
#: a verb of having right before a number: "ISGS has 400 men", "l'EIGS disposerait de 1 500 hommes"
_POSSESSION = re.compile(
    r"(?i)\b(?:has|have|had|fields?|fielded|numbers?|counts?|compt\w*|dispos\w*\s+d[e'’]|align\w*|"
    r"rassembl\w*|regroup\w*|réuni\w*|totalis\w*|possèd\w*|posséd\w*)\s*$"
)
_DEATH_CONTEXT = re.compile(
    r"\b(?:killed|killing|dead|died|wounded|injured|lost|tués|morts|blessés|captured|arrested|abducted)\b",
    re.IGNORECASE,
)

_ALLIANCE = re.compile(
    r"\b(?:cooperat(?:e|es|ed|ing|ion)|co-operat\w+|working\s+together|work\s+together|worked\s+together|joined\s+forces|join\s+forces|"
    r"allied\s+(?:with|to)|alliances?\s+(?:with|between)|(?:are|were)\s+allies|coordinat(?:e|es|ed|ing)\s+(?:attacks|operations|with)|"
    r"merged\s+(?:with|into)|pledged\s+allegiance|fought\s+alongside|fighting\s+alongside|in\s+coordination\s+with|"
    r"coopèrent|coopéré|collaborent|se\s+sont\s+alliés|alliés?\s+(?:à|avec)|alliance\s+(?:avec|entre)|ont\s+fusionné)\b",
    re.IGNORECASE,
)
_RIVALRY = re.compile(
    r"\b(?:enem(?:y|ies)|rivals?|rivalry|rivalries|at\s+war\s+with|fighting\s+each\s+other|fought\s+each\s+other|clashed\s+with|"
    r"clashes\s+between|feud(?:s|ing)?|outraged|hostil(?:e|ity)|turned\s+on|infighting|ennemis?|rivaux|rivale?s?|en\s+guerre\s+contre|"
    r"s'affrontent|se\s+sont\s+affrontés|affrontements\s+entre)\b",
    re.IGNORECASE,
)
_AFFILIATION = re.compile(
    r"\b(?:affiliated\s+(?:to|with)|linked\s+to|tied\s+to|loyal\s+to|loyalists?|an?\s+affiliate\s+of|affiliates?\s+of|branch\s+of|"
    r"offshoot\s+of|franchise\s+of|pledged\s+allegiance\s+to|swore\s+allegiance\s+to|"
    r"affilié(?:e|s|es)?\s+(?:à|aux?)|lié(?:e|s|es)?\s+(?:à|aux?)|proches?\s+d(?:[e'’]|u|es)|branche\s+d(?:[e'’]|u)|allégeance\s+(?:à|aux?))",
    re.IGNORECASE,
)
_PATTERN = re.compile(
    r"\b(?:every\s+(?:week|day|month|night)|each\s+(?:week|day|month)|daily|weekly|routine(?:ly)?|regularly|repeatedly|"
    r"frequently|often|are\s+known\s+to|since\s+(?:last\s+)?(?:January|February|March|April|May|June|July|August|September|October|November|December|(?:19|20)\d\d)|"
    r"depuis\s+(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|(?:19|20)\d\d)|have\s+been\s+known\s+to|tend\s+to|on\s+a\s+regular\s+basis|"
    r"chaque\s+(?:semaine|jour|mois)|tous\s+les\s+jours|régulièrement|fréquemment|souvent)\b",
    re.IGNORECASE,
)
_VIOLENCE = re.compile(
    r"\b(?:attack\w*|ambush\w*|clash\w*|kill\w*|assassinat\w*|destroy\w*|bomb\w*|raid\w*|strikes?|kidnap\w*|abduct\w*|"
    r"recruit\w*|plan\s+ambushes|meet|fight\w*|attaqu\w*|embuscad\w*|tu\w+|enlèv\w*|recrut\w*)\b",
    re.IGNORECASE,
)

#: the verbs (and adverbs) a subject noun phrase ends before: "JNIM has", "l'EIGS disposerait de"
_SUBJECT_VERBS = (
    r"has|have|had|is|are|was|were|been|numbers|number|counts|count|includes|comprises|possesses|"
    r"fields|appears?|seems?|remains?|face|faces|faced|suffer|suffers|launch|launched|carry|carried|a|ont|"
    r"compte|comptent|dispose|disposent|est|sont|would|could|may|might|"
    r"compterait|compteraient|comptait|comptaient|disposerait|disposeraient|disposait|disposaient|aurait|auraient|"
    r"avait|avaient|serait|seraient|était|étaient|réunit|réunirait|rassemble|rassemblerait|regroupe|regrouperait|"
    r"aligne|alignerait|totalise|totaliserait|possède|posséderait|revendique|revendiquerait|"
    r"will|can|also|reportedly|now|still|already"
)
_VERB_CUT = re.compile(rf"\s+(?:{_SUBJECT_VERBS})\b")
#: a chunk that is only verbs: "Groups linked to A and B, at war with each other, are" / "Le JNIM, affilié à X, compterait"
_VERB_ONLY = re.compile(rf"\s*(?:(?:{_SUBJECT_VERBS})\s*)*", re.IGNORECASE)
_LEAD_STRIP = re.compile(
    r"^(?:[“\"‘(]\s*)?(?:(?:while|whereas|although|though|but|and|however|meanwhile|since|as|alors\s+que|mais|et)\b[,\s]*)+",
    re.IGNORECASE,
)


def _clean_np(np: str) -> str:
    np = np.strip(" ,;:–—-“”\"'(")
    if np.endswith(")") and np.count("(") >= np.count(")"):
        pass
    else:
        np = np.rstrip(")")
    np = (
        re.sub(r"^(?:the|a|an|le|la|les|l'|un|une|des)\s+", "", np, flags=re.IGNORECASE)
        if len(np.split()) > 1 and not re.match(r"(?i)the\s+(?:islamic|united|malian|burkinabe|nigerien)", np)
        else np
    )
    np = re.sub(r"^[lLdD][’'](?=[A-ZÀ-Ý])", "", np)  # French elision: "l'EIGS", "d'Ansarul Islam"
    return np.strip()


def _subject_before(sentence: str, pos: int) -> str | None:
    """The subject noun phrase of the clause that ends at ``pos`` (heuristic, for short news sentences)."""
    head = sentence[:pos]
    # drop relative clauses and appositions: "ISGS, which staged the 2017 attack that killed ..., is"
    head = re.sub(r",\s*(?:which|who|whose|qui|dont)\b[^,]*,", " ", head)
    # the clause: after the last sentence-internal boundary that is not inside the subject
    parts = re.split(
        r"[;:–—]|,\s+(?:and|but|while|as|since|where|when|whose|after)\b|\b(?:that|when|while|because|since|after|where)\s+",
        head,
    )
    clause = parts[-1] if parts else head
    clause = _LEAD_STRIP.sub("", clause.strip())
    if "," in clause and not re.search(r",\s*(?:which|who|whose|qui|dont)\b", clause):
        last = _LEAD_STRIP.sub("", clause.rsplit(",", 1)[1].strip())
        if _VERB_ONLY.fullmatch(last) or not last:
            # "Groups linked to A and B, at war with each other, are": the subject is the first chunk
            last = clause.split(",", 1)[0]
        clause = last
    if re.search(r"(?i)\bwhose\s+(?:country|government|army|nation)\b[^,]*$", head):
        owner = re.findall(r"\b([A-ZÀ-Ý][\w-]+)[’']s\b", head)
        if owner:
            return owner[-1]
    # drop a relative clause or apposition: "France, which has ..." → "France"
    m = re.match(r"^(.*?)(?:,\s*(?:which|who|whose|qui|dont)\b.*)$", clause)
    if m and m.group(1).strip():
        clause = m.group(1)
    # "X called Y", "X known as Y" → Y
    m = re.search(
        r"\b(?:called|known\s+as|named|dubbed|appelée?|baptisée?|nommée?)\s+(.+)$", clause, re.IGNORECASE
    )
    if m:
        clause = m.group(1)
    # cut the verb phrase off the end
    clause = _VERB_CUT.split(clause, maxsplit=1)[0]
    np = _clean_np(clause)
    if not np or len(np.split()) > 14:
        return None
    return np


_NAME_LINK = {
    "of",
    "the",
    "in",
    "and",
    "de",
    "du",
    "des",
    "la",
    "le",
    "l",
    "et",
    "à",
    "a",
    "aux",
    "au",
    "wa",
    "wal",
    "al",
}


def _apposed_name(head: str) -> str | None:
    """The name a cue set off by a comma describes: "... du Groupe de soutien à l'islam et aux musulmans
    (JNIM), affilié à" → "JNIM"; "claimed by Ansarul Islam, linked to" → "Ansarul Islam"; None when the text
    before the comma does not end in a name."""
    h = head.rstrip()
    if not h.endswith(","):
        return None
    h = h[:-1].rstrip()
    acr = re.search(r"\(([A-ZÀ-Ý][\w’'-]{1,15})\)$", h)
    if acr:
        return acr.group(1)
    words = re.findall(r"[\w’'-]+", h[-120:])
    name: list[str] = []
    for w in reversed(words):
        bare = re.sub(r"^[lLdD][’']", "", w)
        if bare[:1].isupper() or w.lower().startswith(("al-", "wal-")):
            name.append(bare if bare[:1].isupper() else w)
        elif w.lower() in _NAME_LINK and name:
            name.append(w)
        else:
            break
    while name and name[-1].lower() in _NAME_LINK:
        name.pop()
    return " ".join(reversed(name)) or None


_ACTORISH = re.compile(
    r"\b(?:al-?Qaeda|Islamic\s+State|ISGS|EIGS|JNIM|GSIM|AQIM|AQMI|ISWAP|Ansar(?:ul|oul)?\s+(?:Dine|Islam)|Katiba\s+\w+|"
    r"MINUSMA|Barkhane|Wagner|Pentagon|United\s+Nations|UN|US|U\.S\.|American|France|French|Malian|Burkinabe|Nigerien|"
    r"army|armée|forces|military|militia|milice|Koglweogo|Dozos?|Dan\s+Na\s+Ambassagou|GATIA|MSA|CMA|VDP|G5\s+Sahel)\b"
)


def _actor_near(sentence: str, start: int, end: int) -> str | None:
    """A named force in the noun phrase of a number ("4,400 American troops") or the clause's subject."""
    m = _ACTORISH.search(sentence[start:end])
    if m:
        return m.group(0)
    return None


_GROUP_NOUN = re.compile(
    r"\b(?:groups?|militants?|fighters?|militias?|militiamen|forces?|army|armies|soldiers|troops|rebels?|jihadists?|"
    r"coalition|factions?|affiliates?|leaders?|officials?|government|communit(?:y|ies)|herders|farmers|hunters|"
    r"peacekeepers|insurgents|terrorists?|organi[sz]ations?|movement|brigade|battalion|groupe|milices?|armée|"
    r"combattants|djihadistes|jihadistes|terroristes|communautés?)\b",
    re.IGNORECASE,
)
_NOT_ACTOR_START = re.compile(
    r"(?i)^(?:on|in|at|during|since|after|before|le|la|au|en|dans|depuis|attack|fighting|"
    r"clashes|violence|torture|\d)\b"
)
_TRIM_OBJECT = re.compile(
    r"(?:\s+(?:a\s+few|near|during|after|before|while|when|was|were|is|are|has|had|who|which|that|"
    r"took|provoked|left|killed|attacked|clashed|fought)\b|\s+(?:in|on|at|from|over)(?=\s+(?!the\b)[a-z0-9])"
    r"|\s+(?:in|on|at|from|over)\s*$|\s+\d).*$"
)


def _plausible_actor(np: str | None, *, named: bool = False) -> bool:
    """A noun phrase that can name an actor: short, not a date or an event word, naming a group."""
    if not np or len(np.split()) > 10 or _NOT_ACTOR_START.match(np):
        return False
    if re.search(r"\b(?:On|In)\s+(?:\d|[A-Z][a-z]+\s+\d)", np):
        return False
    has_name = bool(re.search(r"[A-ZÀ-Ý]", np))
    return has_name if named else (has_name or bool(_GROUP_NOUN.search(np)))


def _trim_object(np: str | None) -> str | None:
    if not np:
        return np
    out = _TRIM_OBJECT.sub("", np).strip(" ,;")
    return out or None


def _split_pair(np: str) -> tuple[str, str | None]:
    """ "al-Qaeda and the Islamic State" → ("al-Qaeda", "the Islamic State")."""
    parts = re.split(r"\s+(?:and|et|&)\s+", np, maxsplit=1)
    if len(parts) == 2 and parts[0].strip() and parts[1].strip():
        return _clean_np(parts[0]), _clean_np(parts[1])
    return np, None


def _np_after(sentence: str, pos: int) -> str | None:
    tail = sentence[pos:]
    m = re.match(
        r"\s*((?:the\s+|l'|la\s+|le\s+|les\s+)?[\w’'-]+(?:\s+(?:[A-ZÀ-Ý][\w’'-]*|in|of|the|and\s+the|and|et|al-[\w’'-]+|de|du|des|la|wal|wa|Muslimin|[dl]['’][\w’'-]+)){0,8})",
        tail,
    )
    if not m:
        return None
    np = re.split(r"\s+(?:in|of)\s*$", m.group(1))[0]
    np = _clean_np(np)
    return np or None


# ------------------------------------------------------------------------------------------------


def _vague(num: str) -> tuple[int, str] | None:
    """(value, qualifier) of a vague strength ("several  thousand"), None for a number."""
    return _VAGUE.get(" ".join(num.lower().split()))


def _value(num: str, lang: str) -> float | None:
    s = num.lower().replace("\u202f", "").strip()
    if re.fullmatch(r"\d{1,3}(?:[, ]\d{3})+", s):
        return float(re.sub(r"[, ]", "", s))
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(million|thousand)?", s)
    if m:
        return float(m.group(1)) * {"million": 1e6, "thousand": 1e3, None: 1}[m.group(2)]
    vague = _vague(s)
    if vague:
        return float(vague[0])  # conservative: "hundreds" is at least 100
    got = parse_number(s, "fr" if lang == "fr" else "en")
    return float(got[0]) if got else None


def _qualifier(q: str | None, num: str) -> str | None:
    if q:
        return _QUAL.get(q.lower())
    vague = _vague(num)
    if vague:
        return vague[1]
    return "exact"


def _claim_id(document_id: str | None, start: int, kind: str, subject: str, extra: str = "") -> str:
    h = hashlib.sha256(f"{document_id}|{start}|{kind}|{subject}|{extra}".encode("utf-8")).hexdigest()[:12]
    return f"claim-{h}"


def _claims_in_sentence(
    sent: Sentence,
    *,
    lang: str,
    document_id: str | None,
    published: dt.date | None,
    norm: Callable[[str | None], str | None],
    speaker: str | None,
) -> list[Claim]:
    s = sent.text
    out: list[Claim] = []
    who = speaker

    def make(
        kind: str,
        subject: str | None,
        *,
        obj: str | None = None,
        value: float | None = None,
        value_text: str | None = None,
        qualifier: str | None = None,
        conf: float = 0.7,
        country: str | None = None,
    ) -> None:
        if not subject:
            return
        if kind in ("alliance", "rivalry", "affiliation"):
            obj = _trim_object(obj)
            subject = _trim_object(subject) or ""
            if not _plausible_actor(subject) or not _plausible_actor(obj, named=(kind == "affiliation")):
                return
        elif kind in ("force_strength", "troop_numbers") and not _plausible_actor(subject):
            return
        subj = norm(subject) or subject
        ob = (norm(obj) or obj) if obj else None
        if ob is not None and ob == subj:
            return
        out.append(
            Claim(
                claim_id=_claim_id(document_id, sent.start, kind, subj, value_text or ob or ""),
                kind=kind,
                subject=subj,
                text=s,
                object=ob,
                value=value,
                value_text=value_text,
                qualifier=qualifier,
                stated_by=who,
                date=published,
                country=country,
                provenance=Provenance(
                    dataset="extract",
                    document_id=document_id,
                    sentence=s,
                    char_start=sent.start,
                    char_end=sent.end,
                    method="rule",
                    confidence=conf,
                ),
            )
        )

    # force strengths and troop numbers
    seen_spans: list[tuple[int, int]] = []
    for m in _STRONG.finditer(s):
        num = m.group("num") or m.group("num2")
        q = m.group("qual") or m.group("qual2")
        val = _value(num, lang)
        subj = _subject_before(s, m.start())
        make(
            "force_strength",
            subj,
            value=val,
            value_text=(m.group("qty") or m.group("qty2")).strip() + " strong",
            qualifier=_qualifier(q, num),
            conf=0.7,
        )
        seen_spans.append(m.span())
    for m in _QTY.finditer(s):
        if any(a <= m.start() < b for a, b in seen_spans):
            continue
        clause_end = min([i for i in (s.find(",", m.end()), s.find(".", m.end())) if i >= 0] or [len(s)])
        after = s[m.end() : clause_end]
        before = s[max(0, m.start() - 40) : m.start()]
        if _DEATH_CONTEXT.search(after) or _DEATH_CONTEXT.search(before[-25:]):
            continue  # a casualty count, not a strength
        noun = m.group("noun").lower()
        num = m.group("num")
        if (
            noun in ("people", "men", "hommes", "members", "membres", "recruits")
            and not re.search(
                r"\b(?:militia|group|unit|force|coalition|milice|groupe)\s+of\s*$",
                s[: m.start()],
                re.IGNORECASE,
            )
            and not re.search(
                r"(?i)\barmed\b|\bstrong\b|\barmés\b", m.group("adj") + s[m.end() : m.end() + 12]
            )
            and not _POSSESSION.search(s[: m.start()])
        ):
            continue  # "thousands of people marched", "114 men detained": not a strength
        val = _value(num, lang)
        if val is None or val < 10:
            continue
        ranged = m.group("hi") is not None
        if ranged != ((m.group("qual") or "").lower() in ("between", "entre")):
            continue  # "between 1,000 and 2,000" is a range; "between 1,000" or "about 10 to 20" is not parsed
        troops = re.fullmatch(_TROOPS, noun, re.IGNORECASE) is not None
        kind = "troop_numbers" if troops else "force_strength"
        adj_actor = _actor_near(s, m.start("adj"), m.end("noun")) if m.group("adj") else None
        if (
            adj_actor is None
            and m.group("adj")
            and re.fullmatch(r"(?:[A-ZÀ-Ý][\w’'-]*\s+){1,2}", m.group("adj"))
        ):
            adj_actor = m.group("adj").strip()  # "2,500 German troops"
        pre = s[: m.start()]
        militia = re.search(
            r"\b(?:a|an|the)?\s*(militia|group|unit|force|coalition|milice|groupe)\s+of\s*$",
            pre,
            re.IGNORECASE,
        )
        if militia:
            # "Issa Haidera, who leads a militia of 800 people"
            leader = re.search(
                r"([A-ZÀ-Ý][\w’'-]+(?:\s+[A-ZÀ-Ý][\w’'-]+){0,3}),?\s+(?:who\s+)?(?:leads|heads|commands|dirige)\s+(?:a|an|the|une|la)?\s*(?:militia|group|unit|force|milice|groupe)\s+of\s*$",
                pre,
            )
            subj = f"{militia.group(1)} led by {leader.group(1)}" if leader else militia.group(1)
            kind = "force_strength"
        else:
            subj = adj_actor or _subject_before(s, m.start())
            if not subj:
                named = [
                    x for x in _ACTORISH.finditer(s[: m.start()]) if x.group(0)[0].isupper()
                ]  # "the Pentagon weighs ..., where about 1,400 troops"
                subj = named[-1].group(0) if named else None
        where = re.match(
            r"\s+(?:\w+\s+){0,3}?(?:in|into|across|au|en|dans)\s+((?:the\s+)?[A-ZÀ-Ý][\w’'-]*(?:\s+[A-ZÀ-Ý][\w’'-]*){0,2})",
            s[m.end() :],
        )
        make(
            kind,
            subj,
            value=val,
            value_text=" ".join(s[m.start("qty") : m.end("noun")].split()),
            qualifier="at least" if ranged else _qualifier(m.group("qual"), num),
            conf=0.7,
            country=where.group(1) if where else None,
        )

    # affiliations
    for m in _AFFILIATION.finditer(s):
        cue = m.group(0).lower()
        if cue.startswith("loyalist"):
            # "al-Qaeda loyalists called JNIM": object before the cue, subject after "called"
            obj = re.search(r"([\w’'-]+)\s*$", s[: m.start()])
            called = re.match(
                r"\s+(?:called|known\s+as|named)\s+(.+?)(?:\s+(?:has|have|had|is|are|was|were)\b|[,.;]|$)",
                s[m.end() :],
            )
            if obj and called:
                make("affiliation", _clean_np(called.group(1)), obj=_clean_np(obj.group(1)), conf=0.75)
            continue
        obj = _np_after(s, m.end())
        subj = _apposed_name(s[: m.start()]) or _subject_before(s, m.start())
        if obj and subj:
            o1, o2 = _split_pair(obj)
            make("affiliation", subj, obj=o1, conf=0.65)
            if o2:
                make("affiliation", subj, obj=o2, conf=0.6)

    # alliances and rivalries
    for kind, rx in (("alliance", _ALLIANCE), ("rivalry", _RIVALRY)):
        m = rx.search(s)
        if not m:
            continue
        cue = m.group(0).lower()
        between = re.search(r"\b(?:between|entre)\s*$", cue) or re.match(
            r"\s*(?:between|entre)\s+", s[m.end() :]
        )
        if between:
            start = m.end() + (between.end() if not re.search(r"(?:between|entre)$", cue) else 0)
            pair = re.match(
                r"\s*(.+?)(?=[,.;:]|\s+(?:in|on|at|over|since|and\s+the\s+concerns)\b|$)", s[start:]
            )
            if pair:
                a, b = _split_pair(pair.group(1))
                if b:
                    make(kind, a, obj=b, conf=0.5)
            continue
        subj_np = _subject_before(s, m.start())
        if subj_np and re.match(r"(?i)(?:they|he|she|it|we|you|ils|elles|il|elle|on)\b", subj_np):
            continue
        obj = None
        with_m = re.match(r"\s*(?:with|against|avec|contre)\s+", s[m.end() :])
        if with_m:
            obj = _np_after(s, m.end() + with_m.end())
        elif cue == "outraged":
            when = re.search(
                r"\b(?:when|after|as|because)\s+(.+?)\s+(?:tried|had|was|were|began|started|moved|recruited|attacked)\b",
                s[m.end() :],
            )
            if when:
                obj = _clean_np(when.group(1))
        if subj_np is None:
            continue
        # "A and B are enemies", "groups linked to A and B are working together"
        lead = re.match(
            r"^((?:groups?|fighters|militants|affiliates|factions)\s+(?:linked|tied|affiliated|loyal)\s+(?:to|with)\s+)",
            subj_np,
            re.IGNORECASE,
        )
        a, b = _split_pair(subj_np[lead.end() :] if lead else subj_np)
        if lead and b:
            a, b = (
                lead.group(1) + a,
                lead.group(1) + b,
            )  # "Groups linked to A and B" → each side keeps the head
        if obj is None and b is not None:
            make(kind, a, obj=b, conf=0.65)
        elif obj is not None:
            make(kind, subj_np, obj=obj, conf=0.6)

    # patterns without one time and place
    pm = _PATTERN.search(s)
    if pm and _VIOLENCE.search(s):
        subj = _subject_before(s, pm.start()) or _subject_before(s, _VIOLENCE.search(s).start())
        if subj and re.match(r"(?i)(?:they|he|she|it|we|ils|elles|il|elle)(?:\b|[’']re)", subj):
            first = re.search(r",|\s(?:appear|appears|have|has|are|is|were|was|said|say)\b", s)
            subj = _subject_before(s, first.start()) if first else None
        cas = count_casualties(s, "fr" if lang == "fr" else "en")
        killed = [c for c in cas.mentions if c.kind == "killed" and c.value]
        if not _plausible_actor(subj):
            subj = "unspecified"
        make(
            "pattern",
            subj,
            conf=0.5,
            value=float(cas.fatalities) if killed else None,
            value_text=" + ".join(c.text for c in killed) + " killed"
            if killed and all(c.text[0].isdigit() or c.qualifier != "singular" for c in killed)
            else (f"{cas.fatalities} killed" if killed else None),
            qualifier=killed[0].qualifier if killed else None,
        )
    return out


def _resolve_speaker(raw: str | None, last_named: str | None) -> str | None:
    if raw is None:
        return None
    if raw.lower() in _PRONOUNS:
        return last_named or raw
    return raw


def find_claims(
    text: Any,
    *,
    lang: str = "en",
    document_id: str | None = None,
    published: dt.date | None = None,
    normalise_actor: NormaliseActor | None = None,
    sentences: Iterable[Any] | None = None,
    offset: int = 0,
) -> list[Claim]:
    """Claims of a text. ``sentences`` may be spaCy spans (with ``.text`` and ``.start_char``) or
    ``Sentence`` objects; by default the text is split here. ``offset`` shifts character offsets
    (when ``text`` is a slice of the document).

    ``text`` may also be a ``sahelwatch.model.Document`` (its id, publication date and language are
    used) or a spaCy ``Doc`` (its sentences and language are used)."""
    if not isinstance(text, str):
        if hasattr(text, "sents") and hasattr(text, "text"):  # spaCy Doc
            doc = text
            if sentences is None:
                try:
                    sentences = list(doc.sents)
                except ValueError:
                    sentences = None
            lang = getattr(doc, "lang_", lang) or lang
            ext = getattr(doc, "_", None)
            if (
                document_id is None
                and ext is not None
                and getattr(type(doc), "has_extension", lambda n: False)("document_id")
            ):
                document_id = doc._.document_id
            if (
                published is None
                and ext is not None
                and getattr(type(doc), "has_extension", lambda n: False)("published")
            ):
                published = doc._.published
            text = doc.text
        elif hasattr(text, "text") and hasattr(text, "id"):  # Document
            document_id = document_id or text.id
            published = published or getattr(text, "published", None)
            lang = getattr(text, "language", None) or lang
            text = text.text
        else:
            raise TypeError(
                f"find_claims() takes a str, a Document or a spaCy Doc, not {type(text).__name__}"
            )
    if sentences is None:
        sents = split_sentences(text)
    else:
        sents = [
            Sentence(
                sp.text,
                getattr(sp, "start_char", getattr(sp, "start", 0)),
                getattr(sp, "end_char", getattr(sp, "end", 0)),
            )
            for sp in sentences
        ]

    def norm(x: str | None) -> str | None:
        if x is None or normalise_actor is None:
            return None
        try:
            return normalise_actor(x)
        except Exception:
            return None

    out: list[Claim] = []
    last_named: str | None = None
    for sent in sents:
        sent = Sentence(sent.text, sent.start + offset, sent.end + offset)
        raw = stated_by(sent.text)
        speaker = _resolve_speaker(raw, last_named)
        if raw and raw.lower() not in _PRONOUNS and re.search(r"[A-Z]", raw):
            last_named = raw
        out.extend(
            _claims_in_sentence(
                sent, lang=lang, document_id=document_id, published=published, norm=norm, speaker=speaker
            )
        )
    return out


def claims_from_doc(
    doc: Any,
    *,
    document_id: str | None = None,
    published: dt.date | None = None,
    normalise_actor: NormaliseActor | None = None,
) -> list[Claim]:
    """Claims of a spaCy Doc (uses its sentence boundaries when the pipeline sets them)."""
    try:
        sents = list(doc.sents)
    except ValueError:
        sents = None
    lang = getattr(doc, "lang_", "en")
    return find_claims(
        doc.text,
        lang=lang,
        document_id=document_id,
        published=published,
        normalise_actor=normalise_actor,
        sentences=sents,
    )


# ------------------------------------------------------------------------------------------------
# spaCy (thin): ``nlp.add_pipe("sahelwatch_claims")`` after ``register_spacy_components()``


def register_spacy_components(normalise_actor: NormaliseActor | None = None) -> None:
    """Register ``Doc._.document_id``, ``Doc._.published``, ``Doc._.claims`` and the "sahelwatch_claims" component."""
    from spacy.language import Language
    from spacy.tokens import Doc

    for name in ("document_id", "published", "claims"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Language.has_factory("sahelwatch_claims"):

        @Language.component("sahelwatch_claims")
        def _claims_component(doc):  # noqa: ANN001 - spaCy signature
            doc._.claims = claims_from_doc(
                doc, document_id=doc._.document_id, published=doc._.published, normalise_actor=normalise_actor
            )
            return doc
