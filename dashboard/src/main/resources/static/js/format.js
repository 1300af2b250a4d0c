/* Swarmwatch pages: number and time formatting shared by the pages' scripts. */
"use strict";
window.Swarmwatch = window.Swarmwatch || {};
(function (S) {
  const UNITS = ["B", "kB", "MB", "GB", "TB", "PB"];
  S.bytes = function (n) {
    if (n == null || isNaN(n)) return "–";
    let i = 0;
    let v = Number(n);
    while (Math.abs(v) >= 1000 && i < UNITS.length - 1) { v /= 1000; i++; }
    return (i === 0 ? v.toFixed(0) : v.toFixed(v < 10 ? 2 : 1)) + " " + UNITS[i];
  };
  S.count = function (n) {
    return n == null || isNaN(n) ? "–" : Number(n).toLocaleString("en-GB");
  };
  S.percent = function (x) {
    return x == null || isNaN(x) ? "–" : (x * 100).toFixed(x >= 0.1 || x === 0 ? 1 : 2) + " %";
  };
  /** An ISO instant as "2026-11-23 10:00:05 UTC". */
  S.utc = function (iso) {
    if (!iso) return "–";
    const d = new Date(iso);
    if (isNaN(d)) return iso;
    return d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "").replace("Z", "") + " UTC";
  };
  S.text = function (el, value) { el.textContent = value; return el; };
  S.cell = function (tr, value, cls) {
    const td = document.createElement("td");
    td.textContent = value;
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  };
  /** GET a JSON document of the API for this session (ApiBridge); rejects with the API's error text. */
  S.api = async function (path, params) {
    const q = new URLSearchParams();
    Object.entries(params || {}).forEach(([k, v]) => { if (v !== null && v !== undefined && v !== "") q.set(k, v); });
    const url = "/ui/api/" + path + (q.toString() ? "?" + q : "");
    const r = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (r.redirected && r.url.includes("/login")) { window.location = "/login"; throw new Error("signed out"); }
    let body = null;
    try { body = await r.json(); } catch (e) { /* not JSON */ }
    if (!r.ok) {
      const err = new Error(body && body.error ? body.error : "HTTP " + r.status);
      err.status = r.status;
      throw err;
    }
    return body;
  };
})(window.Swarmwatch);
