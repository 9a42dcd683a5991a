// The console's only script: copy buttons, the leads chart, and the widget form's placeholders. Every page works without it.
(function () {
  "use strict";

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy"));
      var done = function () { button.textContent = "Copied"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
      } else {
        field.select();
        try { if (document.execCommand("copy")) { done(); } } catch (ignored) { /* the text stays selected */ }
      }
    });
  });

  // The widget settings form: each empty text shows the built-in wording of the language chosen.
  var language = document.getElementById("language");
  if (language && language.dataset.builtInTexts) {
    var builtIn = JSON.parse(language.dataset.builtInTexts);
    language.addEventListener("change", function () {
      var texts = builtIn[language.value] || {};
      document.querySelectorAll("#widget-settings input[data-built-in]").forEach(function (input) {
        input.placeholder = texts[input.dataset.builtIn] || "";
      });
    });
  }

  // uPlot is loaded (deferred) by the chart page only.
  function drawChart() {
    var figure = document.getElementById("lead-chart");
    if (!figure || !window.uPlot) { return; }
    var dates = figure.dataset.dates ? figure.dataset.dates.split(",") : [];
    var counts = figure.dataset.counts ? figure.dataset.counts.split(",").map(Number) : [];
    var xs = dates.map(function (d, i) { return i; });
    // What the chart was given, for the end-to-end tests (they compare it with the database, not pixels).
    window.chatleadsChart = { dates: dates, counts: counts };
    var width = function () { return Math.max(280, figure.clientWidth); };
    var plot = new window.uPlot({
      width: width(), height: 300,
      // Counts start at zero: a chart whose axis starts at the smallest day overstates the swings.
      scales: { x: { time: false }, y: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
      axes: [
        { values: function (u, splits) { return splits.map(function (i) { return dates[i] ? dates[i].slice(5) : ""; }); } },
        { label: "Leads" }
      ],
      series: [
        { label: "Day", value: function (u, i) { return i == null ? "" : dates[i]; } },
        { label: "Leads", stroke: "#2457c5", fill: "rgba(36,87,197,.12)", width: 2, points: { show: dates.length <= 62 } }
      ],
      legend: { show: true }
    }, [xs, counts], figure);
    figure.dataset.drawn = "true";
    window.addEventListener("resize", function () { plot.setSize({ width: width(), height: 300 }); });
  }

  // Deferred scripts run in document order, this one before uPlot's; DOMContentLoaded comes after both.
  document.addEventListener("DOMContentLoaded", drawChart);
})();
