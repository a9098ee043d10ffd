// sahelwatch dashboard. Every piece of text that comes from the store (articles, notes, actor names) is
// inserted as text (textContent / text nodes), never as markup.
import maplibregl from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import "./style.css";
import { I18N } from "./i18n.js";

const TYPE_COLOURS = {
  "Battles": "#b2182b",
  "Explosions/Remote violence": "#e08214",
  "Violence against civilians": "#6a3d9a",
  "Protests": "#2166ac",
  "Riots": "#c9a100",
  "Strategic developments": "#4d7d2a",
};
const OTHER_COLOUR = "#7f7f7f";
const GROUP_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#a6761d", "#1f78b4", "#b15928"];
const DAY_MS = 86400000;

const S = {
  lang: "en", filters: {}, bbox: null, layers: new Set(["events"]), ev: null, tab: "card",
  window: null, points: null, months: [], types: [], view: null,
};
window.__sw = S;                                  // for the tests and the benchmark: timings and state
S.perf = { t0: performance.now() };

// ------------------------------------------------------------------------------------------ helpers
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}
const $ = (id) => document.getElementById(id);
const t = (key) => (I18N[S.lang] && I18N[S.lang][key]) || I18N.en[key] || key;
const fmtInt = (n) => new Intl.NumberFormat(S.lang === "fr" ? "fr-FR" : "en-GB").format(n);
const dayToIso = (d) => new Date(d * DAY_MS).toISOString().slice(0, 10);
const isoToDay = (s) => Math.floor(Date.parse(s + "T00:00:00Z") / DAY_MS);
const monthOfDay = (d) => dayToIso(d).slice(0, 7);

async function api(path, params) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v === null || v === undefined || v === "") continue;
    if (Array.isArray(v)) v.forEach((x) => url.searchParams.append(k, x));
    else url.searchParams.set(k, v);
  }
  const r = await fetch(url);
  const body = await r.json().catch(() => ({}));
  if (!r.ok) {
    const err = new Error(body.detail || `${r.status}`);
    err.status = r.status;
    throw err;
  }
  return body;
}

function serverFilters() {
  const f = S.filters, p = {};
  if (f.country) p.country = f.country;
  if (f.admin1) p.admin1 = f.admin1;
  if (f.admin2) p.admin2 = f.admin2;
  if (f.actor) p.actor = f.actor;
  if (f.types && f.types.length) p.event_type = f.types;
  if (f.min_fatalities) p.min_fatalities = f.min_fatalities;
  if (f.since) p.since = f.since;
  if (f.until) p.until = f.until;
  if (S.bbox) p.bbox = S.bbox.join(",");
  return p;
}

// The time window narrows the server filters: exports and analyses use exactly what the map shows.
function selectionFilters() {
  const p = serverFilters();
  if (S.window && S.months.length) {
    const [a, b] = S.window;
    const first = S.months[a] + "-01";
    const lastMonth = S.months[b];
    const [y, m] = lastMonth.split("-").map(Number);
    const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    if (!p.since || first > p.since) p.since = first;
    if (!p.until || last < p.until) p.until = last;
  }
  return p;
}

// ------------------------------------------------------------------------------------------ URL state
function readUrl() {
  const q = new URLSearchParams(location.search);
  S.lang = q.get("lang") === "fr" ? "fr" : (q.get("lang") === "en" ? "en" : ((navigator.language || "en").startsWith("fr") ? "fr" : "en"));
  S.filters = {
    country: q.get("country") || "", admin1: q.get("admin1") || "", admin2: q.get("admin2") || "",
    actor: q.get("actor") || "", types: (q.get("types") || "").split("|").filter(Boolean),
    min_fatalities: q.get("minfat") || "", since: q.get("since") || "", until: q.get("until") || "",
  };
  const bb = (q.get("bbox") || "").split(",").map(Number);
  S.bbox = bb.length === 4 && bb.every(Number.isFinite) ? bb : null;
  if (q.get("layers") !== null) S.layers = new Set(q.get("layers").split(",").filter(Boolean));
  S.ev = q.get("ev");
  S.tab = q.get("tab") || "card";
  S.urlWindow = q.get("w");
  const c = (q.get("c") || "").split(",").map(Number), z = Number(q.get("z"));
  S.view = c.length === 2 && c.every(Number.isFinite) && Number.isFinite(z) ? { center: c, zoom: z } : null;
}

let urlTimer = null;
function writeUrl() {
  clearTimeout(urlTimer);
  urlTimer = setTimeout(() => {
    const q = new URLSearchParams();
    q.set("lang", S.lang);
    const f = S.filters;
    for (const [k, v] of [["country", f.country], ["admin1", f.admin1], ["admin2", f.admin2], ["actor", f.actor],
      ["minfat", f.min_fatalities], ["since", f.since], ["until", f.until]]) if (v) q.set(k, v);
    if (f.types && f.types.length) q.set("types", f.types.join("|"));
    if (S.bbox) q.set("bbox", S.bbox.map((x) => x.toFixed(3)).join(","));
    q.set("layers", [...S.layers].join(","));
    if (S.window && S.months.length) q.set("w", `${S.months[S.window[0]]},${S.months[S.window[1]]}`);
    if (S.ev) q.set("ev", S.ev);
    if (S.tab !== "card") q.set("tab", S.tab);
    if (map) {
      const c = map.getCenter();
      q.set("c", `${c.lng.toFixed(3)},${c.lat.toFixed(3)}`);
      q.set("z", map.getZoom().toFixed(2));
    }
    history.replaceState(null, "", `${location.pathname}?${q.toString()}`);
  }, 150);
}

