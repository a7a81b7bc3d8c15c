// Timeline, matrix and map pages: fetch the dataset's JSON from this Datasette and draw it.
// Plain DOM, no libraries: the site works offline and every value is inserted as text.
(function () {
  "use strict";

  const START = "2022-02-24";
  // The vocabulary comes from the page (the site_vocabulary plugin), never from a copy here.
  const STANCES = () => [...document.querySelectorAll(".legend [data-stance]")].map((li) => li.dataset.stance);
  const site = () => document.querySelector("[data-all-weapons]").dataset;
  const generalFirst = (a, b) => (a === site().allWeapons ? -1 : b === site().allWeapons ? 1 : a.localeCompare(b));

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined) continue;
      if (key === "dataset") Object.assign(node.dataset, value);
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function isHttpUrl(value) {
    return typeof value === "string" && /^https?:\/\//i.test(value);
  }

  function today() {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }

  function isIsoDate(value) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
    const d = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
  }

  function dayNumber(iso) {
    return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86400000;
  }

  async function fetchAll(url) {
    // Follow Datasette's next_url until every row is read.
    let rows = [];
    let next = url;
    while (next) {
      const response = await fetch(next, { headers: { Accept: "application/json" } });
      if (!response.ok) {
        const detail = await response.json().catch(() => null);
        throw new Error(detail && detail.error ? detail.error : `${response.status} for ${next}`);
      }
      const data = await response.json();
      rows = rows.concat(data.rows);
      next = data.next_url ? data.next_url.replace(/^https?:\/\/[^/]+/, "") : null;
    }
    return rows;
  }

  function actorLink(id, text) {
    return el("a", { href: `/actor/${encodeURIComponent(id)}`, class: "actor-link" }, text);
  }

  function positionLink(id, text) {
    return el("a", { href: `/position/${encodeURIComponent(id)}` }, text);
  }

  function stanceLabel(stance) {
    return stance.replace(/_/g, " ");
  }

  // ---------- timeline ----------

  function showDetails(panel, p) {
    panel.replaceChildren();
    panel.hidden = false;
    panel.append(
      el("h2", {}, `${p.actor_name}: `, el("span", { class: p.stance ? `stance stance-${p.stance}` : "decision" }, stanceText(p))),
      el("p", { class: "muted" }, `${p.statement}, ` +
        `${p.weapons === site().allWeapons ? "general" : p.weapons}` +
        (p.recipient_id === site().defaultRecipient ? "" : ` (for ${p.recipient_id})`) + `, from ${p.valid_from}` +
        (p.valid_to ? ` to ${p.valid_to}` : ", still the latest") + `, last confirmed ${p.last_confirmed}` +
        (p.stated_by ? ` — ${p.stated_by}` : "")),
      el("p", { class: "summary" }, p.summary)
    );
    if (p.quote) panel.append(el("blockquote", { class: "quote" }, `“${p.quote}”`));
    if (p.quote_translation) panel.append(el("p", { class: "translation" }, `Translation: “${p.quote_translation}”`));
    const conditions = JSON.parse(p.conditions || "[]");
    if (conditions.length) {
      panel.append(el("ul", { class: "conditions" },
        ...conditions.map((c) => el("li", {}, el("strong", {}, c.kind), `: ${c.text}`))));
    }
    const sources = JSON.parse(p.source_details || "[]");
    panel.append(el("ol", { class: "sources" }, ...sources.map((s) =>
      el("li", {},
        isHttpUrl(s.url) ? el("a", { href: s.url, rel: "nofollow noopener" }, s.title) : s.title,
        ` — ${s.publisher}, ${s.published}`))));
    panel.append(el("p", {}, positionLink(p.id, "Open the position page →")));
  }

  async function drawTimeline(root) {
    const panel = document.getElementById("details");
    const groupSelect = document.getElementById("timeline-group");
    const weaponSelect = document.getElementById("timeline-weapon");
    const rows = await fetchAll(`${root.dataset.database}/position_details.json?_size=max&_sort=id`);
    const end = today();
    const span = dayNumber(end) - dayNumber(START);
    const x = (iso) => Math.max(0, Math.min(100, ((dayNumber(iso) - dayNumber(START)) / span) * 100));

    const actors = new Map();
    for (const p of rows) {
      if (!actors.has(p.actor_id)) actors.set(p.actor_id, { name: p.actor_name, roles: new Set(), lanes: new Map() });
      const actor = actors.get(p.actor_id);
      actor.roles.add(p.role);
      // a lane per scope: the weapons, the statement kind unless a rule, the recipient unless the default one
      const kind = p.statement === site().ruleStatement ? "" : ` · ${p.statement}`;
      const lane = (p.recipient_id === site().defaultRecipient ? p.weapons : `${p.weapons} → ${p.recipient_id}`) + kind;
      if (!actor.lanes.has(lane)) actor.lanes.set(lane, { weapons: p.weapons, positions: [] });
      actor.lanes.get(lane).positions.push(p);
    }
    const roles = [...new Set(rows.map((p) => p.role))].sort();
    const weapons = [...new Set(rows.map((p) => p.weapons))].sort(generalFirst);
    groupSelect.append(...roles.map((r) => el("option", { value: r }, stanceLabel(r))));
    weaponSelect.append(...weapons.map((w) => el("option", { value: w }, w)));

    function render() {
      const group = groupSelect.value;
      const weapon = weaponSelect.value;
      const years = [];
      for (let year = 2022; year <= +end.slice(0, 4); year++) years.push(year);
      const axis = el("div", { class: "axis" },
        ...years.map((year) => el("span", { class: "tick", style: `left:${x(year === 2022 ? START : `${year}-01-01`)}%` }, String(year))));
      const body = el("div", { class: "lanes" });
      for (const [actorId, actor] of [...actors.entries()].sort((a, b) => a[1].name.localeCompare(b[1].name))) {
        if (group && !actor.roles.has(group)) continue;
        const lanes = [...actor.lanes.entries()].filter(([, lane]) => !weapon || lane.weapons === weapon)
          .sort((a, b) => generalFirst(a[0], b[0]));
        if (!lanes.length) continue;
        const block = el("div", { class: "actor", dataset: { actor: actorId } },
          el("div", { class: "actor-name" }, actorLink(actorId, actor.name)));
        for (const [label, { weapons: w, positions }] of lanes) {
          const lane = el("div", { class: "lane", dataset: { weapons: w, recipient: positions[0].recipient_id } },
            el("span", { class: "lane-label" }, label));
          const track = el("div", { class: "track" });
          for (const p of positions) {
            const to = p.valid_to || end;
            const left = x(p.valid_from);
            const width = Math.max(0.4, x(to) - left);
            const band = el("button", {
              type: "button",
              class: p.stance ? `band stance-${p.stance}` : "band decision",
              style: `left:${left}%;width:${width}%`,
              title: `${p.actor_name}, ${label}: ${stanceText(p)} from ${p.valid_from}`,
              dataset: {
                position: p.id, from: p.valid_from, to: p.valid_to || "", stance: p.stance || "", weapons: w,
                actor: actorId, statement: p.statement,
              },
            });
            band.addEventListener("click", () => {
              showDetails(panel, p);
              panel.scrollIntoView({ block: "nearest" });
              panel.focus({ preventScroll: true });
            });
            track.append(band);
            for (const day of JSON.parse(p.confirmation_dates || "[]")) {
              track.append(el("span", {
                class: "restated", style: `left:${x(day)}%`, title: `${p.actor_name}: restated ${day}`,
                dataset: { position: p.id, date: day },
              }));
            }
          }
          lane.append(track);
          block.append(lane);
        }
        body.append(block);
      }
      root.replaceChildren(axis, body);
      root.setAttribute("aria-busy", "false");
    }
    // the filters live in the address, so a filtered timeline can be linked to
    const params = new URLSearchParams(location.search);
    if ([...groupSelect.options].some((o) => o.value === params.get("group"))) groupSelect.value = params.get("group");
    if ([...weaponSelect.options].some((o) => o.value === params.get("weapon"))) weaponSelect.value = params.get("weapon");
    function filtered() {
      const query = new URLSearchParams();
      if (groupSelect.value) query.set("group", groupSelect.value);
      if (weaponSelect.value) query.set("weapon", weaponSelect.value);
      history.replaceState(null, "", query.toString() ? `?${query}` : location.pathname);
      render();
    }
    groupSelect.addEventListener("change", filtered);
    weaponSelect.addEventListener("change", filtered);
    render();
  }

  // ---------- matrix ----------

  function monthsBefore(iso, months) {
    const d = new Date(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1 - months, +iso.slice(8, 10)));
    return d.toISOString().slice(0, 10);
  }

  function stanceText(r) {
    return r.stance ? stanceLabel(r.stance) : `decision: ${r.decision}`;
  }

  // Suppliers' rules: one row per actor, one column per scope; a cell answered by the actor's
  // general rule is marked inherited and counted apart; a rule not confirmed for longer than
  // the site's limit is marked stale.
  function rulesTable(rows, date) {
    const staleBefore = monthsBefore(date, +site().staleMonths);
    const actors = new Map();
    const scopes = new Set([site().allWeapons]);
    for (const r of rows) {
      if (!actors.has(r.actor_id)) actors.set(r.actor_id, { name: r.actor_name, rules: new Map() });
      actors.get(r.actor_id).rules.set(r.weapons, r);
      scopes.add(r.weapons);
    }
    const columns = [...scopes].sort(generalFirst);
    const zero = () => Object.fromEntries(STANCES().map((s) => [s, 0]));
    const own = Object.fromEntries(columns.map((c) => [c, zero()]));
    const inherited = Object.fromEntries(columns.map((c) => [c, zero()]));
    const head = el("tr", {}, el("th", {}, "Actor"),
      ...columns.map((c) => el("th", { scope: "col" }, c === site().allWeapons ? `${c} (general)` : c)));
    const body = el("tbody");
    for (const [actorId, actor] of [...actors.entries()].sort((a, b) => a[1].name.localeCompare(b[1].name))) {
      const tr = el("tr", { dataset: { actor: actorId } }, el("th", { scope: "row" }, actorLink(actorId, actor.name)));
      const general = actor.rules.get(site().allWeapons);
      for (const c of columns) {
        let rule = actor.rules.get(c);
        let isInherited = rule ? Boolean(rule.inherited) : false;
        if (!rule && general && !JSON.parse(general.excludes || "[]").includes(c)) {
          rule = general;
          isInherited = true;
        }
        if (!rule) {
          tr.append(el("td", { class: "empty", dataset: { actor: actorId, weapons: c } }, "—"));
          continue;
        }
        (isInherited ? inherited : own)[c][rule.stance] += 1;
        const stale = rule.last_confirmed < staleBefore;
        const marks = `${isInherited ? " ↳" : ""}${stale ? " †" : ""}`;
        tr.append(el("td", {
          class: `cell stance-${rule.stance}${isInherited ? " inherited" : ""}${stale ? " stale" : ""}`,
          title: (isInherited ? "From the general rule. " : "") +
            (stale ? `Not confirmed since ${rule.last_confirmed}.` : `Last confirmed ${rule.last_confirmed}.`),
          dataset: {
            actor: actorId, weapons: c, stance: rule.stance, position: rule.position_id,
            inherited: isInherited ? "1" : "0", stale: stale ? "1" : "0", lastConfirmed: rule.last_confirmed,
          },
        }, positionLink(rule.position_id, stanceLabel(rule.stance)), marks));
      }
      body.append(tr);
    }
    const foot = el("tfoot", {}, ...STANCES().map((s) => el("tr", { class: "count", dataset: { stance: s } },
      el("th", { scope: "row" }, stanceLabel(s)),
      ...columns.map((c) => el("td", { dataset: { weapons: c, stance: s, own: own[c][s], inherited: inherited[c][s] } },
        String(own[c][s]), inherited[c][s] ? ` (+${inherited[c][s]} inherited)` : "")))));
    const table = el("table", { class: "matrix-table rules", dataset: { date } }, el("thead", {}, head), body, foot);
    return [el("p", { class: "result-count" }, `${actors.size} suppliers with a rule in force on ${date}.`), table,
      el("p", { class: "muted" }, `↳ inherited from the actor's general rule (counted apart). † not confirmed for more than ${site().staleMonths} months.`)];
  }

  // Every other kind of statement (views, warnings, pledges, requests, supply decisions): not rules on use.
  function otherTable(rows) {
    const body = el("tbody", {}, ...rows.filter((r) => !r.inherited).map((r) => el("tr", {
      dataset: { actor: r.actor_id, statement: r.statement, weapons: r.weapons, position: r.position_id },
    },
      el("th", { scope: "row" }, actorLink(r.actor_id, r.actor_name)),
      el("td", {}, r.statement),
      el("td", {}, r.weapons === site().allWeapons ? "all (general)" : r.weapons),
      el("td", { class: r.stance ? `cell stance-${r.stance}` : "cell decision" }, positionLink(r.position_id, stanceText(r))),
      el("td", {}, r.valid_from))));
    const head = el("tr", {}, ...["Actor", "Statement", "Weapons", "Stance", "Since"].map((h) => el("th", { scope: "col" }, h)));
    return [el("h2", {}, "Other statements: views, warnings, pledges, requests, supply decisions"),
      el("p", { class: "muted" }, "These are not rules on use and are not counted above."),
      el("table", { class: "matrix-table other-statements" }, el("thead", {}, head), body)];
  }

  async function drawMatrix(root) {
    const input = document.getElementById("matrix-date");
    input.max = today();
    const requested = new URLSearchParams(location.search).get("date");
    input.value = requested && isIsoDate(requested) ? requested : today();

    function refuse(message) {
      root.replaceChildren(el("p", { class: "message", role: "alert" }, message));
      root.setAttribute("aria-busy", "false");
    }

    async function render() {
      root.setAttribute("aria-busy", "true");
      const date = input.value;
      if (!isIsoDate(date)) return refuse(`"${date}" is not a date: use YYYY-MM-DD, e.g. 2024-06-15.`);
      const url = (statement) => `${root.dataset.database}/effective_stance.json?date=${encodeURIComponent(date)}` +
        `&weapon=&actor=&recipient=&statement=${statement}&_size=max`;
      const [rules, every] = await Promise.all([fetchAll(url(site().ruleStatement)), fetchAll(url(site().everyStatement))]);
      const others = every.filter((r) => r.statement !== site().ruleStatement);
      root.replaceChildren(...rulesTable(rules, date), ...otherTable(others));
      root.setAttribute("aria-busy", "false");
    }
    input.addEventListener("change", () => {
      history.replaceState(null, "", `?date=${input.value}`);
      render().catch((e) => refuse(e.message));
    });
    if (requested !== null && !isIsoDate(requested)) {
      return refuse(`"${requested}" is not a date: use YYYY-MM-DD, e.g. 2024-06-15. Pick a date above.`);
    }
    await render();
  }


  // ---------- map ----------

  // One position per actor for the map: its general one, else its latest on a single system.
  function mapPositions(rows) {
    const byActor = new Map();
    for (const r of rows) {
      if (r.inherited) continue;
      if (!byActor.has(r.actor_id)) byActor.set(r.actor_id, { shown: null, all: [] });
      byActor.get(r.actor_id).all.push(r);
    }
    for (const entry of byActor.values()) {
      entry.all.sort((a, b) => (a.weapons === site().allWeapons ? -1 : b.weapons === site().allWeapons ? 1 : b.valid_from.localeCompare(a.valid_from)));
      entry.shown = entry.all[0];
    }
    return byActor;
  }

  function mapDetails(panel, name, entry, statement) {
    panel.replaceChildren();
    panel.hidden = false;
    if (!entry) {
      panel.append(el("p", {}, el("strong", {}, name), ` has no ${statement} in force on this date.`));
      return;
    }
    const p = entry.shown;
    panel.append(el("p", {}, el("strong", {}, actorLink(p.actor_id, name)), `: ${statement}, `,
      el("span", { class: `stance stance-${p.stance}` }, stanceLabel(p.stance)),
      ` on ${p.weapons === site().allWeapons ? "all weapons (general)" : p.weapons} since ${p.valid_from}`,
      p.stated_by ? `, stated by ${p.stated_by}` : "", ". ", positionLink(p.position_id, "Position page")));
    if (p.summary) panel.append(el("p", {}, p.summary));
    if (entry.all.length > 1) {
      panel.append(el("ul", {}, ...entry.all.map((r) => el("li", {},
        `${r.weapons === site().allWeapons ? "all weapons (general)" : r.weapons}: `,
        positionLink(r.position_id, stanceLabel(r.stance)), ` since ${r.valid_from}`))));
    }
  }

  async function drawMap(root) {
    const input = document.getElementById("map-date");
    const slider = document.getElementById("map-slider");
    const play = document.getElementById("map-play");
    const kind = document.getElementById("map-statement");
    const view = document.getElementById("map-view");
    const svg = root.querySelector("svg.world");
    const message = document.getElementById("map-message");
    const summary = document.getElementById("map-summary");
    const panel = document.getElementById("map-details");
    const params = new URLSearchParams(location.search);
    const last = today();
    input.max = last;
    slider.max = String(dayNumber(last) - dayNumber(START));
    const requested = params.get("date");
    if (params.get("statement") && [...kind.options].some((o) => o.value === params.get("statement"))) kind.value = params.get("statement");
    if (params.get("view") && svg.dataset[`view${params.get("view")[0].toUpperCase()}${params.get("view").slice(1)}`]) view.value = params.get("view");
    input.value = requested && isIsoDate(requested) ? requested : last;
    let current = new Map();
    let timer = null;
    const cache = new Map();

    function setView() {
      const key = `view${view.value[0].toUpperCase()}${view.value.slice(1)}`;
      svg.setAttribute("viewBox", svg.dataset[key]);
    }

    function remember() {
      history.replaceState(null, "", `?date=${input.value}&statement=${kind.value}&view=${view.value}`);
    }

    function refuse(text) {
      message.textContent = text;
      message.hidden = false;
      root.setAttribute("aria-busy", "false");
    }

    async function render() {
      root.setAttribute("aria-busy", "true");
      const date = input.value;
      if (!isIsoDate(date)) return refuse(`"${date}" is not a date: use YYYY-MM-DD, e.g. 2024-06-15.`);
      message.hidden = true;
      slider.value = String(dayNumber(date) - dayNumber(START));
      const key = `${date}|${kind.value}`;
      if (!cache.has(key)) {
        cache.set(key, fetchAll(`${root.dataset.database}/effective_stance.json?date=${encodeURIComponent(date)}` +
          `&weapon=&actor=&recipient=&statement=${encodeURIComponent(kind.value)}&_size=max`));
      }
      current = mapPositions(await cache.get(key));
      let coloured = 0;
      for (const country of root.querySelectorAll("[data-actor]")) {
        const entry = current.get(country.dataset.actor);
        const cls = country.tagName.toLowerCase() === "tr" ? null : "country";
        if (cls) country.setAttribute("class", entry ? `country stance-${entry.shown.stance}` : "country");
        else {
          const cell = country.querySelector("td");
          cell.className = entry ? `cell stance-${entry.shown.stance}` : "cell";
          cell.replaceChildren(entry ? positionLink(entry.shown.position_id, stanceLabel(entry.shown.stance)) : "—");
        }
        if (entry) {
          country.dataset.stance = entry.shown.stance;
          country.dataset.position = entry.shown.position_id;
          coloured += 1;
        } else {
          delete country.dataset.stance;
          delete country.dataset.position;
        }
        const title = country.querySelector("title");
        if (title) title.textContent = `${country.dataset.name}: ${entry ? stanceLabel(entry.shown.stance) : "no " + kind.value}`;
      }
      summary.textContent = `${current.size} actors with a ${kind.value} in force on ${date}.`;
      root.dataset.date = date;
      root.dataset.statement = kind.value;
      root.setAttribute("aria-busy", "false");
      return coloured;
    }

    function show(event) {
      const country = event.target.closest("[data-actor]");
      if (country && svg.contains(country)) mapDetails(panel, country.dataset.name, current.get(country.dataset.actor), kind.value);
    }
    svg.addEventListener("mouseover", show);
    svg.addEventListener("focusin", show);
    const rerender = () => { remember(); render().catch((e) => refuse(e.message)); };
    input.addEventListener("change", rerender);
    kind.addEventListener("change", rerender);
    view.addEventListener("change", () => { setView(); remember(); });
    slider.addEventListener("input", () => {
      const d = new Date((dayNumber(START) + +slider.value) * 86400000);
      input.value = d.toISOString().slice(0, 10);
      rerender();
    });
    play.addEventListener("click", () => {
      if (timer) {
        clearInterval(timer);
        timer = null;
        play.textContent = "Play";
        play.setAttribute("aria-pressed", "false");
        return;
      }
      if (input.value >= last) input.value = START;
      play.textContent = "Pause";
      play.setAttribute("aria-pressed", "true");
      timer = setInterval(() => {
        const next = new Date((dayNumber(input.value) + 14) * 86400000).toISOString().slice(0, 10);
        input.value = next > last ? last : next;
        rerender();
        if (input.value >= last) play.click();
      }, 600);
    });
    setView();
    if (requested !== null && !isIsoDate(requested)) {
      return refuse(`"${requested}" is not a date: use YYYY-MM-DD, e.g. 2024-06-15. Pick a date above.`);
    }
    await render();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const timeline = document.getElementById("timeline");
    if (timeline) drawTimeline(timeline).catch((e) => { timeline.textContent = `Could not load the timeline: ${e.message}`; });
    const matrix = document.getElementById("matrix");
    if (matrix) drawMatrix(matrix).catch((e) => { matrix.textContent = `Could not load the matrix: ${e.message}`; });
    const map = document.getElementById("map");
    if (map) drawMap(map).catch((e) => { map.setAttribute("aria-busy", "false"); map.prepend(`Could not load the map: ${e.message}`); });
  });
})();
