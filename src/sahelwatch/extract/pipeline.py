"""The extraction pipeline: Document → events (ACLED-coded, with provenance) and claims.

    from sahelwatch.extract.pipeline import Pipeline
    pipe = Pipeline.load()                       # rules + registry; Pipeline.load("model/") adds a trained typer
    result = pipe.extract(document)              # ExtractionResult(events, claims, document, messages)
    for result in pipe.pipe(documents, batch_size=64): ...

One spaCy parse per document. The spaCy model runs without the dependency parser and the lemmatizer (the
sentence recogniser gives sentences; our cues match token text), and our component ``sahelwatch_event_cues``
is added by name. Everything else (dates, places, numbers, actors, claims) is a plain function of the text of
one event's sentences, supplied by the modules of ``sahelwatch.extract`` and ``sahelwatch.actors``;
``_Components`` binds them once.

How sentences become events (one event per day and place, the codebook's rule):
 1. a sentence with a trigger cue opens an event candidate; a following sentence joins it unless it names
    another day or another place (so "On 3 May, gunmen attacked X. Two soldiers killed." is one event);
 2. in long documents, sentences that state a pattern ("every week", "since July") are not events;
 3. the candidate's cues, the actors' inter codes and the deaths are typed by ``events.classify`` (or the
    trained model, when loaded); actors are assigned by role with the type as a hint;
 4. events of several documents with the same day, place, type and actors merge (``merge_events``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from ..actors import Registry
from ..gazetteer import Gazetteer
from ..model import Claim, Document, Event, Provenance
from . import coded_places
from . import events as ev
from .actors import ActorRoles, assign_roles
from .claims import find_claims
from .dates import find_dates
from .document_events import DocumentRules
from .nlp import PART_CHARS, SPACY_MODELS, add_sentence_hints, language_code, paragraph_parts
from .nlp import load_spacy as _load_spacy
from .numbers import count_casualties
from .places import capital_mention, context_admin1, place_in_context, resolve_places
from .typing_model import EventTypeModel

log = logging.getLogger(__name__)

#: spaCy components we do not use. The dependency parse is used (actor roles) and gives the sentences;
#: named entities are not (actors and places come from the registry and the gazetteer).
UNUSED = {"en": ("ner",), "fr": ("ner", "lemmatizer")}

REGION_NAME = "Western Africa"


# ============================================================================================ results


@dataclass(slots=True)
class ExtractionResult:
    events: list[Event]
    claims: list[Claim]
    document: Document
    messages: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.events and not self.claims


# ============================================================================================ spaCy


def load_spacy(lang: str = "en", *, fast: bool = True):
    """A fresh spaCy model for ``lang`` ('en' or 'fr', or any form :func:`sahelwatch.extract.nlp.language_code`
    reads), installed as a package (nothing is downloaded). fast=True drops the components extraction does
    not use (``UNUSED``). One loader (``extract.nlp.load_spacy``) serves this module and ``extract.actors``."""
    code = language_code(lang)
    return _load_spacy(code, exclude=UNUSED.get(code, ()) if fast else (), cached=False)


def build_nlp(lang: str = "en", triggers_path: str | None = None):
    """spaCy model + our components registered by name (sentence hints before the parser, event cues last)."""
    ev.register_components()
    nlp = add_sentence_hints(load_spacy(lang))
    nlp.add_pipe(ev.CUE_COMPONENT, config={"triggers_path": triggers_path}, last=True)
    return nlp


# ============================================================================================ components


@dataclass(slots=True)
class DateHit:
    start_char: int
    end_char: int
    date: dt.date
    time_precision: int = 1
    date_end: dt.date | None = None
    text: str = ""


def _logged(call, default, context: str | None):
    try:
        return call()
    except Exception:  # noqa: BLE001 - logged with its traceback; the event keeps no place rather than vanishing
        log.exception("place resolution failed on %.80r", context)
        return default


class _Components:
    """The extraction modules the pipeline calls on each event's text, bound once: dates, deaths,
    places, actors (with the registry, plus any learned aliases) and claims."""

    def __init__(
        self,
        country_focus: str | None = None,
        aliases: str | None = None,
        gazetteer=None,
        region_model=None,
        actors: str | Path | None = None,
    ):
        self.country_focus = country_focus
        #: the actor registry (``actors``: its YAML file, None for the shipped one) plus learned aliases
        self.registry = Registry.load(actors, extra_aliases=aliases)
        #: the gazetteer for toponyms: the shipped one, or with the places of the user's export added
        self.gazetteer = gazetteer
        #: a trained model of which admin1 a note is about (``coded_places.RegionModel``), or None
        self.region_model = region_model

    def dates(self, text: str, reference: dt.date | None) -> list[DateHit]:
        out = [
            DateHit(
                m.start_char,
                m.end_char,
                m.date,
                int(m.time_precision or 1),
                m.date_end if isinstance(m.date_end, dt.date) else None,
                m.text,
            )
            for m in find_dates(text, reference)
            if isinstance(m.date, dt.date)
        ]
        return sorted(out, key=lambda h: h.start_char)

    def casualties(self, text: str, lang: str) -> tuple[int | None, int | None, bool]:
        """(deaths, wounded, unspecified): unspecified when deaths are reported without a number and
        the ACLED default (10 or 3) was applied."""
        r = count_casualties(text, lang)
        return r.fatalities, r.wounded, bool(r.unspecified)

    # -- places: a failure to resolve one text's places is logged and must not lose its event
    def context_admin1(self, text: str, country: str | None):
        """(AdminUnit, share) the groups named in the text point to, or None (``places.context_admin1``)."""
        return _logged(lambda: context_admin1(text, country), None, text) if country else None

    def admin1_unit(self, country: str | None, admin1: str):
        """The admin1 unit of a country by name (None when unknown)."""
        gz = self.gazetteer or Gazetteer.load()
        return _logged(lambda: gz.admin_unit(country, admin1), None, admin1) if country else None

    def capital(self, country: str | None):
        """The country's capital as a country-level place mention (``places.capital_mention``), or None."""
        return _logged(lambda: capital_mention(country), None, country) if country else None

    def places(self, text: str, country: str | None):
        regions = self.region_model.probabilities(text, country) if self.region_model is not None else None
        return _logged(
            lambda: list(
                resolve_places(text, country_focus=country, gazetteer=self.gazetteer, regions=regions) or []
            ),
            [],
            text,
        )

    # -- actors
    def roles(self, span, country: str | None, date: dt.date | None, hint: str | None) -> ActorRoles:
        """Actors by role (``extract.actors.assign_roles``); ``span`` is the spaCy Span (or text) of the event's sentences."""
        return assign_roles(span, country or "Mali", date, event_type_hint=hint, registry=self.registry)

    def civilians(self, country: str) -> str:
        a = self.registry.civilians(country)
        return getattr(a, "name", a) or f"Civilians ({country})"

    def unidentified(self, country: str) -> str:
        a = self.registry.unidentified(country)
        return getattr(a, "name", a) or f"Unidentified Armed Group ({country})"

    # -- claims
    def claims(self, document: Document, doc) -> list[Claim]:
        """Claims of the parsed document, subjects and objects mapped to canonical actor names."""

        def canonical(surface: str) -> str | None:
            actor = self.registry.normalise(surface)
            return actor.name if actor is not None else None

        return find_claims(
            doc, document_id=document.id, published=document.published, normalise_actor=canonical
        )