// ------------------------------------------------------------------------------------------ language
function applyLang() {
  document.documentElement.lang = S.lang;
  for (const n of document.querySelectorAll("[data-i18n]")) n.textContent = t(n.dataset.i18n);
  $("lang-en").classList.toggle("on", S.lang === "en");
  $("lang-fr").classList.toggle("on", S.lang === "fr");
  $("lang-en").setAttribute("aria-pressed", S.lang === "en");
  $("lang-fr").setAttribute("aria-pressed", S.lang === "fr");
  renderTypes();
  renderLegend();
  renderSummary();
  drawTimeline();
  if (S.lastCard) renderCard(S.lastCard);
  if (S.tab === "alerts") loadAlerts();
  if (S.tab === "network") loadNetwork();
}

// ------------------------------------------------------------------------------------------ map
let map = null;

function initMap() {
  map = new maplibregl.Map({
    container: "map",
    style: {
      version: 8,
      sources: {
        countries: { type: "geojson", data: "/api/outlines/countries" },
        admin1: { type: "geojson", data: "/api/outlines/admin1" },
      },
      layers: [
        { id: "bg", type: "background", paint: { "background-color": "#dfe7ec" } },
        { id: "countries-fill", type: "fill", source: "countries", paint: { "fill-color": "#f7f6f2" } },
        { id: "admin1-line", type: "line", source: "admin1", paint: { "line-color": "#b9b5aa", "line-width": 0.6 } },
        { id: "countries-line", type: "line", source: "countries", paint: { "line-color": "#6f6a5f", "line-width": 1.1 } },
      ],
    },
    center: S.view ? S.view.center : [-2.0, 15.0],
    zoom: S.view ? S.view.zoom : 4.6,
    attributionControl: false,
    fadeDuration: 0,
  });
  S.map = map;
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-left");
  map.addControl(new maplibregl.AttributionControl({ compact: true, customAttribution: "Natural Earth · GeoNames (CC BY 4.0)" }));
  map.on("moveend", writeUrl);
  return new Promise((resolve) => map.on("load", resolve));
}

function addEventLayers(types) {
  const props = {};
  types.forEach((ty, i) => { props[`t${i}`] = ["+", ["case", ["==", ["get", "t"], i], 1, 0]]; });
  props.fat = ["+", ["get", "f"]];
  map.addSource("events", { type: "geojson", data: { type: "FeatureCollection", features: [] }, cluster: true,
    clusterRadius: 38, clusterMaxZoom: 11, clusterProperties: props });
  // a cluster takes the colour of its most frequent event type
  let best = ["literal", OTHER_COLOUR];
  const colourCase = ["case"];
  types.forEach((ty, i) => {
    const others = types.map((_, j) => j).filter((j) => j !== i);
    colourCase.push(["all", ...others.map((j) => [">=", ["get", `t${i}`], ["get", `t${j}`]])], TYPE_COLOURS[ty] || OTHER_COLOUR);
  });
  colourCase.push(OTHER_COLOUR);
  best = colourCase;
  const pointColour = ["match", ["get", "t"], ...types.flatMap((ty, i) => [i, TYPE_COLOURS[ty] || OTHER_COLOUR]), OTHER_COLOUR];
  map.addLayer({ id: "clusters", type: "circle", source: "events", filter: ["has", "point_count"], paint: {
    "circle-color": best, "circle-opacity": 0.78, "circle-stroke-color": "#ffffff", "circle-stroke-width": 1.2,
    "circle-radius": ["interpolate", ["linear"], ["sqrt", ["get", "point_count"]], 1, 8, 10, 18, 40, 34, 120, 48] } });
  map.addLayer({ id: "points", type: "circle", source: "events", filter: ["!", ["has", "point_count"]], paint: {
    "circle-color": pointColour, "circle-opacity": 0.9, "circle-stroke-color": "#ffffff", "circle-stroke-width": 1,
    "circle-radius": ["interpolate", ["linear"], ["get", "f"], 0, 4.5, 10, 7, 100, 11] } });
  map.addLayer({ id: "points-selected", type: "circle", source: "events", filter: ["==", ["get", "id"], ""], paint: {
    "circle-color": "rgba(0,0,0,0)", "circle-stroke-color": "#111", "circle-stroke-width": 2.5, "circle-radius": 10 } });
  map.on("click", "clusters", async (e) => {
    const f = e.features[0];
    const z = await map.getSource("events").getClusterExpansionZoom(f.properties.cluster_id);
    map.easeTo({ center: f.geometry.coordinates, zoom: Math.min(z, 14) });
  });
  map.on("click", "points", (e) => openEvent(e.features[0].properties.id));
  for (const id of ["clusters", "points"]) {
    map.on("mouseenter", id, () => { map.getCanvas().style.cursor = "pointer"; });
    map.on("mouseleave", id, () => { map.getCanvas().style.cursor = ""; });
  }
  map.on("render", updateClusterLabels);
}

