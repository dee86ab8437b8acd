/* maskgate admin UI: the live charts of the overview (uPlot), fed by /ui/stats.json.
   A static file: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  var charts = [];
  var series = {
    requests: function (m) { return m.requests || 0; },
    entities: function (m) { return m.entities || 0; },
    detect: function (m) { return m.requests ? (m.detect_ms || 0) / m.requests : 0; }
  };
  var colours = { requests: "#2450b8", entities: "#b8246b", detect: "#1d6b34" };

  function columns(stats, name) {
    var xs = [], ys = [];
    var now = Math.floor(Date.now() / 60000) * 60;
    var byMinute = {};
    (stats.last_hour || []).forEach(function (m) { byMinute[m.minute] = m; });
    for (var t = now - 59 * 60; t <= now; t += 60) {
      xs.push(t);
      ys.push(byMinute[t] ? series[name](byMinute[t]) : 0);
    }
    return [xs, ys];
  }

  function draw(stats) {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var name = el.getAttribute("data-chart");
      var data = columns(stats, name);
      var found = charts.filter(function (c) { return c.el === el; })[0];
      if (found) { found.plot.setData(data); return; }
      var width = Math.max(220, el.clientWidth || 300);
      var plot = new uPlot({
        width: width, height: 160, legend: { show: false }, cursor: { show: true },
        scales: { x: { time: true } },
        axes: [{ stroke: "#586174", grid: { stroke: "#eef0f4" } }, { stroke: "#586174", grid: { stroke: "#eef0f4" }, size: 44 }],
        series: [{}, { stroke: colours[name], width: 2, fill: colours[name] + "22" }]
      }, data, el);
      charts.push({ el: el, plot: plot });
    });
  }

  function refresh() {
    fetch("/ui/stats.json", { credentials: "same-origin", headers: { "accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (stats) { if (stats) { draw(stats); } })
      .catch(function () { /* the next refresh tries again */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!document.querySelector("[data-chart]") || typeof uPlot === "undefined") { return; }
    refresh();
    setInterval(refresh, 15000);
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.plot.setSize({ width: Math.max(220, c.el.clientWidth), height: 160 }); });
    });
  });
})();
