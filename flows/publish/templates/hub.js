// The hub's cards: filter, count, sort and render the embedded programs. Every value goes through
// esc() before it becomes HTML, and only http(s) URLs become links (the page's builder checked them).
(() => {
  "use strict";
  // A block of packing.py: one row per card, a value per column, each string an index into `strings`.
  const unpack = (block) => {
    const strings = block.strings;
    const text = (v) => (typeof v === "number" ? strings[v] : Array.isArray(v) ? v.map(text) : v);
    const columns = block.cols.map((c) => {
      const path = c.replace(/#$/, "").split(".");
      return { number: c.endsWith("#"), parents: path.slice(0, -1), last: path[path.length - 1] };
    });
    return block.rows.map((values) => {
      const row = {};
      for (let j = 0; j < columns.length; j++) {
        const { number, parents, last } = columns[j];
        let target = row;
        for (const key of parents) target = target[key] ??= {};
        target[last] = number ? values[j] : text(values[j]);
      }
      return row;
    });
  };
  // The first screen (the first cards of the unfiltered list, in a small block before this script) is
  // drawn at once, while the parser still reads the whole list; the list, its filters and counts
  // take over when the parser is done.
  const meta = JSON.parse(document.getElementById("hub-first").textContent);
  const say = meta.say;
  const PAGE = meta.page;
  const ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ESC[c]);
  const isHttp = (u) => typeof u === "string" && /^https?:\/\/\S+$/i.test(u);
  const stated = (v) => v !== null && v !== undefined && v !== "unknown";

  const said = (evidence, isStated) => (evidence === undefined ? "" // the first screen: drawn again with it
    : evidence ? `<q>${esc(evidence)}</q>` : `<span>${esc(isStated ? say.no_sentence : say.not_said)}</span>`);
  const value = (text, evidence, isStated, src) => `<details class="val${isStated ? "" : " unstated"}"><summary>${esc(text)}</summary>`
    + `<div class="ev">${said(evidence, isStated)}`
    + `${isHttp(src) ? ` <a href="${esc(src)}" rel="noopener noreferrer nofollow">${esc(say.source)}</a>` : ""}</div></details>`;
  const card = (p) => `<li class="card" data-id="${esc(p.id)}">`
    + `<p class="status"><span class="badge s-${esc(p.status)}">${esc(p.status_word)}</span> `
    + `<span class="${p.stale ? "stale" : "checked"}">${esc(p.checked)}</span></p>`
    + `<h2><a href="${esc(p.href ?? `${meta.folder}/${p.id}.html`)}">${esc(p.name)}</a></h2>`
    + `<p class="where">${esc([p.inst + (p.campus ? `, ${p.campus}` : ""), p.place, p.type].filter(Boolean).join(" · "))}</p>`
    + `<dl class="facts">${meta.labels.map((label, i) => `<div><dt>${esc(label)}</dt>`
      + `<dd>${value(p.facts[i], p.ev?.[i], (p.stated >> i) & 1, p.src)}</dd></div>`).join("")}</dl></li>`;

  const list = document.getElementById("programs");
  if (!location.hash) list.innerHTML = unpack(meta).map(card).join("");
  // On a phone the cards come first: the filters fold away unless a link set some.
  if (window.innerWidth < 760 && !location.hash) document.getElementById("filter-box").open = false;

  const start = () => {
    const data = JSON.parse(document.getElementById("hub-data").textContent);
    const programs = unpack(data);
    for (const p of programs) p.q = p.q.join(" ").toLowerCase();
    let sentences = false;
    const readSentences = () => {
      if (sentences) return;
      unpack(JSON.parse(document.getElementById("hub-evidence").textContent)).forEach((row, i) => { programs[i].ev = row.ev; });
      sentences = true;
    };
    // The options of a select a program matches (null: its page does not say), so one pass over the
    // programs tallies every option's count.
    const OPTIONS = {
      state: (p) => (p.f.state == null ? null : [p.f.state]),
      spec: (p) => p.f.spec,
    };
    const chosen = (name, p, v) => { const mine = OPTIONS[name](p); return mine == null ? null : mine.includes(v); };
    // Each filter says true (keep), false (drop) or null (the page does not say).
    const FILTERS = {
      who: (p, v) => (!stated(p.f.audience) ? null
        : p.f.audience === "both" || p.f.audience === (v === "student" ? "students" : "graduates")),
      hands: (p) => (p.f.hands == null ? null : p.f.hands),
      intl: (p) => (!stated(p.f.intl) ? null : p.f.intl !== "no"),
      state: (p, v) => chosen("state", p, v),
      spec: (p, v) => chosen("spec", p, v),
      fee: (p, v) => (p.f.total != null ? p.f.total <= Number(v) : p.f.least != null && p.f.least > Number(v) ? false : null),
      nousmle: (p) => (p.f.usmle == null ? null : p.f.usmle.length === 0),
      open: (p) => (!stated(p.status) ? null : p.status === "open"),
      q: (p, v) => v.toLowerCase().split(/\s+/).filter(Boolean).every((w) => p.q.includes(w)),
    };
    const SORTS = {
      cost: (p) => p.f.total ?? p.f.least,
      deadline: (p) => p.f.deadline,
      seen: (p) => (p.f.seen ? -Date.parse(p.f.seen) : null),
    };
    const form = document.getElementById("filters");
    const more = document.getElementById("more");
    let state = {};
    let limit = PAGE;

    const keeps = (p, k, v, unstated) => {
      const verdict = FILTERS[k](p, v);
      return verdict === true || (verdict === null && unstated);
    };
    const passes = (p, st) => Object.keys(FILTERS).every((k) => !st[k] || keeps(p, k, st[k], st.unstated === "1"));
    const fillSelect = (name, values) => {
      form.elements[name].insertAdjacentHTML("beforeend",
        values.map((v) => `<option value="${esc(v)}">${esc(v)}</option>`).join(""));
    };
    for (const name of Object.keys(OPTIONS)) {
      fillSelect(name, [...new Set(programs.flatMap((p) => OPTIONS[name](p) || []))].filter(Boolean).sort());
    }

    const readHash = () => Object.fromEntries(new URLSearchParams(location.hash.slice(1)));
    const writeHash = () => {
      const query = new URLSearchParams(Object.entries(state).filter(([, v]) => v !== "")).toString();
      history.replaceState(null, "", query ? `#${query}` : location.pathname + location.search);
    };
    const toForm = () => {
      for (const el of form.elements) {
        if (!el.name) continue;
        if (el.type === "checkbox") el.checked = state[el.name] === "1";
        else if (el.type === "radio") el.checked = el.value === (state[el.name] || "");
        else el.value = state[el.name] || "";
      }
    };
    const fromForm = () => {
      const next = {};
      for (const el of form.elements) {
        if (!el.name) continue;
        if (el.type === "checkbox") next[el.name] = el.checked ? "1" : "";
        else if (el.type === "radio") { if (el.checked) next[el.name] = el.value; }
        else next[el.name] = el.value.trim();
      }
      return next;
    };

    const compare = (key) => (a, b) => {
      const x = SORTS[key](a), y = SORTS[key](b);
      if (x == null) return y == null ? 0 : 1;
      if (y == null) return -1;
      return x < y ? -1 : x > y ? 1 : 0;
    };
    // The programs that pass every active filter but `k`: one pass over the programs, so each option's
    // count is a tally among them rather than a fresh filtering of every program.
    const allBut = () => {
      const active = Object.keys(FILTERS).filter((k) => state[k]);
      const unstated = state.unstated === "1";
      const groups = { "": [] };
      for (const k of active) groups[k] = [];
      for (const p of programs) {
        const failed = active.filter((k) => !keeps(p, k, state[k], unstated));
        if (failed.length === 0) { groups[""].push(p); for (const k of active) groups[k].push(p); }
        else if (failed.length === 1) groups[failed[0]].push(p);
      }
      return (k) => groups[k] || groups[""];
    };
    const showCounts = () => {
      const others = allBut();
      const unstated = state.unstated === "1";
      const withUnstated = { ...state, unstated: "1" };
      for (const span of form.querySelectorAll("[data-count]")) {
        const [name, v] = span.dataset.count.split("=");
        const n = name === "unstated"
          ? programs.reduce((sum, p) => sum + passes(p, withUnstated), 0)
          : v === "" ? others(name).length : others(name).reduce((sum, p) => sum + keeps(p, name, v, unstated), 0);
        span.textContent = `(${n})`;
      }
      for (const name of Object.keys(OPTIONS)) {
        const pool = others(name);
        const tally = new Map();
        let silent = 0;
        for (const p of pool) {
          const mine = OPTIONS[name](p);
          if (mine == null) silent += 1;
          else for (const v of mine) tally.set(v, (tally.get(v) || 0) + 1); // cards.py lists each once
        }
        for (const option of form.elements[name].options) {
          const n = option.value === "" ? pool.length : (tally.get(option.value) || 0) + (unstated ? silent : 0);
          option.textContent = `${option.value || (name === "state" ? "all states" : "all specialties")} (${n})`;
        }
      }
    };

    const render = () => {
      readSentences();
      const rows = programs.filter((p) => passes(p, state));
      if (SORTS[state.sort]) rows.sort(compare(state.sort));
      list.innerHTML = rows.slice(0, limit).map(card).join("");
      document.getElementById("count").textContent = rows.length === programs.length
        ? `${programs.length} programs` : `${rows.length} of ${programs.length} programs match`;
      more.hidden = rows.length <= limit;
      more.textContent = `Show more (${Math.min(PAGE, rows.length - limit)} of ${rows.length - limit} left)`;
      showCounts();
    };
    const update = () => {
      const next = fromForm();
      if (JSON.stringify(next) === JSON.stringify(state)) return;
      state = next;
      limit = PAGE;
      writeHash();
      render();
    };
    const restore = () => { state = readHash(); toForm(); state = fromForm(); render(); };

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    document.getElementById("clear").addEventListener("click", () => { form.reset(); update(); });
    more.addEventListener("click", () => { limit += PAGE; render(); });
    window.addEventListener("hashchange", restore);
    restore();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
