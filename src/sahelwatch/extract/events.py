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
QUALIFIERS = frozenset({"release",  "intervention", "military_target", "civilian_target", "property", "accident",
                        "negation", "pattern", "hypothetical"})
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
        data = yaml.safe_load(resources.files("sahelwatch.data").joinpath("event_triggers.yaml").read_text("utf-8"))
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
    passive: bool = False           # a verb cue after "was/were/been" ("two soldiers were killed")
    clause: int = 0                 # punctuation-delimited clause of the sentence (",", ";", ":", brackets)


@dataclass(slots=True)
class Typing:
    """The outcome of typing one event."""

    event_type: str
    sub_event_type: str
    confidence: float
    rule: str
    method: str = "rule"            # 'rule' or 'model'
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
        sent_of = _sentence_index(doc)
        clause_of = _clause_index(doc)
        for s, e, k in kept:
            tok = doc[s]
            if e - s == 1 and tok.lower_ in _MONTH_WORDS and tok.text[:1].isupper() and _next_to_number(doc, s):
                continue
            span = doc[s:e]
            passive = _is_passive(doc, s, e)
            cues.append(Cue(self.names[k], span.text, span.start_char, span.end_char, sent_of[s], s, passive,
                            clause_of[s]))
        doc._.event_cues = cues
        return doc


def _is_passive(doc, s: int, e: int) -> bool:
    """A verb cue in the passive: after "was/were/been" (an adverb may sit between: "was allegedly
    killed"), or a participle whose agent follows ("killed by militiamen")."""
    if s > 0 and doc[s - 1].lower_ in _PASSIVE_AUX:
        return True
    if s > 1 and doc[s - 2].lower_ in _PASSIVE_AUX and (doc[s - 1].pos_ == "ADV" or doc[s - 1].lower_.endswith("ly")):
        return True
    return e < len(doc) and doc[e].lower_ in ("by", "par")


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

_STRONG_CLASH = frozenset({"clash", "clashes", "clashed", "clashing", "fighting", "fought", "gunfight", "firefight",
                           "exchange of fire", "exchanged fire", "exchanged gunfire", "skirmish", "skirmishes",
                           "battle", "battled", "repelled", "repulsed", "counter-attack", "counterattack",
                           "fired back", "returned fire", "air-ground", "air-ground operation",
                           "affrontement", "affrontements", "accrochage", "accrochages", "combat", "combats",
                           "échange de tirs", "échanges de tirs", "repoussé", "repoussée", "riposte", "riposté",
                           "se sont affrontés", "ont affronté", "armed assault", "complex attack", "routed",
                           "crossfire", "in the crossfire", "exchanged fire with", "ambush", "ambushed",
                           "ambushes", "embuscade", "embuscades", "exchange of gunfire", "exchanges of gunfire",
                           "exchanges of fire", "gunfire", "small arms fire", "small arms", "breach",
                           # air power supporting troops on the ground: one battle (ACLED codes the clash)
                           "ground operation", "ground operations", "ground assault", "ground forces",
                           "ground troops", "air-supported", "air supported"})
#: targeted killings: in ACLED's Mali coding 77-90 % of notes with these words are violence against civilians
_TARGETED_KILLING = frozenset({"assassinated", "assassination", "executed", "execution", "executions", "beheaded",
                               "summarily executed", "found dead", "assassiné", "assassinés", "assassinat",
                               "exécuté", "exécutés", "exécution", "égorgé", "égorgés"})
#: demonstrators who clash with the police riot (ACLED: Violent demonstration, even when dispersed)
_CROWD_CLASH = frozenset({"clash", "clashes", "clashed", "clashing", "confrontation", "confrontations", "fought",
                          "affrontement", "affrontements", "heurts"})
_HOSTAGE_ONLY = frozenset({"hostage", "hostages", "otage", "otages"})


def _names(cues: Iterable[Cue]) -> Counter:
    return Counter(c.name for c in cues)


def victim_evidence(cues: Sequence[Cue], verb_families: tuple[str, ...] = ("attack", "kill", "abduct", "wounded",
                                                                          "clash", "loot")) -> tuple[int, int]:
    """(civilian, armed) victim nouns next to the violent verbs: after an active verb ("attacked the
    village", "killed two soldiers"), before a passive one or a bare participle ("three civilians were
    killed", "two soldiers killed"). ``verb_families`` narrows the verbs (e.g. to who was killed)."""
    verbs = [c for c in cues if c.name in verb_families]
    targets = _head_targets(cues)
    civ = mil = 0
    seen: set[int] = set()
    for v in verbs:
        # a bare participle ("two soldiers killed") looks back, unless an object follows ("gunmen killed two men")
        has_object = not v.passive and any(t.sent == v.sent and t.clause == v.clause and
                                           0 < t.token - v.token <= _VICTIM_AFTER for t in targets)
        for t in targets:
            # a victim noun belongs to its verb's clause: "2 peacekeepers killed and 1 wounded, 4 individuals
            # arrested" does not make the individuals the wounded
            if t.sent != v.sent or t.token in seen or t.clause != v.clause:
                continue
            d = t.token - v.token
            after = 0 < d <= _VICTIM_AFTER and not v.passive
            before = (v.passive and -_VICTIM_BEFORE <= d < 0) or \
                (v.name in ("kill", "wounded") and not has_object and -3 <= d < 0)
            if after or before:
                seen.add(t.token)
                if t.name == "civilian_target":
                    civ += 1
                else:
                    mil += 1
    # executions are of people in someone's power: civilians or prisoners (ACLED: violence against civilians)
    civ += sum(1 for v in verbs if v.text.lower() in _EXECUTION)
    return civ, mil