# ============================================================================================ the pipeline


def _country_name(code_or_name: str | None) -> str | None:
    if not code_or_name:
        return None
    table = ev.load_triggers()["region_countries"]
    return table.get(code_or_name.upper(), code_or_name) if len(code_or_name) == 2 else code_or_name


def _out_of_region(text: str) -> str | None:
    low = text.lower()
    for country, words in ev.load_triggers()["out_of_region_countries"].items():
        for w in words:
            if re.search(rf"\b{re.escape(w)}\b", low):
                return country
    return None


_ANAPHORA = frozenset(
    {
        "they",
        "it",
        "he",
        "she",
        "the",
        "this",
        "these",
        "those",
        "ils",
        "elles",
        "il",
        "elle",
        "ces",
        "cette",
        "cet",
        "l'attaque",
        "les",
    }
)
_VIOLENT = (
    "suicide",
    "air",
    "shelling",
    "grenade",
    "ied",
    "clash",
    "attack",
    "kill",
    "abduct",
    "wounded",
    "sexual",
    "protest",
    "riot",
    "mob",
    "loot",
    "arrest",
)


@dataclass(slots=True)
class _Group:
    sents: list[Any]
    cues: list[ev.Cue]
    date: DateHit | None = None
    place: Any = None  # the locating place that decided the grouping (short documents)
    places: list = field(default_factory=list)  # every place mention of the group's sentences
    pattern: bool = False
    doc_places: list = field(default_factory=list)  # short documents: every place mention of the document
    short: bool = False  # the document is short (an ACLED-style note, a wire item)
    article: bool = False  # the document is an article (read by ``_article_step``)
    lead_places: list = field(default_factory=list)  # articles: the places of the sentence(s) that opened it
    doc_country: str | None = None  # the country the document's places are in (no focus given)
    context: list = field(
        default_factory=list
    )  # every place mention of the document (places.place_in_context)

    def typing_cues(self) -> list:
        """The cues that type the event: in an article, who was hit is read in the sentence that opened it
        (a later sentence names sources, commanders, the aftermath: "security sources said", "the army
        confirmed"); the other cues of the sentences that joined it count."""
        if not self.article or len(self.sents) == 1:
            return self.cues
        first = self.sents[0]
        return [
            c
            for c in self.cues
            if first.start_char <= c.start_char < first.end_char or c.name not in _OPENER_ONLY
        ]

    def local_names(self) -> set[str]:
        """Lower-case names of the towns and admin units the group's sentences place it at."""
        return {(_loc_name(p) or "").lower() for p in self.places if _locating(p) and _local(p)}

    def anchor(self) -> int:
        """Character offset of the event's main verb (first violent cue, else first trigger)."""
        for c in self.cues:
            if c.name in _VIOLENT:
                return c.start_char
        return self.cues[0].start_char if self.cues else self.sents[0].start_char

    @property
    def start_char(self) -> int:
        return self.sents[0].start_char

    @property
    def end_char(self) -> int:
        return self.sents[-1].end_char


#: cue families read only in the sentence that opened an article's event (``_Group.typing_cues``)
_OPENER_ONLY = frozenset({"military_target", "civilian_target", "property"})
#: an undated event sentence joins the event told at most this many sentences before
_JOIN_GAP = 2
#: a dated sentence with no event word sets the time of the event sentences up to this many sentences on
_CONTEXT_GAP = 2


@dataclass(slots=True)
class _ArticleState:
    """Where the reading of an article stands: the event being told, the time the text set."""

    cur: _Group | None = None
    last_si: int = -9
    ctx: DateHit | None = None
    ctx_si: int = -9
    ctx_places: list = field(default_factory=list)
    headline_end: int = 0


#: trigger families of crowds (demonstrations, riots, mobs): told beside an armed attack, another event
_CROWD = frozenset({"protest", "riot", "mob"})


def _crowd_kind(cues, triggers) -> bool | None:
    """True when the cues' event words are all of crowds, False when none are, None when mixed or none."""
    names = {c.name for c in cues} & set(triggers) - {"other", "intervention"}
    if not names:
        return None
    crowd = names & _CROWD
    return None if crowd and crowd != names else bool(crowd)


def _one_sense_per_article(cues: list) -> list:
    """An article about air or drone strikes uses "strike" in that sense throughout ("The strike Saturday came
    a day after..."): there the word is an air strike, not a labour strike."""
    if not any(c.name == "air" for c in cues):
        return cues
    return [
        dataclasses.replace(c, name="air") if c.name == "protest" and c.text.lower() in ev.STRIKE_WORDS else c
        for c in cues
    ]


def _headline_end(text: str) -> int:
    """End offset of an article's headline: its first line when that line has no final stop (a title),
    else 0."""
    stripped = text.lstrip()
    first = stripped.split("\n", 1)[0].rstrip()
    if not first or "\n" not in stripped or first[-1] in '.!?»"”':
        return 0
    return len(text) - len(stripped) + len(first)


