// The night's "verified on DATE" from checks.js (rewritten nightly; the page is not): see hub.py.
(() => {
  "use strict";
  const line = document.getElementById("checked");
  const checks = window.clerkshipsChecks;
  if (!line || !checks) return;
  const { source, program, since } = line.dataset;
  const own = (map, k) => (Object.prototype.hasOwnProperty.call(map, k) ? map[k] : undefined);
  const day = checks.days[own(checks.programs, program) ?? own(checks.sources, source)];
  if (day === undefined || (since && day < since)) return; // never vouch for facts read after it
  if (checks.stale.includes(source)) {
    line.className = "stale";
    line.textContent = checks.say.stale.replace("{day}", day);
  } else {
    line.textContent = checks.say.ok.replace("{day}", day) + checks.say.also + line.textContent;
  }
})();
