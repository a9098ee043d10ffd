"""Language identification (English and French are supported; anything else is reported, not coded).

langdetect is probabilistic; ``DetectorFactory.seed`` is fixed so the same text always gets the
same answer. Short texts fall back to a stop-word vote, which is more reliable below ~20 words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUPPORTED: tuple[str, ...] = ("en", "fr")

_EN = set(
    "the of and to in is was were that with for on by at from have has had been are this which said".split()
)
_FR = set("le la les des du de et à est sont été une un dans par pour sur que qui au aux ont".split())
_WORD = re.compile(r"[A-Za-zÀ-ÿ']+")


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    code: str | None  # ISO 639-1 ("en", "fr", "es"...), None when nothing could be decided
    probability: float
    supported: bool
    method: str  # "langdetect", "stopwords", "given"


def _stopword_vote(text: str) -> tuple[str | None, float]:
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return None, 0.0
    en = sum(w in _EN for w in words)
    fr = sum(w in _FR for w in words)
    if en == fr:
        return None, 0.0
    code = "en" if en > fr else "fr"
    return code, max(en, fr) / (en + fr)


_EN_STRONG = set(
    "the of and to was were that with for by from have has had been said which this is are".split()
)
_FR_STRONG = set("le les des du et à est sont été une dans par pour sur qui au aux ont selon".split())
_OTHER = set("el los las y del por para una con se do da os em und der die das het een ist".split())


def _clear_vote(text: str) -> tuple[str | None, float]:
    """English or French when the function words leave no doubt (fast path before langdetect)."""
    words = [w.lower() for w in _WORD.findall(text)]
    en = sum(w in _EN_STRONG for w in words)
    fr = sum(w in _FR_STRONG for w in words)
    other = sum(w in _OTHER for w in words)
    if other >= 2 or max(en, fr) < 3:
        return None, 0.0
    p = max(en, fr) / (en + fr)
    if p < 0.9:
        return None, 0.0
    return ("en" if en > fr else "fr"), p


def detect_language(text: str, *, sample_chars: int = 5000) -> LanguageGuess:
    """Guess the language of ``text`` (deterministic)."""
    sample = text[:sample_chars]
    code, p = _clear_vote(sample[:2000])
    if code is not None:
        return LanguageGuess(code, p, True, "stopwords")
    n_words = len(_WORD.findall(sample))
    if n_words < 20:
        code, p = _stopword_vote(sample)
        if code is not None:
            return LanguageGuess(code, p, code in SUPPORTED, "stopwords")
    try:
        from langdetect import DetectorFactory, detect_langs
        from langdetect.lang_detect_exception import LangDetectException

        DetectorFactory.seed = 0
        try:
            best = detect_langs(sample)[0]
        except LangDetectException:
            return LanguageGuess(None, 0.0, False, "langdetect")
        code = best.lang.split("-")[0]
        return LanguageGuess(code, float(best.prob), code in SUPPORTED, "langdetect")
    except ImportError:  # pragma: no cover - langdetect is a dependency, but stay usable without it
        code, p = _stopword_vote(sample)
        return LanguageGuess(code, p, code in SUPPORTED, "stopwords")