_DEVICE_WORDS = ("ied", "mine", "explos", "bomb", "engin")
_SEIZE = ("seiz", "recover", "confiscat", "captur", "found", "discover")


def _ied_seized(cues: Sequence[Cue]) -> bool:
    """An IED word that is the object of seizing ("IEDs and materiel seized", "seized two IEDs")."""
    ieds = [c for c in cues if c.name == "ied"]
    seizes = [c for c in cues if c.name in ("loot", "defused", "abduct") and c.text.lower().startswith(_SEIZE)]
    return any(i.sent == s.sent and abs(i.token - s.token) <= 8 for i in ieds for s in seizes)


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


_EXECUTION = frozenset({"executed", "execution", "executions", "summarily executed", "beheaded", "exécuté",
                        "exécutés", "exécution", "égorgé", "égorgés"})


def classify(cues: Iterable[Cue], inter1: int | None = None, inter2: int | None = None,
             fatalities: int | None = None) -> Typing | None:
    """ACLED event_type/sub_event_type of one event from its cues, the actors' inter codes and its deaths.

    Returns None when the cues hold no event trigger. The rules follow the ACLED codebook (see
    docs/extraction.md); ``rule`` names the branch taken so an analyst can see why.
    """
    cues = list(cues)
    n = _names(cues)
    words = {c.text.lower() for c in cues}
    if not any(k not in QUALIFIERS for k in n):
        return None
    i1, i2 = int(inter1 or 0), int(inter2 or 0)
    killed = (fatalities or 0) > 0 or ("kill" in n and "negation" not in n)
    hurt = killed or "wounded" in n
    strong_clash = bool(words & _STRONG_CLASH)
    armed_both = i1 in ARMED and i2 in ARMED
    v_civ, v_mil = victim_evidence(cues)
    k_civ, k_mil = victim_evidence(cues, ("kill", "wounded"))
    if k_civ > 0 and k_mil == 0 and v_mil > 0 and not strong_clash:
        # who was killed or hurt says who the target was ("attacked a camp, killing six civilians")
        v_mil = 0
    if i2 in ARMED:      # the actors say armed: only words naming civilians alone as victims overturn it
        civ_target = v_civ > 0 and v_mil == 0 and not strong_clash
    else:
        civ_target = (i2 == 7 and not (v_mil > 0 and v_civ == 0)) or v_civ > v_mil or \
            (v_mil == 0 and "civilian_target" in n and "military_target" not in n)
    mil_target = not civ_target and (i2 in ARMED or v_mil > 0 or "military_target" in n)

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
    demo_actor = i1 in (5, 6, 0) or i2 in (5, 6)
    if ("mob" in n) and demo_actor and not armed_both:
        return T("Riots", "Mob violence", 0.8, "violent crowd against people or property")
    riot_words = {c.text.lower() for c in cues if c.name == "riot"}
    loot_words = {c.text.lower() for c in cues if c.name == "loot"}
    # "ransacked", "vandalised", "set fire" are riots only when a crowd does them: armed men ransacking a
    # building without protesters around are looting/destruction
    crowd = "protest" in n or "mob" in n or i1 in (5, 6) or i2 in (5, 6)
    riot_is_looting = "protest" not in n and riot_words and riot_words <= loot_words and \
        not crowd and ("military_target" in n or i1 in ARMED)
    if ("protest" in n or "riot" in n) and not riot_is_looting:
        if demo_actor and not (strong_clash and armed_both):
            fought = strong_clash or bool(words & _CROWD_CLASH)
            if "riot" in n or ("protest" in n and ("loot" in n) and i1 != 1) or ("protest" in n and fought):
                return T("Riots", "Violent demonstration", 0.8, "demonstrators violent or destructive")
            if killed and i2 != 6 and i1 not in (1, 8) and "mob" in n:
                return T("Riots", "Mob violence", 0.7, "violent crowd")
            if killed or (hurt and "wounded" in n and i1 in (1, 8)):
                return T("Protests", "Excessive force against protesters", 0.75, "lethal force or serious injury on protesters")
            if "intervention" in n or "arrest" in n:
                return T("Protests", "Protest with intervention", 0.8, "protest dispersed or suppressed")
            return T("Protests", "Peaceful protest", 0.85, "protest, no violence, no intervention")

    # --- weapons not used / foiled
    explosive = [k for k in ("air", "shelling", "grenade", "ied") if k in n]
    if "ied" in explosive and _ied_seized(cues) and (killed or "clash" in n or "attack" in n):
        # "IEDs, documents and materiel seized" after a raid: the devices were captured, not used
        explosive.remove("ied")
    if "accident" in n and ("ied" in n or any(c.name == "accident" and any(w in c.text.lower() for w in _DEVICE_WORDS)
                                               for c in cues)):
        return T("Strategic developments", "Disrupted weapons use", 0.75,
                 "explosive went off while planted or handled: disrupted weapons use")
    if "defused" in n and not hurt:
        return T("Strategic developments", "Disrupted weapons use", 0.85, "device defused or weapons seized, no victims")

    # --- explosions, unless part of a fight
    if explosive:
        if strong_clash and (armed_both or i2 == 0) and not civ_target:
            return T("Battles", "Armed clash", 0.75, "explosions inside a battle belong to the battle")
        if "air" in n and (i1 in STATE_OR_EXTERNAL or i1 == 0) and (killed or "attack" in n or "clash" in n or "ied" not in n):
            return T("Explosions/Remote violence", "Air/drone strike", 0.8, "aircraft or drone strike")
        if "shelling" in n:
            return T("Explosions/Remote violence", "Shelling/artillery/missile attack", 0.8, "mortar, rocket or artillery fire")
        if "grenade" in n:
            return T("Explosions/Remote violence", "Grenade", 0.8, "hand grenade")
        if "ied" in n:
            if "attack" in n and strong_clash:
                return T("Battles", "Armed clash", 0.7, "ambush with IED and gunfire: the battle")
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
        a_civ, a_mil = victim_evidence(cues, ("abduct",))
        if a_mil > 0 and a_civ == 0 and not killed:
            # fighters of an armed group captured by another: ACLED codes the encounter as a battle
            return T("Battles", "Armed clash", 0.6, "armed men captured by an armed group")
        if not ((armed_both or mil_target) and (strong_clash or hurt)):
            return T("Violence against civilians", "Abduction/forced disappearance", 0.85, "abduction or disappearance")
        if not ({"clash", "attack", "kill", "wounded"} & set(n)):
            return T("Battles", "Armed clash", 0.55, "armed side hurt and captured: the battle")

    # --- territory
    if "regain" in n and (i1 in STATE_OR_EXTERNAL or i1 == 0):
        return T("Battles", "Government regains territory", 0.7, "state forces retake an area")
    if "overtake" in n and (strong_clash or "attack" in n or killed) and i1 not in STATE_OR_EXTERNAL:
        return T("Battles", "Non-state actor overtakes territory", 0.65, "non-state group takes an area by force")

    # --- targeted killings (assassinations, executions, bodies found) outside a fight
    if words & _TARGETED_KILLING and not strong_clash and not (i2 in ARMED and v_mil > v_civ and i2 != 1):
        return T("Violence against civilians", "Attack", 0.7, "targeted killing or execution")

    # --- fighting and killing
    violent = "clash" in n or "attack" in n or "kill" in n or "wounded" in n
    if violent:
        if civ_target and not strong_clash:
            if not hurt and "loot" in n:
                return T("Strategic developments", "Looting/property destruction", 0.7, "property attacked, nobody hurt")
            return T("Violence against civilians", "Attack", 0.8, "armed group against civilians")
        if armed_both or mil_target or strong_clash:
            return T("Battles", "Armed clash", 0.8, "two armed sides fight")
        if "loot" in n and not hurt:
            return T("Strategic developments", "Looting/property destruction", 0.65, "property attacked, nobody hurt")
        if "arrest" in n and i1 in STATE_OR_EXTERNAL:
            return T("Strategic developments", "Arrests", 0.6, "arrest by state forces")
        return T("Violence against civilians", "Attack", 0.55, "deaths or attack with no armed target named")

    if "loot" in n:
        return T("Strategic developments", "Looting/property destruction", 0.8, "looting, burning, theft without harm to people")
    if "arrest" in n:
        return T("Strategic developments", "Arrests", 0.8, "arrest")
    if "overtake" in n:
        if i1 in STATE_OR_EXTERNAL:
            return T("Battles", "Government regains territory", 0.5, "state forces take an area")
        return T("Strategic developments", "Non-violent transfer of territory", 0.6, "territory taken without fighting")
    if "regain" in n:
        return T("Strategic developments", "Non-violent transfer of territory", 0.55, "area retaken without fighting")
    if "withdraw" in n:
        return T("Strategic developments", "Non-violent transfer of territory", 0.6, "withdrawal or handover")
    if "base" in n:
        return T("Strategic developments", "Headquarters or base established", 0.7, "base established")
    if "agreement" in n or "release" in n:
        return T("Strategic developments", "Agreement", 0.7, "agreement, ceasefire or negotiated release")
    if "group_change" in n:
        return T("Strategic developments", "Change to group/activity", 0.65, "group created, split, merged, recruiting")
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


def cue_features(cues: Iterable[Cue], inter1: int | None = None, inter2: int | None = None,
                 fatalities: int | None = None) -> dict[str, float]:
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


__all__ = ["Cue", "Typing", "EventCueMatcher", "CUE_COMPONENT", "classify", "civilian_targeting",
           "cue_features", "load_triggers", "register_components", "trigger_cues", "is_pattern_statement"]