class Pipeline:
    """Documents in, ACLED-coded events and claims out."""

    def __init__(
        self,
        nlp,
        lang: str = "en",
        model=None,
        country_focus: str | None = None,
        triggers_path: str | None = None,
        aliases: str | None = None,
        gazetteer=None,
        region_model=None,
        actors: str | Path | None = None,
        rules_files: Sequence[str] = (),
    ):
        self.nlp = nlp
        self.actors = actors
        self.rules_files = tuple(rules_files)
        self.lang = lang
        self.model = model
        self.aliases = aliases
        self.gazetteer = gazetteer
        self.region_model = region_model
        self.components = _Components(country_focus, aliases, gazetteer, region_model, actors)
        self.country_focus = country_focus
        self.triggers = ev.trigger_cues(triggers_path)
        self.doc_rules = DocumentRules.load(rules_files)
        self._other: dict[str, Pipeline] = {}

    # ---------------------------------------------------------------- construction
    @classmethod
    def load(
        cls,
        model_dir: str | Path | None = None,
        lang: str = "en",
        country_focus: str | None = None,
        triggers_path: str | None = None,
        *,
        actors: str | Path | None = None,
        gazetteer: str | Path | None = None,
        rules_files: Sequence[str | Path] = (),
    ) -> "Pipeline":
        """spaCy model for ``lang`` + our components; ``model_dir`` (from ``sahelwatch train``) adds the
        trained event typer, the actor aliases and the places coded in the user's export
        (``extract.coded_places``). ``actors``/``gazetteer``: the reference data to use instead of the
        shipped ones (an actor registry YAML, a gazetteer folder; see :class:`sahelwatch.Settings`).
        ``rules_files`` extend the document-level lists of ``data/rules/document_events.yaml``
        (``extract.document_events``)."""
        nlp = build_nlp(lang, triggers_path)
        model = None
        aliases = None
        base = Gazetteer.load(gazetteer) if gazetteer else None
        gazetteer = base
        region_model = None
        if model_dir:
            model = EventTypeModel.load(model_dir)
            f = Path(model_dir) / "actor_aliases.json"
            aliases = str(f) if f.exists() else None
            if (Path(model_dir) / coded_places.CODED_FILE).exists():
                gazetteer = coded_places.overlay(
                    base or Gazetteer.load(), coded_places.load_places(model_dir)
                )
            region_model = coded_places.RegionModel.load(model_dir)
        return cls(
            nlp,
            lang=lang,
            model=model,
            country_focus=country_focus,
            triggers_path=triggers_path,
            aliases=aliases,
            gazetteer=gazetteer,
            region_model=region_model,
            actors=actors,
            rules_files=tuple(str(f) for f in rules_files),
        )

    @classmethod
    def from_settings(
        cls, settings, model_dir: str | Path | None = None, lang: str = "en", country_focus: str | None = None
    ) -> "Pipeline":
        """The pipeline with the reference data, rules and country focus of a :class:`sahelwatch.Settings`."""
        return cls.load(
            model_dir,
            lang=lang,
            country_focus=country_focus or settings.country,
            triggers_path=str(settings.rules) if settings.rules else None,
            actors=settings.actors,
            gazetteer=settings.gazetteer,
        )

    def _for_language(self, lang: str | None) -> "Pipeline | None":
        if not lang or lang == self.lang:
            return self
        if lang not in SPACY_MODELS:
            return None
        if lang not in self._other:
            p = Pipeline(
                build_nlp(lang),
                lang=lang,
                model=self.model,
                country_focus=self.country_focus,
                aliases=self.aliases,
                gazetteer=self.gazetteer,
                region_model=self.region_model,
                actors=self.actors,
                rules_files=self.rules_files,
            )
            self._other[lang] = p
        return self._other[lang]

    # ---------------------------------------------------------------- public API
    def extract(self, document: Document | str, published: dt.date | str | None = None) -> ExtractionResult:
        document = _page_stamp(_as_document(document, published, self.lang))
        msgs = _refusal(document)
        if msgs:
            return ExtractionResult([], [], document, msgs)
        target = self._for_language(document.language)
        if len(document.text) > target.nlp.max_length:  # read in parts (issue 16): no max_length crash
            return target.extract_in_parts(document)
        return target._extract_parsed(document, target.nlp(document.text))

    def extract_in_parts(self, document: Document, max_chars: int | None = None) -> ExtractionResult:
        """A long document read in paragraph batches (``extract.nlp.paragraph_parts``), with offsets,
        ids and provenance as if it had been read whole."""
        size = max_chars or min(PART_CHARS, self.nlp.max_length)
        parts = paragraph_parts(document.text, size)
        events: list[Event] = []
        claims: list[Claim] = []
        msgs: list[str] = []
        for offset, text in parts:
            sub = dataclasses.replace(document, text=text, meta={**document.meta, "read_in_parts": True})
            r = self._extract_parsed(sub, self.nlp(text))
            for e in r.events:
                for p in {id(x): x for x in [e.provenance, *(e.sources or [])]}.values():
                    if p.char_start is not None:
                        p.char_start += offset
                    if p.char_end is not None:
                        p.char_end += offset
                e.event_id_cnty = (
                    f"SW{hashlib.sha1(f'{document.id}:{e.provenance.char_start}'.encode()).hexdigest()[:10]}"
                )
            for c in r.claims:
                if c.provenance.char_start is not None:
                    c.provenance.char_start += offset
                if c.provenance.char_end is not None:
                    c.provenance.char_end += offset
            events.extend(r.events)
            claims.extend(r.claims)
            msgs.extend(m for m in r.messages if m not in msgs and not m.startswith("no event or claim"))
        events = merge_within_document(events)
        if not events and not claims:
            msgs.append("no event or claim found in this document")
        msgs.append(
            f"read in {len(parts)} parts of at most {size:,} characters ({len(document.text):,} in all)"
        )
        return ExtractionResult(events, claims, document, msgs)

    def pipe(
        self,
        documents: Iterable[Document | str],
        batch_size: int = 64,
        published: dt.date | str | None = None,
    ) -> Iterator[ExtractionResult]:
        """Stream documents through one ``nlp.pipe``; documents in another supported language go through that
        language's pipeline, unsupported ones are reported (not coded)."""
        pending: list[Document] = []

        def texts() -> Iterator[str]:
            for d in documents:
                doc = _page_stamp(_as_document(d, published, self.lang))
                pending.append(doc)
                yield doc.text if _routable(doc, self.lang) and len(doc.text) <= self.nlp.max_length else ""

        for spacy_doc in self.nlp.pipe(texts(), batch_size=batch_size):
            document = pending.pop(0)
            msgs = _refusal(document)
            if msgs:
                yield ExtractionResult([], [], document, msgs)
            elif not _routable(document, self.lang) or len(document.text) > self.nlp.max_length:
                yield self.extract(document)
            else:
                yield self._extract_parsed(document, spacy_doc)

    # ---------------------------------------------------------------- one document
    def _extract_parsed(self, document: Document, doc) -> ExtractionResult:
        msgs: list[str] = []
        reference = document.published
        if reference is None:
            reference = _estimated_publication(document, self.components)
            if reference is not None:
                msgs.append(
                    f"no publication date: relative dates resolved against {reference.isoformat()}, "
                    f"estimated from {document.meta.get('published_estimate')}"
                )
            else:
                msgs.append("no publication date: relative dates resolved against today")
        country = _country_name(document.meta.get("country") or self.country_focus)
        claims = self.components.claims(document, doc)
        claim_starts = {c.provenance.char_start for c in claims if c.provenance.char_start is not None}
        groups = self._groups(doc, document, reference, country, claim_starts)
        events: list[Event] = []
        for n, g in enumerate(groups):
            e = self._event(document, doc, g, n, reference, country)
            if e is not None:
                events.append(e)
        events = merge_within_document(events)
        for c in claims:
            if c.provenance.document_id is None:
                c.provenance.document_id = document.id
        if not events and not claims:
            msgs.append("no event or claim found in this document")
        return ExtractionResult(events, claims, document, msgs)

    def _groups(
        self, doc, document: Document, reference, country, claim_starts: set | frozenset = frozenset()
    ) -> list[_Group]:
        """Sentences → event candidates (one per day and place).

        Short documents (ACLED-style notes, wire items of <= 6 sentences): a trigger sentence opens a
        candidate; later sentences join it unless they name another day or place. Long documents
        (articles): a candidate needs its own date expression (undated statements in articles are
        background, not events); only the next sentence may join, and only when it refers back
        ("They ...", "The attack ...") or adds a toll with no date and place of its own ("Around 15
        attackers were killed in the fighting"); pattern statements ("every week", "since July") are kept only
        when they report deaths (checked in ``_event``).
        """
        cues: list[ev.Cue] = doc._.event_cues or []
        if not cues:
            return []
        if len(list(doc.sents)) > 6:
            cues = _one_sense_per_article(cues)
        sents = list(doc.sents)
        by_sent: dict[int, list[ev.Cue]] = {}
        for c in cues:
            by_sent.setdefault(c.sent, []).append(c)
        long_doc = len(sents) > 6 or bool(document.meta.get("read_in_parts"))  # a part of a long document
        text = document.text
        dates = self.components.dates(text, reference)
        places = self.components.places(text, country)
        if country is None:
            places = self._places_without_focus(text, places)
        groups: list[_Group] = []
        cur: _Group | None = None
        last_date: DateHit | None = None
        state = _ArticleState(headline_end=_headline_end(text) if long_doc else 0)
        for si, sent in enumerate(sents):
            s0, s1 = sent.start_char, sent.end_char
            own_dates = _event_dates_first([d for d in dates if s0 <= d.start_char < s1], text)
            own_all = [p for p in places if s0 <= getattr(p, "start_char", -1) < s1]
            own_places = [p for p in own_all if _locating(p)]
            scues = by_sent.get(si, [])
            has_trigger = any(c.name in self.triggers for c in scues)
            if long_doc:
                # forces dispersing a crowd is an event even with no other event word
                has_trigger = has_trigger or {"intervention", "crowd"} <= {c.name for c in scues}
                self._article_step(
                    doc, sent, si, scues, has_trigger, own_dates, own_all, own_places, state, groups
                )
                continue
            if not has_trigger:
                if own_dates:
                    last_date = own_dates[0]
                if cur is not None and scues and not own_dates and s0 not in claim_starts:
                    # (a sentence that states a claim, "a UN report says ISGS has 500 fighters", is no part
                    # of the event before it: its groups would become the event's actors)
                    cur.sents.append(sent)
                    cur.cues.extend(scues)
                    cur.places.extend(own_all)
                continue
            d = own_dates[0] if own_dates else None
            p = _best_place(own_places) if own_places else None
            if (
                cur is not None
                and (d is None or cur.date is None or d.date == cur.date.date)
                and (p is None or cur.place is None or _same_place(p, cur.place))
            ):
                cur.sents.append(sent)
                cur.cues.extend(scues)
                cur.places.extend(own_all)
                cur.date = cur.date or d
                cur.place = cur.place or p
            else:
                cur = _Group([sent], list(scues), d or last_date, p, list(own_all))
                groups.append(cur)
            if d is not None:
                last_date = d
        for g in groups:
            g.context = places
        if not long_doc:
            for g in groups:
                g.doc_places = places  # a short text's place may sit in a sentence without the event verb
                g.short = True
        if country is None:
            # an event whose own sentences name no place is in the country the document is about
            doc_country = _document_country(places)
            for g in groups:
                g.doc_country = doc_country
        return groups

    def _article_step(
        self,
        doc,
        sent,
        si: int,
        scues,
        has_trigger: bool,
        own_dates: list,
        own_all: list,
        own_places: list,
        st: "_ArticleState",
        groups: list[_Group],
    ) -> None:
        """One sentence of an article (a long document) in the document-level event model.

        - a sentence with a date and no event word sets the time of what follows ("Les faits se sont
          produits jeudi 11 janvier près de Hombori. Une patrouille est tombée dans une embuscade.");
        - an event sentence with a date of its own opens an event, or joins the event before it when it is
          the same day and no other place, a few sentences on (the attack, then its toll);
        - an event sentence told relative to the event before ("the next day", "la veille") opens an event
          on that day;
        - an undated event sentence joins the event before it when it is near and names no other place,
          else opens one at the time the sentence before set; otherwise it is background;
        - aggregates, forecasts and denials (``data/rules/document_events.yaml``) open no event; the
          headline (the first line, no final stop) opens none either (the lead tells the same event).
        """
        rules = self.doc_rules
        text = sent.text
        if not has_trigger:
            if own_dates and not (rules.flags(text) & {"aggregate", "forecast"}):
                st.ctx, st.ctx_si, st.ctx_places = own_dates[0], si, list(own_all)
            return
        if sent.end_char <= st.headline_end + 1:
            return
        flags = rules.flags(text)
        cur = st.cur
        # an event dated only by month or year ("two years ago", "in 2013") takes no later sentence
        near = (
            cur is not None
            and si - st.last_si <= _JOIN_GAP
            and (cur.date is None or cur.date.time_precision != 3)
        )
        local = [p for p in own_places if _local(p)]
        other_place = (
            bool(local)
            and cur is not None
            and bool(cur.local_names())
            and not any((_loc_name(p) or "").lower() in cur.local_names() for p in local)
        )
        kinds = (
            (_crowd_kind(scues, self.triggers), _crowd_kind(cur.cues, self.triggers)) if cur else (None, None)
        )
        if None not in kinds and kinds[0] != kinds[1]:
            # a demonstration and an armed attack told one after the other are two events
            other_place = True

        def join():
            cur.sents.append(sent)
            cur.cues.extend(scues)
            cur.places.extend(own_all)
            st.last_si = si

        def open_(date, lead=()):
            g = _Group(
                [sent],
                list(scues),
                date,
                None,
                list(lead) + list(own_all),
                pattern=ev.is_pattern_statement(scues),
                article=True,
            )
            g.lead_places = list(lead) + list(own_all)
            groups.append(g)
            st.cur, st.last_si = g, si

        if flags & {"forecast", "denial"}:
            return
        shift = rules.relative_days(text)
        said_on = [d for d in own_dates if rules.statement_day(doc.text, d.start_char)]
        own_dates = [d for d in own_dates if d not in said_on]
        if own_dates:
            d = own_dates[0]
            if "aggregate" in flags and d.time_precision != 1:
                return
            if (
                near
                and cur.date is not None
                and d.date == cur.date.date
                and not other_place
                and "another_event" not in flags
            ):
                join()
            else:
                open_(d)
            return
        if "aggregate" in flags:
            return
        if shift is not None and cur is not None and cur.date is not None:
            day = cur.date.date + dt.timedelta(days=shift)
            open_(DateHit(sent.start_char, sent.start_char, day, cur.date.time_precision, None, ""))
            return
        if "another_event" in flags and cur is not None and cur.date is not None:
            open_(cur.date)
        elif near and not other_place:
            join()
        elif st.ctx is not None and si - st.ctx_si <= _CONTEXT_GAP and st.ctx_si > st.last_si:
            open_(
                st.ctx, st.ctx_places
            )  # where and when the sentence before set ("Les faits se sont produits ...")
        elif said_on and not near:
            open_(
                said_on[0]
            )  # told only with the day it was reported: the event is of that day at the latest

    #: countries tried, in turn, as the focus of a document that names no country
    FOCUS_CANDIDATES = ("Mali", "Burkina Faso", "Niger")

    def _places_without_focus(self, text: str, places: list) -> list:
        """A document with no country focus: small places resolve only with a focus (the gazetteer ignores
        unknown hamlets otherwise). A document that names a country of the region is read with it as the
        focus; one that names no country and no known town is read with each core country in turn, and the
        one under which its places resolve best is kept."""
        named: dict[str, int] = {}
        for m in places:
            if (
                getattr(m, "kind", "") == "country"
                and getattr(m, "relation", "") != "border"
                and not getattr(m, "out_of_region", False)
                and getattr(m, "country", None)
            ):
                named[m.country] = named.get(m.country, 0) + 1
        if named:
            # the country the document names (most often; the first named on a tie) is its focus: its small
            # places and spelling variants resolve under it ("enlevé deux enseignants à Arbinda")
            focus = max(named, key=lambda c: named[c])
            return self.components.places(text, focus)
        if any(getattr(m, "kind", "") == "country" for m in places) and not any(
            getattr(m, "kind", "") == "country" and not getattr(m, "out_of_region", False) for m in places
        ):
            return places  # only foreign countries named: a report from elsewhere
        # (a country of the region named only as a border, "près de la frontière du Niger": its towns decide)
        if any(getattr(m, "kind", "") in ("place", "admin") and _coords(m)[0] is not None for m in places):
            # no country named, but known towns: the country they are in is the focus ("à Djibo ... près
            # de Koukoukou": a spelling variant in Burkina Faso, not a namesake in Senegal)
            focus = _document_country(places)
            return self.components.places(text, focus) if focus else places
        best, best_score = places, 0.0
        for c in self.FOCUS_CANDIDATES:
            ms = self.components.places(text, c)
            score = sum(
                getattr(m, "score", 0.5)
                for m in ms
                if getattr(m, "kind", "") in ("place", "admin") and _coords(m)[0] is not None
            )
            if score > best_score + 1e-9:
                best, best_score = ms, score
        return best

    def _event(self, document: Document, doc, g: _Group, n: int, reference, country_hint) -> Event | None:
        text = document.text[g.start_char : g.end_char]
        lead = g.lead_places if any(_local(m) and _located(m) for m in g.lead_places) else []
        # an article's event is where its opening sentence says; later sentences name other places in passing
        place = (
            _best_place(lead, g.anchor(), country_hint)
            if lead
            else _best_place(g.places, g.anchor(), country_hint)
            if g.places
            else g.place
        )
        loc_rule = None
        if getattr(place, "relation", None) == "border":
            place = None  # "near the border with Burkina Faso": not where the event is
        if not (_local(place) and _located(place)) and g.doc_places:
            # "Gunmen robbed an NGO office in Menaka. Two guards wounded.": the event opens on the second
            # sentence, its place is in the first (short documents only)
            alt = _best_place(g.doc_places, g.anchor(), country_hint)
            same_country = getattr(alt, "country", None) == (
                getattr(place, "country", None) or country_hint or getattr(alt, "country", None)
            )
            if _local(alt) and (_located(alt) or not _local(place)) and same_country:
                place, loc_rule = alt, "place from another sentence"
        if loc_rule is None:
            # a coarse place (none, a country, a region, an admin unit): the town the document names in it
            place, loc_rule = place_in_context(
                place,
                g.places,
                g.context,
                anchor=g.anchor(),
                text=document.text,
                span=(g.start_char, g.end_char),
                country=country_hint or g.doc_country,
                gazetteer=self.gazetteer,
            )
        country_hint = country_hint or g.doc_country
        country = (
            getattr(place, "country", None)
            or _country_name(getattr(getattr(place, "place", None), "country_code", None))
            or country_hint
        )
        tags: list[str] = (
            ["location_from_context"] if loc_rule and loc_rule.startswith("the document") else []
        )
        if place is None or getattr(place, "out_of_region", False) or not getattr(place, "country", None):
            oor = _out_of_region(text)
            if oor and (place is None or getattr(place, "kind", "") in ("country", "region", "unknown")):
                country = oor
        if getattr(place, "out_of_region", False) or country in ev.load_triggers()["out_of_region_countries"]:
            tags.append("out_of_region")
        country = country or "Unknown"
        date = g.date
        msgs_conf = 1.0
        if date is None:
            if reference is None:
                return None
            date = DateHit(g.start_char, g.start_char, reference, 1, None, "")
            msgs_conf = 0.7
            tags.append("date_from_publication")
        if g.article and reference is not None and date.date > reference + dt.timedelta(days=1):
            return None  # after the report was written: a plan or a deadline ("until December 31")
        fatalities, wounded, unspecified = self.components.casualties(text, self.lang)
        if (
            g.article
            and date.time_precision == 3
            and not (_local(place) and getattr(place, "relation", "") != "from")
            and not (fatalities and not unspecified)
        ):
            return None  # "in 2013", "two years ago" with no town and no toll: background, not an event
        if g.pattern and (not fatalities or unspecified):
            return None  # a pattern ("attacks every week"), not an event: the claims keep it
        prelim = ev.classify(g.cues, fatalities=fatalities)
        if prelim is None:
            return None
        span = doc[g.sents[0].start : g.sents[-1].end]
        # a short note's claim of responsibility in a sentence of its own ("JNIM claimed responsibility.")
        # names the attacker: the actors are read over it too
        end = span.end
        short = len(doc) <= 400 and not document.meta.get("read_in_parts")
        for sent in (s for s in doc.sents if s.start >= end) if short else ():
            if (
                sent.start != end
                or any(sent.start <= c.token < sent.end for c in doc._.event_cues or [])
                or not any(
                    t.lower_ in ("claimed", "claims", "claim", "revendiqué", "revendique") for t in sent
                )
            ):
                break
            end = sent.end
        span = doc[span.start : end]
        # Typing reads the actors as the text names them (no type hint: a hint from a guess made without
        # the actors would make the actors echo the guess); the actors are then assigned with the type.
        roles = self.components.roles(span, country, date.date, None)
        typing = self._type(text, g.typing_cues(), roles, fatalities)
        if typing is None:
            return None
        roles = self.components.roles(span, country, date.date, typing.event_type)
        roles = _fix_roles(roles, typing, country, self.components, g.cues)
        if fatalities is None:
            fatalities = 0
        prov = Provenance(
            dataset="extract",
            document_id=document.id,
            sentence=text,
            char_start=g.start_char,
            char_end=g.end_char,
            method=typing.method,
            confidence=round(typing.confidence * msgs_conf, 3),
        )
        if loc_rule and loc_rule.startswith("the document"):
            prov.confidence = round(prov.confidence * 0.9, 3)  # a town from another sentence: less sure
        pm = place
        if getattr(pm, "admin1", None) is None and "out_of_region" not in tags:
            # no place with an admin1 (none named, a country, a named region): the region the groups and
            # communities of the text point to, at its capital with geo_precision 3 (ACLED codes a
            # region's capital when only the region is known); flagged, confidence lowered
            guess = self.components.context_admin1(document.text, getattr(pm, "country", None) or country)
            if guess is not None:
                unit, share = guess
                pm = _AdminGuess(unit, country)
                loc_rule = "admin1 from the groups named"
                tags.append("location_from_context")
            elif typing.event_type == "Protests":
                # a demonstration reported with no place: national protests gather in the capital
                cap = self.components.capital(getattr(pm, "country", None) or country)
                if cap is not None:
                    pm, loc_rule = cap, "protest with no place: the capital"
                    tags.append("location_from_context")
            if loc_rule is None and self.region_model is not None:
                # a trained model: the region the note's words point to (learned from the user's export,
                # whose notes are short: an article is judged by the event's own sentences)
                got = self.region_model.predict(
                    document.text if g.short else text, getattr(pm, "country", None) or country
                )
                unit = self.components.admin1_unit(country, got[0]) if got else None
                if unit is not None:
                    pm = _AdminGuess(unit, country)
                    loc_rule = f"admin1 from the note's words (learned, p={got[1]:.2f})"
                    tags.append("location_from_context")
            if loc_rule and "location_from_context" in tags:
                prov.confidence = round(prov.confidence * 0.9, 3)
        lat, lon = _coords(pm) if pm is not None else (None, None)
        e = Event(
            event_id_cnty=f"SW{hashlib.sha1(f'{document.id}:{g.start_char}'.encode()).hexdigest()[:10]}",
            event_date=date.date,
            event_type=typing.event_type,
            sub_event_type=typing.sub_event_type,
            actor1=roles.actor1 or self.components.unidentified(country),
            assoc_actor_1=roles.assoc_actor_1,
            inter1=roles.inter1 if roles.actor1 else 2,
            actor2=roles.actor2,
            assoc_actor_2=roles.assoc_actor_2,
            inter2=roles.inter2 if roles.actor2 else 0,
            country=country,
            time_precision=int(date.time_precision or 1),
            region=REGION_NAME if "out_of_region" not in tags else None,
            admin1=getattr(pm, "admin1", None),
            admin2=getattr(pm, "admin2", None),
            admin3=getattr(pm, "admin3", None),
            location=_loc_name(pm),
            latitude=lat,
            longitude=lon,
            geo_precision=getattr(pm, "geo_precision", None),
            source=document.source,
            notes=" ".join(text.split())[:1000],
            fatalities=int(fatalities),
            tags="; ".join(tags) or None,
            timestamp=int(time.time()),
            date_end=date.date_end,
            wounded=wounded,
            provenance=prov,
            sources=[prov],
            extra={"rule": typing.rule, "document_url": document.url}
            if document.url
            else {"rule": typing.rule},
        )
        if loc_rule:
            e.extra["location_rule"] = loc_rule
        e.civilian_targeting = ev.civilian_targeting(e.event_type, e.sub_event_type, e.inter2)
        return e

    def _type(self, text: str, cues, roles: ActorRoles, fatalities) -> ev.Typing | None:
        i1, i2 = typing_inters(roles)
        if self.model is not None:
            t = self.model.predict_one(text, cues, i1, i2, fatalities)
            if t is not None:
                return t
        return ev.classify(cues, i1, i2, fatalities)


