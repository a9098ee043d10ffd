"""Event detection and ACLED typing.

Two layers, both cheap:

1. **Cues** (spaCy component ``sahelwatch_event_cues``): a PhraseMatcher over token text (LOWER) built from
   ``data/event_triggers.yaml`` marks words that signal an event family (``clash``, ``ied``, ``abduct``,
   ``protest`` ...) or qualify one (``civilian_target``, ``military_target``, ``wounded``, ``negation``).
   The result is ``doc._.event_cues``: a list of :class:`Cue` with character offsets and sentence index.
2. **Typing** (:func:`classify`): the codebook's rules turn the cues of one event (one day, one place) plus
   the actors' inter codes and the death count into ACLED's ``event_type`` / ``sub_event_type``:
   suicide (vehicle) bombs are "Suicide bomb"; explosions inside a fight belong to the battle; an abduction
   with deaths is an "Attack"; a defused IED or a seized cache is "Disrupted weapons use"; protests split by
   intervention and lethal force; looting without harm to people is "Looting/property destruction"; ...

A trained classifier (``extract.train``) may replace the typing: :func:`cue_features` gives it the same
signals as features, so the model learns the user's coding on top of the rules.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Iterable, Sequence

import yaml

from .. import taxonomy

CUE_COMPONENT = "sahelwatch_event_cues"

#: Cue families that never make an event by themselves.
QUALIFIERS = frozenset(
    {
        "release",
        "intervention",
        "crowd",
        "grievance",
        "found",
        "remnant",
        "military_target",
        "civilian_target",
        "property",
        "accident",
        "negation",
        "pattern",
        "hypothetical",
    }
)
#: Month names that collide with cue words ("March", "May").
_MONTH_WORDS = frozenset({"march", "may"})
_PASSIVE_AUX = frozenset({"was", "were", "been", "be", "being", "is", "are", "été", "fut", "furent"})
#: How far (tokens) a victim noun may sit from the verb that hits it.
_VICTIM_AFTER = 9
_VICTIM_BEFORE = 6

STATE_OR_EXTERNAL = frozenset({1, 8})
ARMED = frozenset({1, 2, 3, 4, 8})


@lru_cache(maxsize=4)
def load_triggers(path: str | None = None) -> dict:
    """The trigger lexicon (``data/event_triggers.yaml`` unless a path is given)."""
    if path:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    else:
        data = yaml.safe_load(
            resources.files("sahelwatch.data").joinpath("event_triggers.yaml").read_text("utf-8")
        )
    if not isinstance(data, dict) or "cues" not in data:
        raise ValueError("event trigger file needs a top-level 'cues' mapping")
    return data


def trigger_cues(path: str | None = None) -> frozenset[str]:
    return frozenset(k for k, v in load_triggers(path)["cues"].items() if v.get("trigger", True))


@dataclass(slots=True, frozen=True)
class Cue:
    """One matched cue: family name, the words, character offsets, sentence index, token index."""

    name: str
    text: str
    start_char: int
    end_char: int
    sent: int
    token: int
    passive: bool = False  # a verb cue after "was/were/been" ("two soldiers were killed")
    clause: int = 0  # punctuation-delimited clause of the sentence (",", ";", ":", brackets)
    agent: bool = False  # a target word in a "by" phrase ("an attack by militants on ..."): the attackers


@dataclass(slots=True)
class Typing:
    """The outcome of typing one event."""

    event_type: str
    sub_event_type: str
    confidence: float
    rule: str
    method: str = "rule"  # 'rule' or 'model'
    scores: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        why = taxonomy.check_types(self.event_type, self.sub_event_type)
        if why:
            raise ValueError(f"rule {self.rule!r} produced an invalid type: {why}")


# --------------------------------------------------------------------------------------------- spaCy component


class EventCueMatcher:
    """spaCy component: sets ``doc._.event_cues`` (list of :class:`Cue`)."""

    def __init__(self, nlp, name: str = CUE_COMPONENT, triggers_path: str | None = None):
        from spacy.matcher import PhraseMatcher

        self.name = name
        data = load_triggers(triggers_path)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.names: dict[int, str] = {}
        tokenizer = nlp.tokenizer
        for cue, spec in data["cues"].items():
            phrases = sorted({p for lang in ("en", "fr") for p in (spec.get(lang) or [])})
            docs = [tokenizer(p.lower()) for p in phrases]
            key = nlp.vocab.strings.add(cue)
            self.names[key] = cue
            self.matcher.add(cue, docs)

    def __call__(self, doc):
        matches = self.matcher(doc)
        cues: list[Cue] = []
        if not matches:
            doc._.event_cues = cues
            return doc
        # longest match wins where two cue phrases overlap ("air strike" over "strike")
        spans = sorted(((s, e, k) for k, s, e in matches), key=lambda m: (-(m[1] - m[0]), m[0]))
        taken = bytearray(len(doc))
        kept: list[tuple[int, int, int]] = []
        for s, e, k in spans:
            if any(taken[s:e]):
                # the same words may carry two families (e.g. "mines" ied / "killed" kill): allow exact duplicates
                if not any(ks == s and ke == e for ks, ke, _ in kept):
                    continue
            taken[s:e] = b"\x01" * (e - s)
            kept.append((s, e, k))
        kept.sort()
        animals = {s for s, e, k in kept if self.names[k] == "property" and doc[s].lower_ in _ANIMALS}
        sent_of = _sentence_index(doc)
        clause_of = _clause_index(doc)
        for s, e, k in kept:
            tok = doc[s]
            if (
                e - s == 1
                and tok.lower_ in _MONTH_WORDS
                and tok.text[:1].isupper()
                and _next_to_number(doc, s)
            ):
                continue
            span = doc[s:e]
            passive = _is_passive(doc, s, e)
            name = _requalified(doc, s, self.names[k])
            if name in ("kill", "wounded") and animals and _hits_animals(doc, s, e, animals):
                name = "loot"  # "killed two sheep", "livestock were killed": property, not people
            if (
                name is None
                or (name in _VIOLENT_FAMILIES and _earlier_deed(doc, s))
                or (name not in QUALIFIERS and _alleged(doc, s))
            ):
                continue
            if (name in ("clash", "wounded", "kill", "riot") and _negated(doc, s)) or (
                name == "clash" and _operation_name(doc, s, e)
            ):
                continue
            if (
                name == "ied"
                and e + 1 < len(doc)
                and (doc[e].lower_ == "making" or (doc[e].text == "-" and doc[e + 1].lower_ == "making"))
            ):
                continue  # "IED-making materials" are no device
            cues.append(
                Cue(
                    name,
                    span.text,
                    span.start_char,
                    span.end_char,
                    sent_of[s],
                    s,
                    passive,
                    clause_of[s],
                    name in ("civilian_target", "military_target") and _in_by_phrase(doc, s),
                )
            )
        doc._.event_cues = cues
        return doc


_OFF_DUTY_WORDS = frozenset({"retired", "former", "ex", "off-duty", "retraité", "ancien", "ex-"})
_ARMED_WORDS = frozenset({"armed", "armés", "armé"})


_ANIMALS = frozenset(
    {
        "livestock",
        "cattle",
        "goats",
        "sheep",
        "camels",
        "animals",
        "donkeys",
        "cows",
        "oxen",
        "herd",
        "herds",
        "bétail",
        "animaux",
    }
)


def _hits_animals(doc, s: int, e: int, animals: set[int]) -> bool:
    """The killing or wounding word's victims are animals: right after it ("killed two sheep") or, in the
    passive, right before it ("several of their livestock were killed", "two donkeys wounded")."""
    after = any(e <= a <= e + 3 and not any(t.is_punct for t in doc[e:a]) for a in animals)
    bare = e >= len(doc) or doc[e].is_punct or doc[e].lower_ in ("and", "by", "et", "par")
    before = any(
        s - 3 <= a < s
        and all(t.lower_ in _PASSIVE_AUX or t.lower_.endswith("ly") for t in doc[a + 1 : s])
        and (bare or any(t.lower_ in _PASSIVE_AUX for t in doc[a + 1 : s]))
        for a in animals
    )
    return after or before


_NEGATORS = frozenset({"no", "without", "nor", "not", "sans", "aucun", "aucune", "pas"})


def _negated(doc, s: int) -> bool:
    """A fight or casualty word denied: "no clashes were reported", "without any fighting", "no reports of
    clashes or injuries" (a negation up to five words before, in the same clause; "no fewer than" is none)."""
    for j in range(s - 1, max(-1, s - 6), -1):
        t = doc[j]
        if t.is_punct:
            return False
        if t.lower_ in _NEGATORS:
            return not (j + 1 < len(doc) and doc[j + 1].lower_ in ("fewer", "less", "more", "longer"))
    return False