// Cluster counts as HTML labels (no glyph server needed); a few hundred at most.
const labelPool = new Map();
let labelFrame = 0;
function updateClusterLabels() {
  if (!map.getSource("events") || !map.isSourceLoaded("events")) return;
  if (labelFrame) return;
  labelFrame = requestAnimationFrame(() => {
    labelFrame = 0;
    const feats = S.layers.has("events") ? map.querySourceFeatures("events", { filter: ["has", "point_count"] }) : [];
    const seen = new Set();
    for (const f of feats.slice(0, 400)) {
      const id = f.properties.cluster_id;
      if (seen.has(id)) continue;
      seen.add(id);
      let m = labelPool.get(id);
      if (!m) {
        const node = el("div", { class: "cluster-label" }, fmtInt(f.properties.point_count));
        m = new maplibregl.Marker({ element: node }).setLngLat(f.geometry.coordinates).addTo(map);
        labelPool.set(id, m);
      }
    }
    for (const [id, m] of labelPool) if (!seen.has(id)) { m.remove(); labelPool.delete(id); }
  });
}

// ------------------------------------------------------------------------------------------ data
async function loadPoints() {
  const t0 = performance.now();
  $("summary").textContent = t("loading");
  const data = await api("/api/map/points", serverFilters());
  // the server's type indexes follow its taxonomy; the map's follow TYPE_COLOURS
  const order = Object.keys(TYPE_COLOURS);
  const remap = data.types.map((ty) => (order.indexOf(ty) >= 0 ? order.indexOf(ty) : order.length));
  for (let i = 0; i < data.type.length; i++) data.type[i] = remap[data.type[i]] ?? order.length;
  S.points = data;
  S.types = order;
  const n = data.id.length;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) { const d = data.day[i]; if (d < lo) lo = d; if (d > hi) hi = d; }
  S.months = [];
  if (n) {
    let [y, m] = monthOfDay(lo).split("-").map(Number);
    const end = monthOfDay(hi);
    for (;;) {
      const s = `${y}-${String(m).padStart(2, "0")}`;
      S.months.push(s);
      if (s >= end) break;
      m += 1; if (m > 12) { m = 1; y += 1; }
    }
  }
  S.monthIndex = new Int32Array(n);
  const pos = new Map(S.months.map((s, i) => [s, i]));
  for (let i = 0; i < n; i++) S.monthIndex[i] = pos.get(monthOfDay(data.day[i]));
  S.hist = S.months.map(() => new Array(S.types.length + 1).fill(0));
  for (let i = 0; i < n; i++) S.hist[S.monthIndex[i]][data.type[i]] += 1;
  const last = Math.max(0, S.months.length - 1);
  if (S.urlWindow) {
    const [a, b] = S.urlWindow.split(",");
    const ia = S.months.indexOf(a), ib = S.months.indexOf(b);
    S.window = ia >= 0 && ib >= ia ? [ia, ib] : [0, last];
    S.urlWindow = null;
  } else S.window = [0, last];
  for (const id of ["t-start", "t-end"]) { $(id).max = String(last); }
  $("t-start").value = String(S.window[0]);
  $("t-end").value = String(S.window[1]);
  S.perf.fetchMs = performance.now() - t0;
  S.message = data.message || null;
  applyWindow();
}

function applyWindow() {
  const d = S.points;
  if (!d) return;
  const [a, b] = S.window;
  const feats = [];
  let fat = 0;
  for (let i = 0; i < d.id.length; i++) {
    const mi = S.monthIndex[i];
    if (mi < a || mi > b) continue;
    feats.push({ type: "Feature", geometry: { type: "Point", coordinates: [d.lon[i], d.lat[i]] },
      properties: { id: d.id[i], t: d.type[i], f: d.fat[i] } });
    fat += d.fat[i];
  }
  S.shown = { events: feats.length, fatalities: fat };
  const src = map.getSource("events");
  src.setData({ type: "FeatureCollection", features: feats });
  S.perf.setDataAt = performance.now();
  map.once("idle", () => { S.perf.renderedAt = performance.now(); S.perf.firstRenderMs = S.perf.firstRenderMs || (performance.now() - S.perf.t0); });
  renderSummary();
  drawTimeline();
  updateExports();
  writeUrl();
  refreshAnalysisLayers();
}

function renderSummary() {
  const box = $("summary");
  if (!box) return;
  box.textContent = "";
  if (!S.points) return;
  if (S.message && !S.points.id.length) { box.append(el("span", { class: "empty" }, S.message)); return; }
  const w = S.months.length ? `${S.months[S.window[0]]} – ${S.months[S.window[1]]}` : "";
  box.append(el("strong", { id: "shown-count" }, fmtInt(S.shown.events)), " ", t("eventsShown"), " · ",
    el("strong", {}, fmtInt(S.shown.fatalities)), " ", t("fatalities"), w ? ` · ${w}` : "");
  if (S.points.truncated) box.append(" ", el("span", { class: "warn" }, t("truncated")));
  $("t-label").textContent = w;
}