def typing_inters(r: ActorRoles) -> tuple[int, int]:
    """Inter codes as the typing rules see them: officials of a government ("Government of Mali"), who
    are not a fighting force, count as civilians when they are the target."""
    i2 = r.inter2
    if r.actor2 and str(r.actor2).startswith("Government of"):
        i2 = 7
    return r.inter1, i2


def _fix_roles(r: ActorRoles, t: ev.Typing, country: str, comps: _Components, cues=()) -> ActorRoles:
    """Make the actors agree with the codebook for the chosen type (civilians are the victims of violence
    against civilians; protesters and rioters act in demonstrations; an explosion, riot or looting whose
    words name only civilian victims has "Civilians (country)" as actor2)."""
    if (
        not r.actor2
        and t.event_type in ("Explosions/Remote violence", "Riots", "Strategic developments")
        and t.sub_event_type
        in (
            "Remote explosive/landmine/IED",
            "Shelling/artillery/missile attack",
            "Grenade",
            "Suicide bomb",
            "Air/drone strike",
            "Mob violence",
            "Violent demonstration",
            "Looting/property destruction",
        )
        and cues
    ):
        civ, mil = ev.victim_evidence(list(cues))
        # a mob's victims are civilians unless the words say they were armed ("a thief was lynched")
        mob_victims = (
            t.sub_event_type == "Mob violence"
            and mil == 0
            and any(c.name in ("kill", "wounded", "mob") for c in cues)
        )
        if (civ > 0 and mil == 0) or mob_victims:
            r.actor2, r.assoc_actor_2, r.inter2 = comps.civilians(country), None, 7
    if t.event_type == "Violence against civilians":
        if r.inter1 == 7 and r.inter2 != 7:
            r.actor1, r.assoc_actor_1, r.inter1, r.actor2, r.assoc_actor_2, r.inter2 = (
                r.actor2,
                r.assoc_actor_2,
                r.inter2,
                r.actor1,
                r.assoc_actor_1,
                r.inter1,
            )
        if r.inter2 != 7:
            displaced = r.actor2 if r.actor2 and str(r.actor2).startswith("Government of") else None
            r.actor2, r.assoc_actor_2, r.inter2 = comps.civilians(country), displaced, 7
        if not r.actor1:
            r.actor1, r.inter1 = comps.unidentified(country), 2
    elif t.event_type == "Protests" and r.inter1 != 6:
        if r.inter2 == 6:
            r.actor1, r.assoc_actor_1, r.inter1, r.actor2, r.assoc_actor_2, r.inter2 = (
                r.actor2,
                r.assoc_actor_2,
                r.inter2,
                r.actor1,
                r.assoc_actor_1,
                r.inter1,
            )
        else:
            r.actor1, r.assoc_actor_1, r.inter1 = f"Protesters ({country})", None, 6
    elif t.event_type == "Riots" and r.inter1 not in (5,):
        if r.inter2 == 5:
            r.actor1, r.assoc_actor_1, r.inter1, r.actor2, r.assoc_actor_2, r.inter2 = (
                r.actor2,
                r.assoc_actor_2,
                r.inter2,
                r.actor1,
                r.assoc_actor_1,
                r.inter1,
            )
        else:
            r.actor1, r.assoc_actor_1, r.inter1 = f"Rioters ({country})", None, 5
    if t.event_type in ("Protests", "Riots") and t.sub_event_type == "Peaceful protest":
        r.actor2, r.assoc_actor_2, r.inter2 = None, None, 0
    return r


