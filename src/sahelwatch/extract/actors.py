"""Actor recognition and role assignment for one event's text.

    from sahelwatch.extract.actors import assign_roles
    roles = assign_roles("On 3 May, suspected JNIM militants killed four Fulani villagers near Boni.",
                         country="Mali", date="2019-05-03")
    roles.actor1, roles.actor2, roles.assoc_actor_2
    # ('JNIM: Group for Support of Islam and Muslims', 'Civilians (Mali)',
    #  'Fulani Ethnic Group (Mali); Pastoralists (Mali)')

Method (rules over a spaCy dependency parse and the registry; no model required):

1. *Mentions*: the registry's trie finds named actors and generic words ("gunmen", "soldiers",
   "villagers", "hommes armés") in one pass; identity words followed by a militia word
   ("Fulani militiamen", "Dogon hunters") become ethnic militias, followed by a victim word
   ("Fulani villagers", "the Dogon village of X") the victims' identity.
2. *Roles*: each mention's syntactic head is walked up through compounds, modifiers and "of"
   phrases ("a FAMa convoy", "militants of Katiba Macina") to the clause: subject of an active verb
   or "by"-agent = agent (actor1 side); object, passive subject, object of "against/on/targeting" or
   "with" after a clash verb = patient (actor2 side). Conjoined agents become associated actors.
3. *Coding rules* (ACLED practice in the Sahel): JNIM components are coded as JNIM with the
   component as associated actor; unnamed attackers are "Unidentified Armed Group (country)"; victims
   are "Civilians (country)" with their identity and occupation as assoc_actor_2; protests and riots
   take "Protesters/Rioters (country)" with their social groups as associated actors.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from ..actors import Registry, _to_date, key, split_actors, word_tokens
from ..taxonomy import interaction
from .events import hyphen_joined as _hyphen_joined
from .nlp import load_spacy

__all__ = [
    "ActorRoles",
    "RoleMention",
    "assign_roles",
    "find_mentions",
    "learn_aliases",
    "load_nlp",
    "save_aliases",
    "load_aliases",
]

ARMED = {1, 2, 3, 4, 8}

# Words that, after an identity word, make an ethnic militia ("Fulani militiamen")
_MILITIA_WORDS = {
    key(w)
    for w in (
        "militia",
        "militias",
        "militiaman",
        "militiamen",
        "militants",
        "militant",
        "armed men",
        "gunmen",
        "fighters",
        "hunters",
        "self-defence",
        "self-defense",
        "self defence",
        "armed",
        "assailants",
        "attackers",
        "youths armed",
        "milice",
        "milices",
        "miliciens",
        "milicien",
        "chasseurs",
        "armed group",
        "armed groups",
        "community militia",
        "vigilantes",
        "elements",
        "groups",
        "group",
    )
}
# Words after an identity word that keep it an identity ("the Bozo ethnic group")
_NOT_A_MILITIA = {
    key(w) for w in ("ethnic", "ethnique", "community", "communauté", "origin", "origine", "descent")
}
_ARMED_BEFORE = {key(w) for w in ("armed", "armés", "armé")}
# Words that, after an identity word, name victims ("Fulani villagers")
_VICTIM_WORDS = {
    key(w)
    for w in (
        "civilians",
        "civilian",
        "villagers",
        "villager",
        "village",
        "villages",
        "hamlet",
        "hamlets",
        "community",
        "communities",
        "herders",
        "herder",
        "herdsman",
        "herdsmen",
        "shepherd",
        "shepherds",
        "pastoralists",
        "pastoralist",
        "farmers",
        "farmer",
        "traders",
        "trader",
        "merchant",
        "merchants",
        "man",
        "men",
        "woman",
        "women",
        "boy",
        "boys",
        "girl",
        "children",
        "child",
        "individual",
        "individuals",
        "people",
        "persons",
        "person",
        "family",
        "families",
        "camp",
        "camps",
        "encampment",
        "chief",
        "village chief",
        "notable",
        "notables",
        "elder",
        "elders",
        "youth",
        "youths",
        "residents",
        "inhabitants",
        "passengers",
        "driver",
        "drivers",
        "nomads",
        "nomad",
        "imam",
        "marabout",
        "civils",
        "villageois",
        "bergers",
        "berger",
        "éleveurs",
        "éleveur",
        "hommes",
        "femmes",
        "enfants",
        "habitants",
        "cultivateurs",
        "commerçants",
        "fishermen",
        "teacher",
        "teachers",
        "students",
        "worshippers",
        "settlement",
        "settlements",
        "neighbourhood",
        "quarter",
        "populations",
        "population",
    )
}
# pastoral identity: victims of these identities get "Pastoralists (country)" too
_PASTORAL = {"Fulani"}
_HERDER_WORDS = {
    key(w)
    for w in (
        "herder",
        "herders",
        "herdsman",
        "herdsmen",
        "shepherd",
        "shepherds",
        "pastoralist",
        "pastoralists",
        "berger",
        "bergers",
        "éleveur",
        "éleveurs",
        "nomads",
        "nomad",
        "transhumant",
    )
}

# social groups attached as associated actors (victims, protesters): template prefix -> words
_SOCIAL = {
    "Teachers": (
        "teacher",
        "teachers",
        "enseignant",
        "enseignants",
        "schoolteacher",
        "schoolteachers",
        "instituteur",
        "instituteurs",
    ),
    "Students": (
        "student",
        "students",
        "étudiant",
        "étudiants",
        "élèves",
        "pupils",
        "schoolchildren",
        "lycéens",
    ),
    "Journalists": ("journalist", "journalists", "journaliste", "journalistes", "reporter", "reporters"),
    "Health Workers": (
        "health workers",
        "health worker",
        "nurse",
        "nurses",
        "doctor",
        "doctors",
        "médecin",
        "médecins",
        "infirmier",
        "infirmiers",
        "midwife",
        "vaccinators",
        "health centre",
        "health center",
    ),
    "Aid Workers": (
        "aid workers",
        "aid worker",
        "humanitarian",
        "humanitarians",
        "humanitaires",
        "ngo",
        "ong",
    ),
    "Labour Group": (
        "trade union",
        "trade unions",
        "unionists",
        "syndicat",
        "syndicats",
        "magistrates",
        "magistrats",
        "strikers",
        "grévistes",
    ),
    "Farmers": (
        "farmer",
        "farmers",
        "cultivateur",
        "cultivateurs",
        "agriculteur",
        "agriculteurs",
        "peasants",
        "paysans",
    ),
    "Pastoralists": (
        "herder",
        "herders",
        "herdsman",
        "herdsmen",
        "shepherd",
        "shepherds",
        "pastoralist",
        "pastoralists",
        "berger",
        "bergers",
        "éleveur",
        "éleveurs",
        "transhumant",
    ),
    "Fishermen": ("fishermen", "fisherman", "pêcheurs", "pêcheur"),
    # ACLED adds Women when women were targeted as such (its notes carry a "[women targeted: ...]" tag)
    "Women": ("women targeted", "targeted women", "femmes ciblées"),
    "Prisoners": ("prisoners", "prisoner", "inmates", "détenus", "prisonniers"),
    "Refugees/IDPs": ("refugees", "refugee", "idps", "idp", "displaced", "réfugiés", "déplacés"),
    "Muslim Group": ("muezzin", "koranic school", "mosque", "worshippers"),
    "Christian Group": (
        "priest",
        "pastor",
        "church",
        "christians",
        "christian",
        "catholic",
        "chrétiens",
        "prêtre",
        "pasteur",
        "catechist",
    ),
}
_SOCIAL_KEYS = {key(w): grp for grp, words in _SOCIAL.items() for w in words}
_SOCIAL_MAXLEN = 3

_LOW_VALUE_GENERIC = {
    key(w)
    for w in (
        "man",
        "men",
        "woman",
        "women",
        "boy",
        "girl",
        "person",
        "persons",
        "people",
        "individual",
        "individuals",
        "personnes",
        "individu",
        "individus",
        "village",
        "villages",
        "market",
        "bus",
        "family",
        "families",
        "relatives",
        "youth",
        "youths",
        "jeunes",
        "chief",
        "elder",
        "elders",
        "hamlet",
        "hamlets",
        "notable",
        "notables",
        "transport vehicle",
        "civilian vehicle",
        "crowd",
        "mob",
        "population",
        "populations",
        "checkpoint",
        "administration",
        "the state",
        "supporters",
        "activists",
        "civil society",
        "militia",
        "militiamen",
        "milice",
        "miliciens",
        "insurgents",
        "driver",
        "drivers",
        "villager",
        "resident",
        "residents",
        "informer",
        "informers",
        "informant",
        "informants",
        "hostage",
        "hostages",
    )
}

_ATTACK_VERBS = {
    "attack",
    "ambush",
    "kill",
    "shoot",
    "assassinate",
    "execute",
    "abduct",
    "kidnap",
    "raid",
    "assault",
    "fire",
    "open",
    "target",
    "strike",
    "hit",
    "storm",
    "burn",
    "loot",
    "torch",
    "seize",
    "steal",
    "rob",
    "beat",
    "injure",
    "wound",
    "stab",
    "slaughter",
    "massacre",
    "murder",
    "behead",
    "detonate",
    "plant",
    "launch",
    "carry",
    "claim",
    "clash",
    "fight",
    "repel",
    "engage",
    "neutralize",
    "neutralise",
    "arrest",
    "detain",
    "destroy",
    "bomb",
    "shell",
    "besiege",
    "encircle",
    "overrun",
    "capture",
    "take",
    "occupy",
    "retake",
    "recapture",
    "harass",
    "threaten",
    "intercept",
    "stop",
    "lynch",
    "ransack",
    "vandalize",
    "attaquer",
    "tuer",
    "enlever",
    "kidnapper",
    "assassiner",
    "exécuter",
    "abattre",
    "incendier",
    "piller",
    "tendre",
    "tirer",
    "affronter",
    "repousser",
    "neutraliser",
    "arrêter",
    "interpeller",
    "frapper",
    "viser",
    "détruire",
    "prendre",
    "mener",
}
_CLASH_VERBS = {"clash", "fight", "engage", "battle", "exchange", "affronter", "combattre", "accrocher"}
# "fighting between Fulani and Dogon": communities named as the sides of a fight are their militias (ACLED)
_FIGHT_WORDS = _CLASH_VERBS | {
    "fighting",
    "clashes",
    "violence",
    "confrontation",
    "confrontations",
    "skirmish",
    "skirmishes",
    "affrontement",
    "affrontements",
    "combat",
    "combats",
    "violences",
}
_PATIENT_PREPS = {"against", "on", "upon", "targeting", "contre", "sur", "at", "into"}
_AGENT_PREPS = {"by", "par"}
_VICTIM_VERBS = {
    "kill",
    "shoot",
    "assassinate",
    "execute",
    "abduct",
    "kidnap",
    "murder",
    "slaughter",
    "massacre",
    "behead",
    "beat",
    "injure",
    "wound",
    "stab",
    "rob",
    "loot",
    "torture",
    "rape",
    "burn",
    "tuer",
    "enlever",
    "assassiner",
    "exécuter",
    "abattre",
    "kidnapper",
    "blesser",
    "torturer",
    "violer",
    "arrest",
    "detain",
    "threaten",
    "lynch",
}


@dataclass(slots=True)
class RoleMention:
    """A mention with its role guess."""

    start: int
    end: int
    text: str
    actor: str
    inter: int
    role: str  # "agent", "patient", "victim", "unknown"
    assoc: list[str] = field(default_factory=list)  # identity/social associated actors found next to it
    generic: bool = False
    conj_of: int | None = None  # index of the mention it is conjoined with


@dataclass(slots=True)
class ActorRoles:
    """Actors of one event in ACLED's columns."""

    actor1: str | None = None
    assoc_actor_1: str | None = None
    inter1: int = 0
    actor2: str | None = None
    assoc_actor_2: str | None = None
    inter2: int = 0
    mentions: list[RoleMention] = field(default_factory=list)

    @property
    def interaction(self) -> int:
        return interaction(self.inter1, self.inter2)

    def as_dict(self) -> dict[str, Any]:
        return {
            "actor1": self.actor1,
            "assoc_actor_1": self.assoc_actor_1,
            "inter1": self.inter1,
            "actor2": self.actor2,
            "assoc_actor_2": self.assoc_actor_2,
            "inter2": self.inter2,
            "interaction": self.interaction,
        }


