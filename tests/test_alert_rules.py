"""Alert rules (data/alert_rules.yaml), cooldowns, the analyst's state and delivery: a webhook on a real HTTP
server, e-mail to a real SMTP server (aiosmtpd) on 127.0.0.1, an Atom feed, a file; dry run by default."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

import sahelwatch
from sahelwatch.errors import InputError
from sahelwatch.watch import alerting
from sahelwatch.watch.config import Channel

from test_watch import FeedServer


def _events(weekly: dict[str, list[int]], start="2019-01-05", fatal=1):
    """Events per admin1 per ACLED week (Saturday starts), one row per event at the unit's own place."""
    rows, i = [], 0
    coords = {"Mopti": (14.5, -4.2), "Gao": (16.3, -0.0), "Segou": (13.4, -6.3)}
    for unit, counts in weekly.items():
        for w, n in enumerate(counts):
            for k in range(n):
                i += 1
                lat, lon = coords[unit]
                rows.append(
                    {
                        "event_id_cnty": f"T{i}",
                        "event_date": pd.Timestamp(start) + pd.Timedelta(days=7 * w + k % 7),
                        "event_type": "Battles",
                        "sub_event_type": "Armed clash",
                        "country": "Mali",
                        "admin1": unit,
                        "admin2": unit,
                        "location": unit,
                        "latitude": lat,
                        "longitude": lon,
                        "actor1": "Military Forces of Mali (2013-2020)",
                        "inter1": 1,
                        "actor2": "JNIM: Group for Support of Islam and Muslims",
                        "inter2": 2,
                        "fatalities": fatal,
                        "geo_precision": 1,
                    }
                )
    return pd.DataFrame(rows)


def test_surge_alert_carries_its_numbers_and_severity():
    rules = alerting.load_rules()
    df = _events({"Mopti": [2, 2, 2, 2, 9], "Gao": [3, 3, 3, 3, 3]})
    got = alerting.evaluate(df, rules, week="2019-02-02")
    surge = [a for a in got if a.kind == "surge"]
    assert len(surge) == 1
    a = surge[0]
    assert a.place == "admin1:Mopti" and a.severity == "high"  # 9 / 2 = x4.5
    assert a.numbers["latest"] == 9 and a.numbers["baseline"] == 2.0 and a.numbers["measure"] == 4.5
    assert "Surge in Mopti" in a.message
    assert not [x for x in got if x.place == "admin1:Gao" and x.kind == "surge"]  # steady: no surge


def test_cooldown_per_place_and_rule():
    rules = [r for r in alerting.load_rules() if r.id == "surge"]

    def mk(week, place="admin1:Mopti"):
        return alerting.Alert("surge", "surge", "high", place, dt.date.fromisoformat(week), "m")

    raised: dict = {}
    kept, sup = alerting.apply_cooldowns(
        [mk("2019-02-02"), mk("2019-02-09"), mk("2019-02-09", "admin1:Gao"), mk("2019-03-09")], rules, raised
    )
    assert [(a.week.isoformat(), a.place) for a in kept] == [
        ("2019-02-02", "admin1:Mopti"),
        ("2019-02-09", "admin1:Gao"),
        ("2019-03-09", "admin1:Mopti"),
    ]
    assert sup == 1  # a week later, same place: within the 28-day cooldown


def test_rules_file_errors_name_the_rule(tmp_path):
    p = tmp_path / "rules.yaml"
    p.write_text("rules:\n  - id: x\n    kind: surge\n    severity: {high: big}\n", "utf-8")
    with pytest.raises(InputError, match=r"rules.yaml: rule 'x': 'severity'"):
        alerting.load_rules(p)
    p.write_text("rules:\n  - id: x\n    kind: weather\n    severity: {high: 1}\n", "utf-8")
    with pytest.raises(InputError, match="kind 'weather'"):
        alerting.load_rules(p)


def test_cut_off_and_forecast_rules():
    rules = alerting.load_rules()
    tl = pd.DataFrame(
        {
            "town": ["Djibo", "Djibo", "Arbinda", "Arbinda"],
            "week_start": pd.to_datetime(["2019-01-26", "2019-02-02"] * 2),
            "level": ["disrupted", "cut off", "cut off", "cut off"],
            "routes": [3, 3, 2, 2],
            "routes_cut": [1, 3, 2, 2],
            "isolation_index": [0.3, 1.0, 1.0, 1.0],
        }
    )
    fc = pd.DataFrame({"unit": ["Mopti", "Gao"], "probability": [0.93, 0.4]})
    got = alerting.evaluate(pd.DataFrame(), rules, week="2019-02-02", access_timeline=tl, forecast=fc)
    assert [(a.kind, a.place, a.severity) for a in got] == [
        ("cut_off", "town:Djibo", "high"),
        ("forecast", "unit:Mopti", "high"),
    ]


