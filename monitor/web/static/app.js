// The history chart: uPlot (vendored) over /api/history, regime bands behind the line and
// range buttons. No inline script anywhere: the page's CSP is default-src 'self'.
"use strict";

(function () {
  const DAY = 86400;
  const chartEl = document.getElementById("history-chart");
  const statusEl = document.getElementById("history-status");
  if (!chartEl || typeof uPlot === "undefined") return;

  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
  }

  function regimeRuns(times, regimes) {
    // Consecutive points of one regime become one band [start, end).
    const runs = [];
    for (let i = 0; i < times.length; i++) {
      const last = runs[runs.length - 1];
      if (last && last.regime === regimes[i]) last.end = times[i];
      else runs.push({ regime: regimes[i], start: times[i], end: times[i] });
    }
    for (let i = 0; i < runs.length - 1; i++) runs[i].end = runs[i + 1].start;
    return runs;
  }

  function bandsPlugin(runs) {
    return {
      hooks: {
        drawClear: [function (u) {
          const ctx = u.ctx;
          const top = u.bbox.top, height = u.bbox.height;
          ctx.save();
          ctx.globalAlpha = 0.16;
          for (const run of runs) {
            const x0 = u.valToPos(run.start, "x", true);
            const x1 = Math.max(u.valToPos(run.end, "x", true), x0 + 2);
            ctx.fillStyle = cssVar("--" + run.regime);
            ctx.fillRect(x0, top, x1 - x0, height);
          }
          ctx.restore();
        }],
      },
    };
  }

  function describe(min, max) {
    const day = (t) => new Date(t * 1000).toISOString().slice(0, 10);
    return "Showing " + day(min) + " to " + day(max) + ".";
  }

  function setRange(u, first, last, days, button) {
    // A range longer than the history shows the history, not empty years before it.
    let min = days > 0 ? Math.max(first, last - days * DAY) : first;
    let max = last;
    // A single reading (the first `report`) is a zero-width range: uPlot then draws no
    // point and no time axis. Show a day either side of it instead.
    if (max - min < DAY) { min -= DAY; max += DAY; }
    u.setScale("x", { min: min, max: max });
    chartEl.dataset.rangeMin = String(Math.round(min));
    chartEl.dataset.rangeMax = String(Math.round(max));
    for (const b of document.querySelectorAll(".ranges button")) {
      b.setAttribute("aria-pressed", b === button ? "true" : "false");
    }
    statusEl.textContent = describe(min, max);
  }

  let chart = null;
  let range = { days: 0, button: null };

  function draw(points) {
    if (chart) chart.destroy();
    const times = points.map((p) => Date.parse(p.as_of) / 1000);
    const values = points.map((p) => p.index);
    const runs = regimeRuns(times, points.map((p) => p.regime || "unknown"));
    const size = () => ({ width: Math.max(240, chartEl.clientWidth), height: 260 });
    const opts = Object.assign(size(), {
      plugins: [bandsPlugin(runs)],
      scales: { x: { time: true }, y: { range: [0, 100] } },
      axes: [
        { stroke: cssVar("--muted"), grid: { stroke: cssVar("--line") } },
        { stroke: cssVar("--muted"), grid: { stroke: cssVar("--line") }, size: 40 },
      ],
      // The page dates readings in UTC: so do the axis and the hover legend (uPlot would
      // use the browser's zone, putting a 21:30 UTC reading on the next day in Asia).
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"),
      series: [{ label: "Time (UTC)", value: "{YYYY}-{MM}-{DD} {HH}:{mm}" }, { label: "Index", stroke: cssVar("--fg"), width: 2, points: { show: times.length < 60 } }],
      legend: { show: true },
    });
    const u = (chart = new uPlot(opts, [times, values], chartEl));
    chartEl.dataset.points = String(times.length);
    const first = times[0], last = times[times.length - 1];
    for (const b of document.querySelectorAll(".ranges button")) {
      b.onclick = () => {
        range = { days: Number(b.dataset.days), button: b };
        setRange(u, first, last, range.days, b);
      };
    }
    const pressed = range.button || document.querySelector('.ranges button[data-days="0"]');
    setRange(u, first, last, range.days, pressed);
    window.onresize = () => u.setSize(size());
    chartEl.dataset.ready = "true";
  }

  fetch(chartEl.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status))))
    .then((doc) => {
      if (!doc.points.length) {
        statusEl.textContent = "No reading is stored yet, so there is no history to draw.";
        // No blank box under range buttons that would do nothing.
        chartEl.hidden = true;
        for (const el of document.querySelectorAll(".ranges, #history .legend")) el.hidden = true;
        chartEl.dataset.ready = "empty";
        return;
      }
      draw(doc.points);
      // The chart's colours come from CSS variables: redraw when the scheme flips.
      matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => draw(doc.points));
    })
    .catch((e) => {
      statusEl.textContent = "The history could not be loaded (" + e.message + ").";
      chartEl.dataset.ready = "failed";
    });
})();