# ---------------------------------------------------------------------------------------------- spaCy
def load_nlp(lang: str | None = "en"):
    """The small spaCy pipeline of a language, without NER (roles need only the parse); shared and cached.

    ``lang`` is a code, a language name or a model name ("en", "fr-FR", "english", "en_core_web_sm"):
    see :func:`sahelwatch.extract.nlp.load_spacy`, the one loader of the package."""
    return load_spacy(lang, exclude=("ner",))


_FR_HINTS = re.compile(r"\b(le|la|les|des|du|une|dans|ont|été|à|aux|par|sur|contre|est)\b", re.I)
_EN_HINTS = re.compile(r"\b(the|of|and|in|was|were|by|on|at|with|killed|attacked)\b", re.I)


def guess_lang(text: str) -> str:
    return "fr" if len(_FR_HINTS.findall(text)) > len(_EN_HINTS.findall(text)) else "en"


# ---------------------------------------------------------------------------------------------- mentions
def _tokens_with_offsets(text: str) -> list[tuple[int, int, str]]:
    return word_tokens(text)


def _phrase_at(
    toks: list[tuple[int, int, str]], i: int, vocab: set[str] | Mapping[str, Any], maxlen: int = 3
) -> int:
    """Length (in tokens) of the longest vocabulary phrase starting at token i, 0 if none."""
    best = 0
    acc = ""
    for n in range(maxlen):
        if i + n >= len(toks):
            break
        acc += toks[i + n][2]
        if acc in vocab:
            best = n + 1
    return best


_OFF_DUTY = re.compile(
    r"\b(off[- ]duty|retired|former|ex-|on leave|en congé|à la retraite|retraité|ancien)\s+(?:\w+\s+){0,2}$",
    re.I,
)


