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
