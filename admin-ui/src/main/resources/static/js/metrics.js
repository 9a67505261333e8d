// Draws a deployment's request rate, error rate and p50/p99 latency with uPlot, refreshed every 5 s
// while the tab is visible (a hidden tab skips its loads, as js/live.js pauses the live parts).
// Its words come from the element's data-* attributes (messages.properties), not from this file.
(function () {
  const el = document.getElementById('metrics-chart');
  if (!el || typeof uPlot === 'undefined') return;
  const t = el.dataset;
  let plot = null;
  const opts = () => ({
    width: Math.max(280, el.clientWidth), height: 220,
    scales: { x: { time: true }, rate: {}, ms: {} },
    series: [{},
      { label: t.rate, scale: 'rate', stroke: '#2457c5' },
      { label: t.errors, scale: 'rate', stroke: '#b42318' },
      { label: t.p50, scale: 'ms', stroke: '#1f7a3a' },
      { label: t.p99, scale: 'ms', stroke: '#9a6700', dash: [4, 4] }],
    axes: [{}, { scale: 'rate', label: t.perSecond }, { scale: 'ms', side: 1, label: 'ms', grid: { show: false } }]
  });
  function draw(points) {
    if (!plot && points.length === 0) { el.textContent = t.empty; return; }
    const data = [points.map(p => Date.parse(p.time) / 1000), points.map(p => p.requestsPerSecond),
      points.map(p => p.errorsPerSecond), points.map(p => p.p50Ms), points.map(p => p.p99Ms)];
    if (plot) { plot.setData(data); } else { el.textContent = ''; plot = new uPlot(opts(), data, el); }
  }
  function load() {
    fetch(el.dataset.url, { headers: { Accept: 'application/json' } })
      .then(r => r.ok ? r.json() : Promise.reject(r.status))
      .then(draw)
      .catch(() => { if (!plot) el.textContent = t.unavailable; });
  }
  load();
  setInterval(() => { if (document.visibilityState === 'visible') load(); }, 5000);
  window.addEventListener('resize', () => plot && plot.setSize({ width: Math.max(280, el.clientWidth), height: 220 }));
})();