#: a statement about an event, dated apart from it: "ISGS claimed on Wednesday the attack that killed 30 on
#: Sunday", "l'EIGS a revendiqué mercredi l'attaque ... dimanche"
_STATED_ON = re.compile(
    r"(?i)\b(?:claimed|said|announced|confirmed|reported|stated|revendiqué|revendique|annoncé|"
    r"confirmé|indiqué|affirmé|déclaré|rapporté)\s+(?:on\s+|le\s+|ce\s+)?$"
)


def _event_dates_first(own: list, text: str) -> list:
    """A sentence's dates with the event's first: when the first date is the day a statement was made
    and another date follows, the later one is the event's."""
    if len(own) > 1 and _STATED_ON.search(text[max(0, own[0].start_char - 30) : own[0].start_char]):
        return own[1:] + own[:1]
    return own


#: a toll sentence ("Around 15 attackers were killed in the fighting") cues deaths or wounded, and of the other
#: event triggers only these words of the fight itself; any other trigger (IED, abduction, protest...) is news
_TOLL_CUES = frozenset({"kill", "wounded"})
_TOLL_COMPANIONS = frozenset({"attack", "clash", "loot", "withdraw", "other", "intervention", "defused"})


def _toll_only(cues, triggers) -> bool:
    """An article's sentence that adds deaths or wounded to the event before it and names no event of its own
    (checked with no date and no place of its own): it joins that event."""
    names = {c.name for c in cues} & set(triggers)
    return bool(names & _TOLL_CUES) and names <= _TOLL_CUES | _TOLL_COMPANIONS


