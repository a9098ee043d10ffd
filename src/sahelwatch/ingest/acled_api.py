"""A client for ACLED's API (myACLED OAuth tokens, paging, retries) that yields export-shaped rows.

ACLED replaced its key-and-email API in September 2025: a program now exchanges the myACLED
account's e-mail and password for an OAuth access token (valid 24 hours) and a refresh token
(14 days), then reads ``https://acleddata.com/api/acled/read?_format=json`` with
``Authorization: Bearer <token>``.

    from sahelwatch.ingest.acled_api import AcledClient
    with AcledClient() as client:                      # ACLED_USERNAME / ACLED_PASSWORD from the environment
        for row in client.events(country="Mali", since="2024-01-01", until="2024-03-31"):
            ...                                        # dict[str, str] with ACLED export column names

Rows are what an ACLED CSV export would hold (every value a string, '' when empty, inter codes
numeric), so the ACLED CSV row mapper of ``sahelwatch.ingest.acled`` imports them unchanged.
Credentials and tokens are never logged or shown in errors. See docs/formats.md.
"""

from __future__ import annotations

from importlib.metadata import version as _package_version

import datetime as dt
import logging
import os
import time
from typing import Any, Callable, Iterator, Mapping, Sequence

import httpx

from ..errors import InputError
from ..model import ACLED_COLUMNS
from .. import taxonomy

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://acleddata.com"
TOKEN_PATH = "/oauth/token"
READ_PATH = "/api/acled/read"
CLIENT_ID = "acled"
#: ACLED's text labels for inter codes (the API returns them unless inter_num=1).
INTER_LABELS: dict[str, int] = {
    "": 0,
    "state forces": 1,
    "rebel group": 2,
    "rebel groups": 2,
    "political militia": 3,
    "political militias": 3,
    "identity militia": 4,
    "identity militias": 4,
    "rioters": 5,
    "protesters": 6,
    "civilians": 7,
    "external/other forces": 8,
    "external forces": 8,
    "other forces": 8,
}
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


class AcledApiError(InputError):
    """The ACLED API refused or failed a request; the message says what to check."""


def _mask(username: str) -> str:
    """'analyst@example.org' -> 'a***@example.org' (who, without spelling out the account)."""
    name, at, domain = username.partition("@")
    return (name[:1] + "***" + at + domain) if at else name[:1] + "***"