def _operation_name(doc, s: int, e: int) -> bool:
    """ "Operation Barkhane", "Opération Serval": the name of a force, not a fight."""
    return (
        e - s == 1
        and doc[s].lower_ in ("operation", "opération")
        and doc[s].text[:1].isupper()
        and e < len(doc)
        and doc[e].text[:1].isupper()
        and doc[e].is_alpha
    )


def _alleged(doc, s: int) -> bool:
    """What the victims were suspected or accused of is no part of the event: "two men suspected of
    robberies and rapes were beaten", "accused of having stolen cattle" ("X accused Y of stealing" keeps it:
    the accusation is the report)."""
    for j in range(s - 1, max(0, s - 6), -1):
        if doc[j].is_punct:
            return False
        if doc[j].lower_ in ("of", "de", "d'") and doc[j - 1].lower_ in (
            "suspected",
            "accused",
            "convicted",
            "suspect",
            "soupçonnés",
            "soupçonné",
            "accusés",
            "accusé",
        ):
            return True
    return False


_RELATIVE = frozenset({"who", "which", "that", "qui"})
_VIOLENT_FAMILIES = frozenset(
    {"attack", "kill", "wounded", "abduct", "clash", "ied", "shelling", "air", "grenade"}
)


def _earlier_deed(doc, s: int) -> bool:
    """A verb in a relative clause in the pluperfect tells what someone had done before, not the event:
    "militants who had attacked the post the day before", "who previously had executed an informer"."""
    j = s - 1
    if j >= 0 and (doc[j].pos_ == "ADV" or doc[j].lower_.endswith("ly")):
        j -= 1
    if j >= 0 and doc[j].lower_ in ("been", "été"):
        j -= 1
    if j < 1 or doc[j].lower_ not in ("had", "avait", "avaient"):
        return False
    k = j - 1
    if k >= 0 and (doc[k].pos_ == "ADV" or doc[k].lower_.endswith("ly")):
        k -= 1
    return k >= 0 and doc[k].lower_ in _RELATIVE


def hyphen_joined(text: str, s: int, e: int) -> bool:
    """The word at text[s:e] is capitalised and hyphen-joined to another capitalised one: part of a place
    name ("Nouhoun-Bozo", "Bambara-Maoude"), not the community it sounds like. Used on cue words and actor
    mentions alike."""
    if not text[s : s + 1].isupper():
        return False
    before = s >= 2 and text[s - 1] == "-" and text[s - 2].isalpha()
    after = e + 1 < len(text) and text[e] == "-" and text[e + 1].isupper()
    if before:
        j = s - 2
        while j > 0 and text[j - 1].isalpha():
            j -= 1
        before = text[j].isupper()
    return before or after


def _requalified(doc, s: int, name: str) -> str | None:
    """A target word changes side with its modifier: soldiers or police off duty, retired or former are
    civilians ("an off-duty policeman", "a retired National Guard": ACLED codes violence against them as
    violence against civilians); civilian nouns that carry arms are armed ("two armed Fulani youth"), and
    an armed crowd is no crowd (None: the cue is dropped)."""
    tok = doc[s]
    if name in ("civilian_target", "military_target") and hyphen_joined(
        doc.text, tok.idx, tok.idx + len(tok.text)
    ):
        return None  # part of a place name: "Nouhoun-Bozo", "Bambara-Maoude"
    if name == "military_target":
        before = [t.lower_ for t in doc[max(0, s - 3) : s]]
        if any(w in _OFF_DUTY_WORDS for w in before) or any(
            a == "off" and b in ("-", "duty") for a, b in zip(before, before[1:] + ["duty"])
        ):
            return "civilian_target"
    elif name in ("civilian_target", "crowd"):
        for j in (s - 1, s - 2):
            if j >= 0 and doc[j].lower_ in _ARMED_WORDS:
                if j == s - 2 and (doc[j + 1].is_punct or doc[j + 1].lower_ in ("and", "or", "et")):
                    break
                return "military_target" if name == "civilian_target" else None
    return name


