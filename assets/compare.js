/* /compare only (app.py keeps it out of the main page): draw the intensity chart with the Plotly
 * bundle the page already ships, from the figure Python wrote into the page as JSON. */
(function () {
  "use strict";
  var data = document.getElementById("compare-figure");
  var target = document.getElementById("intensity-chart");
  if (!data || !target || !window.Plotly) return;
  var figure = JSON.parse(data.textContent);
  target.replaceChildren();
  window.Plotly.newPlot(target, figure.data, figure.layout, { staticPlot: true, displayModeBar: false, responsive: true });
})();