function drawTimeline() {
  const cv = $("timeline");
  if (!cv || !S.hist) return;
  const dpr = window.devicePixelRatio || 1;
  const w = cv.clientWidth || 600, h = 70;
  cv.width = w * dpr; cv.height = h * dpr;
  const g = cv.getContext("2d");
  g.scale(dpr, dpr);
  g.clearRect(0, 0, w, h);
  const n = S.hist.length;
  if (!n) return;
  const totals = S.hist.map((r) => r.reduce((s, x) => s + x, 0));
  const max = Math.max(1, ...totals);
  const bw = w / n;
  for (let i = 0; i < n; i++) {
    let y = h - 14;
    const inside = i >= S.window[0] && i <= S.window[1];
    S.hist[i].forEach((c, ti) => {
      if (!c) return;
      const bh = (c / max) * (h - 20);
      g.fillStyle = TYPE_COLOURS[S.types[ti]] || OTHER_COLOUR;
      g.globalAlpha = inside ? 0.9 : 0.25;
      g.fillRect(i * bw + 0.5, y - bh, Math.max(1, bw - 1), bh);
      y -= bh;
    });
  }
  g.globalAlpha = 1;
  g.fillStyle = "#444";
  g.font = "11px system-ui, sans-serif";
  const step = Math.max(1, Math.ceil(n / 8));
  for (let i = 0; i < n; i += step) g.fillText(S.months[i], i * bw + 2, h - 2);
}

function updateExports() {
  for (const fmt of ["csv", "geojson"]) {
    const url = new URL("/api/export/events", location.origin);
    url.searchParams.set("format", fmt);
    for (const [k, v] of Object.entries(selectionFilters())) {
      if (Array.isArray(v)) v.forEach((x) => url.searchParams.append(k, x)); else url.searchParams.set(k, v);
    }
    const a = $(`export-${fmt}`);
    a.href = url.pathname + url.search;
    a.setAttribute("download", `sahelwatch_events.${fmt}`);
  }
}

// ------------------------------------------------------------------------------------------ filters
function renderTypes() {
  const box = $("f-types");
  box.textContent = "";
  const types = S.types.length ? S.types : Object.keys(TYPE_COLOURS);
  for (const ty of types) {
    const id = `type-${ty.replace(/[^a-z]/gi, "")}`;
    box.append(el("label", { class: "type" },
      el("input", { type: "checkbox", id, value: ty, checked: S.filters.types.includes(ty) ? "checked" : null }),
      el("span", { class: "swatch", style: `background:${TYPE_COLOURS[ty] || OTHER_COLOUR}` }),
      t(`type:${ty}`)));
  }
}

async function loadFacets() {
  const f = await api("/api/facets");
  S.facets = f;
  fillSelect($("f-country"), f.country, S.filters.country);
  fillSelect($("f-admin1"), f.admin1, S.filters.admin1);
  fillSelect($("f-admin2"), f.admin2, S.filters.admin2);
  if (f.date_range.first) { $("f-since").min = f.date_range.first; $("f-until").max = f.date_range.last; }
  $("f-since").value = S.filters.since; $("f-until").value = S.filters.until;
  $("f-actor").value = S.filters.actor; $("f-minfat").value = S.filters.min_fatalities;
  api("/api/actors").then((a) => {
    const dl = $("actor-list");
    for (const r of a.data) {
      dl.append(el("option", { value: r.name }));
      for (const al of (r.aliases || []).slice(0, 4)) if (/^[A-Z]{3,6}$/.test(al)) dl.append(el("option", { value: al }, r.name));
    }
  }).catch(() => {});
}

function fillSelect(sel, values, current) {
  const first = sel.firstElementChild;
  sel.textContent = "";
  sel.append(first);
  for (const v of values || []) sel.append(el("option", { value: v, selected: v === current ? "selected" : null }, v));
}

function readForm() {
  S.filters = {
    country: $("f-country").value, admin1: $("f-admin1").value, admin2: $("f-admin2").value,
    actor: $("f-actor").value.trim(), min_fatalities: $("f-minfat").value,
    since: $("f-since").value, until: $("f-until").value,
    types: [...document.querySelectorAll("#f-types input:checked")].map((i) => i.value),
  };
}