def find_mentions(text: str, registry: Registry, country: str, date: Any = None) -> list[RoleMention]:
    """Actor mentions of one text with identity handling; roles are filled by :func:`assign_roles`."""
    d = _to_date(date)
    mentions = registry.match_text(text, country=country, date=d, generic=True)
    toks = _tokens_with_offsets(text)
    out: list[RoleMention] = []
    taken: list[tuple[int, int]] = []

    # identity phrases: "Fulani militiamen" -> ethnic militia; "Fulani villagers" -> civilians + identity
    identity_spans: list[
        tuple[int, int, str, str]
    ] = []  # start, end, identity, kind ("militia"|"victim"|"bare")
    for i, (s, e, k) in enumerate(toks):
        ident = registry._identity_key.get(k)
        if ident is None and i + 1 < len(toks):
            ident2 = registry._identity_key.get(k + toks[i + 1][2])
            if ident2:
                ident, e = ident2, toks[i + 1][1]
                i += 1
        if ident is None:
            continue
        if _hyphen_joined(text, s, e):
            continue  # a place name: "Nouhoun-Bozo", "Bambara-Maoude"
        # skip an identity word inside a named actor ("Ganda Izo", "Dan Na Ambassagou" is handled by the trie)
        j = i + 1
        # allow one adjective/number between ("Fulani armed men", "Dogon traditional hunters")
        kind = "bare"
        end = e
        for skip in (0, 1):
            if j + skip >= len(toks) or (
                toks[j + skip][2] in _NOT_A_MILITIA and not _phrase_at(toks, j + skip, _MILITIA_WORDS)
            ):
                break  # "the Bozo ethnic group", "the Fulani community": an identity, not a militia
            n = _phrase_at(toks, j + skip, _MILITIA_WORDS)
            if n:
                kind, end = "militia", toks[j + skip + n - 1][1]
                break
            n = _phrase_at(toks, j + skip, _VICTIM_WORDS)
            if n:
                kind, end = "victim", toks[j + skip + n - 1][1]
                break
        # "the Dogon village of X" / "the village of Fulani" handled above; "militiamen (Dogon)" -> bare
        if (
            kind != "militia"
            and i > 0
            and toks[i - 1][2] in _ARMED_BEFORE
            and (kind == "victim" or j >= len(toks) or toks[j][2] not in _NOT_A_MILITIA)
        ):
            # "two armed Fulani youth", "armed Dogon villagers": people of the community carrying arms
            kind, s = "militia", toks[i - 1][0]
        identity_spans.append((s, end, ident, kind))

    def overlaps(a: int, b: int) -> bool:
        return any(a < y and x < b for x, y in taken)

    for s, e, ident, kind in identity_spans:
        # a named actor covering the identity word wins (Dan Na Ambassagou, Ganda Izo, GATIA's "Imghad Tuareg")
        if any(m.start <= s < m.end and not m.generic for m in mentions):
            continue
        if kind == "militia":
            actor = registry.ethnic(ident, country, militia=True)
            if ident == "Ganda Izo":
                actor = registry.normalise("Ganda Izo Ethnic Militia (Mali)")
            # militias of herding communities are coded with their pastoralist identity
            assoc = [registry.template("Pastoralists", country).name] if ident in _PASTORAL else []
            out.append(RoleMention(s, e, text[s:e], actor.name, actor.inter, "unknown", assoc))
            taken.append((s, e))
        elif kind == "victim":
            civ = registry.civilians(country)
            assoc = [registry.ethnic(ident, country).name]
            out.append(RoleMention(s, e, text[s:e], civ.name, civ.inter, "unknown", assoc, generic=True))
            taken.append((s, e))
        else:
            # a bare identity word: victims' identity if nothing else claims it ("killed two Fulani")
            out.append(
                RoleMention(s, e, text[s:e], "", 0, "identity", [registry.ethnic(ident, country).name])
            )

    for m in mentions:
        if overlaps(m.start, m.end):
            continue
        k = key(m.text)
        if m.generic and k in _LOW_VALUE_GENERIC and m.actor.inter != 7:
            continue
        if m.actor.kind == "government" or (
            registry.inter(m.actor.name, country) == 1
            and _OFF_DUTY.search(text[max(0, m.start - 25) : m.start])
        ):
            # officials, and soldiers or police off duty ("an off-duty policeman", "a retired gendarme"), are
            # civilians; the office or force they belong to is the victims' associated actor
            civ = registry.civilians(country)
            out.append(RoleMention(m.start, m.end, m.text, civ.name, 7, "unknown", [m.actor.name], m.generic))
        else:
            out.append(
                RoleMention(
                    m.start,
                    m.end,
                    m.text,
                    m.actor.name,
                    registry.inter(m.actor.name, country),
                    "unknown",
                    [],
                    m.generic,
                )
            )
        taken.append((m.start, m.end))

    # social groups next to victims/protesters ("teachers", "herders"): remembered as assoc candidates
    for i in range(len(toks)):
        n = _phrase_at(toks, i, _SOCIAL_KEYS, _SOCIAL_MAXLEN)
        if n:
            grp = _SOCIAL_KEYS["".join(t[2] for t in toks[i : i + n])]
            s, e = toks[i][0], toks[i + n - 1][1]
            actor = registry.template(grp, country)
            if actor is not None:
                out.append(RoleMention(s, e, text[s:e], "", 0, "social", [actor.name]))
    out.sort(key=lambda r: (r.start, -r.end))
    return out


# ---------------------------------------------------------------------------------------------- roles
def _span_root(doc, start: int, end: int):
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


_CLIMB = {
    "compound",
    "amod",
    "poss",
    "nmod",
    "appos",
    "det",
    "nummod",
    "flat",
    "flat:name",
    "fixed",
    "nn",
    "case",
}


_HEADLINE_VERBS = {
    "attack",
    "ambush",
    "target",
    "strike",
    "hit",
    "storm",
    "raid",
    "overrun",
    "besiege",
    "encircle",
    "shell",
    "bomb",
    "harass",
    "loot",
    "ransack",
}
_TARGET_NOUNS = {
    "convoy",
    "convoys",
    "checkpoint",
    "checkpoints",
    "post",
    "posts",
    "outpost",
    "patrol",
    "patrols",
    "camp",
    "camps",
    "base",
    "bases",
    "vehicle",
    "vehicles",
    "position",
    "positions",
    "escort",
    "unit",
    "units",
    "mission",
    "barracks",
    "garrison",
    "column",
    "team",
    "station",
    "brigade",
    "detachment",
    "truck",
    "trucks",
    "tanker",
    "headquarters",
    "office",
    "residence",
    "house",
    "hall",
    "boat",
    "plane",
    "helicopter",
}
_OBJECT_DEPS = {"dobj", "obj", "agent", "attr", "oprd", "dative", "ccomp", "xcomp"}


def _headline_passive(subj, verb) -> bool:
    """A subject that is really the target: notes written in shorthand drop "was" ("FAMa checkpoint attacked
    last night", "Malian army convoy ambushed near X"). Taken so only when an attack verb in the past has no
    object, no "by"-agent and no clause of its own ("gunmen attacked, killing two soldiers" stays active),
    and the subject is a post, convoy, patrol... or the verb is tagged a participle."""
    if verb is None or verb.tag_ not in ("VBD", "VBN"):
        return False
    if any(c.dep_ == "agent" for c in verb.children) and not any(
        c.dep_ in ("dobj", "obj") for c in verb.children
    ):
        # a passive without its auxiliary: "FAMa checkpoint attacked tonight by JNIM"
        return True
    if verb.lemma_.lower() not in _HEADLINE_VERBS:
        return False
    if any(c.dep_ in _OBJECT_DEPS for c in verb.children):
        return False
    if any(
        c.dep_ in ("advcl", "conj")
        and c.pos_ == "VERB"
        and any(g.dep_ in ("dobj", "obj") for g in c.children)
        for c in verb.children
    ):
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    return subj.lower_ in _TARGET_NOUNS or verb.tag_ == "VBN"


_CASUALTY_WORDS = {
    "kill",
    "wound",
    "injure",
    "die",
    "dead",
    "miss",
    "missing",
    "injured",
    "wounded",
    "killed",
    "hurt",
    "tuer",
    "blesser",
    "mourir",
    "mort",
    "disparaître",
    "succumb",
}
_DEFEND_VERBS = {
    "repel",
    "repulse",
    "foil",
    "thwart",
    "resist",
    "retaliate",
    "respond",
    "fend",
    "withstand",
    "survive",
    "escape",
    "riposte",
    "repousser",
    "déjouer",
    "riposter",
    "résister",
}


def _targeted_noun(t):
    """The participle after a noun that says the noun was hit ("vehicle struck by IED", "post attacked"), or None."""
    if t.pos_ not in ("NOUN", "PROPN"):
        return None
    return next(
        (
            c
            for c in t.children
            if c.dep_ == "acl"
            and c.tag_ == "VBN"
            and (c.lemma_.lower() in _HEADLINE_VERBS or _casualty_subject(c))
        ),
        None,
    )


def _casualty_subject(verb) -> bool:
    """The subject of a casualty word without an object is a victim: "3 soldiers wounded", "two jihadists dead",
    "4 FAMa killed" (but "soldiers killed 3 militants" keeps its agent)."""
    if verb is None:
        return False
    w = verb.lemma_.lower() or verb.lower_
    if w not in _CASUALTY_WORDS and verb.lower_ not in _CASUALTY_WORDS:
        return False
    return not any(c.dep_ in ("dobj", "obj") and c.lower_ not in ("incl", "including") for c in verb.children)


_UNDERGO_VERBS = {"subject", "undergo", "suffer", "sustain", "fall", "come", "subir", "tomber"}
_DEVICE_WORDS = {
    "ied",
    "ieds",
    "mine",
    "mines",
    "landmine",
    "landmines",
    "explosive",
    "explosives",
    "device",
    "devices",
    "bomb",
    "bombs",
    "engin",
    "engins",
    "ambush",
    "embuscade",
    "attack",
    "attacks",
    "fire",
    "gunfire",
    "shelling",
    "rockets",
    "mortar",
    "mortars",
    "explosif",
    "explosifs",
    "attaque",
}


