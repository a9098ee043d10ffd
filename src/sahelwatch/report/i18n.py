"""English and French for the briefs: labels, month names and number formats (Babel's CLDR data)."""

from __future__ import annotations

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LOCALES = {"en": "en_GB", "fr": "fr_FR"}

TEXT = {
    "en": {
        "title": "Conflict brief",
        "events": "events",
        "fatalities": "fatalities",
        "killed": "killed",
        "headline": "Headline",
        "period": "Period",
        "previous": "previous period",
        "year_before": "a year before",
        "deteriorated": "deteriorated",
        "improved": "improved",
        "unchanged": "unchanged",
        "admin1": "Region (admin1)",
        "admin2": "District (admin2)",
        "trend": "Trend",
        "vs_prev": "vs previous",
        "vs_year": "vs a year before",
        "map": "Events of the period over the hot spots of the last 12 months",
        "chart": "Events and fatalities, last 12 months",
        "alerts": "Alerts",
        "no_alerts": "No alert was raised in the weeks of the period.",
        "key_events": "Key events",
        "deadliest": "deadliest",
        "first_in_admin2": "first in its district for a year",
        "influence": "Areas of influence and relations between armed groups",
        "access": "Humanitarian access",
        "access_none": "No road file is configured for this brief (sahelwatch brief --roads FILE): roads and "
        "towns cut off are not assessed.",
        "outlook": "Outlook",
        "forecast_for": "Forecast for",
        "scorecard": "How last period's forecast did",
        "appendix": "Data appendix",
        "page": "Page",
        "of": "of",
        "version": "sahelwatch",
        "generated": "Generated",
        "snapshot": "Store snapshot",
        "sources": "Sources",
        "source": "Source",
        "date": "Date",
        "place": "Place",
        "actors": "Actors",
        "toll": "Killed",
        "why": "Why",
        "kind": "Alert",
        "unit": "Unit",
        "count": "Count",
        "baseline": "Baseline",
        "change": "Change",
        "week": "Week",
        "group": "Group",
        "cells": "Cells dominated",
        "contested": "of them contested",
        "relation": "Relation",
        "evidence": "Evidence",
        "p_any": "P(any fatality)",
        "range": "90% range",
        "median": "Median",
        "observed": "Observed",
        "model": "Model",
        "conflictology": "Conflictology",
        "crps": "CRPS",
        "in90": "in 90% interval",
        "id": "Number",
        "value": "Value",
        "filter": "Filter",
        "label": "What",
        "method": "How the arrows are computed",
        "sentence": "Sentence",
        "contents": "Contents",
        "civilians": "violence against civilians",
    },
    "fr": {
        "title": "Note de conjoncture",
        "events": "événements",
        "fatalities": "morts",
        "killed": "morts",
        "headline": "En bref",
        "period": "Période",
        "previous": "période précédente",
        "year_before": "un an plus tôt",
        "deteriorated": "dégradation",
        "improved": "amélioration",
        "unchanged": "stable",
        "admin1": "Région (admin1)",
        "admin2": "Cercle (admin2)",
        "trend": "Tendance",
        "vs_prev": "vs période précédente",
        "vs_year": "vs un an plus tôt",
        "map": "Événements de la période sur les points chauds des 12 derniers mois",
        "chart": "Événements et morts, 12 derniers mois",
        "alerts": "Alertes",
        "no_alerts": "Aucune alerte n'a été levée pendant les semaines de la période.",
        "key_events": "Événements marquants",
        "deadliest": "le plus meurtrier",
        "first_in_admin2": "premier dans son cercle depuis un an",
        "influence": "Zones d'influence et relations entre groupes armés",
        "access": "Accès humanitaire",
        "access_none": "Aucun fichier routier n'est configuré pour cette note (sahelwatch brief --roads FICHIER) : "
        "les routes et les villes coupées ne sont pas évaluées.",
        "outlook": "Perspectives",
        "forecast_for": "Prévision pour",
        "scorecard": "Bilan de la prévision précédente",
        "appendix": "Annexe des données",
        "page": "Page",
        "of": "sur",
        "version": "sahelwatch",
        "generated": "Produit le",
        "snapshot": "État de la base",
        "sources": "Sources",
        "source": "Source",
        "date": "Date",
        "place": "Lieu",
        "actors": "Acteurs",
        "toll": "Morts",
        "why": "Pourquoi",
        "kind": "Alerte",
        "unit": "Unité",
        "count": "Nombre",
        "baseline": "Référence",
        "change": "Variation",
        "week": "Semaine",
        "group": "Groupe",
        "cells": "Cellules dominées",
        "contested": "dont contestées",
        "relation": "Relation",
        "evidence": "Éléments",
        "p_any": "P(au moins un mort)",
        "range": "Intervalle à 90 %",
        "median": "Médiane",
        "observed": "Observé",
        "model": "Modèle",
        "conflictology": "Conflictologie",
        "crps": "CRPS",
        "in90": "dans l'intervalle à 90 %",
        "id": "Nombre",
        "value": "Valeur",
        "filter": "Filtre",
        "label": "Quoi",
        "method": "Calcul des flèches",
        "sentence": "Phrase",
        "contents": "Sommaire",
        "civilians": "violences contre les civils",
    },
}