function wireForm() {
  $("filters").addEventListener("submit", (e) => { e.preventDefault(); readForm(); reload(); });
  $("reset").addEventListener("click", () => {
    S.filters = { country: "", admin1: "", admin2: "", actor: "", types: [], min_fatalities: "", since: "", until: "" };
    S.bbox = null;
    for (const id of ["f-country", "f-admin1", "f-admin2"]) $(id).value = "";
    for (const id of ["f-actor", "f-minfat", "f-since", "f-until"]) $(id).value = "";
    renderTypes();
    reload();
  });
  $("search-area").addEventListener("click", () => {
    const b = map.getBounds();
    S.bbox = [Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()), Math.min(180, b.getEast()), Math.min(90, b.getNorth())];
    readForm();
    reload();
  });
  const onSlide = () => {
    let a = Number($("t-start").value), b = Number($("t-end").value);
    if (a > b) [a, b] = [b, a];
    S.window = [a, b];
    applyWindow();
  };
  $("t-start").addEventListener("input", onSlide);
  $("t-end").addEventListener("input", onSlide);
  for (const [id, layer] of [["l-events", "events"], ["l-hotspots", "hotspots"], ["l-influence", "influence"],
    ["l-access", "access"], ["l-forecast", "forecast"]]) {
    $(id).checked = S.layers.has(layer);
    $(id).addEventListener("change", () => {
      if ($(id).checked) S.layers.add(layer); else S.layers.delete(layer);
      setLayerVisibility();
      refreshAnalysisLayers();
      renderLegend();
      writeUrl();
    });
  }
  for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => { S.lang = b.dataset.lang; applyLang(); writeUrl(); });
  for (const b of document.querySelectorAll("[data-tab]")) b.addEventListener("click", () => showTab(b.dataset.tab));
  window.addEventListener("resize", drawTimeline);
}

function renderBboxNote() {
  const n = $("bbox-note");
  n.textContent = "";
  n.hidden = !S.bbox;
  if (!S.bbox) return;
  n.append(t("areaSet"), " ", el("button", { type: "button", class: "link", id: "clear-area", onclick: () => { S.bbox = null; reload(); } }, t("clearArea")));
}

async function reload() {
  renderBboxNote();
  S.analysisKey = null;
  try { await loadPoints(); } catch (err) { $("summary").textContent = `${t("error")}: ${err.message}`; }
  if (S.tab === "alerts") loadAlerts();
  if (S.tab === "network") loadNetwork();
}

function setLayerVisibility() {
  const vis = S.layers.has("events") ? "visible" : "none";
  for (const id of ["clusters", "points", "points-selected"]) if (map.getLayer(id)) map.setLayoutProperty(id, "visibility", vis);
  for (const name of ["hotspots", "influence", "access", "forecast"]) {
    for (const id of [`${name}-fill`, `${name}-line`]) if (map.getLayer(id)) map.setLayoutProperty(id, "visibility", S.layers.has(name) ? "visible" : "none");
  }
  updateClusterLabels();
}

// ------------------------------------------------------------------------------------------ analysis layers
const ANALYSES = {
  hotspots: { path: "/api/analyses/hotspots", params: { permutations: 199 }, kind: "fill",
    paint: { "fill-color": ["match", ["get", "confidence"], 3, "#b2182b", 2, "#ef8a62", 1, "#fddbc7", -1, "#d1e5f0", -2, "#67a9cf", -3, "#2166ac", "rgba(0,0,0,0)"],
      "fill-opacity": 0.55 }, filter: ["!=", ["get", "confidence"], 0] },
  influence: { path: "/api/analyses/influence", params: {}, kind: "fill" },
  access: { path: "/api/analyses/access", params: { layer: "roads" }, kind: "line" },
  forecast: { path: "/api/analyses/forecast", params: { horizon: "1", samples: 200, allow_gaps: true }, kind: "fill",
    paint: { "fill-color": ["interpolate", ["linear"], ["get", "p_any"], 0, "#fff7ec", 0.25, "#fdbb84", 0.5, "#ef6548", 0.9, "#7f0000"],
      "fill-opacity": ["interpolate", ["linear"], ["get", "p_any"], 0, 0.0, 0.05, 0.35, 1, 0.75] }, filter: ["==", ["get", "horizon"], 1] },
};

async function refreshAnalysisLayers() {
  const note = $("layer-note");
  for (const name of Object.keys(ANALYSES)) {
    if (!S.layers.has(name)) continue;
    const spec = ANALYSES[name];
    const params = { ...selectionFilters(), ...spec.params, format: "geojson" };
    const key = JSON.stringify(params);
    if (S[`key:${name}`] === key) continue;
    S[`key:${name}`] = key;
    note.textContent = `${t("computing")} ${t(`l${name[0].toUpperCase()}${name.slice(1)}`)}…`;
    try {
      const gj = await api(spec.path, params);
      if (name === "forecast") gj.features = gj.features.map(cellFromPoint);
      drawAnalysis(name, gj);
      S[`data:${name}`] = gj;
      note.textContent = gj.message ? gj.message : "";
    } catch (err) {
      S[`key:${name}`] = null;
      note.textContent = `${t(`l${name[0].toUpperCase()}${name.slice(1)}`)}: ${err.message}`;
    }
    renderLegend();
  }
}

function cellFromPoint(f) {
  const p = f.properties;
  if (f.geometry && f.geometry.type !== "Point") return f;
  const lon = p.lon, lat = p.lat;
  if (lon === undefined || lat === undefined) return f;
  const h = 0.25;
  return { ...f, geometry: { type: "Polygon", coordinates: [[[lon - h, lat - h], [lon + h, lat - h], [lon + h, lat + h], [lon - h, lat + h], [lon - h, lat - h]]] } };
}