def _undergoer_subject(verb) -> bool:
    """The subject met the violence: "a MINUSMA vehicle hit an IED", "the convoy struck a mine", "FAMa camp
    subjected to an attack", "a supply mission fell into an ambush", "came under fire"."""
    if verb is None:
        return False
    lem = verb.lemma_.lower() or verb.lower_
    objs = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
    objs += [
        g for c in verb.children if c.dep_ in ("prep", "obl") for g in c.children if g.dep_ in ("pobj", "obj")
    ]
    objs += [c for c in verb.children if c.dep_ == "obl"]
    dev = any(o.lower_ in _DEVICE_WORDS or any(k.lower_ in _DEVICE_WORDS for k in o.lefts) for o in objs)
    if lem in ("hit", "strike", "step", "run", "drive", "roll", "trigger", "heurter", "sauter") and dev:
        return True
    return lem in _UNDERGO_VERBS and dev


def _defender_subject(verb) -> bool:
    """The subject of "repelled/foiled/fended off/retaliated" was the side attacked."""
    return verb is not None and (verb.lemma_.lower() in _DEFEND_VERBS or verb.lower_ in _DEFEND_VERBS)


def _role_of(tok) -> tuple[str, Any]:
    """Walk up from a mention's head to its clause role: ('agent'|'patient'|'unknown', verb token)."""
    seen = 0
    t = tok
    while t is not None and seen < 8:
        seen += 1
        dep = t.dep_
        head = t.head
        if dep in ("nsubj", "csubj"):
            # subject of a passive-like copula stays an agent in notes ("JNIM militants were behind ...")
            if _targeted_noun(t) is not None:
                # "MINUSMA vehicle struck by IED ..., 2 dead reported": the noun's own participle says it was hit
                return "patient", _targeted_noun(t)
            if (
                head.lemma_.lower() in ("report", "confirm", "announce")
                and head.tag_ in ("VBN", "VBD")
                and not any(c.dep_ in ("dobj", "obj", "ccomp") for c in head.children)
            ):
                # "2 peacekeepers dead and 2 wounded reported": a toll, not an agent
                return "unknown", head
            if _casualty_subject(head) or _defender_subject(head) or _undergoer_subject(head):
                # "3 soldiers wounded", "9 soldiers and 2 jihadists dead": a toll, not an agent;
                # "FAMa repelled an attack": the subject was attacked
                return "patient", head
            if _headline_passive(t, head):
                # note shorthand without "was": "Malian army convoy ambushed near X", "FAMa checkpoint attacked"
                return "patient", head
            return "agent", head
        if dep in ("nsubjpass", "nsubj:pass", "csubjpass"):
            return "patient", head
        if dep in ("dobj", "obj", "iobj", "attr", "oprd"):
            return "patient", head
        if dep in ("agent",):
            return "agent", head
        if dep == "obl:agent":
            return "agent", head
        if dep == "pobj" or (dep in ("obl", "nmod") and any(c.dep_ == "case" for c in t.children)):
            prep = head if dep == "pobj" else next(c for c in t.children if c.dep_ == "case")
            p = prep.lower_
            verb = prep.head if dep == "pobj" else head
            if p in _AGENT_PREPS:
                if dep == "pobj" and prep.dep_ == "agent":
                    return "agent", verb
                return "agent", verb
            if p in _PATIENT_PREPS:
                return "patient", verb
            if p in ("with", "avec") and verb.lemma_.lower() in _CLASH_VERBS | {"clash", "exchange"}:
                return "patient", verb
            if p in ("between", "entre"):
                return "between", verb
            if p in ("of", "de", "du", "des", "d'", "from"):
                # "militants of Katiba Macina" -> role of militants; "an attack of JNIM" -> agent
                t = verb if dep == "pobj" else head
                if t.pos_ == "NOUN" and t.lemma_.lower() in (
                    "attack",
                    "ambush",
                    "raid",
                    "assault",
                    "attaque",
                    "embuscade",
                ):
                    return "agent", t
                continue
            return "unknown", verb
        if dep == "conj":
            t = head
            continue
        if dep in _CLIMB or dep.startswith("compound") or dep == "acl" or dep == "relcl":
            t = head
            continue
        if dep == "ROOT":
            # a headline noun phrase: "MINUSMA vehicle struck by IED near X", "FAMa post targeted by mortar fire"
            acl = _targeted_noun(t)
            if acl is not None:
                return "patient", acl
            return "unknown", t
        t = head
    return "unknown", None


def _first(items: Iterable[RoleMention]) -> RoleMention | None:
    for it in items:
        return it
    return None


def _join(names: Iterable[str], exclude: Iterable[str] = ()) -> str | None:
    seen: list[str] = []
    ex = set(exclude)
    for n in names:
        if n and n not in seen and n not in ex:
            seen.append(n)
    return "; ".join(seen) if seen else None


