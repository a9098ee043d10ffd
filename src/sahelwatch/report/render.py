"""HTML (Jinja2) and PDF (WeasyPrint) of a Brief. Every number goes through ``n(id)``, which reads the
brief's registry and marks the number with its id, so the appendix lists exactly what the text shows."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pandas as pd
from markupsafe import Markup, escape

from .i18n import (
    ALERT_KINDS,
    COUNTRIES_FR,
    RELATIONS,
    T,
    date,
    event_type_label,
    number,
    percent,
    period_name,
)
from .periods import parse_period

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _env():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _filter_text(f: dict) -> str:
    return "; ".join(f"{k}={', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in f.items())


def context(brief, *, embed: bool) -> dict:
    lang = brief.meta["lang"]
    t = T(lang)
    used: list[str] = []

    def fmt(id_, digits=None):  # noqa: ARG001 - the number's own decimals decide, in the text and the appendix
        x = brief.numbers[id_]
        if x.unit == "%":
            return percent(x.value, lang)
        return number(x.value, lang, x.digits)

    def n(id_, digits=None):  # noqa: ARG001 - the appendix's format is the only one (digits kept for templates)
        if id_ not in brief.numbers:
            raise KeyError(f"the template shows a number not in the brief's registry: {id_}")
        if id_ not in used:
            used.append(id_)
        return Markup(f'<span class="num" data-ref="{escape(id_)}">{escape(fmt(id_))}</span>')

    def name(s):
        return Markup(f'<span class="name">{escape(s)}</span>') if s is not None and s == s else ""

    def fig(key):
        p = brief.figures.get(key)
        if not p:
            return ""
        p = Path(p)
        if embed:
            mime = "image/svg+xml" if p.suffix == ".svg" else "image/png"
            return f"data:{mime};base64,{base64.b64encode(p.read_bytes()).decode()}"
        return p.resolve().as_uri()

    def day(d, fmt_="d MMM y"):
        return Markup(f"<time>{escape(date(d, lang, fmt_))}</time>")

    def change(id_now, id_before):
        a, b_ = brief.numbers[id_now].value, brief.numbers[id_before].value
        if not b_:
            return ""
        return Markup(f'<span class="chg">{escape(percent(round(100 * (a - b_) / b_), lang))}</span>')

    p = parse_period(brief.meta["period"])
    country = brief.meta["country"]
    return {
        "b": brief,
        "t": t,
        "n": n,
        "name": name,
        "fig": fig,
        "day": day,
        "change": change,
        "lang": lang,
        "used": used,
        "fmt": fmt,
        "filter_text": _filter_text,
        "country": COUNTRIES_FR.get(country, country) if lang == "fr" else country,
        "period_plain": period_name(p, lang),
        "period_name": Markup(f"<time>{escape(period_name(p, lang))}</time>"),
        "prev_name": Markup(f"<time>{escape(period_name(p.shift(-1), lang))}</time>"),
        "yago_name": Markup(f"<time>{escape(period_name(p.year_before(), lang))}</time>"),
        "etype": lambda s: event_type_label(s, lang),
        "alert_kind": lambda k: ALERT_KINDS[lang].get(k, k),
        "relation": lambda r: RELATIONS[lang].get(r, r),
        "tables": brief.tables,
        "meta": brief.meta,
        "num": lambda v, d=None: number(v, lang, d),
        "isna": lambda v: v is None or bool(pd.isna(v)),
        "pd": pd,
    }


def render_html(brief, *, embed: bool = True) -> str:
    ctx = context(brief, embed=embed)
    html = _env().get_template("brief.html.j2").render(**ctx)
    # the appendix is rendered after the body, from the numbers the body used, in order of appearance
    appendix = _env().get_template("appendix.html.j2").render(**ctx)
    return html.replace("<!--APPENDIX-->", appendix)


def write_pdf(html: str, path: Path, base: Path | None = None) -> Path:
    from weasyprint import HTML

    HTML(string=html, base_url=str(base or Path.cwd())).write_pdf(str(path))
    return path


def appendix_json(brief) -> str:
    return json.dumps(brief.to_json(), ensure_ascii=False, indent=1, default=str)