function drawAnalysis(name, gj) {
  const spec = ANALYSES[name];
  const beforeId = map.getLayer("clusters") ? "clusters" : undefined;
  if (name === "influence") {
    const groups = [...new Set(gj.features.map((f) => f.properties.dominant).filter(Boolean))];
    S.influenceGroups = groups;
    spec.paint = { "fill-color": ["match", ["coalesce", ["get", "dominant"], ""], ...groups.flatMap((g, i) => [g, GROUP_COLOURS[i % GROUP_COLOURS.length]]), "rgba(0,0,0,0)"],
      "fill-opacity": ["case", ["get", "contested"], 0.25, 0.5] };
    spec.filter = ["!=", ["get", "status"], "no activity"];
  }
  if (map.getSource(name)) map.getSource(name).setData(gj);
  else {
    map.addSource(name, { type: "geojson", data: gj });
    if (spec.kind === "fill") {
      map.addLayer({ id: `${name}-fill`, type: "fill", source: name, paint: spec.paint, ...(spec.filter ? { filter: spec.filter } : {}) }, beforeId);
      if (name === "influence") map.addLayer({ id: "influence-line", type: "line", source: name, filter: ["==", ["get", "contested"], true],
        paint: { "line-color": "#111", "line-width": 1.2, "line-dasharray": [2, 2] } }, beforeId);
    } else {
      map.addLayer({ id: `${name}-line`, type: "line", source: name, paint: {
        "line-color": ["interpolate", ["linear"], ["coalesce", ["get", "per_100km_month"], 0], 0, "#9e9e9e", 1, "#f4a261", 5, "#c1121f"],
        "line-width": ["interpolate", ["linear"], ["coalesce", ["get", "incidents"], 0], 0, 1, 10, 4] } }, beforeId);
    }
  }
  if (name === "influence" && map.getLayer("influence-fill")) {
    map.setPaintProperty("influence-fill", "fill-color", spec.paint["fill-color"]);
  }
  setLayerVisibility();
}

function renderLegend() {
  const box = $("legend");
  if (!box) return;
  box.textContent = "";
  const types = S.types.length ? S.types : Object.keys(TYPE_COLOURS);
  if (S.layers.has("events")) {
    box.append(el("div", { class: "legend-title" }, t("lEvents")));
    for (const ty of types) box.append(el("div", { class: "legend-row" }, el("span", { class: "swatch round", style: `background:${TYPE_COLOURS[ty] || OTHER_COLOUR}` }), t(`type:${ty}`)));
  }
  if (S.layers.has("hotspots")) {
    box.append(el("div", { class: "legend-title" }, t("lHotspots")));
    for (const [c, k] of [["#b2182b", "hot99"], ["#ef8a62", "hot95"], ["#fddbc7", "hot90"], ["#67a9cf", "cold"]])
      box.append(el("div", { class: "legend-row" }, el("span", { class: "swatch", style: `background:${c}` }), t(k)));
  }
  if (S.layers.has("influence") && S.influenceGroups) {
    box.append(el("div", { class: "legend-title" }, t("lInfluence")));
    S.influenceGroups.forEach((g, i) => box.append(el("div", { class: "legend-row" }, el("span", { class: "swatch", style: `background:${GROUP_COLOURS[i % GROUP_COLOURS.length]}` }), g)));
    box.append(el("div", { class: "legend-row" }, el("span", { class: "swatch dashed" }), t("contested")));
  }
  if (S.layers.has("forecast")) {
    box.append(el("div", { class: "legend-title" }, t("lForecast")));
    box.append(el("div", { class: "ramp" }), el("div", { class: "legend-row small" }, "0 %", el("span", { class: "spacer" }), "100 %"));
  }
}

// ------------------------------------------------------------------------------------------ event card
async function openEvent(id) {
  S.ev = id;
  showTab("card");
  if (map.getLayer("points-selected")) map.setFilter("points-selected", ["==", ["get", "id"], id]);
  const pane = $("pane-card");
  pane.textContent = t("loading");
  try {
    const d = await api(`/api/events/${encodeURIComponent(id)}`);
    S.lastCard = d;
    renderCard(d);
  } catch (err) {
    pane.textContent = `${t("error")}: ${err.message}`;
  }
  writeUrl();
}

