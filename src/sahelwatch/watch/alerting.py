"""Alerts as a product: rules from a data file, severity, the numbers that raised each alert, a cooldown per
place and rule, an analyst state (new, acknowledged, dismissed), delivery (webhook, email, Atom, file).

    rules = load_rules()                                   # data/alert_rules.yaml, or a file of your own
    cands = evaluate(events, rules, week="2019-06-08")     # Alert candidates for one ACLED week
    new = record(store, cands)                             # stored, after ids and cooldowns; returns the new ones
    deliver(store, channels, dry_run=True)                 # what would be sent where (nothing is sent)
    set_state(store, alert_id, "acknowledged", note="seen, monitoring")

The measures come from :mod:`sahelwatch.analysis.alerts` (ACLED trend classes, surges, spread, new actors,
lethality), :mod:`sahelwatch.analysis.access` (towns cut off), a forecast table and the watch's source health.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import smtplib
import tempfile
from dataclasses import asdict, dataclass, field
from email.message import EmailMessage
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Sequence
from xml.sax.saxutils import escape

import pandas as pd
import yaml
from sqlalchemy import insert, select, update

from ..analysis.alerts import alerts as weekly_alerts
from ..analysis.units import acled_week
from ..errors import InputError
from ..store import schema

STATES = ("new", "acknowledged", "dismissed")
KINDS = ("trend", "surge", "spread", "emerging_actor", "lethality", "cut_off", "forecast", "source_health")
_ANALYSIS_KIND = {
    "trend": "trend",
    "surge": "surge",
    "spread": "spread",
    "emerging_actor": "emerging_actor",
    "lethality_jump": "lethality",
}


@dataclass
class Rule:
    id: str
    kind: str
    severity: dict[str, float]
    cooldown_days: int = 28
    params: dict[str, Any] = field(default_factory=dict)

    def grade(self, measure: float) -> str | None:
        for name, threshold in sorted(self.severity.items(), key=lambda kv: -kv[1]):
            if measure >= threshold:
                return name
        return None


@dataclass
class Alert:
    rule: str
    kind: str
    severity: str
    place: str
    week: dt.date
    message: str
    admin1: str | None = None
    numbers: dict[str, Any] = field(default_factory=dict)
    state: str = "new"

    @property
    def alert_id(self) -> str:
        return hashlib.sha1(f"{self.rule}|{self.place}|{self.week.isoformat()}".encode()).hexdigest()[:20]

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["week"] = self.week.isoformat()
        d["alert_id"] = self.alert_id
        return d


def load_rules(path: str | Path | None = "default") -> list[Rule]:
    """The rules of a YAML file (default: the shipped data/alert_rules.yaml); errors name the rule and field."""
    if path in (None, "default"):
        text = resources.files("sahelwatch.data").joinpath("alert_rules.yaml").read_text("utf-8")
        where = "data/alert_rules.yaml"
    else:
        where = str(path)
        try:
            text = Path(path).read_text("utf-8")
        except FileNotFoundError:
            raise InputError(f"{where}: no such rules file") from None
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"{where}: not valid YAML ({exc})") from None
    out, ids = [], set()
    for i, r in enumerate(raw.get("rules") or [], start=1):
        w = f"{where}: rule {i}"
        if not isinstance(r, dict) or not r.get("id"):
            raise InputError(f"{w}: 'id' is missing")
        w = f"{where}: rule {r['id']!r}"
        if r["id"] in ids:
            raise InputError(f"{w}: the id is used twice")
        ids.add(r["id"])
        if r.get("kind") not in KINDS:
            raise InputError(f"{w}: kind {r.get('kind')!r} is not one of {', '.join(KINDS)}")
        sev = r.get("severity")
        if not isinstance(sev, dict) or not sev or not all(isinstance(v, (int, float)) for v in sev.values()):
            raise InputError(
                f"{w}: 'severity' must map severity names to thresholds, e.g. {{high: 4, low: 2}}"
            )
        cd = r.get("cooldown_days", 28)
        if not isinstance(cd, int) or cd < 0:
            raise InputError(f"{w}: cooldown_days must be a whole number of days >= 0")
        params = {k: v for k, v in r.items() if k not in ("id", "kind", "severity", "cooldown_days")}
        out.append(Rule(r["id"], r["kind"], {str(k): float(v) for k, v in sev.items()}, cd, params))
    if not out:
        raise InputError(f"{where}: no rules")
    return out


# ------------------------------------------------------------------------------------------ evaluation


def _first(rules: Sequence[Rule], kind: str) -> Rule | None:
    return next((r for r in rules if r.kind == kind), None)


def _measure(kind: str, row: Any) -> float:
    if kind == "trend":
        return abs(float(row.latest) - float(row.baseline or 0))
    if kind == "surge":
        return float(row.latest) / float(row.baseline) if row.baseline else float(row.latest)
    if kind == "lethality":
        return float(row.latest_fatalities or 0)
    return float(row.latest or 0)


def evaluate(
    events: pd.DataFrame,
    rules: Sequence[Rule],
    week=None,
    *,
    unit: str = "admin1",
    access_timeline: pd.DataFrame | None = None,
    forecast: pd.DataFrame | None = None,
    health: Iterable[dict] | None = None,
    today: dt.date | None = None,
) -> list[Alert]:
    """Alert candidates for one ACLED week (default: the week of the latest event). Cooldowns are applied
    by :func:`record` (store) or :func:`apply_cooldowns` (backtests)."""
    out: list[Alert] = []
    w0 = None
    if len(events):
        kw: dict[str, Any] = {}
        if r := _first(rules, "trend"):
            kw.update(
                trend_levels=tuple(r.params.get("levels", ("large rise", "large fall"))),
                min_change=float(r.params.get("min_change", 2)),
            )
        if r := _first(rules, "surge"):
            kw.update(
                surge_factor=float(r.params.get("factor", 2.0)), min_events=int(r.params.get("min_events", 3))
            )
        if r := _first(rules, "spread"):
            kw.update(
                quiet_weeks=int(r.params.get("quiet_weeks", 52)),
                spread_units=tuple(r.params.get("units", ("priogrid", "admin2"))),
            )
        if r := _first(rules, "lethality"):
            kw.update(
                lethality_factor=float(r.params.get("factor", 2.0)),
                min_fatalities=int(r.params.get("min_fatalities", 5)),
            )
        table = weekly_alerts(events, unit, week, **kw)
        w0 = dt.date.fromisoformat(table.attrs["week"])
        for row in table.itertuples(index=False):
            kind = _ANALYSIS_KIND.get(row.kind)
            for rule in (r for r in rules if r.kind == kind):
                sev = rule.grade(_measure(kind, row))
                if sev is None:
                    continue
                place = f"{row.unit_type}:{row.unit}" + (f"|{row.actor}" if kind == "emerging_actor" else "")
                nums = {
                    k: _plain(getattr(row, k))
                    for k in (
                        "latest",
                        "baseline",
                        "baseline_window",
                        "change_pct",
                        "latest_fatalities",
                        "level",
                        "actor",
                    )
                    if getattr(row, k) is not None
                    and not (isinstance(getattr(row, k), float) and pd.isna(getattr(row, k)))
                }
                nums["measure"] = round(_measure(kind, row), 3)
                out.append(Alert(rule.id, kind, sev, place, w0, row.message, row.admin1, nums))
    if w0 is None:
        w0 = acled_week(pd.Timestamp(week or dt.date.today())).date()
    if access_timeline is not None and len(access_timeline):
        out.extend(_cut_off(access_timeline, rules, w0))
    if forecast is not None and len(forecast):
        out.extend(_forecast(forecast, rules, w0))
    if health:  # the health of the sources belongs to the week of today, not of the latest event
        out.extend(_health(list(health), rules, acled_week(pd.Timestamp(today or dt.date.today())).date()))
    return out


def _plain(v: Any) -> Any:
    if hasattr(v, "item"):
        return v.item()
    return v


def _cut_off(tl: pd.DataFrame, rules: Sequence[Rule], w0: dt.date) -> list[Alert]:
    """Towns whose level is 'cut off' in the week ``w0`` and was not in the week before."""
    out = []
    tl = tl.copy()
    tl["week_start"] = pd.to_datetime(tl["week_start"]).dt.date
    now = tl[tl["week_start"] == w0]
    before = tl[tl["week_start"] == w0 - dt.timedelta(days=7)].set_index("town")["level"].to_dict()
    for rule in (r for r in rules if r.kind == "cut_off"):
        for r in now.itertuples(index=False):
            if r.level != "cut off" or before.get(r.town) == "cut off":
                continue
            sev = rule.grade(float(r.routes_cut))
            if sev is None:
                continue
            out.append(
                Alert(
                    rule.id,
                    "cut_off",
                    sev,
                    f"town:{r.town}",
                    w0,
                    f"{r.town} is cut off in the week of {w0}: {int(r.routes_cut)} of {int(r.routes)} routes "
                    f"cut (isolation index {float(r.isolation_index):.2f}; the week before: "
                    f"{before.get(r.town, 'no data')}).",
                    None,
                    {
                        "routes": int(r.routes),
                        "routes_cut": int(r.routes_cut),
                        "isolation_index": round(float(r.isolation_index), 3),
                        "previous_level": before.get(r.town),
                    },
                )
            )
    return out


def _forecast(fc: pd.DataFrame, rules: Sequence[Rule], w0: dt.date) -> list[Alert]:
    """Rows with ``unit`` and ``probability`` (and optionally ``target``, ``period``) above the threshold."""
    missing = {"unit", "probability"} - set(fc.columns)
    if missing:
        raise InputError(f"forecast table: missing column(s) {', '.join(sorted(missing))}")
    out = []
    for rule in (r for r in rules if r.kind == "forecast"):
        thr = float(rule.params.get("threshold", 0.7))
        for r in fc.itertuples(index=False):
            p = float(r.probability)
            if p < thr or (sev := rule.grade(p)) is None:
                continue
            target = getattr(r, "target", "violence")
            period = getattr(r, "period", "next period")
            out.append(
                Alert(
                    rule.id,
                    "forecast",
                    sev,
                    f"unit:{r.unit}",
                    w0,
                    f"Forecast: {p:.0%} probability of {target} in {r.unit} ({period}), above {thr:.0%}.",
                    getattr(r, "admin1", None),
                    {"probability": p, "threshold": thr, "target": target, "period": str(period)},
                )
            )
    return out


def _health(health: list[dict], rules: Sequence[Rule], w0: dt.date) -> list[Alert]:
    out = []
    for rule in (r for r in rules if r.kind == "source_health"):
        for h in health:
            if h["flag"] == "ok":
                continue
            sev = rule.grade(float(h.get("overdue_hours") or 0)) or "low"
            out.append(
                Alert(
                    rule.id,
                    "source_health",
                    sev,
                    f"source:{h['source']}",
                    w0,
                    f"Source {h['source']} is {h['flag']}: {h['detail']}",
                    None,
                    {
                        k: h.get(k)
                        for k in ("flag", "failures", "overdue_hours", "items_last", "last_success")
                    },
                )
            )
    return out


def apply_cooldowns(
    candidates: Iterable[Alert], rules: Sequence[Rule], raised: dict[tuple[str, str], dt.date]
) -> tuple[list[Alert], int]:
    """Keep the candidates whose rule and place have not raised within the rule's cooldown; ``raised``
    (rule, place) -> week of the last alert is updated. Returns (kept, suppressed)."""
    cd = {r.id: r.cooldown_days for r in rules}
    kept, suppressed = [], 0
    for a in candidates:
        last = raised.get((a.rule, a.place))
        if last is not None and last != a.week and (a.week - last).days < cd.get(a.rule, 28):
            suppressed += 1
            continue
        if last == a.week:
            suppressed += 1
            continue
        raised[(a.rule, a.place)] = a.week
        kept.append(a)
    return kept, suppressed


# ------------------------------------------------------------------------------------------ the store


def record(
    store, candidates: Iterable[Alert], rules: Sequence[Rule], *, conn=None
) -> tuple[list[Alert], int]:
    """Store the candidates that are new (by id) and out of cooldown; returns (new alerts, suppressed)."""
    a = schema.alerts
    cands = list(candidates)
    if not cands:
        return [], 0
    own = conn is None
    ctx = store.engine.begin() if own else _Nullctx(conn)
    with ctx as c:
        raised: dict[tuple[str, str], dt.date] = {}
        for r in c.execute(select(a.c.rule, a.c.place, a.c.week)):
            if r.week is not None and ((r.rule, r.place) not in raised or r.week > raised[(r.rule, r.place)]):
                raised[(r.rule, r.place)] = r.week
        kept, suppressed = apply_cooldowns(sorted(cands, key=lambda x: x.week), rules, raised)
        now = dt.datetime.now(dt.timezone.utc)
        for al in kept:
            c.execute(
                insert(a).values(
                    alert_id=al.alert_id,
                    rule=al.rule,
                    kind=al.kind,
                    severity=al.severity,
                    place=al.place,
                    admin1=al.admin1,
                    week=al.week,
                    numbers=json.dumps(al.numbers, default=str, sort_keys=True),
                    message=al.message,
                    state="new",
                    raised_at=now,
                )
            )
    return kept, suppressed


class _Nullctx:
    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        return self.conn

    def __exit__(self, *exc):
        return False


def list_alerts(store, state: str | None = None, rule: str | None = None) -> pd.DataFrame:
    a = schema.alerts
    q = select(a).order_by(a.c.week.desc(), a.c.raised_at.desc(), a.c.alert_id)
    if state:
        if state not in STATES:
            raise InputError(f"state {state!r} is not one of {', '.join(STATES)}")
        q = q.where(a.c.state == state)
    if rule:
        q = q.where(a.c.rule == rule)
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    return pd.DataFrame(rows, columns=[c.name for c in a.columns])


def set_state(store, alert_id: str, state: str, note: str | None = None) -> dict:
    """The analyst's triage: new -> acknowledged | dismissed (and back to new). Unknown ids are an error."""
    if state not in STATES:
        raise InputError(f"state {state!r} is not one of {', '.join(STATES)}")
    a = schema.alerts
    with store.engine.begin() as conn:
        rows = conn.execute(select(a.c.alert_id).where(a.c.alert_id.like(f"{alert_id}%"))).all()
        if not rows:
            raise InputError(f"alert {alert_id!r}: no such alert (see `sahelwatch alerts list`)")
        if len(rows) > 1:
            raise InputError(f"alert {alert_id!r}: {len(rows)} alerts start so; give more of the id")
        full = rows[0][0]
        conn.execute(
            update(a)
            .where(a.c.alert_id == full)
            .values(state=state, state_at=dt.datetime.now(dt.timezone.utc), state_note=note)
        )
        row = conn.execute(select(a).where(a.c.alert_id == full)).one()
    return dict(row._mapping)