EVENT_TYPES_FR = {
    "Battles": "Combats",
    "Violence against civilians": "Violences contre les civils",
    "Explosions/Remote violence": "Explosions/violences à distance",
    "Riots": "Émeutes",
    "Protests": "Manifestations",
    "Strategic developments": "Développements stratégiques",
}
ALERT_KINDS = {
    "en": {
        "surge": "surge",
        "trend": "trend",
        "lethality_jump": "lethality jump",
        "spread": "spread",
        "emerging_actor": "new actor",
    },
    "fr": {
        "surge": "hausse brutale",
        "trend": "tendance",
        "lethality_jump": "hausse de la létalité",
        "spread": "extension",
        "emerging_actor": "nouvel acteur",
    },
}
RELATIONS = {
    "en": {},
    "fr": {
        "coordinating": "coordination",
        "independent": "indépendants",
        "rival": "rivaux",
        "insufficient data": "données insuffisantes",
    },
}
COUNTRIES_FR = {
    "Mali": "Mali",
    "Burkina Faso": "Burkina Faso",
    "Niger": "Niger",
    "Mauritania": "Mauritanie",
    "Chad": "Tchad",
    "Senegal": "Sénégal",
    "Guinea": "Guinée",
    "Benin": "Bénin",
    "Togo": "Togo",
    "Ghana": "Ghana",
    "Nigeria": "Nigeria",
    "Algeria": "Algérie",
    "Libya": "Libye",
    "Côte d'Ivoire": "Côte d'Ivoire",
    "Ivory Coast": "Côte d'Ivoire",
}


class T:
    """Translator for one language: ``T("fr")("events")``."""

    def __init__(self, lang: str):
        self.lang = lang
        self.table = TEXT[lang]

    def __call__(self, key: str) -> str:
        return self.table.get(key, TEXT["en"].get(key, key))


def event_type_label(t: str, lang: str) -> str:
    return EVENT_TYPES_FR.get(t, t) if lang == "fr" else t


def month_names(lang: str, width: str = "abbreviated") -> list[str]:
    import datetime as dt

    fmt = "MMM" if width == "abbreviated" else "MMMM"
    return [
        format_date(dt.date(2001, m, 1), fmt, locale=LOCALES[lang]).rstrip(".").capitalize()
        if lang == "en"
        else format_date(dt.date(2001, m, 1), fmt, locale=LOCALES[lang]).rstrip(".")
        for m in range(1, 13)
    ]


def number(v, lang: str, digits: int | None = None) -> str:
    """1,234 / 1 234 (French uses a narrow no-break space); ``digits`` fixes the decimals."""
    if v is None:
        return "–"
    if isinstance(v, bool):
        return str(v)
    if digits is None:
        digits = 0 if float(v).is_integer() else 2
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(v, format=fmt, locale=LOCALES[lang])


def percent(v, lang: str) -> str:
    """A signed percentage from a number of percent: +25 % / +25%."""
    if v is None:
        return "–"
    s = format_percent(abs(v) / 100, locale=LOCALES[lang])
    return ("+" if v > 0 else "−" if v < 0 else "±") + s


def period_name(period, lang: str) -> str:
    """'March 2019' / 'mars 2019', 'Q2 2019' / '2e trimestre 2019', 'week 14 of 2019' / 'semaine 14 de 2019'."""
    loc = LOCALES[lang]
    if period.kind == "month":
        return format_date(period.start.date(), "MMMM y", locale=loc)
    if period.kind == "quarter":
        q = (period.start.month - 1) // 3 + 1
        return (
            f"Q{q} {period.start.year}"
            if lang == "en"
            else f"{q}{'er' if q == 1 else 'e'} trimestre {period.start.year}"
        )
    y, w, _ = period.start.isocalendar()
    days = f"{date(period.start, lang)} – {date(period.end, lang)}"
    return f"week {w} of {y} ({days})" if lang == "en" else f"semaine {w} de {y} ({days})"


def date(d, lang: str, fmt: str = "d MMMM y") -> str:
    import pandas as pd

    return format_date(pd.Timestamp(d).date(), fmt, locale=LOCALES[lang])