def test_state_and_delivery_webhook_email_atom_file(tmp_path):
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope.content.decode("utf-8", "replace"))
            return "250 OK"

    import socket

    with socket.socket() as sock:  # a free port on loopback
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    web = FeedServer()
    try:
        store = sahelwatch.open(tmp_path / "a.db")
        rules = alerting.load_rules()
        cands = alerting.evaluate(_events({"Mopti": [2, 2, 2, 2, 9]}), rules, week="2019-02-02")
        new, _ = alerting.record(store, cands, rules)
        assert len(new) >= 1
        again, sup = alerting.record(store, cands, rules)
        assert again == [] and sup == len(cands)  # same ids: nothing twice
        channels = [
            Channel("webhook", {"url": web.url + "/hook"}),
            Channel("email", {"host": "127.0.0.1", "port": port, "to": "analyst@example.org"}),
            Channel("atom", {"path": str(tmp_path / "alerts.atom")}),
            Channel("file", {"path": str(tmp_path / "alerts.jsonl")}),
        ]
        dry = alerting.deliver(store, channels)  # the default: a dry run
        assert all(not d.sent for d in dry) and web.posted == [] and inbox.messages == []
        sent = alerting.deliver(store, channels, dry_run=False)
        assert all(d.sent for d in sent), sent
        assert len(web.posted) == 1 and len(web.posted[0]["alerts"]) == len(new)
        assert web.posted[0]["alerts"][0]["numbers"]["latest"] == 9
        assert len(inbox.messages) == 1 and "Surge in Mopti" in inbox.messages[0]
        lines = (tmp_path / "alerts.jsonl").read_text("utf-8").splitlines()
        assert len(lines) == len(new)
        feed = ET.parse(tmp_path / "alerts.atom").getroot()
        assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) == len(new)
        # delivered once: a second delivery sends nothing
        alerting.deliver(store, channels, dry_run=False)
        assert len(web.posted) == 1 and len(inbox.messages) == 1
        # triage
        aid = new[0].alert_id
        row = alerting.set_state(store, aid[:8], "dismissed", note="known clash series")
        assert row["state"] == "dismissed" and row["state_note"] == "known clash series"
        alerting.deliver(store, channels, dry_run=False)
        feed = ET.parse(tmp_path / "alerts.atom").getroot()
        assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) == len(new) - 1
        with pytest.raises(InputError, match="no such alert"):
            alerting.set_state(store, "ffffffff", "acknowledged")
        with pytest.raises(InputError, match="not one of"):
            alerting.set_state(store, aid, "solved")
        assert list(alerting.list_alerts(store, state="dismissed")["alert_id"]) == [aid]
    finally:
        smtp.stop()
        web.close()


def test_a_failing_channel_is_reported_and_retried(tmp_path):
    store = sahelwatch.open(tmp_path / "a.db")
    rules = alerting.load_rules()
    alerting.record(
        store, alerting.evaluate(_events({"Mopti": [2, 2, 2, 2, 9]}), rules, week="2019-02-02"), rules
    )
    ch = [Channel("webhook", {"url": "http://127.0.0.1:9/hook"})]  # nothing listens on port 9
    d = alerting.deliver(store, ch, dry_run=False, timeout=2)
    assert not d[0].sent and d[0].error
    web = FeedServer()
    try:
        d = alerting.deliver(store, [Channel("webhook", {"url": web.url + "/hook"})], dry_run=False)
        assert d[0].sent and len(web.posted) == 1
    finally:
        web.close()


def test_cli_alerts_ack(tmp_path):
    from typer.testing import CliRunner

    from sahelwatch.cli import app

    store = sahelwatch.open(tmp_path / "c.db")
    rules = alerting.load_rules()
    new, _ = alerting.record(
        store, alerting.evaluate(_events({"Mopti": [2, 2, 2, 2, 9]}), rules, week="2019-02-02"), rules
    )
    r = CliRunner().invoke(app, ["alerts", "ack", new[0].alert_id[:10], "--db", str(tmp_path / "c.db")])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(
        app,
        [
            "alerts",
            "list",
            "--state",
            "acknowledged",
            "--db",
            str(tmp_path / "c.db"),
            "-o",
            str(tmp_path / "acked.json"),
        ],
    )
    assert r.exit_code == 0
    assert [a["alert_id"] for a in json.loads((tmp_path / "acked.json").read_text())] == [new[0].alert_id]