def _document_country(
    mentions: list, prefer: Sequence[str] = ("Mali", "Burkina Faso", "Niger")
) -> str | None:
    """The country most of a document's places (towns, admin units, the country itself) are in; on a tie
    the one among ``prefer`` (the core countries); None when it names none of the region or the tie stays."""
    n: dict[str, int] = {}
    for m in mentions:
        c = getattr(m, "country", None)
        if (
            c
            and getattr(m, "kind", "") in ("place", "admin", "country")
            and getattr(m, "relation", "") != "border"
            and not getattr(m, "out_of_region", False)
        ):
            n[c] = n.get(c, 0) + 1
    if not n:
        return None
    ranked = sorted(n.items(), key=lambda kv: (-kv[1], kv[0] not in prefer))
    if (
        len(ranked) == 1
        or ranked[0][1] > ranked[1][1]
        or (ranked[0][0] in prefer) != (ranked[1][0] in prefer)
    ):
        return ranked[0][0]
    return None


def _best_place(mentions: list, anchor: int | None = None, focus: str | None = None) -> Any:
    """The mention an ACLED coder would use as the event's location.

    Tiers: a town/admin unit the event is *in/near/between*; a region or country it is in; any other
    town; any region or country. Within a tier a place in the document's focus country (``focus``, an
    ACLED country name) comes before a foreign one ("protests in Dakar and Bamako" in a Mali report), then
    the mention nearest the event's verb (``anchor``) wins (after the verb counts a little nearer than
    before: "attacked the village of X"), else the first."""
    if not mentions:
        return None

    def tier(m) -> int:
        kind = getattr(m, "kind", "place")
        rel = getattr(m, "relation", "in")
        if rel == "between-second":
            return 9
        if rel == "border":
            return 10  # "near the Niger border": says where the event is not, rather than where it is
        local = kind in ("place", "admin", "unknown")
        located = rel in ("in", "near", "between", "admin")
        if _coords(m)[0] is None and kind != "country":
            return 8
        if kind == "admin" and getattr(m, "geo_precision", 1) == 3:
            # "5 km from Youwarou in the Mopti region": a town before its region, a region before
            # named areas and countries
            return 0.5 if located else 2.5
        return (0 if local else 1) if located else (2 if local else 3)

    def dist(m) -> float:
        if anchor is None:
            return getattr(m, "start_char", 0)
        d = getattr(m, "start_char", 0) - anchor
        return d if d >= 0 else -1.5 * d

    def foreign(m) -> int:
        c = getattr(m, "country", None)
        return int(bool(focus and c and c != focus))

    return min(mentions, key=lambda m: (tier(m), foreign(m), dist(m)))


