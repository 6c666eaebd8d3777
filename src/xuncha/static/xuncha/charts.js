/* 巡察工作平台: the statistics charts. Data comes from a json_script block (#chart-data); no inline script. */
(function () {
  "use strict";

  var PALETTE = ["#b22222", "#1d4f91", "#2e9d52", "#d98c1f", "#6b7280", "#7b4fa0", "#138a8a", "#c2185b",
    "#5d7b1e", "#8d6e63", "#3f51b5", "#e57373", "#00897b", "#9e9d24"];
  var FONT = '-apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

  function readData() {
    var node = document.getElementById("chart-data");
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function pct(value) {
    return value === null || value === undefined ? "—" : Number(value).toFixed(2) + "%";
  }

  function base(extra) {
    var option = {
      color: PALETTE,
      animation: !navigator.webdriver,
      textStyle: { fontFamily: FONT },
      grid: { left: 12, right: 24, top: 48, bottom: 12, containLabel: true },
      tooltip: { trigger: "axis", confine: true },
      legend: { top: 4, type: "scroll" },
      aria: { enabled: true }
    };
    Object.keys(extra).forEach(function (k) { option[k] = extra[k]; });
    return option;
  }

  function shortName(name, max) {
    max = max || 8;
    return name && name.length > max ? name.slice(0, max) + "…" : name;
  }

  var builders = {
    coverage: function (d) {
      var rows = d.coverage;
      return base({
        tooltip: {
          trigger: "axis", confine: true,
          formatter: function (params) {
            var row = rows[params[0].dataIndex];
            return row.name + "<br>" + d.labels.coverage + "：" + pct(row.rate) +
              "（" + row.inspected + "/" + row.managed + "）<br>" + d.labels.target + "：" + pct(row.target);
          }
        },
        xAxis: { type: "category", data: rows.map(function (r) { return r.name; }),
          axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0, formatter: function (v) { return shortName(v, 10); } } },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        series: [
          { name: d.labels.coverage, type: "bar", barMaxWidth: 48, data: rows.map(function (r) { return r.rate; }),
            label: { show: true, position: "top", formatter: function (p) { return pct(p.value); } } },
          { name: d.labels.target, type: "line", symbol: "rect", symbolSize: 10, lineStyle: { type: "dashed" },
            data: rows.map(function (r) { return r.target; }) }
        ]
      });
    },
    rounds: function (d) {
      var rows = d.rounds;
      var names = rows.map(function (r) { return r.name; });
      function series(key) {
        return { name: d.labels[key], type: "bar", barMaxWidth: 28, data: rows.map(function (r) { return r[key]; }),
          label: { show: rows.length <= 6, position: "top", fontSize: 11,
            formatter: function (p) { return p.value === null || p.value === undefined ? "—" : pct(p.value); } } };
      }
      return base({
        tooltip: {
          trigger: "axis", confine: true,
          formatter: function (params) {
            var row = rows[params[0].dataIndex];
            return [row.name + " · " + row.committee].concat(params.map(function (p) {
              return p.marker + p.seriesName + "：" + pct(p.value);
            })).join("<br>");
          }
        },
        xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 3 ? 30 : 0,
          formatter: function (v) { return shortName(v, 12); } } },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        series: [series("rectification"), series("clues"), series("suggestions")]
      });
    },
    units: function (d) {
      var rows = d.units.slice().reverse();
      return base({
        color: ["#2e9d52", "#d98c1f"],
        tooltip: {
          trigger: "axis", axisPointer: { type: "shadow" }, confine: true,
          formatter: function (params) {
            var row = rows[params[0].dataIndex];
            return row.name + "<br>" + d.labels.rectified + "：" + row.rectified + " / " + row.fed_back +
              "<br>" + d.labels.rectification + "：" + pct(row.rate);
          }
        },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: rows.map(function (r) { return r.name; }),
          axisLabel: { formatter: function (v) { return shortName(v, 9); } } },
        series: [
          { name: d.labels.rectified, type: "bar", stack: "all", barMaxWidth: 22,
            data: rows.map(function (r) { return r.rectified; }) },
          { name: d.labels.not_rectified, type: "bar", stack: "all", barMaxWidth: 22,
            data: rows.map(function (r) { return r.fed_back - r.rectified; }) }
        ]
      });
    },
    rect_units: function (d) {
      var rows = d.units.slice().reverse();
      var names = rows.map(function (r) { return shortName(r.name, 10); });
      function series(key, color) {
        return { name: d.labels[key], type: "bar", stack: "tasks", barMaxWidth: 22, itemStyle: { color: color },
          data: rows.map(function (r) { return r[key]; }) };
      }
      return base({
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: names },
        series: [series("overdue", "#d93025"), series("open", "#f2b01e"), series("closed", "#2e9d52")]
      });
    },
    rect_rounds: function (d) {
      var rows = d.rounds;
      return base({
        tooltip: { trigger: "axis", confine: true, valueFormatter: pct },
        xAxis: { type: "category", data: rows.map(function (r) { return r.name; }),
          axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0 } },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        series: [
          { name: d.labels.rate, type: "bar", barMaxWidth: 36, data: rows.map(function (r) { return r.rate; }) },
          { name: d.labels.on_time, type: "line", symbolSize: 8, data: rows.map(function (r) { return r.on_time; }) }
        ]
      });
    },
    categories: function (d) {
      var narrow = window.innerWidth < 640;
      return base({
        tooltip: { trigger: "item", confine: true, formatter: "{b}：{c}（{d}%）" },
        legend: { type: "scroll", orient: narrow ? "horizontal" : "vertical", left: narrow ? "center" : "left",
          top: narrow ? "bottom" : "middle" },
        series: [{
          name: d.labels.problems, type: "pie", radius: ["38%", "66%"],
          center: narrow ? ["50%", "42%"] : ["62%", "50%"],
          avoidLabelOverlap: true, itemStyle: { borderColor: "#fff", borderWidth: 2 },
          label: { formatter: "{b}\n{c}", fontSize: 12 },
          data: d.categories
        }]
      });
    }
  };

  function init() {
    var data = readData();
    if (!data || typeof window.echarts === "undefined") return;
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var build = builders[el.getAttribute("data-chart")];
      if (!build) return;
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(build(data));
      charts.push(chart);
      el.setAttribute("data-chart-ready", "1");
    });
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending) window.clearTimeout(pending);
      pending = window.setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
    });
  }

  if (document.readyState !== "loading") init();
  else document.addEventListener("DOMContentLoaded", init);
})();
