/* The administrator's audit log: GET /api/admin/audit (through the session's /ui/api/), paged, filtered by action. */
"use strict";
(function (S) {
  const SIZE = 50;
  let page = 0;
  const tbody = document.querySelector("#audit tbody");
  const status = document.getElementById("audit-status");
  const action = document.getElementById("action");

  function filterText(f) {
    if (!f || typeof f !== "object") return f ? String(f) : "all incidents";
    const parts = Object.entries(f).filter(([, v]) => v !== null && v !== "").map(([k, v]) => k + "=" + v);
    return parts.length ? parts.join(", ") : "all incidents";
  }

  async function load() {
    status.textContent = "Loading…";
    try {
      const body = await S.api("admin/audit", { page, size: SIZE, action: action.value });
      tbody.replaceChildren();
      if (!body.events.length) {
        const tr = document.createElement("tr"); S.cell(tr, "Nothing recorded yet.", "muted").colSpan = 7; tbody.appendChild(tr);
      }
      for (const e of body.events) {
        const tr = document.createElement("tr");
        tr.dataset.action = e.action || "";
        S.cell(tr, S.utc(e.timestamp).replace(" UTC", ""), "nowrap small");
        S.cell(tr, e.user || "–", "strong");
        S.cell(tr, e.action || "–");
        if (e.action === "incidents.view") {
          const a = e.access || {};
          S.cell(tr, (e.incident && e.incident.id) || "–", "mono small break");
          S.cell(tr, (a.route || "–") + (a.view ? ": " + a.view : "") + (a.token ? " (token " + a.token + ")" : ""), "small");
          S.cell(tr, "–", "num");
          S.cell(tr, "–", "mono small break");
        } else if (e.action === "incidents.list") {
          const a = e.access || {}, q = e.search || {};
          S.cell(tr, "page " + ((q.page || 0) + 1) + " · " + S.count(q.total) + " matching", "small");
          S.cell(tr, (a.route || "–") + (a.token ? " (token " + a.token + ")" : "") + ": " + filterText(q.filter), "small");
          S.cell(tr, S.count(q.rows), "num");
          S.cell(tr, "–", "mono small break");
        } else if (e.action === "lists.upload") {
          const l = e.list || {};
          S.cell(tr, (l.file_name || "–") + (l.id ? " (list " + l.id + ")" : ""), "small break");
          S.cell(tr, l.outcome === "accepted" ? "accepted, " + (l.signer === "unsigned" ? "unsigned" : "signed by " + l.signer)
            : "refused: " + (l.reason || "–"), "small");
          S.cell(tr, l.entries === undefined ? "–" : S.count(l.entries), "num");
          S.cell(tr, l.sha256 || "–", "mono small break");
        } else {
          const x = e.export || {};
          S.cell(tr, x.format ? x.format.toUpperCase() : "–");
          S.cell(tr, filterText(x.filter), "small");
          S.cell(tr, S.count(x.rows), "num");
          S.cell(tr, x.sha256 || "–", "mono small break");
        }
        tbody.appendChild(tr);
      }
      const pages = Math.max(1, Math.ceil(body.total / SIZE));
      document.getElementById("audit-page").textContent = "Page " + (page + 1) + " of " + pages + " · " + S.count(body.total) + " event(s)";
      document.getElementById("newer").disabled = page === 0;
      document.getElementById("older").disabled = page + 1 >= pages;
      status.textContent = "Updated " + new Date().toISOString().slice(11, 19) + " UTC";
    } catch (e) {
      tbody.replaceChildren();
      const tr = document.createElement("tr");
      S.cell(tr, e.status === 404 ? "The audit log is not available on this server (no audit API)." : "Could not load the audit log: " + e.message, "muted").colSpan = 7;
      tbody.appendChild(tr);
      status.textContent = "";
    }
  }
  action.addEventListener("change", () => { page = 0; load(); });
  document.getElementById("newer").addEventListener("click", () => { page--; load(); });
  document.getElementById("older").addEventListener("click", () => { page++; load(); });
  load();
})(window.Swarmwatch);