def assign_roles(
    doc_or_text: Any,
    country: str = "Mali",
    date: Any = None,
    event_type_hint: str | None = None,
    sub_event_type_hint: str | None = None,
    registry: Registry | None = None,
    lang: str | None = None,
) -> ActorRoles:
    """actor1/assoc_actor_1/inter1 and actor2/assoc_actor_2/inter2 of one event's text.

    ``doc_or_text`` is a spaCy Doc (reused as is) or a string (parsed with the small English or French
    model, guessed from the text when ``lang`` is None). ``event_type_hint`` (ACLED event_type) sharpens
    the choice: protests and riots take Protesters/Rioters, violence against civilians takes Civilians.
    """
    reg = registry or Registry.load()
    base = 0
    if isinstance(doc_or_text, str):
        text = doc_or_text
        doc = load_nlp(lang or guess_lang(text))(text) if text.strip() else None
    else:
        text = doc_or_text.text
        # a Span (one sentence or event of a longer document) is parsed already: use its Doc
        from spacy.tokens import Span

        if isinstance(doc_or_text, Span):
            base, doc = doc_or_text.start_char, doc_or_text.doc
        else:
            doc = doc_or_text
    d = _to_date(date)
    mentions = find_mentions(text, reg, country, d)
    roles = ActorRoles(mentions=mentions)
    if not text.strip():
        return roles

    mentions = _merge_clarifications(text, mentions, reg, d)
    roles.mentions = mentions

    # roles from the parse
    verbs: dict[int, Any] = {}
    for i, m in enumerate(mentions):
        if m.role == "identity" and doc is not None and m.assoc:
            # a bare community name as the attacker ("attacked by alleged Fulani", "Dogons attacked the
            # camp") is that community's militia, as ACLED codes it; as a victim it stays an identity
            tok = _span_root(doc, m.start + base, m.end + base)
            role, verb = _role_of(tok) if tok is not None else ("unknown", None)
            if (
                role == "agent"
                and verb is not None
                and (
                    verb.lemma_.lower() in _ATTACK_VERBS
                    or verb.lower_ in _AGENT_PREPS
                    or any(c.dep_ == "agent" for c in verb.children)
                )
            ) or (role == "between" and verb is not None and verb.lemma_.lower() in _FIGHT_WORDS):
                ident = m.assoc[0].split(" Ethnic Group", 1)[0]
                mil = reg.ethnic(ident, country, militia=True)
                if mil is not None:
                    m.actor, m.inter, m.role, m.generic = mil.name, mil.inter, "agent", True
                    m.assoc = [reg.template("Pastoralists", country).name] if ident in _PASTORAL else []
                    verbs[i] = verb
            continue
        if m.role in ("identity", "social"):
            continue
        tok = _span_root(doc, m.start + base, m.end + base) if doc is not None else None
        if tok is None:
            continue
        role, verb = _role_of(tok)
        if role == "between":
            # the first conjunct acts, the second is the other side
            role = "unknown"  # "clashes between X and Y": no side is the agent by syntax
        if tok.dep_ == "conj":
            # conjoined with an earlier mention: same role, remembered for assoc actors
            head = tok.head
            for j in range(i):
                mj = mentions[j]
                hidx = head.idx - base
                if mj.start <= hidx < mj.end or (mj.start <= hidx + len(head.text) <= mj.end):
                    m.conj_of = j
                    break
        if role == "patient" and verb is not None and verb.lemma_.lower() in _HEDGE_VERBS and verb.i < tok.i:
            # "presumed JNIM militants attacked ..." parsed with "presumed" as the verb
            role = "agent"
        m.role = role
        if verb is not None:
            verbs[i] = verb
    for m in mentions:
        if (
            m.actor
            and m.inter in ARMED
            and not m.generic
            and _ATTRIBUTION.search(text[max(0, m.start - 40) : m.start])
        ):
            m.role = "agent"
        elif (
            m.actor
            and m.inter in ARMED
            and (_AUTHOR_CLAUSE.match(text, m.end) or _AUTHOR_NOUN.match(text, m.end))
        ):
            # "ISGS, which staged the 2017 attack that killed four American soldiers", "killed in a U.S. raid":
            # the group named as the author of the attack is its agent, whatever the main verb says of it
            m.role = "agent"

    for m in _national_authors(text, mentions, reg, d):
        mentions.append(m)
    mentions.sort(key=lambda m: m.start)
    et = event_type_hint or ""
    if not et:
        et = _infer_demonstration(text, mentions)
    sub = sub_event_type_hint or ""
    armed = [m for m in mentions if m.inter in ARMED and m.actor]
    civil = [m for m in mentions if m.inter == 7 and m.actor]

    # ----- protests and riots
    if et in ("Protests", "Riots") or (
        not et and any(m.inter in (5, 6) for m in mentions) and not any(m.inter in (2, 3, 4) for m in armed)
    ):
        kind = (
            "Rioters" if (et == "Riots" or (not et and any(m.inter == 5 for m in mentions))) else "Protesters"
        )
        a1 = reg.template(kind, country)
        roles.actor1, roles.inter1 = a1.name, a1.inter
        assoc1 = [
            a for m in mentions if m.role == "social" for a in m.assoc if not a.startswith("Pastoralists")
        ]
        assoc1 += [
            m.actor for m in mentions if m.actor and m.inter == 6 and not m.generic and m.actor != a1.name
        ]
        roles.assoc_actor_1 = _join(assoc1)
        state = [m for m in armed if m.inter == 1]
        if state and (
            et == "Riots"
            or sub in ("Protest with intervention", "Excessive force against protesters")
            or not sub
        ):
            s = state[0]
            if et == "Protests" and not sub:
                # peaceful protests have no second actor unless forces intervened
                if not re.search(
                    r"(tear ?gas|dispers|arrest|fired|gaz lacrymog|interven|repress|beat|clash)", text, re.I
                ):
                    return roles
            a2 = s.actor
            if (
                s.generic
                and reg.actors.get(a2)
                and a2.startswith("Military Forces")
                and not re.search(
                    r"\b(soldiers?|army|troops|military|armée|soldats|militaires)\b", text, re.I
                )
            ):
                a2 = reg.at_date(a2.replace("Military Forces", "Police Forces"), d).name
            roles.actor2, roles.inter2 = a2, reg.inter(a2, country)
        elif et == "Riots" and any(m.inter in (2, 3, 4) for m in armed):
            # a crowd fought armed men ("a mob fought with gunmen"): they are the other side
            g = next(m for m in armed if m.inter in (2, 3, 4)).actor
            if reg.coded_as_assoc_of_parent(g, d) and reg.at_date(reg.actors[g].parent, d) is not None:
                roles.assoc_actor_2, g = g, reg.at_date(reg.actors[g].parent, d).name
            roles.actor2, roles.inter2 = g, reg.inter(g, country)
        elif et == "Riots" and civil and sub == "Mob violence":
            roles.actor2, roles.inter2 = reg.civilians(country).name, 7
        return roles

    # ----- agents and patients
    def coded(m: RoleMention) -> tuple[str, list[str]]:
        """Apply ACLED's component coding: Katiba Macina -> JNIM with Katiba Macina associated."""
        name = m.actor
        assoc = list(m.assoc)
        if reg.coded_as_assoc_of_parent(name, d):
            parent = reg.at_date(reg.actors[name].parent, d)
            if parent is not None:
                assoc.insert(0, name)
                name = parent.name
        return name, assoc

    agents = [m for m in armed if m.role == "agent"]
    # a named group that claimed the attack is its author ("JNIM claimed the attack"), whatever comes first
    claimers = [
        m
        for i, m in enumerate(mentions)
        if m in agents
        and not m.generic
        and m.inter in (2, 3, 4)
        and i in verbs
        and verbs[i].lemma_.lower() in ("claim", "revendiquer")
    ]
    agents = claimers + [m for m in agents if m not in claimers]
    patients = [m for m in mentions if m.actor and m.role == "patient"]
    a1m: RoleMention | None = None
    # a named (non-generic) agent beats a generic one: "unknown gunmen, presumed JNIM militants, ..."
    # the first agent acts; a named armed group beats a generic first agent only when it is a non-state group
    # ("unknown gunmen, presumably JNIM militants, ..."), not a state force acting later ("... the army responded")
    a1m = _first(agents)
    if a1m is not None and a1m.generic:
        a1m = _first(m for m in agents if not m.generic and m.inter in (2, 3, 4)) or a1m
    if a1m is None:
        # no subject found: the first armed mention not in a patient slot, else the first armed mention
        cand = [m for m in armed if m.role != "patient"]
        named = [m for m in cand if not m.generic]
        a1m = _first(named) or _first(cand)
        if a1m is None and et in ("Battles", "Explosions/Remote violence", "Violence against civilians", ""):
            if len([m for m in armed if m.role == "patient"]) >= 2 or (et == "Battles" and armed):
                a1m = armed[0]
    # the only armed party is the one attacked (passive, "X attacked", "struck by an IED"): attacker unknown
    if (
        a1m is not None
        and a1m.role != "agent"
        and et in ("Battles", "Explosions/Remote violence", "")
        and not _INTERNAL.search(text)
    ):
        nonstate = [m for m in armed if m is not a1m and m.inter in (2, 3, 4) and m.role != "patient"]
        if not nonstate and et == "Battles" and a1m.inter in (1, 8) and a1m.role == "patient":
            # both sides only in the toll ("9 soldiers and 2 jihadists dead"): the other side attacked
            nonstate = [m for m in armed if m is not a1m and m.inter in (2, 3, 4)]
        if nonstate and a1m.inter in (1, 8):
            a1m = nonstate[0]
        elif a1m.role == "patient" or (a1m.inter in (1, 8) and _ATTACKED.search(text) and not nonstate):
            a1m = None
    if a1m is not None:
        name, assoc1 = coded(a1m)
        roles.actor1, roles.inter1 = name, reg.inter(name, country)
        lineage1 = reg.lineage(name)
        # conjoined agents and other named agents on the same side become associated actors
        for m in armed:
            if m is a1m or not m.actor:
                continue
            same_side = m.conj_of is not None and mentions[m.conj_of] is a1m
            if same_side and reg.lineage(coded(m)[0]) != lineage1:
                n2, a2 = coded(m)
                assoc1 += [n2, *a2]
            elif (
                reg.lineage(m.actor) != lineage1
                and m.start >= a1m.start
                and m.start <= a1m.end + 40
                and m.conj_of is None
                and not m.generic
                and m.role == "unknown"
                and reg.actors.get(m.actor)
                and reg.actors[m.actor].parent == name
            ):
                assoc1.append(m.actor)
        assoc1 += [
            coded(m)[0]
            for m in _joined_with(text, a1m, mentions)
            if m.inter in ARMED and m.conj_of is None and reg.lineage(coded(m)[0]) != lineage1
        ]
        roles.assoc_actor_1 = _join(assoc1, exclude=[name])
    else:
        lineage1 = None
        if et in ("Battles", "Explosions/Remote violence", "Violence against civilians") or (
            not et and (patients or _VIOLENCE.search(text))
        ):
            u = reg.unidentified(country)
            roles.actor1, roles.inter1 = u.name, u.inter
            lineage1 = reg.lineage(u.name)

    # ----- actor2
    others = [
        m
        for m in mentions
        if m.actor
        and m is not a1m
        and (roles.actor1 is None or reg.lineage(coded(m)[0]) != lineage1)
        and not (m.conj_of is not None and mentions[m.conj_of] is a1m and m.role != "patient")
    ]
    armed_others = [m for m in others if m.inter in ARMED]
    civ_others = [m for m in others if m.inter == 7]
    a2m: RoleMention | None = None
    if et == "Violence against civilians":
        a2m = _first(m for m in civ_others if m.role == "patient") or _first(civ_others)
        if a2m is None:
            # victims are civilians by definition of the event type, even when the words are missing
            civ = reg.civilians(country)
            a2m = RoleMention(0, 0, "", civ.name, 7, "patient")
    else:
        a2m = (
            _first(m for m in armed_others if m.role == "patient" and not m.generic)
            or _first(m for m in armed_others if m.role == "patient")
            or _first(
                m
                for m in armed_others
                if m.role in ("unknown", "agent") and not m.generic and a1m is not None
            )
            or (None if et == "Battles" else _first(m for m in civ_others if m.role == "patient"))
            or _first(m for m in armed_others if a1m is not None and m.role != "agent")
        )
        if (
            a2m is None
            and et not in ("Battles", "Strategic developments")
            and civ_others
            and _victim_verb(verbs, mentions, doc)
        ):
            a2m = civ_others[0]
        if a2m is None and et != "Strategic developments" and armed_others:
            a2m = armed_others[0]
        if a2m is None and not et and roles.actor1 is not None and _VICTIMISED.search(text):
            civ = reg.civilians(country)
            a2m = RoleMention(0, 0, "", civ.name, 7, "patient")
        if a2m is None and et == "Battles" and roles.actor1 is not None:
            u = reg.unidentified(country)
            if u.name != roles.actor1:
                a2m = RoleMention(0, 0, "", u.name, u.inter, "patient")
    if roles.actor1 is not None and _INTERNAL.search(text):
        a2m = RoleMention(0, 0, "", roles.actor1, roles.inter1, "patient")
    if (
        a2m is None
        and roles.actor1 is not None
        and roles.inter1 != 1
        and et in ("Strategic developments", "")
        and _TAKE_WORDS.search(text)
        and not any(m.inter in ARMED for m in others)
    ):
        civ = reg.civilians(country)
        a2m = RoleMention(0, 0, "", civ.name, 7, "patient")
    if a2m is not None:
        name2, assoc2 = coded(a2m)
        if a2m.inter == 7:
            name2 = (
                reg.civilians(country).name
                if reg.actors.get(a2m.actor)
                and reg.actors[a2m.actor].kind in ("civilians", "social", "identity")
                else name2
            )
            # identities and social groups of the victims
            for m in mentions:
                if m.role in ("identity", "social") or (m.inter == 7 and m.assoc):
                    assoc2 += m.assoc
            if reg.actors.get(a2m.actor) and reg.actors[a2m.actor].kind == "social":
                assoc2.append(a2m.actor)
        if a2m.inter in ARMED and a2m.end > a2m.start:
            assoc2 += [
                coded(m)[0]
                for m in _joined_with(text, a2m, mentions)
                if m.inter in ARMED
                and m is not a1m
                and reg.lineage(coded(m)[0]) not in (lineage1, reg.lineage(name2))
            ]
        roles.actor2, roles.inter2 = name2, reg.inter(name2, country)
        roles.assoc_actor_2 = _join(assoc2, exclude=[name2, roles.actor1 or ""])
    if roles.inter2 == 7 and roles.actor2 == reg.civilians(country).name:
        foreign = _victims_nationality(text, mentions, reg, country)
        if foreign:
            # "60 Nigerien Fulani pastoralists killed": the victims are civilians of their own country
            roles.actor2 = reg.civilians(foreign).name
            roles.assoc_actor_2 = _join(
                a[: -len(f"({country})")] + f"({foreign})" if a.endswith(f"({country})") else a
                for a in (roles.assoc_actor_2 or "").split("; ")
                if a
            )
    if roles.actor2 and roles.assoc_actor_1:
        roles.assoc_actor_1 = _join(roles.assoc_actor_1.split("; "), exclude=[roles.actor2])
    if roles.actor1 is None and roles.actor2 is not None and roles.inter2 != 7:
        roles.actor1, roles.inter1, roles.assoc_actor_1 = roles.actor2, roles.inter2, roles.assoc_actor_2
        roles.actor2, roles.inter2, roles.assoc_actor_2 = None, 0, None
    return roles