# ------------------------------------------------------------------------------------------ delivery


def channel_key(ch) -> str:
    o = ch.options
    return f"{ch.kind}:{o.get('url') or o.get('path') or o.get('to')}"


@dataclass
class Delivery:
    channel: str
    alerts: int
    sent: bool
    error: str | None = None


def deliver(store, channels: Sequence[Any], *, dry_run: bool = True, timeout: float = 10.0) -> list[Delivery]:
    """Send every alert in state 'new' not yet delivered to a channel. Dry run (the default) sends nothing and
    says what would go where. A failed channel is retried at the next cycle (nothing is marked delivered)."""
    a = schema.alerts
    out: list[Delivery] = []
    with store.engine.connect() as conn:
        rows = [
            dict(r._mapping)
            for r in conn.execute(select(a).where(a.c.state == "new").order_by(a.c.week, a.c.alert_id))
        ]
    for ch in channels:
        key = channel_key(ch)
        todo = [r for r in rows if key not in json.loads(r["delivered"] or "{}")]
        if ch.kind == "atom":  # the feed is rebuilt from every alert not dismissed, whether new or not
            todo_all = list_alerts(store)
            todo_all = todo_all[todo_all["state"] != "dismissed"]
        if not todo and ch.kind != "atom":
            out.append(Delivery(key, 0, False))
            continue
        if dry_run:
            out.append(Delivery(key, len(todo), False, "dry run: nothing sent"))
            continue
        payload = [_public(r) for r in todo]
        try:
            if ch.kind == "webhook":
                import httpx

                resp = httpx.post(
                    ch.options["url"],
                    json={"source": "sahelwatch", "alerts": payload},
                    timeout=timeout,
                    headers=ch.options.get("headers") or {},
                )
                if resp.status_code >= 300:
                    raise OSError(f"HTTP {resp.status_code}")
            elif ch.kind == "email":
                _email(ch.options, payload, timeout)
            elif ch.kind == "file":
                with open(ch.options["path"], "a", encoding="utf-8") as fh:
                    for p in payload:
                        fh.write(json.dumps(p, ensure_ascii=False, default=str) + "\n")
            elif ch.kind == "atom":
                write_atom(
                    ch.options["path"],
                    [_public(dict(r)) for r in todo_all.to_dict("records")],
                    title=ch.options.get("title", "sahelwatch alerts"),
                )
        except (OSError, smtplib.SMTPException, Exception) as exc:  # noqa: BLE001 - every channel failure is reported
            out.append(Delivery(key, len(todo), False, f"{type(exc).__name__}: {exc}"))
            continue
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with store.engine.begin() as conn:
            for r in todo:
                d = json.loads(r["delivered"] or "{}")
                d[key] = now
                r["delivered"] = json.dumps(d)  # the next channel adds to it
                conn.execute(update(a).where(a.c.alert_id == r["alert_id"]).values(delivered=r["delivered"]))
        out.append(Delivery(key, len(todo), True))
    return out


