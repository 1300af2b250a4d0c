/*
 * The operator's page: P2P traffic by protocol over time (Chart.js), top pseudonymous
 * subscribers, probe health; from the API for this session (/ui/api/...). The page's state (range,
 * probe, link) is in its address, so that a view can be shared and reloaded.
 */
"use strict";
(function (S) {
  const $ = (id) => document.getElementById(id);
  const RANGES = { "1h": 3600e3, "6h": 6 * 3600e3, "24h": 24 * 3600e3, "7d": 7 * 86400e3, "30d": 30 * 86400e3 };
  /** Histogram intervals the page picks from: the smallest giving at most ~90 bars. */
  const INTERVALS = [["1s", 1], ["5s", 5], ["10s", 10], ["30s", 30], ["1m", 60], ["5m", 300], ["10m", 600], ["15m", 900],
    ["30m", 1800], ["1h", 3600], ["3h", 10800], ["6h", 21600], ["12h", 43200], ["1d", 86400]];
  const COLOURS = ["#1f6feb", "#e8590c", "#2f9e44", "#9c36b5", "#f08c00", "#0c8599", "#c2255c", "#5c940d", "#364fc7", "#862e9c"];
  const NOT_P2P = "unknown";

  let measure = "bytes";
  let latest = null; // last traffic answer
  let timer = null;
  let latestSeen = null;

  const chart = new Chart($("traffic-chart"), {
    type: "bar",
    data: { labels: [], datasets: [] },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 18, color: "#5b6474" } },
        y: { stacked: true, beginAtZero: true, title: { display: true, text: "bytes", color: "#5b6474" },
             ticks: { color: "#5b6474", callback: (v) => measure === "bytes" ? S.bytes(v) : S.count(v) }, grid: { color: "#eef1f5" } },
        share: { position: "right", min: 0, max: 1, grid: { display: false }, title: { display: true, text: "P2P share", color: "#5b6474" },
                 ticks: { color: "#5b6474", callback: (v) => Math.round(v * 100) + " %" } }
      },
      plugins: {
        legend: { position: "bottom", labels: { usePointStyle: true, boxWidth: 8, color: "#1d2433" } },
        tooltip: { callbacks: { label: (c) => c.dataset.yAxisID === "share" ? " P2P share: " + S.percent(c.parsed.y)
            : " " + c.dataset.label + ": " + (measure === "bytes" ? S.bytes(c.parsed.y) : S.count(c.parsed.y)) } }
      }
    }
  });

  function isoLocal(ms) { return new Date(ms).toISOString().slice(0, 19); }
  function fromLocal(v) { return v ? new Date(v + (v.length === 16 ? ":00Z" : "Z")).getTime() : NaN; }

  function range() {
    const r = $("range").value;
    if (r === "custom") {
      const from = fromLocal($("from").value), to = fromLocal($("to").value);
      if (!(from < to)) throw new Error("choose a From time before the To time");
      return { from, to };
    }
    const to = Date.now();
    return { from: to - RANGES[r], to };
  }

  function interval(r) {
    const seconds = (r.to - r.from) / 1000;
    for (const [name, s] of INTERVALS) if (seconds / s <= 90) return name;
    return "1d";
  }

  function label(iso, r) {
    const s = new Date(iso).toISOString();
    const span = r.to - r.from;
    if (span <= 2 * 3600e3) return s.slice(11, 19);
    if (span <= 2 * 86400e3) return s.slice(11, 16);
    return s.slice(5, 10) + " " + s.slice(11, 16);
  }

  function saveState() {
    const q = new URLSearchParams();
    if ($("range").value === "custom") { q.set("from", $("from").value + "Z"); q.set("to", $("to").value + "Z"); }
    else q.set("range", $("range").value);
    if ($("probe").value) q.set("probe", $("probe").value);
    if ($("link").value) q.set("link", $("link").value);
    history.replaceState(null, "", "?" + q);
  }

  function loadState() {
    const q = new URLSearchParams(location.search);
    if (q.get("from") && q.get("to")) {
      $("range").value = "custom";
      $("from").value = isoLocal(new Date(q.get("from")).getTime());
      $("to").value = isoLocal(new Date(q.get("to")).getTime());
    } else if (q.get("range") && RANGES[q.get("range")]) {
      $("range").value = q.get("range");
    }
    for (const k of ["probe", "link"]) {
      if (q.get(k)) { const o = document.createElement("option"); o.value = o.textContent = q.get(k); $(k).appendChild(o); $(k).value = q.get(k); }
    }
    showCustom();
  }

  function showCustom() {
    const custom = $("range").value === "custom";
    document.querySelectorAll(".custom-range").forEach((e) => e.hidden = !custom);
    if (custom && !$("from").value) {
      const r = { to: Date.now(), from: Date.now() - 86400e3 };
      $("from").value = isoLocal(r.from); $("to").value = isoLocal(r.to);
    }
  }

  function fillPicker(id, values) {
    const sel = $(id), current = sel.value;
    const all = sel.options[0];
    sel.replaceChildren(all);
    const set = new Set(values);
    if (current) set.add(current);
    [...set].sort().forEach((v) => { const o = document.createElement("option"); o.value = o.textContent = v; sel.appendChild(o); });
    sel.value = current;
  }

  function draw(r) {
    const t = latest;
    const p2pProtocols = t.protocols.filter((p) => p !== NOT_P2P);
    chart.data.labels = t.buckets.map((b) => label(b.start, r));
    const datasets = p2pProtocols.map((p, i) => ({
      label: p, yAxisID: "y", backgroundColor: COLOURS[i % COLOURS.length], borderRadius: 2, maxBarThickness: 36,
      data: t.buckets.map((b) => (b.protocols[p] || {})[measure] || 0)
    }));
    if (t.protocols.includes(NOT_P2P)) {
      datasets.push({ label: "other (not P2P)", yAxisID: "y", backgroundColor: "#cfd6e1", borderRadius: 2, maxBarThickness: 36,
        data: t.buckets.map((b) => (b.protocols[NOT_P2P] || {})[measure] || 0) });
    }
    if (measure === "bytes") {
      datasets.push({ type: "line", label: "P2P share", yAxisID: "share", borderColor: "#d9480f", backgroundColor: "#d9480f",
        pointRadius: 3, borderWidth: 2, tension: 0.25, spanGaps: true, clip: false,
        data: t.buckets.map((b) => b.bytes > 0 ? b.p2p_share : null) });
    }
    chart.data.datasets = datasets;
    chart.options.scales.y.title.text = measure;
    chart.options.scales.share.display = measure === "bytes";
    chart.update();

    let bytes = 0, p2p = 0, flows = 0;
    for (const b of t.buckets) {
      bytes += b.bytes; p2p += b.p2p_bytes;
      for (const p of p2pProtocols) flows += (b.protocols[p] || {}).flows || 0;
    }
    $("kpi-bytes").textContent = S.bytes(bytes);
    $("kpi-p2p").textContent = S.bytes(p2p);
    $("kpi-share").textContent = bytes > 0 ? S.percent(p2p / bytes) : "–";
    $("kpi-flows").textContent = S.count(flows);
    const empty = bytes === 0 && flows === 0;
    $("empty").hidden = !empty;
    $("jump").hidden = !(empty && latestSeen);
    $("empty-hint").textContent = empty && latestSeen ? "The latest stats record is from " + S.utc(latestSeen) + "." : "";
  }

  function subscribers(body) {
    const tbody = document.querySelector("#subscribers tbody");
    tbody.replaceChildren();
    if (!body.subscribers.length) {
      const tr = document.createElement("tr"); S.cell(tr, "No P2P traffic from subscribers in this range.", "muted").colSpan = 6; tbody.appendChild(tr);
    }
    body.subscribers.forEach((s, i) => {
      const tr = document.createElement("tr");
      S.cell(tr, i + 1, "muted");
      S.cell(tr, s.subscriber, "mono");
      S.cell(tr, S.bytes(s.bytes), "num strong");
      S.cell(tr, S.bytes(s.bytes_sent), "num");
      S.cell(tr, S.bytes(s.bytes_received), "num");
      S.cell(tr, S.count(s.flows), "num");
      tbody.appendChild(tr);
    });
  }

  function probes(body) {
    const tbody = document.querySelector("#probes tbody");
    tbody.replaceChildren();
    latestSeen = body.probes.map((p) => p.last_seen).filter(Boolean).sort().pop() || null;
    if (!body.probes.length) {
      const tr = document.createElement("tr"); S.cell(tr, "No probe has reported yet.", "muted").colSpan = 7; tbody.appendChild(tr);
    }
    for (const p of body.probes) {
      const tr = document.createElement("tr");
      const drops = (p.capture_dropped || 0) + (p.capture_interface_dropped || 0);
      const name = S.cell(tr, "");
      const dot = document.createElement("span");
      dot.className = "dot " + (drops > 0 || p.export_dropped > 0 ? "dot-warn" : "dot-ok");
      name.append(dot, document.createTextNode(p.observer));
      // a capture file's path is long: its name, the whole path on hover
      const link = S.cell(tr, p.source || "–", "mono small");
      if (p.source) link.title = p.source;
      S.cell(tr, S.utc(p.last_seen).replace(" UTC", ""), "small nowrap");
      S.cell(tr, S.count(p.packets), "num");
      S.cell(tr, S.count(drops), "num" + (drops > 0 ? " warn" : ""));
      S.cell(tr, S.bytes(p.export_spool_bytes), "num");
      S.cell(tr, S.count(p.export_dropped), "num" + (p.export_dropped > 0 ? " warn" : ""));
      tbody.appendChild(tr);
    }
  }

  /** The classifier's Kafka consumer lag (GET /api/probes/lag), where the server offers it; the panel stays hidden otherwise. */
  async function lag() {
    let body;
    try { body = await S.api("probes/lag"); } catch (e) { $("lag").hidden = true; return; }
    $("lag").hidden = false;
    const unknown = body.status !== "ok";
    $("lag-unknown").hidden = !unknown;
    $("lag-groups").hidden = unknown;
    if (unknown) { $("lag-unknown").textContent = "Unknown: " + (body.reason || "no answer from Kafka"); return; }
    const tbody = document.querySelector("#lag-groups tbody");
    tbody.replaceChildren();
    for (const g of body.groups || []) {
      const tr = document.createElement("tr");
      S.cell(tr, g.group, "mono small");
      S.cell(tr, g.state || "–", "small");
      S.cell(tr, S.count(g.members), "num");
      S.cell(tr, S.count(g.lag), "num strong" + (g.lag > 0 ? " warn" : ""));
      tbody.appendChild(tr);
    }
  }

  async function refresh() {
    let r;
    try { r = range(); } catch (e) { $("status").textContent = e.message; return; }
    saveState();
    const from = new Date(r.from).toISOString(), to = new Date(r.to).toISOString();
    $("status").textContent = "Updating…";
    try {
      const [traffic, top, probe] = await Promise.all([
        S.api("traffic", { from, to, interval: interval(r), probe: $("probe").value, link: $("link").value }),
        S.api("subscribers/top", { from, to, size: 10 }),
        S.api("probes")]);
      probes(probe);
      latest = traffic;
      fillPicker("probe", traffic.probes || []);
      fillPicker("link", traffic.links || []);
      draw(r);
      subscribers(top);
      await lag();
      $("status").textContent = "Updated " + new Date().toISOString().slice(11, 19) + " UTC";
      document.body.dataset.loaded = "true";
    } catch (e) {
      $("status").textContent = "Could not load the data: " + e.message;
    }
  }

  function schedule() {
    if (timer) clearInterval(timer);
    const s = Number($("refresh").value);
    timer = s > 0 ? setInterval(refresh, s * 1000) : null;
  }

  $("range").addEventListener("change", () => { showCustom(); refresh(); });
  ["from", "to", "probe", "link"].forEach((id) => $(id).addEventListener("change", refresh));
  $("refresh").addEventListener("change", schedule);
  $("reload").addEventListener("click", refresh);
  $("jump").addEventListener("click", () => {
    const end = new Date(latestSeen).getTime() + 60e3;
    $("range").value = "custom";
    $("from").value = isoLocal(end - 3600e3); $("to").value = isoLocal(end);
    showCustom(); refresh();
  });
  document.querySelectorAll(".seg").forEach((b) => b.addEventListener("click", () => {
    document.querySelectorAll(".seg").forEach((x) => x.classList.toggle("active", x === b));
    measure = b.dataset.measure;
    if (latest) { try { draw(range()); } catch (e) { /* range shown in status */ } }
  }));

  loadState();
  schedule();
  refresh();
})(window.Swarmwatch);