_SKIP_BEFORE_VICTIM = {
    key(w)
    for w in (
        "a",
        "an",
        "the",
        "two",
        "three",
        "four",
        "five",
        "several",
        "some",
        "at",
        "least",
        "un",
        "une",
        "des",
        "les",
        "deux",
        "trois",
        "plusieurs",
    )
}


def _victims_nationality(text: str, mentions: list[RoleMention], reg: Registry, country: str) -> str | None:
    """The other country whose demonym qualifies the victims ("Nigerien Fulani pastoralists", "two Senegalese
    traders", "civils nigériens"), or None. Only a demonym written next to a victim mention counts: a country
    named elsewhere ("returning from Burkina Faso") does not change whose civilians they are."""
    dem: dict[str, str] = {}
    for c, info in reg._countries.items():
        for d in info.get("demonyms") or []:
            dem[key(d)] = c
    home = reg._country(country) or country
    toks = word_tokens(text)
    for m in mentions:
        if not (m.role == "identity" or (m.inter == 7 and m.end > m.start)):
            continue
        before = [t for t in toks if t[1] <= m.start][-3:]
        after = [t for t in toks if t[0] >= m.end][:1]
        cands = [t[2] for t in reversed(before) if t[2] not in _SKIP_BEFORE_VICTIM][:1] + [
            t[2] for t in after
        ]
        for w in cands:
            c = dem.get(w)
            if c and c != home:
                return c
    return None


_HEDGE_VERBS = {
    "presume",
    "suspect",
    "believe",
    "allege",
    "think",
    "report",
    "present",
    "présumer",
    "soupçonner",
    "suspecter",
}
_ATTRIBUTION = re.compile(
    r"(believed to be|suspected(?:ly)?(?: to be)?|presumably|presumed|likely|thought to be|claimed by|"
    r"attributed to|planted by|fired by|carried out by|perpetrated by|launched by|by)\s+(?:(?:an?|the|some|several|\w+)\s+){0,2}$",
    re.I,
)
_CLARIFY_BETWEEN = re.compile(
    r"^\s*(?:\(|,\s*(?:a|an|the)?\s*|(?:militants|militiamen|fighters|combatants|elements|members|men|"
    r"militant|militiaman|fighter|member)?\s*(?:of|from)\s+(?:the\s+)?|(?:militants|militiamen|fighters|"
    r"combatants)?\s*\(\s*|(?:présumés?\s+|presumes?\s+|supposés?\s+)?(?:membres\s+)?"
    r"(?:de\s+l['’]|de\s+la\s+|d['’]|du\s+|des\s+|de\s+))$",
    re.I,
)


