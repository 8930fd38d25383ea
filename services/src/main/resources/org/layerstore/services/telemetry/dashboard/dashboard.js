// SPDX-License-Identifier: Apache-2.0
// Layerstore monitoring dashboard: subscribes over MQTT-over-WebSocket to <prefix>/<device>/# and draws it.
// Works served by the appliance (settings from config.json) or on its own (settings from the URL query
// ?broker=ws://host:port/mqtt&prefix=layerstore&device=NAME[&username=U&password=P], or from the connection form).
(function () {
  "use strict";

  const HISTORY = 120;          // points kept per chart
  const MAX_EVENTS = 50;        // events kept in the list
  const COLORS = ["#1f6feb", "#e36209", "#1a7f37", "#8250df", "#cf222e", "#0a7ea4", "#9a6700"];
  const $ = (id) => document.getElementById(id);

  const state = { client: null, settings: null, device: null, devices: new Set(), lastSequence: null };

  // ---- formatting -------------------------------------------------------------------------------
  function bytes(n) {
    if (n === undefined || n === null) return "–";
    const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let i = 0;
    while (Math.abs(n) >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n.toFixed(0) : n.toFixed(n < 10 ? 2 : 1)) + " " + units[i];
  }
  function rate(n) { return n === undefined ? "–" : bytes(n) + "/s"; }
  function number(n) { return n === undefined ? "–" : Number(n).toLocaleString("en-US"); }
  function duration(s) {
    if (s === undefined) return "–";
    const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    return (d ? d + "d " : "") + (d || h ? h + "h " : "") + m + "m " + Math.floor(s % 60) + "s";
  }
  function clock(iso) { return new Date(iso).toLocaleTimeString("en-GB", { hour12: false }); }
  function value(metrics, group, name) {
    const g = metrics[group];
    return g && g[name] ? g[name].value : undefined;
  }
  function groups(metrics, prefix) {
    return Object.keys(metrics).filter((g) => g.startsWith(prefix)).sort();
  }

  // ---- charts -----------------------------------------------------------------------------------
  function lineChart(canvasId, yTitle, format) {
    return new Chart($(canvasId), {
      type: "line",
      data: { labels: [], datasets: [] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, normalized: true,
        interaction: { mode: "index", intersect: false },
        elements: { point: { radius: 0 }, line: { borderWidth: 2, tension: 0.25 } },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 10, boxHeight: 10, font: { size: 11 } } },
          tooltip: { callbacks: { label: (c) => c.dataset.label + ": " + format(c.parsed.y) } }
        },
        scales: {
          x: { ticks: { maxTicksLimit: 6, font: { size: 10 } }, grid: { display: false } },
          y: { beginAtZero: true, title: { display: !!yTitle, text: yTitle, font: { size: 10 } },
               ticks: { callback: (v) => format(v), font: { size: 10 } }, grid: { color: "#eef1f6" } }
        }
      }
    });
  }
  const charts = {
    throughput: lineChart("chart-throughput", "MiB/s", (v) => Number(v).toFixed(v < 10 ? 1 : 0) + " MiB/s"),
    http: lineChart("chart-http", "", (v) => Number(v).toFixed(v < 10 ? 1 : 0)),
    cpu: lineChart("chart-cpu", "%", (v) => Number(v).toFixed(0) + " %"),
    temperature: lineChart("chart-temperature", "°C", (v) => Number(v).toFixed(1) + " °C"),
    disk: lineChart("chart-disk", "%", (v) => Number(v).toFixed(1) + " %")
  };

  // Appends one point per series (label -> value) at time label `at`; series missing now get a gap.
  function push(chart, at, series) {
    const labels = chart.data.labels;
    labels.push(at);
    for (const [label, y] of Object.entries(series)) {
      let ds = chart.data.datasets.find((d) => d.label === label);
      if (!ds) {
        const color = COLORS[chart.data.datasets.length % COLORS.length];
        ds = { label: label, data: new Array(labels.length - 1).fill(null), borderColor: color,
               backgroundColor: color + "22", fill: chart.data.datasets.length === 0 };
        chart.data.datasets.push(ds);
      }
      ds.data.push(y === undefined ? null : y);
    }
    for (const ds of chart.data.datasets) {
      if (ds.data.length < labels.length) ds.data.push(null);
      while (ds.data.length > HISTORY) ds.data.shift();
    }
    while (labels.length > HISTORY) labels.shift();
    chart.update("none");
  }

  // ---- tables -----------------------------------------------------------------------------------
  function fillTable(id, rows) {
    const table = $(id);
    table.innerHTML = "";
    const body = table.createTBody();
    for (const cells of rows) {
      const tr = body.insertRow();
      cells.forEach((c) => { tr.insertCell().textContent = c; });
    }
  }

  // ---- telemetry --------------------------------------------------------------------------------
  function onTelemetry(sample) {
    const m = sample.metrics || {};
    const at = clock(sample.timestamp);
    $("schema").textContent = sample.schema;
    $("sequence").textContent = sample.sequence;
    $("sample-time").textContent = new Date(sample.timestamp).toLocaleString("en-GB", { hour12: false });
    // The board's identity: host name (<host>.local over mDNS), board, firmware image and its A/B slot.
    const host = value(m, "system", "host"), firmware = value(m, "system", "firmware_version");
    const slot = value(m, "system", "slot");
    $("device-meta").textContent = [host, value(m, "system", "board"),
      firmware === undefined ? undefined : "firmware " + firmware, slot === undefined ? undefined : "slot " + slot,
      "version " + value(m, "system", "version"), "HAL " + value(m, "system", "hal_backend"),
      "up " + duration(value(m, "system", "uptime"))].filter((part) => part !== undefined).join(" · ");

    const cpu = value(m, "system", "cpu_load");
    $("tile-cpu").textContent = cpu === undefined ? "–" : cpu.toFixed(1) + " %";
    $("tile-cpu-hint").textContent = "process " + (value(m, "system", "process_cpu_load") ?? 0).toFixed(1) + " %";

    const engines = groups(m, "engine.");
    const throughput = {};
    let total = 0;
    engines.forEach((g) => {
      const v = value(m, g, "throughput");
      throughput[g.substring(7)] = v === undefined ? undefined : v / 1048576;   // plotted in MiB/s: round axis ticks
      total += v || 0;
    });
    $("tile-throughput").textContent = engines.length ? rate(total) : "–";
    push(charts.throughput, at, throughput);

    $("tile-connections").textContent = number(value(m, "http", "active_connections"));
    $("tile-requests").textContent = (value(m, "http", "requests_per_second") ?? 0).toFixed(1) + " requests/s";
    push(charts.http, at, { "connections": value(m, "http", "active_connections"),
                            "requests/s": value(m, "http", "requests_per_second") });
    push(charts.cpu, at, { "system": cpu, "process": value(m, "system", "process_cpu_load") });

    const temperature = value(m, "board", "soc_temperature");
    $("tile-temperature").textContent = temperature === undefined ? "–" : temperature.toFixed(1) + " °C";
    push(charts.temperature, at, { "SoC": temperature });

    const shares = groups(m, "share.");
    const used = {};
    let free = 0, capacity = 0;
    shares.forEach((g) => { used[g.substring(6)] = value(m, g, "used_percent"); free += value(m, g, "free") || 0;
                            capacity += value(m, g, "capacity") || 0; });
    $("tile-disk").textContent = shares.length ? bytes(free) : "–";
    $("tile-disk-hint").textContent = shares.length ? "of " + bytes(capacity) + " (" + shares.length + " share"
        + (shares.length > 1 ? "s" : "") + ")" : "";
    push(charts.disk, at, used);

    $("tile-rss").textContent = bytes(value(m, "system", "rss"));
    $("tile-heap").textContent = "heap " + bytes(value(m, "system", "heap_used")) + " of " + bytes(value(m, "system", "heap_max"));

    if (m.frame_manager) {
      const f = m.frame_manager;
      fillTable("frame-manager", [["Frames", number(f.frames.value)], ["S/G entries", number(f.sg_entries.value)],
        ["DMA errors", number(f.dma_errors.value)], ["Rejections", number(f.rejections.value)],
        ["Ring full", number(f.ring_full_events.value)]]);
    }
    if (m.netstack) {
      const n = (name) => value(m, "netstack", name) || 0;
      const open = ["established", "close_wait", "fin_wait_1", "fin_wait_2", "closing", "last_ack", "syn_received"]
        .reduce((sum, s) => sum + n("connections_" + s), 0);
      fillTable("netstack", [["Segments in / out", number(n("segments_in")) + " / " + number(n("segments_out"))],
        ["Retransmissions", number(n("retransmissions"))],
        ["Connections open / TIME-WAIT", number(open) + " / " + number(n("connections_time_wait"))],
        ["Pinned until ACKed", bytes(n("pinned_bytes"))],
        ["File bytes as mapped pages", bytes(n("file_bytes_mapped"))],
        ["CPU-copied received / sent", bytes(n("received_bytes_copied")) + " / " + bytes(n("sent_bytes_copied"))],
        ["Link payload DMA'd / CPU-copied", bytes(n("link_dma_bytes")) + " / " + bytes(n("link_copied_bytes"))],
        ["Link pages pinned for DMA", bytes(n("link_pinned_bytes"))],
        ["Drops", number(n("drops"))]]);
    }
    const nics = groups(m, "nic.");
    if (nics.length) {
      fillTable("nics", nics.flatMap((g) => {
        const name = g.substring(4);
        return [[name + " receive", rate(value(m, g, "rx_throughput"))],
                [name + " transmit", rate(value(m, g, "tx_throughput"))],
                [name + " errors / dropped", number((value(m, g, "rx_errors") || 0) + (value(m, g, "tx_errors") || 0))
                  + " / " + number((value(m, g, "rx_dropped") || 0) + (value(m, g, "tx_dropped") || 0))]];
      }));
    }
    const engineRows = engines.map((g) => [g.substring(7) + ": CPU-copied of sent",
      bytes(value(m, g, "cpu_copied_bytes")) + " of " + bytes(value(m, g, "bytes"))]);
    fillTable("system", engineRows.concat([
      ["Requests", number(value(m, "http", "requests"))],
      ["Errors 4xx / 5xx / socket", [value(m, "http", "client_errors"), value(m, "http", "server_errors"),
        value(m, "http", "connection_errors")].map(number).join(" / ")],
      ["Telemetry buffered / dropped", number(value(m, "telemetry", "buffered")) + " / " + number(value(m, "telemetry", "dropped"))]
    ]));
  }

  function onEvent(event) {
    const list = $("events");
    if (list.querySelector(".muted")) list.innerHTML = "";
    const li = document.createElement("li");
    const time = document.createElement("time");
    time.textContent = clock(event.timestamp);
    const type = document.createElement("span");
    type.className = "type" + (/error|failure|fallback/.test(event.type) ? " bad" : "");
    type.textContent = event.type;
    const detail = document.createElement("div");
    detail.className = "detail";
    detail.textContent = Object.entries(event).filter(([k]) => !["schema", "device", "timestamp", "type"].includes(k))
        .map(([k, v]) => k + "=" + v).join("  ");
    li.append(time, type, detail);
    list.prepend(li);
    while (list.children.length > MAX_EVENTS) list.lastChild.remove();
  }

  function setAvailability(text) {
    const badge = $("availability");
    badge.dataset.state = text === "online" ? "online" : text === "offline" ? "offline" : "unknown";
    badge.textContent = text;
  }
  function setBroker(stateName, text) {
    const badge = $("broker-status");
    badge.dataset.state = stateName;
    badge.textContent = "broker: " + text;
  }

  // ---- MQTT -------------------------------------------------------------------------------------
  function selectDevice(device) {
    if (state.device === device) return;
    if (state.device) state.client.unsubscribe(state.settings.prefix + "/" + state.device + "/#");
    state.device = device;
    $("device-name").textContent = device;
    $("topic-base").textContent = state.settings.prefix + "/" + device + "/#";
    state.client.subscribe(state.settings.prefix + "/" + device + "/#", { qos: 1 });
  }

  function onMessage(message) {
    const prefix = state.settings.prefix + "/";
    if (!message.destinationName.startsWith(prefix)) return;
    const [device, kind] = message.destinationName.substring(prefix.length).split("/");
    if (kind === "availability" && !state.devices.has(device)) {
      state.devices.add(device);
      const option = document.createElement("option");
      option.value = option.textContent = device;
      $("device-select").appendChild(option);
      if (!state.device && (!state.settings.device || state.settings.device === device)) selectDevice(device);
    }
    if (device !== state.device) return;
    try {
      if (kind === "availability") setAvailability(message.payloadString);
      else if (kind === "telemetry") onTelemetry(JSON.parse(message.payloadString));
      else if (kind === "events") onEvent(JSON.parse(message.payloadString));
    } catch (e) {
      console.warn("cannot show", message.destinationName, e);
    }
  }

  function connect(settings) {
    state.settings = settings;
    if (state.client && state.client.isConnected()) state.client.disconnect();
    state.device = null;
    const Client = window.Paho && (Paho.Client || (Paho.MQTT && Paho.MQTT.Client));
    const client = new Client(settings.broker, "layerstore-dashboard-" + Math.random().toString(16).slice(2, 10));
    state.client = client;
    client.onMessageArrived = onMessage;
    client.onConnectionLost = (r) => setBroker("offline", "lost (" + (r.errorMessage || r.errorCode) + "), reconnecting");
    client.onConnected = () => {
      setBroker("online", settings.broker.replace(/^wss?:\/\//, ""));
      // Availability of every device under the prefix: the device list, and the first one shown if none was named.
      client.subscribe(settings.prefix + "/+/availability", { qos: 1 });
      if (state.device) { const d = state.device; state.device = null; selectDevice(d); }
      else if (settings.device) selectDevice(settings.device);
    };
    setBroker("connecting", "connecting to " + settings.broker);
    const options = { timeout: 5, keepAliveInterval: 30, cleanSession: true, reconnect: true };
    if (settings.username) { options.userName = settings.username; options.password = settings.password || ""; }
    client.connect(Object.assign(options, {
      onFailure: (e) => { setBroker("offline", "cannot connect (" + e.errorMessage + "), retrying");
                          setTimeout(() => { if (state.client === client) connect(settings); }, 3000); } }));
  }

  function fromQuery() {
    const q = new URLSearchParams(location.search);
    return q.get("broker") ? { broker: q.get("broker"), prefix: q.get("prefix") || "layerstore", device: q.get("device"),
                               username: q.get("username"), password: q.get("password") } : null;
  }

  async function fromAppliance() {
    try {
      let response = await fetch("config.json", { cache: "no-store" });
      for (let tries = 0; response.status === 503 && tries < 30; tries++) {   // telemetry still starting
        await new Promise((resolve) => setTimeout(resolve, 1000));
        response = await fetch("config.json", { cache: "no-store" });
      }
      if (!response.ok) return null;
      const c = await response.json();
      // The embedded broker is relayed on the page's own origin: same host, port, TLS and sign-in.
      const scheme = location.protocol === "https:" ? "wss://" : "ws://";
      const broker = c.brokerUrl || (c.websocketPath ? scheme + location.host + c.websocketPath : null);
      return broker ? { broker: broker, prefix: c.topicPrefix, device: c.deviceId } : null;
    } catch (e) {
      return null;   // opened on its own (file:// or another web server): no appliance to ask
    }
  }

  function showSettings(settings) {
    const form = $("settings");
    form.hidden = false;
    if (settings) {
      $("broker-url").value = settings.broker;
      $("topic-prefix").value = settings.prefix;
      $("broker-user").value = settings.username || "";
    }
  }

  $("show-settings").addEventListener("click", () => { const f = $("settings"); f.hidden = !f.hidden; });
  $("settings").addEventListener("submit", (e) => {
    e.preventDefault();
    connect({ broker: $("broker-url").value.trim(), prefix: $("topic-prefix").value.trim(),
              device: $("device-select").value || null, username: $("broker-user").value.trim() || null,
              password: $("broker-password").value });
  });

  (async function start() {
    const settings = fromQuery() || await fromAppliance();
    if (settings) {
      showSettings(settings);
      $("settings").hidden = true;
      connect(settings);
    } else {
      setBroker("offline", "not configured");
      showSettings(null);
    }
  })();
})();