function renderCard(d) {
  const pane = $("pane-card");
  pane.textContent = "";
  const e = d.event;
  const colour = TYPE_COLOURS[e.event_type] || OTHER_COLOUR;
  const card = el("article", { class: "card", id: "event-card" });
  card.append(
    el("div", { class: "card-type", style: `border-left-color:${colour}` }, t(`type:${e.event_type}`), e.sub_event_type ? ` — ${e.sub_event_type}` : ""),
    el("h3", { class: "card-title" }, `${e.location || e.admin2 || e.admin1 || e.country}, ${e.event_date}`),
    el("dl", { class: "facts" },
      fact(t("place"), [e.location, e.admin2, e.admin1, e.country].filter(Boolean).join(", ")),
      fact(t("actors"), [e.actor1, e.actor2].filter(Boolean).join(" vs ")),
      e.assoc_actor_1 || e.assoc_actor_2 ? fact(t("associated"), [e.assoc_actor_1, e.assoc_actor_2].filter(Boolean).join("; ")) : null,
      fact(t("fatalities"), String(e.fatalities)),
      fact(t("precision"), `${t("geo")} ${e.geo_precision ?? "–"} · ${t("time")} ${e.time_precision ?? "–"}`),
      fact(t("coding"), `${e.coding_method || "import"}${e.confidence !== null && e.confidence !== undefined ? ` · ${t("confidence")} ${Number(e.confidence).toFixed(2)}` : ""}`),
      fact(t("dataset"), `${e.dataset}${e.prov_file ? ` · ${e.prov_file}${e.prov_row ? `:${e.prov_row}` : ""}` : ""}`),
      fact("ID", e.event_id_cnty)));
  const docs = d.documents.filter((x) => !x.missing);
  if (docs.length) {
    card.append(el("h4", {}, t("source")));
    for (const doc of docs) {
      const block = el("blockquote", { class: "source-text" });
      if (doc.paragraph !== undefined) {
        const p = doc.paragraph;
        block.append(p.slice(0, doc.highlight_start), el("mark", { class: "sentence" }, p.slice(doc.highlight_start, doc.highlight_end)), p.slice(doc.highlight_end));
      }
      card.append(el("div", { class: "doc" },
        el("div", { class: "doc-title" }, doc.title || doc.document_id),
        el("div", { class: "doc-meta" }, [doc.source, doc.published, doc.language].filter(Boolean).join(" · ")),
        doc.url && /^https?:\/\//i.test(doc.url) ? el("a", { href: doc.url, rel: "noopener noreferrer nofollow", target: "_blank" }, doc.url) : null,
        block));
    }
  } else if (e.sentence) {
    card.append(el("h4", {}, t("source")), el("blockquote", { class: "source-text" }, el("mark", { class: "sentence" }, e.sentence)));
  }
  if (e.notes) card.append(el("h4", {}, t("notes")), el("p", { class: "notes" }, e.notes));
  if (e.source) card.append(el("h4", {}, t("reportedBy")), el("p", {}, `${e.source}${e.source_scale ? ` (${e.source_scale})` : ""}`));
  if (d.sources && d.sources.length) {
    card.append(el("h4", {}, `${t("allSources")} (${d.sources.length})`));
    const ul = el("ul", { class: "sources" });
    for (const s of d.sources) ul.append(el("li", {}, [s.dataset, s.file && `${s.file}${s.row ? `:${s.row}` : ""}`, s.document_id, s.method, s.confidence !== undefined ? `${t("confidence")} ${s.confidence}` : null].filter(Boolean).join(" · ")));
    card.append(ul);
  }
  card.append(el("h4", {}, `${t("history")} (${d.history.length})`));
  if (!d.history.length) card.append(el("p", { class: "note" }, t("noHistory")));
  else {
    const tbl = el("table", { class: "history" }, el("tr", {}, el("th", {}, t("replacedAt")), el("th", {}, t("changed"))));
    for (const h of d.history) {
      const changed = ["event_date", "event_type", "sub_event_type", "actor1", "actor2", "fatalities", "location", "latitude", "longitude", "notes"]
        .filter((k) => String(h[k] ?? "") !== String(e[k] ?? "")).map((k) => `${k}: ${h[k] ?? "–"} → ${e[k] ?? "–"}`);
      tbl.append(el("tr", {}, el("td", {}, String(h.replaced_at || "").slice(0, 19)), el("td", {}, changed.join("; ") || t("sameFields"))));
    }
    card.append(tbl);
  }
  pane.append(card);
}

function fact(k, v) {
  return [el("dt", {}, k), el("dd", {}, v || "–")];
}

// ------------------------------------------------------------------------------------------ alerts
async function loadAlerts() {
  const pane = $("pane-alerts");
  pane.textContent = t("loading");
  try {
    const r = await api("/api/analyses/alerts", { ...selectionFilters(), unit: "admin1" });
    pane.textContent = "";
    pane.append(el("h3", {}, `${t("alertsFor")} ${r.week || ""}`));
    if (!r.data.length) { pane.append(el("p", { class: "note" }, r.message || t("noAlerts"))); return; }
    const order = { surge: 0, lethality: 1, spread: 2, new_actor: 3, trend: 4 };
    const rows = [...r.data].sort((a, b) => (order[a.kind] ?? 9) - (order[b.kind] ?? 9));
    const ul = el("ul", { class: "alerts", id: "alerts-list" });
    for (const a of rows) {
      ul.append(el("li", { class: `alert kind-${String(a.kind).replace(/[^a-z_]/gi, "")}` },
        el("div", { class: "alert-head" }, el("span", { class: "badge" }, t(`kind:${a.kind}`)), " ", el("strong", {}, a.unit || ""), a.level ? ` · ${a.level}` : ""),
        el("div", { class: "alert-nums" }, `${t("thisWeek")} ${a.latest ?? "–"} · ${t("baseline")} ${a.baseline ?? "–"}${a.change_pct !== null && a.change_pct !== undefined ? ` · ${a.change_pct > 0 ? "+" : ""}${a.change_pct}%` : ""}`),
        a.message ? el("div", { class: "alert-msg" }, a.message) : null));
    }
    pane.append(ul);
  } catch (err) {
    pane.textContent = `${t("error")}: ${err.message}`;
  }
}