def _merge_clarifications(text: str, mentions: list[RoleMention], reg: Registry, d) -> list[RoleMention]:
    """Fold a mention that clarifies the previous one into it: "Katiba Macina (JNIM)", "Dogon militiamen
    (Dana Amassagou)", "AQIM militants of the JNIM alliance", "MNLA (CMA)"."""
    out: list[RoleMention] = []
    for m in mentions:
        prev = next((p for p in reversed(out) if p.actor), None)
        if (
            prev is not None
            and m.actor
            and prev.inter in ARMED
            and m.inter in ARMED
            and _CLARIFY_BETWEEN.match(text[prev.end : m.start])
            and m.start - prev.end <= 40
        ):
            pa, ma = reg.actors.get(prev.actor), reg.actors.get(m.actor)
            pk = reg.actors[prev.actor].kind if prev.actor in reg.actors else None
            communal = (
                prev.actor.endswith(")")
                and " Communal Militia (" in prev.actor
                and "(" in text[prev.end : m.start]
                and m.inter == prev.inter
                and " Communal Militia (" not in m.actor
            )
            if (
                (prev.generic or pk in ("ethnic_militia", "unidentified", "communal_militia") or communal)
                and not m.generic
                and not (
                    m.inter in (1, 8)
                    and prev.inter in (2, 3, 4)
                    and text[prev.end : m.start].strip().startswith(",")
                )
            ):
                # (a listing "2 assailants, a Malian soldier and ..." is not a clarification of the assailants)
                prev.actor, prev.inter, prev.generic = m.actor, m.inter, False
            elif (
                pa is not None
                and ma is not None
                and (pa.parent == ma.name or reg.lineage(pa.parent or "") == reg.lineage(ma.name))
            ):
                # the component is named with its parent: the parent is the actor, the component associated
                if not reg.coded_as_assoc_of_parent(pa.name, d) and pa.name != "Ansar Dine":
                    prev.assoc.insert(0, pa.name)
                    prev.actor, prev.inter = ma.name, m.inter
                elif pa.name == "Ansar Dine":
                    prev.assoc.insert(0, pa.name)
                    prev.actor, prev.inter = ma.name, m.inter
            elif ma is not None and pa is not None and ma.parent == pa.name:
                prev.assoc.append(ma.name)
            elif not m.generic and prev.generic is False and reg.lineage(m.actor) == reg.lineage(prev.actor):
                pass
            else:
                out.append(m)
                continue
            prev.end = max(prev.end, m.end)
            continue
        out.append(m)
    return out


#: a nationality before an attack noun names that state's forces as its author ("a U.S. raid", "a French
#: air strike", "une frappe française" is left to the registry's own aliases)
_NATIONAL_AUTHOR = re.compile(
    r"\b(U\.S\.|US|American|French|Malian|Nigerien|Burkinabe|Russian|Nigerian|Chadian)"
    r"(?=\s+(?:military\s+|special\s+forces\s+|forces\s+|commando\s+|special\s+operations\s+)?(?:raid|raids|air\s*strikes?|airstrikes?|"
    r"drone\s+strikes?|strike|strikes|bombing|bombings|offensive)\b)"
)


def _national_authors(text: str, mentions: list[RoleMention], reg: Registry, d) -> list[RoleMention]:
    """State forces named only by a nationality before an attack noun, as agents ("killed in a U.S. raid")."""
    out = []
    for m in _NATIONAL_AUTHOR.finditer(text):
        if any(x.start <= m.start() < x.end for x in mentions):
            continue
        a = reg.normalise(f"{m.group(1)} forces", date=d)
        if a is not None and a.inter in ARMED:
            out.append(RoleMention(m.start(), m.end(), m.group(0), a.name, a.inter, "agent"))
    return out


#: a relative clause naming a group as the author of an attack ("ISGS, which staged the attack ...")
_AUTHOR_CLAUSE = re.compile(
    r"\s*,?\s*(?:which|who|that|qui)\s+(?:has\s+|had\s+|a\s+|avait\s+)?(?:staged|carried out|"
    r"launched|conducted|mounted|perpetrated|claimed|led|orchestrated|masterminded|mené|"
    r"revendiqué|perpétré|lancé|commis)\b",
    re.I,
)
#: a group or force named as the author of an attack by the noun after it ("a U.S. raid", "a French air strike")
_AUTHOR_NOUN = re.compile(
    r"\s+(?:raid|raids|air\s*strikes?|airstrikes?|drone\s+strikes?|strikes?|bombing|offensive)\b", re.I
)
_INTERNAL = re.compile(
    r"(internal dispute|each other|one another|brother in arms|brothers in arms|infighting|among themselves|"
    r"between (two )?(rival )?factions of|within the (group|ranks)|entre eux|règlement de comptes interne)",
    re.I,
)
_ATTACKED = re.compile(
    r"(\b(was|were|been|being) (attacked|ambushed|targeted|struck|hit|killed|wounded|shot)|\bstruck by\b|"
    r"\battack(s|ed)? (on|against)\b|\bambush(es|ed)? (on|against)\b|\bcomplex attack\b|\bIED\b|\bmine\b|"
    r"\b(attacked|ambushed|targeted) (around|at|in|on|near|by)\b|a été attaqu|ont été attaqu|attaque contre|embuscade contre)",
    re.I,
)
_VIOLENCE = re.compile(
    r"\b(kill|killed|killing|shot|shoot|attack|ambush|abduct|kidnap|assassinat|execut|explo|IED|mine|"
    r"wound|injur|fired|opened fire|raid|clash|tu[ée]|attaqu|enlev|assassin|bless|embuscade|explos)",
    re.I,
)
_VICTIMISED = re.compile(
    r"\b(killed|kill|shot|shoots|abducted|abduct|kidnapped|assassinated|executed|wounded|injured|beat|"
    r"robbed|stripped|assaulted|threatened|tortured|raped|opened fire (on|against)|tués?|enlevés?|"
    r"assassinés?|blessés?|exécutés?)\b",
    re.I,
)
_PROTEST = re.compile(
    r"\b(protest|protested|protesting|protesters|demonstrat\w*|march(ed|es)?|rall(y|ied|ies)|sit-in|"
    r"gathered|strike|went on strike|manifest\w*|grève|marche|rassembl\w*)",
    re.I,
)
_RIOT = re.compile(
    r"\b(riot\w*|burn(ed|t)? tires|burning tires|torched|ransack\w*|stormed|set fire|looted|vandali\w*|"
    r"threw stones|stone[sd]?|lynch\w*|mob|angry (youth|crowd|residents)|clashed with (the )?(police|security forces|gendarmes)|"
    r"pneus brûlés|saccag\w*|émeut\w*)",
    re.I,
)


def _infer_demonstration(text: str, mentions: list[RoleMention]) -> str:
    """Protests/Riots from the words when no event type is given and no organised armed group acts."""
    if any(m.inter in (2, 3, 4) and not m.generic for m in mentions):
        return ""
    if any(m.inter == 5 for m in mentions) or (
        _RIOT.search(text)
        and (
            _PROTEST.search(text)
            or re.search(r"\b(youth|residents|crowd|locals|population|jeunes)\b", text, re.I)
        )
    ):
        return "Riots"
    if any(m.inter == 6 for m in mentions) or _PROTEST.search(text):
        if re.search(r"\b(gunmen|militants|armed men|assailants|jihadist)", text, re.I):
            return ""
        return "Protests"
    return ""


_TAKE_WORDS = re.compile(
    r"\b(seiz|rob|loot|stole|steal|burn|torch|ransack|destroy|vandali|pillag|incendi|emport|vol)", re.I
)
_PROTEST_POLICE = {"security forces", "forces de l'ordre", "forces de sécurité", "anti-riot", "riot police"}


_JOIN_GAP = re.compile(r"^\s*(?:-|/|&|and|et|,)\s*$", re.I)


def _joined_with(text: str, m: RoleMention, mentions: list[RoleMention]) -> list[RoleMention]:
    """Mentions written as one unit with ``m``: "MINUSMA-Barkhane base", "JNIM/Katiba Macina", "GATIA and MSA"."""
    out: list[RoleMention] = []
    idx = mentions.index(m) if m in mentions else -1
    if idx < 0:
        return out
    j = idx + 1
    last = m
    while j < len(mentions) and _JOIN_GAP.match(text[last.end : mentions[j].start]):
        if mentions[j].actor:
            out.append(mentions[j])
        last = mentions[j]
        j += 1
    j = idx - 1
    first = m
    while (
        j >= 0
        and _JOIN_GAP.match(text[mentions[j].end : first.start])
        and text[mentions[j].end : first.start].strip() in ("-", "/", "&")
    ):
        if mentions[j].actor:
            out.append(mentions[j])
        first = mentions[j]
        j -= 1
    return out


def _victim_verb(verbs: Mapping[int, Any], mentions: list[RoleMention], doc) -> bool:
    if doc is None:
        return True
    return any(t.lemma_.lower() in _VICTIM_VERBS for t in doc if t.pos_ == "VERB")