def _public(r: dict) -> dict:
    d = {
        k: r.get(k)
        for k in ("alert_id", "rule", "kind", "severity", "place", "admin1", "week", "message", "state")
    }
    d["week"] = str(d["week"])[:10] if d["week"] is not None else None
    d["numbers"] = json.loads(r["numbers"]) if isinstance(r.get("numbers"), str) else (r.get("numbers") or {})
    d["raised_at"] = str(r.get("raised_at"))
    return d


def _email(o: dict, payload: list[dict], timeout: float) -> None:
    msg = EmailMessage()
    msg["Subject"] = f"[sahelwatch] {len(payload)} new alert(s)"
    msg["From"] = o.get("from", "sahelwatch@localhost")
    to = o["to"] if isinstance(o["to"], list) else [o["to"]]
    msg["To"] = ", ".join(to)
    lines = [f"- [{p['severity']}] {p['message']} (rule {p['rule']}, id {p['alert_id']})" for p in payload]
    msg.set_content("New alerts:\n\n" + "\n".join(lines) + "\n\nTriage: sahelwatch alerts ack|dismiss ID\n")
    with smtplib.SMTP(o["host"], int(o.get("port", 25)), timeout=timeout) as s:
        if o.get("starttls"):
            s.starttls()
        if o.get("user"):
            s.login(o["user"], os.environ.get(o.get("password_env", "SAHELWATCH_SMTP_PASSWORD"), ""))
        s.send_message(msg)


def write_atom(path: str | Path, alerts: list[dict], title: str = "sahelwatch alerts") -> None:
    """An Atom 1.0 feed of the alerts (newest first), written atomically."""
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    entries = []
    for p in alerts:
        entries.append(
            "  <entry>\n"
            f"    <id>urn:sahelwatch:alert:{escape(p['alert_id'])}</id>\n"
            f"    <title>[{escape(p['severity'])}] {escape(p['rule'])}: {escape(p['place'])}</title>\n"
            f"    <updated>{escape(p['raised_at'].replace(' ', 'T'))}</updated>\n"
            f'    <category term="{escape(p["kind"])}"/>\n'
            f"    <summary>{escape(p['message'])}</summary>\n"
            f'    <content type="text">{escape(json.dumps(p["numbers"], sort_keys=True, default=str))}</content>\n'
            "  </entry>"
        )
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"  <title>{escape(title)}</title>\n  <id>urn:sahelwatch:alerts</id>\n  <updated>{now}</updated>\n"
        + "\n".join(entries)
        + "\n</feed>\n"
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".atom")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(xml)
    os.replace(tmp, path)
