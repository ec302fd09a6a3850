// Draws the dashboard's charts from the figures the server embedded in #stats-data (Chart.js from /vendor).
(function () {
  var el = document.getElementById("stats-data");
  if (!el || typeof Chart === "undefined") return;
  var stats = JSON.parse(el.textContent);
  var months = stats.months.map(function (m) { return m.month; });
  function chart(id, type, datasets, options) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    new Chart(canvas, { type: type, data: { labels: months, datasets: datasets }, options: Object.assign({ animation: false, responsive: true }, options || {}) });
  }
  chart("chart-certificates", "bar", [
    { label: "开具合格证", data: stats.months.map(function (m) { return m.certificates.issued; }) },
    { label: "开证主体", data: stats.months.map(function (m) { return m.certificates.issuingParties; }) },
  ]);
  chart("chart-tests", "line", [
    { label: "快检", data: stats.months.map(function (m) { return m.rapidTests.total; }) },
    { label: "快检阳性", data: stats.months.map(function (m) { return m.rapidTests.positive; }) },
    { label: "监督抽检不合格", data: stats.months.map(function (m) { return m.sampling.failed; }) },
  ]);
  var stages = ["open", "verified", "filed", "not_filed", "penalized", "not_penalized", "closed"];
  var names = { open: "待核查", verified: "已核查", filed: "已立案", not_filed: "不予立案", penalized: "已处罚", not_penalized: "不予处罚", closed: "已结案" };
  chart("chart-cases", "bar", stages.map(function (s) {
    return { label: names[s], data: stats.months.map(function (m) { return m.cases.byStage[s]; }) };
  }), { scales: { x: { stacked: true }, y: { stacked: true } } });
  document.body.setAttribute("data-charts", "ready");
})();