// ------------------------------------------------------------------------------------------ network
async function loadNetwork() {
  const pane = $("pane-network");
  pane.textContent = t("loading");
  try {
    const r = await api("/api/network", { ...serverFilters(), by: "year" });
    pane.textContent = "";
    const years = [...new Set(r.data.map((e) => e.period))].sort();
    if (!years.length) { pane.append(el("p", { class: "note" }, r.message || t("noEdges"))); return; }
    const sel = el("select", { id: "network-year", "aria-label": t("year") }, years.map((y) => el("option", { value: y }, y)));
    sel.value = S.netYear && years.includes(S.netYear) ? S.netYear : years[years.length - 1];
    const box = el("div", { class: "network" });
    sel.addEventListener("change", () => { S.netYear = sel.value; drawNetwork(box, r.data.filter((e) => e.period === sel.value)); });
    pane.append(el("label", { class: "inline" }, `${t("year")} `, sel),
      el("div", { class: "legend-row small" }, el("span", { class: "line red" }), t("fights"), el("span", { class: "line blue" }), t("allied")), box);
    drawNetwork(box, r.data.filter((e) => e.period === sel.value));
  } catch (err) {
    pane.textContent = `${t("error")}: ${err.message}`;
  }
}

function drawNetwork(box, edges) {
  box.textContent = "";
  const weight = new Map();
  for (const e of edges) for (const n of [e.source, e.target]) weight.set(n, (weight.get(n) || 0) + e.events);
  const nodes = [...weight.entries()].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([n]) => n);
  const keep = new Set(nodes);
  const W = 340, H = 340, R = 120, cx = W / 2, cy = H / 2;
  const pos = new Map(nodes.map((n, i) => [n, [cx + R * Math.cos((2 * Math.PI * i) / nodes.length - Math.PI / 2), cy + R * Math.sin((2 * Math.PI * i) / nodes.length - Math.PI / 2)]]));
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("class", "network-svg");
  const maxE = Math.max(1, ...edges.map((e) => e.events));
  for (const e of edges) {
    if (!keep.has(e.source) || !keep.has(e.target) || e.source === e.target) continue;
    const [x1, y1] = pos.get(e.source), [x2, y2] = pos.get(e.target);
    const line = document.createElementNS(NS, "line");
    Object.entries({ x1, y1, x2, y2, "stroke-width": 1 + 5 * (e.events / maxE) }).forEach(([k, v]) => line.setAttribute(k, v));
    line.setAttribute("class", e.relation === "opposition" ? "edge fight" : "edge ally");
    const title = document.createElementNS(NS, "title");
    title.textContent = `${e.source} — ${e.target}: ${e.relation}, ${e.events} ${t("events")}, ${e.fatalities} ${t("fatalities")}`;
    line.append(title);
    svg.append(line);
  }
  for (const n of nodes) {
    const [x, y] = pos.get(n);
    const g = document.createElementNS(NS, "g");
    const c = document.createElementNS(NS, "circle");
    c.setAttribute("cx", x); c.setAttribute("cy", y); c.setAttribute("r", 4 + Math.sqrt(weight.get(n)));
    c.setAttribute("class", "node");
    const label = document.createElementNS(NS, "text");
    label.setAttribute("x", x + (x >= cx ? 8 : -8)); label.setAttribute("y", y + 3);
    label.setAttribute("text-anchor", x >= cx ? "start" : "end");
    label.textContent = n.split(":")[0].slice(0, 28);
    const title = document.createElementNS(NS, "title");
    title.textContent = `${n}: ${weight.get(n)} ${t("events")}`;
    g.append(c, label, title);
    svg.append(g);
  }
  box.append(svg);
}

function showTab(tab) {
  S.tab = tab;
  for (const b of document.querySelectorAll("[data-tab]")) { b.classList.toggle("on", b.dataset.tab === tab); b.setAttribute("aria-selected", b.dataset.tab === tab); }
  for (const p of ["card", "alerts", "network"]) $(`pane-${p}`).hidden = p !== tab;
  if (tab === "alerts") loadAlerts();
  if (tab === "network") loadNetwork();
  writeUrl();
}

// ------------------------------------------------------------------------------------------ status
async function loadStatus() {
  try {
    const s = await api("/api/status");
    $("status").textContent = `${fmtInt(s.events)} ${t("eventsInStore")} · ${s.first_date || "–"} – ${s.last_date || "–"}`;
  } catch (err) { $("status").textContent = err.message; }
}

// ------------------------------------------------------------------------------------------ start
async function main() {
  readUrl();
  wireForm();
  applyLang();
  await initMap();
  addEventLayers(Object.keys(TYPE_COLOURS));
  loadStatus();
  await loadFacets().catch(() => {});
  renderBboxNote();
  await reload();
  setLayerVisibility();
  showTab(S.tab);
  if (S.ev) openEvent(S.ev);
  map.once("idle", () => { S.perf.readyMs = performance.now() - S.perf.t0; document.body.dataset.ready = "1"; });
}

main();