_EVENT_NOUNS = frozenset(
    {
        "attack",
        "attacks",
        "ambush",
        "ambushes",
        "raid",
        "raids",
        "assault",
        "assaults",
        "attaque",
        "attaques",
        "embuscade",
        "embuscades",
    }
)
_AGENT_PREPS = frozenset({"by", "par"})
_TARGET_PREPS = frozenset({"on", "against", "upon", "targeting", "contre", "sur", "at"})


def _is_passive(doc, s: int, e: int) -> bool:
    """A verb cue in the passive: after "was/were/been" (an adverb may sit between: "was allegedly
    killed"), or a participle whose agent follows ("killed by militiamen"); not a noun whose agent follows
    ("an attack by militants on a post": the target comes after "on")."""
    if s > 0 and doc[s - 1].lower_ in _PASSIVE_AUX:
        return True
    if (
        s > 1
        and doc[s - 2].lower_ in _PASSIVE_AUX
        and (doc[s - 1].pos_ == "ADV" or doc[s - 1].lower_.endswith("ly"))
    ):
        return True
    if e - s == 1 and (doc[s].pos_ == "NOUN" or doc[s].lower_ in _EVENT_NOUNS):
        return False
    return e < len(doc) and doc[e].lower_ in _AGENT_PREPS


def _in_by_phrase(doc, s: int) -> bool:
    """A noun inside a "by" phrase ("by suspected Islamist militants"): up to three words after "by", with
    no "on/against" in between."""
    for j in range(s - 1, max(-1, s - 5), -1):
        w = doc[j].lower_
        if w in _AGENT_PREPS:
            # "escorted by militiamen", "protected by soldiers": not the attackers
            return not (
                j > 0
                and doc[j - 1].lower_
                in (
                    "escorted",
                    "protected",
                    "guarded",
                    "accompanied",
                    "escorté",
                    "escortés",
                    "protégé",
                    "protégés",
                    "accompagné",
                    "accompagnés",
                )
            )
        if w in _TARGET_PREPS or doc[j].is_punct:
            return False
    return False


def _next_to_number(doc, i: int) -> bool:
    for j in (i - 1, i + 1, i + 2):
        if 0 <= j < len(doc) and (doc[j].like_num or doc[j].is_digit):
            return True
    return False


_CLAUSE_BREAKS = frozenset({",", ";", ":", "(", ")", "–", "—"})


def _clause_index(doc) -> list[int]:
    """Running count of clause breaks (commas, semicolons, colons, brackets) before each token."""
    out = [0] * len(doc)
    k = 0
    for i, tok in enumerate(doc):
        if tok.text in _CLAUSE_BREAKS:
            k += 1
        out[i] = k
    return out