def _cell(value: Any) -> str:
    """An API value as the text a CSV export holds: '' for null, integers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _inter(value: str) -> str:
    text = value.strip()
    if text == "" or text.isdigit():
        return text or "0"
    code = INTER_LABELS.get(text.lower())
    return str(code) if code is not None else text


def export_row(record: Mapping[str, Any]) -> dict[str, str]:
    """One API record as an ACLED export row: ACLED columns first (in ACLED order), then the rest."""
    row = {k: _cell(v) for k, v in record.items()}
    for name in ("inter1", "inter2"):
        if name in row:
            row[name] = _inter(row[name])
    if "interaction" in row and not row["interaction"].strip().isdigit() and row.get("inter1", "").isdigit():
        row["interaction"] = str(taxonomy.interaction(int(row["inter1"]), int(row.get("inter2") or 0)))
    ordered = {c: row[c] for c in ACLED_COLUMNS if c in row}
    ordered.update({k: v for k, v in row.items() if k not in ordered})
    return ordered


def _day(value: str | dt.date | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise InputError(f"{name}={value!r}: expected a date YYYY-MM-DD") from None


class AcledClient:
    """ACLED API client: OAuth password grant, bearer auth, refresh on expiry or 401, paging, retries.

    ``username``/``password`` default to ``$ACLED_USERNAME``/``$ACLED_PASSWORD`` (the myACLED
    e-mail and password). ``transport`` lets tests replay recorded responses
    (``httpx.MockTransport``); ``sleep`` and ``clock`` are injectable for the same reason.
    """

    def __init__(
        self,
        username: str | None = None,
        password: str | None = None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 120.0,
        max_retries: int = 5,
        backoff: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        username = username if username is not None else os.environ.get("ACLED_USERNAME", "")
        password = password if password is not None else os.environ.get("ACLED_PASSWORD", "")
        if not username or not password:
            raise InputError(
                "ACLED API credentials are missing: set ACLED_USERNAME (your myACLED account e-mail) and "
                "ACLED_PASSWORD (its password) in the environment. Register at https://acleddata.com if you "
                "have no account."
            )
        self._username = username
        self._password = password
        self.base_url = base_url.rstrip("/")
        self.max_retries = max_retries
        self.backoff = backoff
        self._sleep = sleep
        self._clock = clock
        self._access_token: str | None = None
        self._refresh_token: str | None = None
        self._expires_at: float = 0.0
        self._http = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            timeout=timeout,
            headers={
                "User-Agent": f"sahelwatch/{_package_version('sahelwatch')}",
                "Accept": "application/json",
            },
        )

    # -- plumbing -----------------------------------------------------------------------

    def __repr__(self) -> str:  # never show the password or tokens
        return f"AcledClient(username={_mask(self._username)!r}, base_url={self.base_url!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "AcledClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request with retries on 429/5xx and network errors (exponential backoff, Retry-After)."""
        attempt = 0
        while True:
            try:
                response = self._http.request(method, url, **kwargs)
            except httpx.TransportError as exc:
                if attempt >= self.max_retries:
                    raise AcledApiError(
                        f"cannot reach the ACLED API at {self.base_url}: {exc.__class__.__name__}: "
                        f"{exc}. Check the network connection and try again."
                    ) from None
                wait = self.backoff * 2**attempt
                log.warning("ACLED API: %s, retrying in %.1f s", exc.__class__.__name__, wait)
            else:
                if response.status_code not in RETRY_STATUS or attempt >= self.max_retries:
                    return response
                wait = self._retry_after(response) or self.backoff * 2**attempt
                log.warning(
                    "ACLED API: HTTP %d, retrying in %.1f s (attempt %d of %d)",
                    response.status_code,
                    wait,
                    attempt + 1,
                    self.max_retries,
                )
            self._sleep(wait)
            attempt += 1

    @staticmethod
    def _retry_after(response: httpx.Response) -> float | None:
        value = response.headers.get("Retry-After")
        if not value:
            return None
        try:
            return min(float(value), 600.0)
        except ValueError:
            return None

    @staticmethod
    def _error_text(response: httpx.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            return response.text[:200].strip()
        if isinstance(body, dict):
            err = body.get("error")
            if isinstance(err, dict):
                return str(err.get("message") or err)
            parts = [str(body[k]) for k in ("error_description", "message", "hint") if body.get(k)]
            if parts:
                return "; ".join(dict.fromkeys(parts))
            if err:
                return str(err)
        return str(body)[:200]

    # -- authentication -----------------------------------------------------------------

    def _store_token(self, body: Mapping[str, Any]) -> None:
        token = body.get("access_token")
        if not token:
            raise AcledApiError("the ACLED token endpoint answered without an access_token; try again later")
        self._access_token = str(token)
        self._refresh_token = str(body["refresh_token"]) if body.get("refresh_token") else self._refresh_token
        expires_in = float(body.get("expires_in") or 86400)
        self._expires_at = self._clock() + expires_in

    def authenticate(self) -> None:
        """Exchange the account's e-mail and password for tokens (OAuth password grant)."""
        response = self._send(
            "POST",
            TOKEN_PATH,
            data={
                "username": self._username,
                "password": self._password,
                "grant_type": "password",
                "client_id": CLIENT_ID,
            },
        )
        if response.status_code in (400, 401, 403):
            raise AcledApiError(
                f"ACLED rejected the credentials of {_mask(self._username)} (HTTP {response.status_code}: "
                f"{self._error_text(response)}). Check ACLED_USERNAME (the e-mail of your myACLED account) and "
                "ACLED_PASSWORD, and that you can log in at https://acleddata.com."
            )
        if response.status_code != 200:
            raise AcledApiError(
                f"the ACLED token endpoint failed (HTTP {response.status_code}: "
                f"{self._error_text(response)}); try again later"
            )
        self._store_token(response.json())
        log.info("ACLED API: authenticated as %s", _mask(self._username))

    def _refresh(self) -> None:
        """Renew the access token with the refresh token; fall back to the password grant."""
        if self._refresh_token:
            response = self._send(
                "POST",
                TOKEN_PATH,
                data={
                    "grant_type": "refresh_token",
                    "refresh_token": self._refresh_token,
                    "client_id": CLIENT_ID,
                },
            )
            if response.status_code == 200:
                self._store_token(response.json())
                log.info("ACLED API: access token refreshed")
                return
            log.info("ACLED API: refresh token refused (HTTP %d), logging in again", response.status_code)
        self._refresh_token = None
        self.authenticate()

    def _token(self) -> str:
        if self._access_token is None:
            self.authenticate()
        elif self._clock() >= self._expires_at - 60:  # renew a minute before expiry
            self._refresh()
        assert self._access_token is not None
        return self._access_token

    # -- reading ------------------------------------------------------------------------

    def read(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """One GET of /api/acled/read (JSON) with bearer auth; a 401 refreshes the token once."""
        query = {"_format": "json", **params}
        response = None
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {self._token()}"}
            response = self._send("GET", READ_PATH, params=query, headers=headers)
            if response.status_code != 401:
                break
            if attempt == 0:
                log.info("ACLED API: HTTP 401, renewing the access token")
                self._refresh()
        assert response is not None
        if response.status_code == 401:
            raise AcledApiError(
                f"ACLED refused the access token of {_mask(self._username)} even after logging in "
                f"again ({self._error_text(response)}). Check that API access is enabled for the account."
            )
        if response.status_code == 403:
            raise AcledApiError(
                f"ACLED denied API access to {_mask(self._username)} (HTTP 403: {self._error_text(response)}). "
                "Log in at https://acleddata.com and check that the terms of use are accepted, the profile is "
                "complete and your account type includes API access."
            )
        if response.status_code != 200:
            raise AcledApiError(
                f"the ACLED API failed (HTTP {response.status_code}: {self._error_text(response)})"
                + (
                    "; retried " + str(self.max_retries) + " times"
                    if response.status_code in RETRY_STATUS
                    else ""
                )
            )
        try:
            body = response.json()
        except ValueError:
            raise AcledApiError(
                f"the ACLED API answered with something that is not JSON: {response.text[:120]!r}"
            ) from None
        if not isinstance(body, dict) or body.get("success") is False or "data" not in body:
            raise AcledApiError(f"the ACLED API reported an error: {self._error_text(response)}")
        return body

    def events(
        self,
        country: str | Sequence[str] | None = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        page_size: int = 5000,
        **filters: Any,
    ) -> Iterator[dict[str, str]]:
        """Events as ACLED export rows (dict[str, str]), page after page until a short page.

        ``country``: a name or several (one query each); ``since``/``until``: first and last day
        (event_date BETWEEN, >= or <=); other ACLED query filters pass through
        (e.g. ``event_type="Battles"``, ``admin1="Mopti"``).
        """
        if page_size < 1:
            raise InputError(f"page_size must be at least 1, not {page_size}")
        first, last = _day(since, "since"), _day(until, "until")
        if first and last and first > last:
            raise InputError(f"since {first} is after until {last}")
        params: dict[str, Any] = {"inter_num": 1, **{k: v for k, v in filters.items() if v is not None}}
        if first and last:
            params.update(event_date=f"{first}|{last}", event_date_where="BETWEEN")
        elif first:
            params.update(event_date=first, event_date_where=">=")
        elif last:
            params.update(event_date=last, event_date_where="<=")
        countries: list[str | None]
        if country is None:
            countries = [None]
        elif isinstance(country, str):
            countries = [country]
        else:
            countries = list(country)
        for name in countries:
            query = dict(params)
            if name is not None:
                query["country"] = name
            page = 1
            while True:
                body = self.read({**query, "limit": page_size, "page": page})
                data = body.get("data") or []
                log.info("ACLED API: %s page %d: %d rows", name or "all countries", page, len(data))
                for record in data:
                    yield export_row(record)
                if len(data) < page_size:
                    break
                page += 1


__all__ = ["AcledClient", "AcledApiError", "export_row", "DEFAULT_BASE_URL", "TOKEN_PATH", "READ_PATH"]
