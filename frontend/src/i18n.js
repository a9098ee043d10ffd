// Interface strings, English and French. Data (actor names, places, notes) is shown as recorded.
const TYPES_FR = {
  "Battles": "Batailles",
  "Explosions/Remote violence": "Explosions/violence à distance",
  "Violence against civilians": "Violence contre les civils",
  "Protests": "Manifestations",
  "Riots": "Émeutes",
  "Strategic developments": "Développements stratégiques",
};

const en = {
  tagline: "Conflict events in the Sahel", filters: "Filters", country: "Country", admin1: "Admin 1 (region)",
  admin2: "Admin 2 (province, cercle)", actor: "Actor (name or alias)", eventType: "Event type",
  minFatalities: "Minimum fatalities", since: "From", until: "To", apply: "Apply", reset: "Reset",
  searchArea: "Search this area", areaSet: "Limited to the map area.", clearArea: "Clear area", all: "All",
  layers: "Layers", lEvents: "Events (clustered)", lHotspots: "Hot spots (Gi*, FDR)",
  lInfluence: "Areas of influence, contested zones", lAccess: "Road danger, town isolation",
  lForecast: "Forecast: P(any fatality) next month", export: "Export the selection",
  exportNote: "Exactly the events shown: filters, area and time window.", tabEvent: "Event", tabAlerts: "Alerts",
  tabNetwork: "Actor network", clickHint: "Click an event on the map to read its source.",
  footer: "Events as publicly reported, coded in ACLED's vocabulary. Base map: Natural Earth (public domain); admin outlines and places: GeoNames-derived (CC BY 4.0).",
  loading: "Loading…", eventsShown: "events shown", fatalities: "fatalities", events: "events",
  truncated: "(truncated: narrow the filters)", error: "Error", computing: "Computing", place: "Place",
  actors: "Actors", associated: "Associated actors", precision: "Precision", geo: "geo", time: "time",
  coding: "Coding", confidence: "confidence", dataset: "Dataset", source: "Source sentence, in its paragraph",
  notes: "Notes", reportedBy: "Reported by", allSources: "All sources", history: "History (earlier versions)",
  noHistory: "No earlier version: this is the only version stored.", replacedAt: "Replaced at", changed: "Changed since",
  sameFields: "same main fields", alertsFor: "Alerts for the week of", noAlerts: "No alert this week.",
  thisWeek: "this week", baseline: "baseline", year: "Year", fights: "fighting", allied: "allied or joint",
  noEdges: "No actor pairs in this selection.", eventsInStore: "events in the store", hot99: "Hot spot, 99 %",
  hot95: "Hot spot, 95 %", hot90: "Hot spot, 90 %", cold: "Cold spot", contested: "Contested (dashed)",
  "kind:surge": "Surge", "kind:lethality": "Lethality", "kind:spread": "Spread", "kind:new_actor": "New actor",
  "kind:trend": "Trend",
};
for (const ty of Object.keys(TYPES_FR)) en[`type:${ty}`] = ty;

const fr = {
  tagline: "Événements de conflit au Sahel", filters: "Filtres", country: "Pays", admin1: "Admin 1 (région)",
  admin2: "Admin 2 (province, cercle)", actor: "Acteur (nom ou alias)", eventType: "Type d'événement",
  minFatalities: "Morts au minimum", since: "Du", until: "Au", apply: "Appliquer", reset: "Réinitialiser",
  searchArea: "Chercher dans cette zone", areaSet: "Limité à la zone de la carte.", clearArea: "Effacer la zone",
  all: "Tous", layers: "Couches", lEvents: "Événements (regroupés)", lHotspots: "Points chauds (Gi*, FDR)",
  lInfluence: "Zones d'influence, zones disputées", lAccess: "Danger routier, isolement des villes",
  lForecast: "Prévision : P(au moins un mort) le mois prochain", export: "Exporter la sélection",
  exportNote: "Exactement les événements affichés : filtres, zone et période.", tabEvent: "Événement",
  tabAlerts: "Alertes", tabNetwork: "Réseau d'acteurs", clickHint: "Cliquez sur un événement pour lire sa source.",
  footer: "Événements rapportés publiquement, codés dans le vocabulaire d'ACLED. Fond de carte : Natural Earth (domaine public) ; limites administratives et lieux : dérivés de GeoNames (CC BY 4.0).",
  loading: "Chargement…", eventsShown: "événements affichés", fatalities: "morts", events: "événements",
  truncated: "(tronqué : resserrez les filtres)", error: "Erreur", computing: "Calcul", place: "Lieu",
  actors: "Acteurs", associated: "Acteurs associés", precision: "Précision", geo: "géo", time: "date",
  coding: "Codage", confidence: "confiance", dataset: "Jeu de données", source: "Phrase source, dans son paragraphe",
  notes: "Notes", reportedBy: "Rapporté par", allSources: "Toutes les sources", history: "Historique (versions antérieures)",
  noHistory: "Aucune version antérieure : c'est la seule version enregistrée.", replacedAt: "Remplacée le",
  changed: "Modifié depuis", sameFields: "mêmes champs principaux", alertsFor: "Alertes de la semaine du",
  noAlerts: "Aucune alerte cette semaine.", thisWeek: "cette semaine", baseline: "référence", year: "Année",
  fights: "combats", allied: "alliés ou actions conjointes", noEdges: "Aucune paire d'acteurs dans cette sélection.",
  eventsInStore: "événements dans la base", hot99: "Point chaud, 99 %", hot95: "Point chaud, 95 %",
  hot90: "Point chaud, 90 %", cold: "Point froid", contested: "Disputé (tirets)", "kind:surge": "Hausse brutale",
  "kind:lethality": "Létalité", "kind:spread": "Extension", "kind:new_actor": "Nouvel acteur", "kind:trend": "Tendance",
};
for (const [ty, name] of Object.entries(TYPES_FR)) fr[`type:${ty}`] = name;

export const I18N = { en, fr };
