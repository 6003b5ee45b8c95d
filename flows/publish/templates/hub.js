// The hub's table: filter, sort and render the embedded programs. Every scraped value goes through
// esc() before it becomes HTML, and only http(s) URLs become links.
(() => {
  "use strict";
  const PAGE = 200;
  const raw = JSON.parse(document.getElementById("hub-data").textContent);
  const programs = raw.rows.map((row) => {
    const p = {};
    raw.columns.forEach((name, i) => { p[name] = row[i]; });
    p.search = [p.institution, p.campus, p.city, p.state, p.program_name, p.program_type,
      (p.specialties || []).join(" "), p.visa, p.deadline_text].filter(Boolean).join(" ").toLowerCase();
    return p;
  });

  const ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ESC[c]);
  const isHttp = (u) => typeof u === "string" && /^https?:\/\/\S+$/i.test(u);
  const NONE = '<span class="none" title="the page does not say">—</span>';
  const stated = (v) => v !== null && v !== undefined && v !== "unknown";
  const money = (n) => "$" + Number(n).toLocaleString("en-US", { maximumFractionDigits: 2 });
  const num = (n) => String(Math.round(n * 10) / 10);
  const words = {
    students: "Students", graduates: "Graduates", both: "Both", yes: "Yes", no: "No", restricted: "Restricted",
    provided: "Provided", discretionary: "At discretion", not_provided: "Not provided", open: "Open",
    closed: "Closed", suspended: "Suspended", sub_internship: "Sub-internship", vslo: "VSLO", portal: "Online portal",
    email: "E-mail", mail: "Mail", per_rotation: "/rotation", per_week: "/week", per_month: "/month", per_day: "/day",
    one_time: " one-time",
  };
  const word = (v) => (stated(v) ? esc(words[v] || String(v).charAt(0).toUpperCase() + String(v).slice(1)) : NONE);
  const yesNo = (v, no) => (v === true ? "Yes" : v === false ? no : NONE);
  const link = (url, text) => (isHttp(url)
    ? `<a href="${esc(url)}" rel="noopener noreferrer nofollow" target="_blank">${esc(text)}</a>` : esc(url));

  const duration = (p) => {
    const lo = p.duration_weeks_min, hi = p.duration_weeks_max;
    if (lo == null && hi == null) return NONE;
    if (lo == null) return `up to ${num(hi)} wk`;
    if (hi == null || hi === lo) return `${num(lo)} wk`;
    return `${num(lo)}–${num(hi)} wk`;
  };
  const fees = (p) => {
    const parts = [];
    if (p.application_fee_usd != null) parts.push(`${money(p.application_fee_usd)} to apply`);
    if (p.program_fee_usd != null) parts.push(money(p.program_fee_usd) + esc(words[p.program_fee_unit] || ""));
    if (!parts.length) return NONE;
    const total = p.total_fee != null && parts.length > 1 ? `<div class="sub">≈ ${money(p.total_fee)} total</div>` : "";
    return parts.join("<br>") + total;
  };
  const usmle = (p) => (p.usmle_steps_required == null ? NONE
    : p.usmle_steps_required.length ? esc(p.usmle_steps_required.join(", ")) : "None required");
  const specialties = (p) => {
    const names = [...new Set(p.specialties || [])];
    if (!names.length) return NONE;
    const rest = names.length - 5; // a long list stays in the details row
    return esc(names.slice(0, 5).join(", ")) + (rest > 0 ? `<div class="sub">+ ${rest} more</div>` : "");
  };
  const text = (v) => (v == null || v === "" ? NONE : esc(v));

  // key: URL sort name; fields: evidence shown on hover; sort: comparable value (null sorts last).
  const COLS = [
    { key: "institution", label: "Institution", fields: [], sort: (p) => p.institution,
      cell: (p) => esc(p.institution) + (p.campus ? `<div class="sub">${esc(p.campus)}</div>` : "") },
    { key: "place", label: "City / state", fields: [], sort: (p) => `${p.state || ""} ${p.city || ""}`,
      cell: (p) => esc([p.city, p.state].filter(Boolean).join(", ")) || NONE },
    { key: "program", label: "Program", fields: ["program_name"], sort: (p) => p.program_name,
      cell: (p) => `<button type="button" class="toggle" data-toggle="${esc(p.program_id)}" title="details and evidence"`
        + ` aria-expanded="${open.has(p.program_id)}">${open.has(p.program_id) ? "▾" : "▸"}</button>`
        + (p.program_name == null ? NONE : `<span class="name">${esc(p.program_name)}</span>`) },
    { key: "type", label: "Type", fields: ["program_type"], sort: (p) => p.program_type, cell: (p) => word(p.program_type) },
    { key: "audience", label: "For", fields: ["audience"], sort: (p) => p.audience, cell: (p) => word(p.audience) },
    { key: "hands", label: "Hands-on", fields: ["hands_on"], sort: (p) => p.hands_on, cell: (p) => yesNo(p.hands_on, "Observe only") },
    { key: "intl", label: "International", fields: ["accepts_international"], sort: (p) => p.accepts_international,
      cell: (p) => word(p.accepts_international) },
    { key: "spec", label: "Specialties", fields: ["specialties"], sort: (p) => (p.specialties || []).join(", ") || null,
      cell: specialties },
    { key: "duration", label: "Duration", fields: ["duration_weeks_min", "duration_weeks_max"], num: true,
      sort: (p) => p.duration_weeks_min ?? p.duration_weeks_max, cell: duration },
    { key: "fee", label: "Fees", fields: ["application_fee_usd", "program_fee_usd", "program_fee_unit"], num: true,
      sort: (p) => p.total_fee, cell: fees },
    { key: "usmle", label: "USMLE", fields: ["usmle_steps_required"],
      sort: (p) => (p.usmle_steps_required == null ? null : p.usmle_steps_required.length), cell: usmle },
    { key: "visa", label: "Visa", fields: ["visa"], sort: (p) => p.visa, cell: (p) => text(p.visa) },
    { key: "deadline", label: "Deadline", fields: ["deadline_text", "next_deadline"],
      sort: (p) => p.next_deadline || p.deadline_text, cell: (p) => text(p.deadline_text)
        + (p.next_deadline ? `<div class="sub">next: ${esc(p.next_deadline)}</div>` : "") },
    { key: "lor", label: "Letter of rec.", fields: ["lor_policy"], sort: (p) => p.lor_policy, cell: (p) => word(p.lor_policy) },
    { key: "status", label: "Status", fields: ["status"], sort: (p) => p.status,
      cell: (p) => (stated(p.status) ? `<span class="badge s-${esc(p.status)}">${word(p.status)}</span>` : NONE) },
    { key: "checked", label: "Checked", fields: [], sort: (p) => p.last_seen,
      cell: (p) => text(p.last_seen && p.last_seen.slice(0, 10)) },
    { key: "source", label: "Source", fields: [], sort: (p) => p.source_url, cell: (p) => link(p.source_url, "page") },
  ];
  const DETAILS = [
    ["Specialties", (p) => (p.specialties && p.specialties.length ? esc([...new Set(p.specialties)].join(", ")) : NONE)],
    ["English", (p) => text(p.english_requirement)],
    ["ECFMG certificate", (p) => yesNo(p.ecfmg_certificate_required, "No")],
    ["Years since graduation, at most", (p) => text(p.max_years_since_graduation)],
    ["How to apply", (p) => word(p.application_method)],
    ["Application page", (p) => (p.application_url ? link(p.application_url, p.application_url) : NONE)],
    ["Contact", (p) => text(p.contact_email)],
    ["First seen", (p) => text(p.first_seen && p.first_seen.slice(0, 10))],
    ["Source page", (p) => (p.source_url ? link(p.source_url, p.source_url) : NONE)],
  ];

  // Each filter says true (keep), false (drop) or null (the page does not say).
  const FILTERS = {
    who: (p, v) => (!stated(p.audience) ? null
      : p.audience === "both" || p.audience === (v === "student" ? "students" : "graduates")),
    hands: (p) => (p.hands_on == null ? null : p.hands_on),
    intl: (p) => (!stated(p.accepts_international) ? null : ["yes", "restricted"].includes(p.accepts_international)),
    state: (p, v) => p.state === v,
    spec: (p, v) => (p.specialties == null ? null : p.specialties.includes(v)),
    fee: (p, v) => (p.total_fee == null ? null : p.total_fee <= Number(v)),
    nousmle: (p) => (p.usmle_steps_required == null ? null : p.usmle_steps_required.length === 0),
    open: (p) => (!stated(p.status) ? null : p.status === "open"),
    q: (p, v) => v.toLowerCase().split(/\s+/).filter(Boolean).every((w) => p.search.includes(w)),
  };
  const form = document.getElementById("filters");
  const tbody = document.querySelector("#programs tbody");
  const more = document.getElementById("more");
  const open = new Set();
  let state = {};
  let limit = PAGE;

  const fillSelect = (name, values) => {
    form.elements[name].insertAdjacentHTML("beforeend", values.map((v) => `<option>${esc(v)}</option>`).join(""));
  };
  fillSelect("state", [...new Set(programs.map((p) => p.state).filter(Boolean))].sort());
  fillSelect("spec", [...new Set(programs.flatMap((p) => p.specialties || []))].sort());
  document.querySelector("#programs thead tr").innerHTML = COLS.map(
    (c) => `<th data-key="${c.key}"><button type="button" data-sort="${c.key}">${esc(c.label)}</button></th>`).join("");

  const readHash = () => Object.fromEntries(new URLSearchParams(location.hash.slice(1)));
  const writeHash = () => {
    const query = new URLSearchParams(Object.entries(state).filter(([, v]) => v !== "")).toString();
    history.replaceState(null, "", query ? `#${query}` : location.pathname + location.search);
  };
  const toForm = () => {
    for (const el of form.elements) {
      if (!el.name) continue;
      if (el.type === "checkbox") el.checked = state[el.name] === "1";
      else el.value = state[el.name] || "";
    }
  };
  const fromForm = () => {
    const next = { sort: state.sort || "", dir: state.dir || "" };
    for (const el of form.elements) {
      if (el.name) next[el.name] = el.type === "checkbox" ? (el.checked ? "1" : "") : el.value.trim();
    }
    return next;
  };

  const evidence = (p, fields) => [...new Set(fields.map((f) => p.evidence && p.evidence[f]).filter(Boolean))].join("\n");
  const rowHtml = (p) => {
    let html = `<tr class="prog" data-id="${esc(p.program_id)}">`;
    for (const c of COLS) {
      const ev = evidence(p, c.fields);
      const cls = (ev ? "ev " : "") + (c.num ? "num" : "");
      html += `<td${cls ? ` class="${cls.trim()}"` : ""}${ev ? ` title="${esc(ev)}"` : ""}>${c.cell(p)}</td>`;
    }
    html += "</tr>";
    if (open.has(p.program_id)) {
      const facts = DETAILS.map(([label, f]) => `<dt>${esc(label)}</dt><dd>${f(p)}</dd>`).join("");
      const quotes = Object.entries(p.evidence || {}).map(
        ([field, snippet]) => `<dt>${esc(field.replace(/_/g, " "))}</dt><dd><q>${esc(snippet)}</q></dd>`).join("");
      html += `<tr class="detail"><td colspan="${COLS.length}"><dl>${facts}${quotes}</dl></td></tr>`;
    }
    return html;
  };

  const compare = (col, dir) => {
    const sign = dir === "desc" ? -1 : 1;
    return (a, b) => {
      const x = col.sort(a), y = col.sort(b);
      if (x == null || x === "") return y == null || y === "" ? 0 : 1;
      if (y == null || y === "") return -1;
      if (typeof x === "string") return sign * x.localeCompare(y, "en", { sensitivity: "base" });
      return sign * (x < y ? -1 : x > y ? 1 : 0);
    };
  };

  const render = () => {
    const active = Object.keys(FILTERS).filter((k) => state[k]);
    const rows = programs.filter((p) => active.every((k) => {
      const verdict = FILTERS[k](p, state[k]);
      return verdict === true || (verdict === null && state.unstated === "1");
    }));
    const col = COLS.find((c) => c.key === state.sort);
    if (col) rows.sort(compare(col, state.dir));
    tbody.innerHTML = rows.slice(0, limit).map(rowHtml).join("");
    for (const th of document.querySelectorAll("#programs th")) {
      const sorted = th.dataset.key === state.sort;
      th.setAttribute("aria-sort", sorted ? (state.dir === "desc" ? "descending" : "ascending") : "none");
    }
    document.getElementById("count").textContent = rows.length === programs.length
      ? `${programs.length} programs` : `${rows.length} of ${programs.length} programs match`;
    more.hidden = rows.length <= limit;
    more.textContent = `Show more (${Math.min(PAGE, rows.length - limit)} of ${rows.length - limit} left)`;
  };
  const update = () => {
    const next = fromForm();
    if (JSON.stringify(next) === JSON.stringify(state)) return; // a blur after typing: keep rows (and clicks) in place
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
  document.querySelector("#programs thead").addEventListener("click", (e) => {
    const button = e.target.closest("[data-sort]");
    if (!button) return;
    const key = button.dataset.sort;
    state = { ...state, sort: key, dir: state.sort === key && state.dir !== "desc" ? "desc" : "asc" };
    writeHash();
    render();
  });
  tbody.addEventListener("click", (e) => {
    const button = e.target.closest("[data-toggle]");
    if (!button) return;
    const id = button.dataset.toggle;
    if (open.has(id)) open.delete(id); else open.add(id);
    render();
  });
  window.addEventListener("hashchange", restore);
  restore();
})();