# ---------------------------------------------------------------------------------------------- learning
def learn_aliases(
    frame,
    registry: Registry | None = None,
    min_count: int = 5,
    min_precision: float = 0.9,
    max_len: int = 4,
    country_column: str = "country",
    min_lift: float = 2.0,
    nlp: Any = "auto",
) -> dict[str, str]:
    """Mine surface forms that stand for coded actors in a user's own coded export.

    ``frame`` has ``notes`` and ``actor1`` (optionally ``actor2``, ``assoc_actor_1``, ``assoc_actor_2``,
    ``country``) columns, one row per event. Candidates are the noun phrases of the notes (spaCy noun
    chunks without determiners, numbers and proper names, and their head noun) that fill an actor slot:
    an agent phrase is compared with the event's actor1 side, a patient phrase with its actor2 side
    (the same dependency rules :func:`assign_roles` uses). A phrase the registry does not know yet is
    kept when it fills that slot in at least ``min_count`` events, the same coded actor is on that side
    in at least ``min_precision`` of them, and that is ``min_lift`` times the actor's base rate on the
    side (so words that merely co-occur with a ubiquitous actor are not learned). Per-period and
    per-country names are generalised when loaded ("soldiers" coded as "Military Forces of Mali
    (2013-2020)" becomes the military of the event's country and date). Without a spaCy model, word
    n-grams (up to ``max_len`` words, title-case words skipped) are compared with all coded actors.
    Returns {surface form: canonical name} for :meth:`Registry.load(extra_aliases=...)`.
    """
    reg = registry or Registry.load()
    if isinstance(nlp, str) and nlp == "auto":
        try:
            nlp = load_nlp("en")
        except OSError:
            nlp = None
    notes_list = (
        [n if isinstance(n, str) else "" for n in frame["notes"].tolist()] if "notes" in frame else []
    )
    doc_iter = iter(nlp.pipe(notes_list, batch_size=64)) if nlp is not None else None
    counts: Counter[tuple[str, str]] = Counter()
    by_actor: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    example_name: dict[str, str] = {}
    side_events: dict[str, Counter[str]] = defaultdict(Counter)
    side_total: Counter[str] = Counter()
    stop = {
        key(w)
        for w in (
            "the",
            "a",
            "an",
            "of",
            "in",
            "on",
            "at",
            "and",
            "to",
            "by",
            "with",
            "from",
            "for",
            "near",
            "was",
            "were",
            "is",
            "are",
            "his",
            "her",
            "their",
            "its",
            "le",
            "la",
            "les",
            "des",
            "de",
            "du",
            "et",
            "un",
            "une",
            "en",
            "au",
            "aux",
            "two",
            "three",
            "one",
            "four",
            "five",
            "several",
        )
    }

    def lineages_of(names) -> dict[str, str]:
        out: dict[str, str] = {}
        for nm in names:
            if isinstance(nm, str) and nm:
                a = reg.normalise(nm)
                if a is not None:
                    lk = reg.lineage(a.name)
                    out[lk] = a.name
                    example_name.setdefault(lk, a.name)
        return out

    seen_notes: set[str] = set()
    phrase_countries: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row in frame.itertuples(index=False):
        notes = getattr(row, "notes", None)
        doc = next(doc_iter) if doc_iter is not None else None
        if not isinstance(notes, str) or not notes:
            continue
        # an event spread over several days repeats its note: one note is one piece of evidence
        nk = key(notes)
        if nk in seen_notes:
            continue
        seen_notes.add(nk)
        row_country = getattr(row, country_column, None) if country_column else None
        side1 = lineages_of(
            [getattr(row, "actor1", None), *split_actors(getattr(row, "assoc_actor_1", None))]
        )
        side2 = lineages_of(
            [getattr(row, "actor2", None), *split_actors(getattr(row, "assoc_actor_2", None))]
        )
        sides = {"1": side1, "2": side2} if doc is not None else {"*": {**side1, **side2}}
        for sd, lins in sides.items():
            side_total[sd] += 1
            side_events[sd].update(lins.keys())
        grams: set[tuple[str, str]] = set()
        if doc is not None:
            for ch in doc.noun_chunks:
                words = [
                    t
                    for t in ch
                    if t.pos_ not in ("DET", "NUM", "PRON", "PUNCT")
                    and t.dep_ not in ("poss", "nummod")
                    and not t.like_num
                ]
                if not words or any(t.pos_ == "PROPN" and not t.text.isupper() for t in words):
                    continue  # proper names of places and people are not actor aliases
                role, _ = _role_of(ch.root)
                if role not in ("agent", "patient"):
                    continue
                sd = "1" if role == "agent" else "2"
                for variant in (words, words[-1:]):
                    g = [x for x in (key(t.text) for t in variant) if x]
                    if (
                        g
                        and len(g) <= max_len
                        and not any(x.isdigit() for x in g)
                        and g[0] not in stop
                        and len("".join(g)) > 2
                    ):
                        grams.add((sd, " ".join(g)))
        else:
            tok_offsets = _tokens_with_offsets(notes)
            toks = [t[2] for t in tok_offsets]
            title = [
                notes[s0].isupper()
                and not notes[s0:e0].isupper()
                and s0 > 0
                and notes[max(0, s0 - 2) : s0].strip() not in (".", "")
                for s0, e0, _ in tok_offsets
            ]
            for i in range(len(toks)):
                for n in range(1, max_len + 1):
                    if i + n > len(toks):
                        break
                    g = toks[i : i + n]
                    if g[0] in stop or g[-1] in stop or any(x.isdigit() for x in g) or any(title[i : i + n]):
                        continue
                    grams.add(("*", " ".join(g)))
        for sd, g in grams:
            counts[(sd, g)] += 1
            if isinstance(row_country, str):
                phrase_countries[(sd, g)][row_country] += 1
            for lk in sides[sd]:
                by_actor[(sd, g)][lk] += 1

    best_of: dict[str, tuple[str, float]] = {}
    for (sd, g), n in counts.items():
        if n < min_count:
            continue
        k = g.replace(" ", "")
        if k in reg._alias or k in reg._relative or k in reg._key_to_name or reg.identity(g):
            continue
        total = max(1, side_total[sd])
        for lk, hits in by_actor[(sd, g)].items():
            prec = hits / n
            lift = prec / (side_events[sd][lk] / total)
            if prec >= min_precision and lift >= min_lift and (g not in best_of or lift > best_of[g][1]):
                # a word for another country's forces ("operation" for French forces in Mali) would be read as
                # the event country's own forces once generalised: not learned
                home = phrase_countries[(sd, g)].most_common(1)[0][0] if phrase_countries[(sd, g)] else None
                a = reg.actors.get(example_name[lk]) if lk in example_name else None
                if home and a is not None and a.inter in (1, 8) and a.country and a.country != home:
                    continue
                best_of[g] = (lk, lift)
    out: dict[str, str] = {}
    for g, (lk, _) in best_of.items():
        # skip phrases that merely contain a curated name, or that the registry already reads as a whole
        if reg.match_text(g, country="Mali") or any(
            m.end - m.start == len(g) for m in reg.match_text(g, country="Mali", generic=True)
        ):
            continue
        out[g] = example_name[lk]
    # keep the shortest informative forms: drop a phrase whose sub-phrase maps to the same actor
    final: dict[str, str] = {}
    for g in sorted(out, key=len):
        if any(f" {s} " in f" {g} " and final[s] == out[g] for s in final):
            continue
        final[g] = out[g]
    return final


def save_aliases(aliases: Mapping[str, str], model_dir) -> str:
    """Write learned aliases to ``model_dir/actor_aliases.json``; returns the path."""
    import json
    from pathlib import Path

    p = Path(model_dir)
    p.mkdir(parents=True, exist_ok=True)
    f = p / "actor_aliases.json"
    f.write_text(
        json.dumps({"version": 1, "aliases": dict(sorted(aliases.items()))}, ensure_ascii=False, indent=1),
        "utf-8",
    )
    return str(f)


def load_aliases(model_dir_or_file) -> dict[str, str]:
    import json
    from pathlib import Path

    p = Path(model_dir_or_file)
    if p.is_dir():
        p = p / "actor_aliases.json"
    raw = json.loads(p.read_text("utf-8"))
    return dict(raw.get("aliases", raw))
