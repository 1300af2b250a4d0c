/*
 * The export buttons of the incident list: GET /api/incidents/export (through the session's
 * /ui/api/) with the page's filter, then the detached signature its answer names
 * (X-Swarmwatch-Signature); both offered as downloads (docs/dashboard.md, "Exports").
 */
"use strict";
(function () {
  const box = document.getElementById("export");
  if (!box) return;
  const status = document.getElementById("export-status");

  function save(blob, name) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function fileName(r, fallback) {
    const m = /filename="([^"]+)"/.exec(r.headers.get("Content-Disposition") || "");
    return m ? m[1] : fallback;
  }

  async function exportAs(format) {
    status.className = "export-status small";
    status.textContent = "Preparing the " + format.toUpperCase() + " export…";
    const filter = box.dataset.filter ? "&" + box.dataset.filter : "";
    try {
      const r = await fetch("/ui/api/incidents/export?format=" + format + filter, { credentials: "same-origin" });
      if (!r.ok) {
        let msg = "HTTP " + r.status, body = null;
        try { body = await r.json(); if (body.error) msg = body.error; } catch (e) { /* not JSON */ }
        // without the export API, the path is taken for an incident id
        if (r.status === 404 || (r.status === 400 && body && body.parameter === "id")) msg = "exports are not available on this server";
        throw new Error(msg);
      }
      const name = fileName(r, "swarmwatch-incidents." + format);
      save(await r.blob(), name);
      const sigPath = r.headers.get("X-Swarmwatch-Signature");
      if (sigPath) {
        const s = await fetch("/ui" + sigPath, { credentials: "same-origin" });
        if (!s.ok) throw new Error("the signature could not be fetched (HTTP " + s.status + ")");
        save(await s.blob(), fileName(s, name + ".sig"));
      }
      status.className = "export-status small ok";
      status.textContent = "Exported " + (r.headers.get("X-Swarmwatch-Export-Rows") || "?") + " incidents to " + name
        + (sigPath ? " with its signature (" + name + ".sig)." : ".") + " SHA-256 " + (r.headers.get("X-Swarmwatch-Export-Sha256") || "–");
      box.dataset.lastExport = name;
    } catch (e) {
      status.className = "export-status small error";
      status.textContent = "Export failed: " + e.message;
    }
  }

  box.querySelectorAll("button[data-format]").forEach((b) => b.addEventListener("click", () => exportAs(b.dataset.format)));
})();
