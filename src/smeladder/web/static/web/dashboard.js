/* 首页仪表盘: draws the charts from the JSON the page embeds (json_script "dashboard-data")
   with the vendored ECharts. No inline script, no network: every number is also in the
   tables under each chart. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];
  var palette = ["#b4232a", "#0b5cad", "#1e7b3c", "#9a6b00", "#6b4fa8", "#00838f", "#c45a00", "#5c6b7a"];

  function draw(node, option) {
    option.color = option.color || palette;
    option.animation = false;  // print and screenshots show the final picture
    var chart = window.echarts.init(node, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
  }

  function grid(extra) {
    var g = { left: 48, right: 24, top: 40, bottom: 32, containLabel: true };
    for (var k in extra) { g[k] = extra[k]; }
    return g;
  }

  function pyramid(node, track) {
    var found = data.pyramids.filter(function (p) { return p.id === track; })[0];
    if (!found) { return; }
    draw(node, {
      tooltip: { trigger: "item", formatter: "{b}：{c}" },
      series: [{
        type: "funnel", sort: "ascending", minSize: "14%", maxSize: "100%",
        left: "8%", width: "62%", top: 12, bottom: 12, gap: 3,
        label: { show: true, position: "right", formatter: "{b}  {c}", color: "#1f2933" },
        labelLine: { show: true },
        data: found.rungs
      }]
    });
  }

  function districts(node) {
    var d = data.districts;
    var series = d.rungs.map(function (s) { return { type: "bar", name: s.name, data: s.data, barMaxWidth: 28 }; });
    series.push({ type: "line", name: d.firms.name, yAxisIndex: 1, data: d.firms.data, symbolSize: 7 });
    draw(node, {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: grid({}),
      xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0, rotate: d.categories.length > 6 ? 30 : 0 } },
      yAxis: [{ type: "value", name: "" }, { type: "value", name: "", splitLine: { show: false } }],
      series: series
    });
  }

  function industries(node) {
    var d = data.industries;
    // about two bars per industry: the chart grows with the list instead of stretching bars
    node.style.height = Math.max(200, 90 + d.categories.length * 30) + "px";
    draw(node, {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: grid({ left: 8 }),
      xAxis: { type: "value" },
      yAxis: { type: "category", inverse: true, data: d.categories, axisLabel: { width: 180, overflow: "truncate" } },
      series: [
        { type: "bar", name: d.firms.name, data: d.firms.data, barMaxWidth: 16 },
        { type: "bar", name: d.titled.name, data: d.titled.data, barMaxWidth: 16 }
      ]
    });
  }

  function lines(node, key, type) {
    var g = data.growth;
    draw(node, {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: grid({ top: 64 }),
      xAxis: { type: "category", data: key === "new" ? g.years : g.points },
      yAxis: { type: "value" },
      series: g[key].map(function (s) {
        return { type: type, name: s.name, data: s.data, symbolSize: 7, barMaxWidth: 20 };
      })
    });
  }

  function conversion(node) {
    var c = data.conversion;
    draw(node, {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + "%"; } },
      legend: { top: 0 },
      grid: grid({}),
      xAxis: { type: "category", data: c.steps, axisLabel: { interval: 0, width: 150, overflow: "break" } },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      series: c.series.map(function (s) { return { type: "bar", name: s.name, data: s.data, barMaxWidth: 36 }; })
    });
  }

  var makers = {
    pyramid: function (node) { pyramid(node, node.getAttribute("data-track")); },
    districts: districts,
    industries: industries,
    held: function (node) { lines(node, "held", "line"); },
    recognised: function (node) { lines(node, "new", "bar"); },
    conversion: conversion
  };

  var nodes = document.querySelectorAll("[data-chart]");
  for (var i = 0; i < nodes.length; i++) {
    var make = makers[nodes[i].getAttribute("data-chart")];
    if (make) { make(nodes[i]); }
  }
  function resize() { charts.forEach(function (c) { c.resize(); }); }
  window.addEventListener("resize", resize);
  window.addEventListener("beforeprint", resize);
})();
