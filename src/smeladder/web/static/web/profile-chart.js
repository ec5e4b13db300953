/* 企业画像: revenue and R&D expense (万元, bars) and employees (line, right axis) over the
   years, drawn with the vendored ECharts from the JSON the page embeds (json_script). A year
   with an unknown figure is a gap, never a 0. */
(function () {
  "use strict";

  function draw() {
    var el = document.getElementById("figures-chart");
    var source = document.getElementById("figures-data");
    if (!el || !source || !window.echarts) {
      return;
    }
    var d = JSON.parse(source.textContent);
    var L = d.labels;
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      color: ["#0b5cad", "#b4232a", "#1e7b3c"],
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [L.revenue, L.rd_expense, L.employees] },
      grid: { left: 70, right: 60, top: 40, bottom: 30 },
      xAxis: { type: "category", data: d.years },
      yAxis: [
        { type: "value", name: L.money, splitLine: { lineStyle: { color: "#eef1f4" } } },
        { type: "value", name: L.people, splitLine: { show: false } }
      ],
      series: [
        { name: L.revenue, type: "bar", data: d.revenue, barMaxWidth: 36 },
        { name: L.rd_expense, type: "bar", data: d.rd_expense, barMaxWidth: 36 },
        {
          name: L.employees, type: "line", yAxisIndex: 1, data: d.employees,
          connectNulls: false, symbolSize: 7
        }
      ]
    });
    el.setAttribute("data-drawn", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