def _sentence_index(doc) -> list[int]:
    """Sentence number of each token (works with parser, senter or no sentence boundaries at all)."""
    out = [0] * len(doc)
    if not (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
        return out
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            out[i] = n
    return out


def register_components() -> None:
    """Register the extension attribute and the factory (idempotent)."""
    from spacy.language import Language
    from spacy.tokens import Doc

    if not Doc.has_extension("event_cues"):
        Doc.set_extension("event_cues", default=None)
    if CUE_COMPONENT not in Language.factories:
        Language.factory(CUE_COMPONENT, default_config={"triggers_path": None})(
            lambda nlp, name, triggers_path: EventCueMatcher(nlp, name, triggers_path)
        )


# --------------------------------------------------------------------------------------------- typing rules

_STRONG_CLASH = frozenset(
    {
        "clash",
        "clashes",
        "clashed",
        "clashing",
        "fighting",
        "fought",
        "gunfight",
        "firefight",
        "exchange of fire",
        "exchanged fire",
        "exchanged gunfire",
        "skirmish",
        "skirmishes",
        "battle",
        "battled",
        "repelled",
        "repulsed",
        "counter-attack",
        "counterattack",
        "fired back",
        "returned fire",
        "air-ground",
        "air-ground operation",
        "affrontement",
        "affrontements",
        "accrochage",
        "accrochages",
        "combat",
        "combats",
        "échange de tirs",
        "échanges de tirs",
        "repoussé",
        "repoussée",
        "riposte",
        "riposté",
        "se sont affrontés",
        "ont affronté",
        "armed assault",
        "complex attack",
        "routed",
        "crossfire",
        "in the crossfire",
        "exchanged fire with",
        "ambush",
        "ambushed",
        "ambushes",
        "embuscade",
        "embuscades",
        "exchange of gunfire",
        "exchanges of gunfire",
        "exchanges of fire",
        "gunfire",
        "small arms fire",
        "small arms",
        "breach",
        # air power supporting troops on the ground: one battle (ACLED codes the clash)
        "ground operation",
        "ground operations",
        "ground assault",
        "ground forces",
        "ground troops",
        "air-supported",
        "air supported",
        "fended off",
        "fought back",
        "retaliated",
    }
)
#: fire and ambush words say how the attackers struck, not that anybody fought back: against civilians
#: alone ("a boat was ambushed, five passengers wounded", "a vehicle hit by gunfire") they are an attack
_ONE_SIDED = frozenset(
    {
        "gunfire",
        "gunshots",
        "ambush",
        "ambushed",
        "ambushes",
        "embuscade",
        "embuscades",
        "small arms fire",
        "small arms",
    }
)
#: targeted killings: in ACLED's Mali coding 77-90 % of notes with these words are violence against civilians
_TARGETED_KILLING = frozenset(
    {
        "assassinated",
        "assassination",
        "executed",
        "execution",
        "executions",
        "beheaded",
        "summarily executed",
        "found dead",
        "assassiné",
        "assassinés",
        "assassinat",
        "exécuté",
        "exécutés",
        "exécution",
        "égorgé",
        "égorgés",
    }
)
#: demonstrators who clash with the police riot (ACLED: Violent demonstration, even when dispersed)
_CROWD_CLASH = frozenset(
    {
        "clash",
        "clashes",
        "clashed",
        "clashing",
        "confrontation",
        "confrontations",
        "fought",
        "affrontement",
        "affrontements",
        "heurts",
    }
)
#: firing on people or their vehicles attacks them, even when nobody is hit (not mere looting)
_SHOOTING = frozenset(
    {"opened fire", "fired on", "fired at", "shot at", "fired shots at", "ouvert le feu", "tiré sur"}
)
#: shots fired to intimidate during an abduction make it an attack too ("fired shots in the air and abducted")
_SHOTS = _SHOOTING | {"fired shots", "fired gunshots"}
_ESCORT = frozenset(
    {"escort", "escorted", "escorted by", "escorting", "escorte", "escorté", "escortés", "escortée"}
)
_WEAK_INTERVENTION = frozenset({"prevented"})
#: intervention words that imply a crowd by themselves
_DISPERSAL = frozenset(
    {
        "tear gas",
        "teargas",
        "dispersed",
        "disperse",
        "dispersing",
        "broke up",
        "water cannon",
        "rubber bullets",
        "arrested protesters",
        "gaz lacrymogène",
        "gaz lacrymogènes",
        "dispersé",
        "dispersés",
        "dispersée",
        "disperser",
        "canon à eau",
        "balles en caoutchouc",
    }
)
_MAYBE_CIVILIAN_PLACES = frozenset(
    {
        "camp",
        "camps",
        "base",
        "bases",
        "position",
        "positions",
        "convoy",
        "convoys",
        "convoi",
        "convois",
        "vehicle",
        "column",
        "escort",
        "escorted",
        "escorted by",
    }
)
_CAPTURE = frozenset({"captured", "capture", "capturing"})
#: armed nouns that name the attacking side by definition
_ATTACKER_NOUNS = frozenset({"assailants", "assailant", "attackers", "attacker", "assaillants", "assaillant"})
_STRIKE = frozenset({"strike", "strikes", "striking"})
#: the words of a labour strike that also name an air strike (``pipeline`` reads them by article)
STRIKE_WORDS = _STRIKE
_GRIEVANCE_FAMILIES = ("arrest", "kill", "attack", "abduct", "wounded", "loot")


def _grievances(cues: Sequence[Cue]) -> set[int]:
    """Token indices of event words that a protest is against: within three words after a grievance word
    ("against the arrest", "over the killings", "denouncing the abduction")."""
    g = [c for c in cues if c.name == "grievance"]
    if not g or "protest" not in {c.name for c in cues}:
        return set()
    return {
        c.token
        for c in cues
        if c.name in _GRIEVANCE_FAMILIES and any(x.sent == c.sent and 0 < c.token - x.token <= 3 for x in g)
    }


_HOSTAGE_ONLY = frozenset({"hostage", "hostages", "otage", "otages"})


def _names(cues: Iterable[Cue]) -> Counter:
    return Counter(c.name for c in cues)


#: nouns that name people without saying whether they were civilians ("one person was killed")
_GENERIC_PEOPLE = frozenset(
    {
        "person",
        "persons",
        "people",
        "individual",
        "individuals",
        "man",
        "men",
        "member",
        "members",
        "personne",
        "personnes",
        "individus",
    }
)


def victim_evidence(
    cues: Sequence[Cue],
    verb_families: tuple[str, ...] = ("attack", "kill", "abduct", "wounded", "clash", "loot"),
    generic: bool = True,
) -> tuple[int, int]:
    """(civilian, armed) victim nouns next to the violent verbs: after an active verb ("attacked the
    village", "killed two soldiers"), before a passive one or a bare participle ("three civilians were
    killed", "two soldiers killed"). ``verb_families`` narrows the verbs (e.g. to who was killed);
    ``generic=False`` leaves out nouns that do not say who the people were ("person", "individuals")."""
    verbs = [c for c in cues if c.name in verb_families]
    targets = _head_targets(cues)
    civ = mil = 0
    seen: set[int] = set()
    for v in verbs:
        # a bare participle ("two soldiers killed") looks back, unless an object follows ("gunmen killed two men")
        has_object = not v.passive and any(
            t.sent == v.sent
            and t.clause == v.clause
            and not t.agent
            and 0 < t.token - v.token <= _VICTIM_AFTER
            for t in targets
        )
        for t in targets:
            # a victim noun belongs to its verb's clause: "2 peacekeepers killed and 1 wounded, 4 individuals
            # arrested" does not make the individuals the wounded
            if t.sent != v.sent or t.token in seen or t.clause != v.clause or t.agent:
                continue
            d = t.token - v.token
            after = 0 < d <= _VICTIM_AFTER and not v.passive
            before = (v.passive and -_VICTIM_BEFORE <= d < 0) or (
                v.name in ("kill", "wounded") and not has_object and -3 <= d < 0
            )
            if after or before:
                seen.add(t.token)
                if t.name == "civilian_target" and not generic and t.text.lower() in _GENERIC_PEOPLE:
                    continue
                if t.name == "civilian_target":
                    civ += 1
                else:
                    mil += 1
    # executions are of people in someone's power: civilians or prisoners (ACLED: violence against civilians)
    civ += sum(1 for v in verbs if v.text.lower() in _EXECUTION)
    return civ, mil


_DEVICE_WORDS = ("ied", "mine", "explos", "bomb", "engin")
_SEIZE = ("seiz", "recover", "confiscat", "captur", "found", "discover", "uncover", "découv", "retrouv")


def _ied_seized(cues: Sequence[Cue], family: str = "ied", found: bool = False) -> bool:
    """Every weapon word of a family (IEDs, rockets, grenades) is the object of seizing ("IEDs and materiel
    seized") or, with ``found``, of finding ("discovered rockets and a launcher")."""
    ieds = [c for c in cues if c.name == family]
    families = ("loot", "defused", "abduct", "found") if found else ("loot", "defused", "abduct")
    seizes = [c for c in cues if c.name in families and c.text.lower().startswith(_SEIZE)]
    return bool(ieds) and all(
        any(i.sent == s.sent and abs(i.token - s.token) <= 8 for s in seizes) for i in ieds
    )


def _head_targets(cues: Sequence[Cue]) -> list[Cue]:
    """Target nouns that head their phrase: a target word directly followed by another one is its
    modifier ("Dogon militiamen", "Fulani militia", "MINUSMA contractor"): only the head names the victim."""
    targets = [c for c in cues if c.name in ("civilian_target", "military_target")]
    out = []
    for t in targets:
        if any(u is not t and u.sent == t.sent and 0 <= u.start_char - t.end_char <= 1 for u in targets):
            continue
        out.append(t)
    return out


#: words for a fight in which a crowd is one side ("clashes between police and youths", "youths repelled")
_CROWD_FIGHT = frozenset(
    {
        "clash",
        "clashes",
        "clashed",
        "clashing",
        "fought",
        "fighting",
        "fight",
        "confrontation",
        "confrontations",
        "repelled",
        "repulsed",
        "fended off",
        "fought back",
        "fought off",
        "affrontement",
        "affrontements",
        "heurts",
        "repoussé",
        "repoussée",
        "captured",
    }
)


def _first_event_sentence(cues: Sequence[Cue]) -> int | None:
    return min((c.sent for c in cues if c.name not in QUALIFIERS), default=None)


def _mob_acts(cues: Sequence[Cue]) -> bool:
    """A mob lynches or beats in the event's own sentence ("two thieves were lynched by a mob"), not in a
    later aside ("... an attacker was later lynched")."""
    first = _first_event_sentence(cues)
    return any(c.name == "mob" and c.sent == first for c in cues)


_DEVICE_VERBS = frozenset({"dismantled", "disarmed", "deactivated", "disposed of", "désactivé"})
_RESIDENTS = frozenset({"residents", "locals", "inhabitants", "habitants"})


def _crowd_acts(cues: Sequence[Cue]) -> str | None:
    """What a crowd does as the subject of the event's first violent verb: "youths burned the gendarmerie
    post" (property: a violent demonstration), "locals beat up two thieves" (people: mob violence)."""
    first = _first_event_sentence(cues)
    targets = [c for c in cues if c.name in ("civilian_target", "military_target")]
    for c in cues:
        if c.name != "crowd" or c.sent != first or c.text.lower() in ("student", "students", "élèves"):
            continue
        if any(
            t.sent == c.sent
            and t.start_char < c.start_char
            and 0 <= c.start_char - t.end_char <= 1
            and t.text.lower() != c.text.lower()
            for t in targets
        ):
            continue
        if any(v.sent == c.sent and v.token < c.token and v.name not in QUALIFIERS for v in cues):
            continue  # "killing a youth": the crowd noun is a victim, not the subject
        verb = next(
            (
                v
                for v in cues
                if v.sent == c.sent
                and not v.passive
                and 0 < v.token - c.token <= 5
                and v.name in ("loot", "riot", "attack", "wounded", "kill")
            ),
            None,
        )
        if verb is None or any(
            t.name == "military_target" and c.token < t.token < verb.token for t in targets
        ):
            continue
        return "property" if verb.name in ("loot", "riot") else "people"
    return None


def _crowd_fights(cues: Sequence[Cue]) -> bool:
    """A crowd (youths, students, a mob) is a side of a fight in the event's own sentence ("clashes between
    police and youths", "a mob fought with gunmen"). A crowd noun with an identity word before it ("Arab
    and Songhai youth") is a community, whose fighters ACLED codes as militias."""
    first = _first_event_sentence(cues)
    fights = [
        c
        for c in cues
        if c.name in ("clash", "abduct") and c.text.lower() in _CROWD_FIGHT and c.sent == first
    ]
    if not fights:
        return False
    targets = [c for c in cues if c.name in ("civilian_target", "military_target")]
    for c in cues:
        if c.name != "crowd" or c.sent != first or c.text.lower() in _RESIDENTS:
            continue  # residents who fight off gunmen are as often coded a communal militia
        if any(
            t.sent == c.sent
            and t.start_char < c.start_char
            and 0 <= c.start_char - t.end_char <= 1
            and t.text.lower() != c.text.lower()
            for t in targets
        ):
            continue  # "Songhai youth", "Fulani youths"
        if any(abs(f.token - c.token) <= 6 for f in fights):
            return True
    return False


_EXECUTION = frozenset(
    {
        "executed",
        "execution",
        "executions",
        "summarily executed",
        "beheaded",
        "exécuté",
        "exécutés",
        "exécution",
        "égorgé",
        "égorgés",
    }
)


def classify(
    cues: Iterable[Cue], inter1: int | None = None, inter2: int | None = None, fatalities: int | None = None
) -> Typing | None:
    """ACLED event_type/sub_event_type of one event from its cues, the actors' inter codes and its deaths.

    Returns None when the cues hold no event trigger. The rules follow the ACLED codebook (see
    docs/extraction.md); ``rule`` names the branch taken so an analyst can see why.
    """
    cues = list(cues)
    if any(c.name == "air" for c in cues):
        # "aircraft carried out strikes": air strikes, not a labour strike
        air_sents = {c.sent for c in cues if c.name == "air"}
        cues = [
            c for c in cues if not (c.name == "protest" and c.text.lower() in _STRIKE and c.sent in air_sents)
        ]
    n = _names(cues)
    words = {c.text.lower() for c in cues}
    if not any(k not in QUALIFIERS for k in n):
        if "intervention" in n:
            # only intervention words ("police fired tear gas to disperse the crowd", "gendarmes prevented
            # the march"): a crowd was stopped; a protest, with intervention when forces were there
            forces = int(inter1 or 0) in STATE_OR_EXTERNAL or int(inter2 or 0) in STATE_OR_EXTERNAL
            strong = any(c.name == "intervention" and c.text.lower() not in _WEAK_INTERVENTION for c in cues)
            people = (
                "crowd" in n
                or "civilian_target" in n
                or int(inter1 or 0) in (5, 6)
                or int(inter2 or 0) in (5, 6)
            )
            if not people and not any(
                c.name == "intervention" and c.text.lower() in _DISPERSAL for c in cues
            ):
                return None  # warning shots with no crowd named: nothing to code
            if strong or forces:
                return Typing(
                    "Protests",
                    "Protest with intervention",
                    0.5,
                    "intervention words alone: a crowd dispersed or stopped",
                )
            return Typing("Protests", "Peaceful protest", 0.45, "a crowd prevented something: a protest")
        return None
    i1, i2 = int(inter1 or 0), int(inter2 or 0)
    killed = (fatalities or 0) > 0 or ("kill" in n and "negation" not in n)
    hurt = killed or "wounded" in n
    armed_both = i1 in ARMED and i2 in ARMED
    v_civ, v_mil = victim_evidence(cues)
    k_civ, k_mil = victim_evidence(cues, ("kill", "wounded"), generic=False)
    # target words present, leaving out those of a "by" phrase (the attackers, or who reported it)
    civ_named = any(c.name == "civilian_target" and not c.agent for c in cues)
    mil_named = any(c.name == "military_target" and not c.agent for c in cues)
    civilians_only = v_mil == 0 and (v_civ > 0 or (i2 == 7 and not mil_named))
    armed_side = (
        v_mil > 0
        or i2 in ARMED
        or any(
            c.name == "military_target" and not c.agent and c.text.lower() not in _ATTACKER_NOUNS
            for c in cues
        )
    )
    strong_clash = bool(words & (_STRONG_CLASH - _ONE_SIDED)) or (
        bool(words & _ONE_SIDED) and not civilians_only and armed_side
    )
    # civilians travelling under armed escort ("a convoy of villagers escorted by militiamen"): the escort is
    # an armed target, the encounter a battle
    escorted = any(c.name == "military_target" and c.text.lower() in _ESCORT for c in cues)
    # soldiers, police or a checkpoint attacked, civilians hurt too: the battle (ACLED counts civilians
    # killed in a battle in that battle); a camp or a convoy attacked may be civilian, so the victims decide
    hit_armed = (
        victim_evidence(
            [
                c
                for c in cues
                if not (
                    c.name == "military_target" and c.text.lower() in _MAYBE_CIVILIAN_PLACES | _ATTACKER_NOUNS
                )
            ],
            ("attack",),
        )[1]
        > 0
    )
    if k_civ > 0 and k_mil == 0 and v_mil > 0 and not strong_clash and not escorted and not hit_armed:
        # who was killed or hurt says who the target was ("attacked a camp, killing six civilians"); people
        # named only as "persons" or "individuals" do not ("a checkpoint was attacked, one person killed")
        v_mil = 0
    if i2 in ARMED:  # the actors say armed: only words naming civilians alone as victims overturn it
        civ_target = v_civ > 0 and v_mil == 0 and not strong_clash
    else:
        civ_target = (
            (i2 == 7 and not (v_mil > 0 and v_civ == 0) and not hit_armed)
            or v_civ > v_mil
            or (v_mil == 0 and civ_named and not mil_named)
        )
    if escorted and (v_mil > 0 or v_civ > 0):
        civ_target = False
    mil_target = not civ_target and (i2 in ARMED or v_mil > 0 or mil_named)

    def T(et: str, st: str, conf: float, rule: str) -> Typing:
        return Typing(et, st, conf, rule)

    # --- unambiguous weapons first
    if "chemical" in n:
        return T("Explosions/Remote violence", "Chemical weapon", 0.8, "chemical agent")
    if "suicide" in n:
        if strong_clash and (i2 in ARMED or "military_target" in n):
            return T("Battles", "Armed clash", 0.7, "suicide attack followed by an assault: the battle")
        return T("Explosions/Remote violence", "Suicide bomb", 0.9, "suicide attacker or vehicle bomb")
    if "sexual" in n:
        return T("Violence against civilians", "Sexual violence", 0.85, "sexual violence")

    # --- demonstrations (crowds, not organised armed groups)
    # the event is the protest when its first event word is a protest word ("CMA members protested over
    # the arrest of ...": the arrest is the grievance), whoever the protesters are
    first_trigger = min(
        (c for c in cues if c.name not in QUALIFIERS), key=lambda c: (c.sent, c.token), default=None
    )
    demo_actor = (
        i1 in (5, 6, 0) or i2 in (5, 6) or (first_trigger is not None and first_trigger.name == "protest")
    )
    if ("mob" in n) and demo_actor and not armed_both:
        return T("Riots", "Mob violence", 0.8, "violent crowd against people or property")
    if "protest" not in n and (_mob_acts(cues) or _crowd_fights(cues)):
        return T("Riots", "Mob violence", 0.7, "a crowd fights or lynches: mob violence")
    crowd_deed = _crowd_acts(cues) if "protest" not in n else None
    if crowd_deed == "people":
        return T("Riots", "Mob violence", 0.65, "a crowd beats or attacks people: mob violence")
    if crowd_deed == "property":
        return T("Riots", "Violent demonstration", 0.65, "a crowd burns or ransacks: a violent demonstration")
    riot_words = {c.text.lower() for c in cues if c.name == "riot"}
    loot_words = {c.text.lower() for c in cues if c.name == "loot"}
    # "ransacked", "vandalised", "set fire" are riots only when a crowd does them: armed men ransacking a
    # building without protesters around are looting/destruction
    crowd = "protest" in n or "mob" in n or i1 in (5, 6) or i2 in (5, 6)
    riot_is_looting = (
        "protest" not in n
        and riot_words
        and riot_words <= loot_words
        and not crowd
        and ("military_target" in n or i1 in ARMED)
    )
    if ("protest" in n or "riot" in n) and not riot_is_looting:
        if demo_actor and not (strong_clash and armed_both):
            # what the protest is against is no part of it: "protested against the arrest of ...", "marched
            # over the killings in the centre"
            grievance = _grievances(cues)
            if grievance:
                left = [c for c in cues if c.token not in grievance]
                n = _names(left)
                killed = (fatalities or 0) > 0 or ("kill" in n and "negation" not in n)
                hurt = killed or "wounded" in n
            fought = strong_clash or bool(words & _CROWD_CLASH)
            if "riot" in n or ("protest" in n and ("loot" in n) and i1 != 1) or ("protest" in n and fought):
                return T("Riots", "Violent demonstration", 0.8, "demonstrators violent or destructive")
            if killed and i2 != 6 and i1 not in (1, 8) and "mob" in n:
                return T("Riots", "Mob violence", 0.7, "violent crowd")
            if killed or (hurt and "wounded" in n and (i1 in STATE_OR_EXTERNAL or i2 in STATE_OR_EXTERNAL)):
                return T(
                    "Protests",
                    "Excessive force against protesters",
                    0.75,
                    "lethal force or serious injury on protesters",
                )
            # "prevented" is an intervention only when forces are there to prevent ("protesters prevented
            # traffic" is the protest itself)
            intervened = any(
                c.name == "intervention"
                and (
                    c.text.lower() not in _WEAK_INTERVENTION
                    or i1 in STATE_OR_EXTERNAL
                    or i2 in STATE_OR_EXTERNAL
                )
                for c in cues
            )
            if intervened or "arrest" in n:
                return T("Protests", "Protest with intervention", 0.8, "protest dispersed or suppressed")
            return T("Protests", "Peaceful protest", 0.85, "protest, no violence, no intervention")

    # --- weapons not used / foiled
    explosive = [k for k in ("air", "shelling", "grenade", "ied") if k in n]
    found = [k for k in ("ied", "shelling", "grenade") if k in explosive and _ied_seized(cues, k, found=True)]
    seized = [k for k in found if _ied_seized(cues, k)]
    if found and not hurt and not strong_clash and "attack" not in n and len(found) == len(explosive):
        # "rockets and a launcher discovered while searching a camp", "an RPG launcher seized"
        return T("Strategic developments", "Disrupted weapons use", 0.75, "weapons found or seized, not used")
    if seized and (killed or "clash" in n or "attack" in n):
        # "IEDs, documents and materiel seized" after a raid: the devices were captured, not used
        explosive = [k for k in explosive if k not in seized]
    if (
        "accident" in n
        and not (strong_clash and i1 in ARMED)
        and (
            "ied" in n
            or any(c.name == "accident" and any(w in c.text.lower() for w in _DEVICE_WORDS) for c in cues)
        )
    ):
        # (planters killed by soldiers in an exchange of fire: the battle)
        return T(
            "Strategic developments",
            "Disrupted weapons use",
            0.75,
            "explosive went off while planted or handled: disrupted weapons use",
        )
    # "dismantled", "disarmed" defuse only a device: "attacked and dismantled their positions" is fighting
    device_sents = {c.sent for c in cues if c.name in ("ied", "shelling", "grenade")}
    defused = [
        c
        for c in cues
        if c.name == "defused" and (c.text.lower() not in _DEVICE_VERBS or c.sent in device_sents)
    ]
    if defused and not hurt:
        return T(
            "Strategic developments",
            "Disrupted weapons use",
            0.85,
            "device defused or weapons seized, no victims",
        )
    if "defused" in n and not defused:
        cues = [c for c in cues if c.name != "defused"]
        n = _names(cues)

    # --- explosions, unless part of a fight
    if explosive:
        if strong_clash and (armed_both or i2 == 0 or v_mil > 0) and not civ_target:
            return T("Battles", "Armed clash", 0.75, "explosions inside a battle belong to the battle")
        if "remnant" in n and not strong_clash and "air" not in n:
            return T(
                "Explosions/Remote violence",
                "Remote explosive/landmine/IED",
                0.7,
                "an old shell or grenade picked up or handled went off",
            )
        if "air" in n and not civ_target and victim_evidence(cues, ("attack",))[1] > 0:
            # a ground attack on soldiers or a post, with aircraft called in: one battle
            return T(
                "Battles",
                "Armed clash",
                0.65,
                "ground attack on an armed target with air support: the battle",
            )
        if (
            "air" in n
            and (i1 in STATE_OR_EXTERNAL or i1 == 0)
            and (killed or "attack" in n or "clash" in n or "ied" not in n)
        ):
            return T("Explosions/Remote violence", "Air/drone strike", 0.8, "aircraft or drone strike")
        if "shelling" in n:
            return T(
                "Explosions/Remote violence",
                "Shelling/artillery/missile attack",
                0.8,
                "mortar, rocket or artillery fire",
            )
        if "grenade" in n:
            return T("Explosions/Remote violence", "Grenade", 0.8, "hand grenade")
        if "ied" in n:
            if "attack" in n and strong_clash:
                return T("Battles", "Armed clash", 0.7, "ambush with IED and gunfire: the battle")
            if civ_target and words & _ONE_SIDED:
                # an IED followed by gunfire against a civilian vehicle: the attack on the civilians
                return T(
                    "Violence against civilians",
                    "Attack",
                    0.6,
                    "IED and gunfire against civilians: an attack",
                )
            return T("Explosions/Remote violence", "Remote explosive/landmine/IED", 0.8, "IED, mine or bomb")
        if "air" in n:
            return T("Explosions/Remote violence", "Air/drone strike", 0.6, "aircraft mentioned")

    # --- abductions (with deaths: an attack)
    if "abduct" in n:
        only_hostage = {c.text.lower() for c in cues if c.name == "abduct"} <= _HOSTAGE_ONLY
        if "release" in n and only_hostage and not killed:
            return T("Strategic developments", "Agreement", 0.6, "negotiated release of hostages")
        if killed and not mil_target:
            return T("Violence against civilians", "Attack", 0.8, "abduction with deaths is an attack")
        if words & _SHOTS and not mil_target:
            return T(
                "Violence against civilians", "Attack", 0.7, "abduction with gunfire at people is an attack"
            )
        if {c.text.lower() for c in cues if c.name == "abduct"} <= _CAPTURE and mil_target and not civ_target:
            # armed men "captured" in an operation or a fight: the battle, not a kidnapping
            return T("Battles", "Armed clash", 0.6, "armed men captured: the battle")
        a_civ, a_mil = victim_evidence(cues, ("abduct",))
        if a_mil > 0 and a_civ == 0 and not killed:
            # fighters of an armed group captured by another: ACLED codes the encounter as a battle
            return T("Battles", "Armed clash", 0.6, "armed men captured by an armed group")
        if not ((armed_both or mil_target) and (strong_clash or hurt)):
            return T(
                "Violence against civilians",
                "Abduction/forced disappearance",
                0.85,
                "abduction or disappearance",
            )
        if not ({"clash", "attack", "kill", "wounded"} & set(n)):
            return T("Battles", "Armed clash", 0.55, "armed side hurt and captured: the battle")

    # --- territory
    if "regain" in n and (i1 in STATE_OR_EXTERNAL or i1 == 0):
        return T("Battles", "Government regains territory", 0.7, "state forces retake an area")
    if "overtake" in n and (strong_clash or "attack" in n or killed) and i1 not in STATE_OR_EXTERNAL:
        return T(
            "Battles", "Non-state actor overtakes territory", 0.65, "non-state group takes an area by force"
        )

    # --- targeted killings (assassinations, executions, bodies found) outside a fight
    if words & _TARGETED_KILLING and not strong_clash and not (i2 in ARMED and v_mil > v_civ and i2 != 1):
        return T("Violence against civilians", "Attack", 0.7, "targeted killing or execution")

    # --- fighting and killing
    violent = "clash" in n or "attack" in n or "kill" in n or "wounded" in n
    if violent:
        if civ_target and not strong_clash:
            if not hurt and "loot" in n and not words & _SHOOTING:
                return T(
                    "Strategic developments",
                    "Looting/property destruction",
                    0.7,
                    "property attacked, nobody hurt",
                )
            return T("Violence against civilians", "Attack", 0.8, "armed group against civilians")
        if armed_both or mil_target or strong_clash:
            return T("Battles", "Armed clash", 0.8, "two armed sides fight")
        if "loot" in n and not hurt:
            return T(
                "Strategic developments",
                "Looting/property destruction",
                0.65,
                "property attacked, nobody hurt",
            )
        if "arrest" in n and i1 in STATE_OR_EXTERNAL:
            return T("Strategic developments", "Arrests", 0.6, "arrest by state forces")
        return T("Violence against civilians", "Attack", 0.55, "deaths or attack with no armed target named")

    if "loot" in n:
        return T(
            "Strategic developments",
            "Looting/property destruction",
            0.8,
            "looting, burning, theft without harm to people",
        )
    if "arrest" in n:
        return T("Strategic developments", "Arrests", 0.8, "arrest")
    if "overtake" in n:
        # whoever takes it: without fighting, territory changes hands non-violently (the battle sub-types
        # need a fight)
        return T(
            "Strategic developments",
            "Non-violent transfer of territory",
            0.6,
            "territory taken without fighting",
        )
    if "regain" in n:
        return T(
            "Strategic developments",
            "Non-violent transfer of territory",
            0.55,
            "area retaken without fighting",
        )
    if "withdraw" in n:
        return T("Strategic developments", "Non-violent transfer of territory", 0.6, "withdrawal or handover")
    if "base" in n:
        return T("Strategic developments", "Headquarters or base established", 0.7, "base established")
    if "agreement" in n or "release" in n:
        return T("Strategic developments", "Agreement", 0.7, "agreement, ceasefire or negotiated release")
    if "group_change" in n:
        return T(
            "Strategic developments",
            "Change to group/activity",
            0.65,
            "group created, split, merged, recruiting",
        )
    if "defused" in n:
        return T("Strategic developments", "Disrupted weapons use", 0.7, "weapons seized or attack foiled")
    if "other" in n:
        return T("Strategic developments", "Other", 0.5, "significant development of no other kind")
    if "protest" in n:
        return T("Protests", "Peaceful protest", 0.5, "protest words with armed actors")
    if "mob" in n:
        return T("Riots", "Mob violence", 0.5, "crowd violence")
    if "riot" in n:
        return T("Riots", "Violent demonstration", 0.5, "riot words without a crowd named")
    return None


def civilian_targeting(event_type: str, sub_event_type: str | None, inter2: int | None) -> str | None:
    """ACLED's civilian_targeting: civilians the primary target."""
    if event_type == "Violence against civilians":
        return "Civilian targeting"
    if inter2 == 7 and event_type in ("Explosions/Remote violence", "Riots", "Battles"):
        return "Civilian targeting"
    return None


def cue_features(
    cues: Iterable[Cue], inter1: int | None = None, inter2: int | None = None, fatalities: int | None = None
) -> dict[str, float]:
    """Features for a trained classifier: cue counts, inter codes, deaths and the rule's own verdict."""
    cues = list(cues)
    f: dict[str, float] = {}
    for name, k in _names(cues).items():
        f[f"cue={name}"] = min(k, 3)
    for c in cues:
        f[f"w={c.text.lower()}"] = 1.0
    f[f"inter1={int(inter1 or 0)}"] = 1.0
    f[f"inter2={int(inter2 or 0)}"] = 1.0
    f[f"interaction={taxonomy.interaction(inter1 or 0, inter2 or 0)}"] = 1.0
    d = int(fatalities or 0)
    vc, vm = victim_evidence(cues)
    f["victim_civ"] = float(min(vc, 3))
    f["victim_armed"] = float(min(vm, 3))
    kc, km = victim_evidence(cues, ("kill", "wounded"))
    f["killed_civ"] = float(min(kc, 3))
    f["killed_armed"] = float(min(km, 3))
    f["deaths>0"] = float(d > 0)
    f["deaths>=10"] = float(d >= 10)
    t = classify(cues, inter1, inter2, fatalities)
    f[f"rule={t.sub_event_type if t else 'none'}"] = 1.0
    if t:
        f[f"rule_type={t.event_type}"] = 1.0
    return f


def is_pattern_statement(cues: Iterable[Cue]) -> bool:
    """A sentence that states a pattern ("attacks every week", "since July ...") rather than one event."""
    n = _names(cues)
    return "pattern" in n or "hypothetical" in n


__all__ = [
    "Cue",
    "Typing",
    "EventCueMatcher",
    "CUE_COMPONENT",
    "classify",
    "civilian_targeting",
    "cue_features",
    "load_triggers",
    "register_components",
    "trigger_cues",
    "is_pattern_statement",
]
