/* 诉求统计: one chart per breakdown (district, department, category, month) from the JSON the
   page embeds (json_script "casework-metrics-data"), drawn with the vendored ECharts. Bars are
   counts (requests, backlog, late), lines the on-time and satisfaction rates in per cent on a
   second axis. Every number is also in the table under each chart. */
(function () {
  "use strict";
  var source = document.getElementById("casework-metrics-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var names = data.names;
  var palette = ["#0b5cad", "#9a6b00", "#b4232a", "#1e7b3c", "#6b4fa8"];
  var charts = [];

  function bar(key, d) {
    return { type: "bar", name: names[key], data: d[key], barMaxWidth: 24 };
  }

  function rate(key, d) {
    return { type: "line", name: names[key], data: d[key], yAxisIndex: 1, connectNulls: true, symbolSize: 7 };
  }

  document.querySelectorAll("[data-chart]").forEach(function (node) {
    var d = data[node.getAttribute("data-chart")];
    if (!d || !d.categories.length) { return; }
    var many = d.categories.length > 6;
    var chart = window.echarts.init(node, null, { renderer: "canvas" });
    chart.setOption({
      color: palette,
      animation: false,  // print and screenshots show the final picture
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 40, bottom: 32, containLabel: true },
      xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0, rotate: many ? 30 : 0, width: 120, overflow: "truncate" } },
      yAxis: [
        { type: "value", minInterval: 1 },
        { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" }, splitLine: { show: false } }
      ],
      series: [bar("cases", d), bar("backlog", d), bar("late", d), rate("on_time_rate", d), rate("satisfaction_rate", d)]
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