def _located(m) -> bool:
    """The event is said to be in/near/between it (not 'militants from X', not a passing mention)."""
    return getattr(m, "relation", "in") in ("in", "near", "between", "admin")


def _local(m) -> bool:
    """A town, admin unit or named-but-unknown village with coordinates (not a country or a vast region)."""
    return (
        m is not None
        and getattr(m, "kind", "place") in ("place", "admin", "unknown")
        and _coords(m)[0] is not None
    )


@dataclass(slots=True)
class _AdminGuess:
    """An admin1 unit inferred from the text (the groups and communities named, or a trained model of the
    note's words) when no place is named."""

    unit: Any
    country: str | None
    kind: str = "admin"
    relation: str = "context"
    geo_precision: int = 3

    @property
    def admin1(self):
        return self.unit.name

    admin2 = None
    admin3 = None

    @property
    def latitude(self):
        return self.unit.latitude

    @property
    def longitude(self):
        return self.unit.longitude

    @property
    def location(self):
        return self.unit.name


def _coords(m) -> tuple[float | None, float | None]:
    lat = getattr(m, "latitude", None)
    lon = getattr(m, "longitude", None)
    if lat is None:
        pl = getattr(m, "place", None)
        lat, lon = getattr(pl, "latitude", None), getattr(pl, "longitude", None)
    return lat, lon


def _loc_name(m) -> str | None:
    if m is None:
        return None
    name = getattr(m, "location", None)
    if name:
        return name
    pl = getattr(m, "place", None)
    return getattr(pl, "name", None) or getattr(m, "text", None)


def _locating(m) -> bool:
    """A mention that places the event (not a passing mention: 'militants from X')."""
    return getattr(m, "relation", "in") in ("in", "near", "between", "admin") and getattr(
        m, "kind", "place"
    ) in ("place", "admin", "unknown")


def _same_place(a, b) -> bool:
    return (_loc_name(a) or "").lower() == (_loc_name(b) or "").lower()


#: a page's date stamp opening the text, as stored by web archives and search tools: " date 2018-06-25 Title"
_STAMP = re.compile(r"\A\s*date\s+(\d{4})-(\d{2})(?:-(\d{2}))?\b")


