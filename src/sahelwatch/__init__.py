"""sahelwatch: conflict monitoring and early warning for the Sahel.

    import sahelwatch
    store = sahelwatch.open("sahelwatch.db")          # or a postgresql:// URL
    df = store.events(countries=["Mali"], since="2019-01-01", actors=["JNIM"])
"""
from __future__ import annotations

__version__ = "0.1.0"


def open(url_or_path: str | None = None, **kwargs):  # noqa: A001 - the public name users expect
    """Open (creating and migrating if needed) an event store by path or SQLAlchemy URL."""
    from .store import EventStore

    return EventStore.open(url_or_path, **kwargs)


__all__ = ["open", "__version__"]


def brief(store, *, country: str, period: str, admin1: str | None = None, lang: str = "en", **kwargs):
    """A briefing's content as data (``sahelwatch.report.brief.Brief``: numbers with their filters, tables,
    figure paths); ``sahelwatch.report.brief.render(b, ["brief.pdf"])`` writes it. See docs/briefings.md."""
    from .report.brief import build

    return build(store, country=country, period=period, admin1=admin1, lang=lang, **kwargs)


__all__ += ["brief"]