def _page_stamp(d: Document) -> Document:
    """A text opening with a page date stamp ("date 2022-07", "date 2018-06-25"): the stamp is metadata,
    not text (it is blanked, so offsets stay), and gives the publication date when none was given (a full
    day) or the month it was published in (``meta['page_month']``)."""
    m = _STAMP.match(d.text or "")
    if not m:
        return d
    y, mo, day = int(m.group(1)), int(m.group(2)), m.group(3)
    try:
        first = dt.date(y, mo, int(day) if day else 1)
    except ValueError:
        return d
    d.text = " " * m.end() + d.text[m.end() :]
    d.meta["page_stamp"] = m.group(0).strip()
    if day and d.published is None:
        d.published = first
        d.meta["published_source"] = "page stamp"
    elif not day:
        d.meta["page_month"] = first.isoformat()[:7]
    return d


def _estimated_publication(document: Document, comps: "_Components") -> dt.date | None:
    """A reference day for a document given no publication date: the latest full date (with its year) the
    text names, not after the end of the month its page stamp gives; else the end of that month; else None
    (today). News reports are published on or after the last day they tell."""
    month = document.meta.get("page_month")
    cap = None
    if month:
        y, mo = int(month[:4]), int(month[5:7])
        cap = dt.date(y + (mo == 12), mo % 12 + 1, 1) - dt.timedelta(days=1)
    cap = min(cap, dt.date.today()) if cap else dt.date.today()
    days = [
        h.date
        for h in comps.dates(document.text, cap if month else None)
        if h.time_precision == 1
        and h.date <= cap
        and (month or re.search(r"\d{4}", h.text))
        and not _relative_word(h.text)
    ]
    if month:
        days = [x for x in days if x.isoformat()[:7] == month] or days
    if days:
        # news is published the day after the last day it tells, or later
        document.meta["published_estimate"] = "the day after the latest day the text names"
        return min(max(days) + dt.timedelta(days=1), cap)
    if month:
        document.meta["published_estimate"] = "the page stamp's month"
        return cap
    return None


_RELATIVE_WORDS = re.compile(
    r"(?i)\b(yesterday|today|tonight|hier|aujourd|ce\s+(?:matin|soir)|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi|"
    r"dimanche|last|dernier|derni[eè]re)\b"
)


def _relative_word(text: str) -> bool:
    """A date expression with no day of the month of its own ("Sunday", "hier"): it cannot date the report."""
    return bool(_RELATIVE_WORDS.search(text)) and not re.search(r"\d", text)


def _as_document(d: Document | str, published, lang: str) -> Document:
    if isinstance(d, Document):
        if published is not None and d.published is None:
            d.published = _to_date(published)
        return d
    text = str(d)
    return Document(
        id=hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:16],
        text=text,
        published=_to_date(published),
        language=None,
    )


def _to_date(v) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v if not isinstance(v, dt.datetime) else v.date()
    return dt.date.fromisoformat(str(v)[:10])


def _refusal(document: Document) -> list[str]:
    if not document.text or not document.text.strip():
        return [f"{document.path or document.id}: empty document, nothing extracted"]
    if document.language and document.language not in SPACY_MODELS:
        return [
            f"{document.path or document.id}: language {document.language!r} is not supported (en, fr); "
            "reported, not coded"
        ]
    if document.meta.get("language_supported") is False:
        return [f"{document.path or document.id}: {document.meta.get('warning', 'unsupported language')}"]
    return []


def _routable(document: Document, lang: str) -> bool:
    return bool(document.text) and (document.language in (None, lang))


# ============================================================================================ merging


def _key(e: Event) -> tuple:
    where = e.location or (
        round(e.latitude, 2) if e.latitude is not None else None,
        round(e.longitude, 2) if e.longitude is not None else None,
    )
    return (e.event_date, where, e.event_type, e.actor1, e.actor2 or "")


def _absorb(into: Event, other: Event) -> None:
    into.sources.extend(other.sources or [other.provenance])
    fs = [f for f in (into.fatalities, other.fatalities) if f]
    into.fatalities = min(fs) if fs else 0  # the most conservative reported figure
    if other.wounded is not None:
        into.wounded = other.wounded if into.wounded is None else min(into.wounded, other.wounded)
    into.provenance.confidence = max(into.provenance.confidence, other.provenance.confidence)
    srcs = [s for s in (into.source, other.source) if s]
    into.source = "; ".join(dict.fromkeys("; ".join(srcs).split("; "))) if srcs else None


def merge_within_document(events: list[Event]) -> list[Event]:
    """One event per day and place inside a document: same day and place and compatible type merge;
    explosions that are part of a battle that day and place belong to the battle."""
    out: list[Event] = []
    for e in events:
        for o in out:
            same_spot = (
                e.event_date == o.event_date and (e.location or None) == (o.location or None) and e.location
            )
            if not same_spot or _place_inferred(e) or _place_inferred(o):
                continue  # (a place taken from the rest of the document does not make two reports one)
            if e.event_type == o.event_type or {e.event_type, o.event_type} == {
                "Battles",
                "Explosions/Remote violence",
            }:
                if o.event_type == "Explosions/Remote violence" and e.event_type == "Battles":
                    o.event_type, o.sub_event_type, o.disorder_type = (
                        e.event_type,
                        e.sub_event_type,
                        e.disorder_type,
                    )
                o.fatalities = (o.fatalities or 0) + (e.fatalities or 0)  # two sentences of one report add up
                o.notes = f"{o.notes} {e.notes}"[:1000]
                o.provenance.char_end = e.provenance.char_end
                break
        else:
            out.append(e)
    return out


def _place_inferred(e: Event) -> bool:
    """The event's place comes from the rest of its document, not its own sentences (places.place_in_context)."""
    return str((e.extra or {}).get("location_rule", "")).startswith("the document")


def merge_events(events: Iterable[Event]) -> list[Event]:
    """Merge reports of the same event from several documents (same day, place, type and actors) into one
    event listing all its sources; the most conservative death toll is kept."""
    merged: dict[tuple, Event] = {}
    for e in events:
        k = _key(e)
        if k in merged:
            _absorb(merged[k], e)
        else:
            if not e.sources:
                e.sources = [e.provenance]
            merged[k] = e
    return list(merged.values())


__all__ = ["Pipeline", "ExtractionResult", "load_spacy", "build_nlp", "merge_events", "merge_within_document"]


def extract_documents(
    pipeline: "Pipeline", documents: list, *, batch_size: int = 16, wrap=lambda results: results
) -> tuple[list, list, list[tuple[object, str]], int]:
    """Run the pipeline over documents: (merged events, claims, (document, message) pairs, events
    before merging). ``wrap`` can put a progress bar around the stream of results."""
    events, claims, messages = [], [], []
    for r in wrap(pipeline.pipe(documents, batch_size=batch_size)):
        messages.extend((r.document, m) for m in r.messages)
        events.extend(r.events)
        claims.extend(r.claims)
    return merge_events(events), claims, messages, len(events)
