/* Surveys, staff pages: the results charts (data from the #survey-chart-data json_script block), the question
   form showing only the fields of the chosen kind, and the page reloading after a sheet of codes downloads.
   No inline script: the CSP forbids it. */
(function () {
  "use strict";

  var FONT = '-apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
  var LEVEL_COLOURS = ["#1e7b3c", "#7cb342", "#d98c1f", "#c0392b"];
  var SATISFACTION_COLOURS = ["#1e7b3c", "#7cb342", "#c0392b"];

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function pct(value) {
    return value === null || value === undefined ? "—" : Number(value).toFixed(2) + "%";
  }

  function shortName(name, max) {
    return name && name.length > max ? name.slice(0, max) + "…" : name;
  }

  function base(extra) {
    var option = {
      animation: !navigator.webdriver,
      textStyle: { fontFamily: FONT },
      grid: { left: 12, right: 28, top: 36, bottom: 8, containLabel: true },
      legend: { top: 4, type: "scroll" },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      aria: { enabled: true }
    };
    Object.keys(extra).forEach(function (k) { option[k] = extra[k]; });
    return option;
  }

  // Rated questions: one horizontal bar per question, stacked shares of each level (好 较好 一般 差).
  function ratingOption(group, labels) {
    var rows = group.rows.slice().reverse();
    var narrow = window.innerWidth < 640;
    var colours = group.levels.length === 3 ? SATISFACTION_COLOURS : LEVEL_COLOURS;
    return base({
      color: colours,
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" }, confine: true,
        formatter: function (params) {
          var row = rows[params[0].dataIndex];
          return [row.name].concat(params.map(function (p) {
            return p.marker + p.seriesName + "：" + row.counts[p.seriesIndex] + "（" + pct(p.value) + "）";
          })).concat([labels.satisfaction + "：" + pct(row.satisfaction)]).join("<br>");
        }
      },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: rows.map(function (r) { return shortName(r.name, narrow ? 9 : 22); }) },
      series: group.levels.map(function (level, i) {
        return { name: level, type: "bar", stack: "share", barMaxWidth: 22,
          data: rows.map(function (r) { return r.percents[i]; }),
          label: { show: !narrow, position: "inside", fontSize: 10,
            formatter: function (p) { return p.value >= 8 ? Math.round(p.value) + "%" : ""; } } };
      })
    });
  }

  // A single or multiple choice question: the count of each option.
  function choiceOption(question, labels) {
    var options = question.options.slice().reverse();
    var counts = question.counts.slice().reverse();
    var percents = question.percents.slice().reverse();
    return base({
      color: ["#1d4f91"],
      legend: { show: false },
      grid: { left: 12, right: 72, top: 12, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" }, confine: true,
        formatter: function (params) {
          var i = params[0].dataIndex;
          return options[i] + "<br>" + labels.answers + "：" + counts[i] + "（" + pct(percents[i]) + "）";
        }
      },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: options.map(function (o) { return shortName(o, 12); }) },
      series: [{ name: labels.answers, type: "bar", barMaxWidth: 22, data: counts,
        label: { show: true, position: "right", formatter: function (p) {
          return p.value + "（" + pct(percents[p.dataIndex]) + "）";
        } } }]
    });
  }

  function drawCharts() {
    var node = document.getElementById("survey-chart-data");
    if (!node || typeof window.echarts === "undefined") return;
    var data;
    try { data = JSON.parse(node.textContent); } catch (e) { return; }
    var builders = {};
    (data.rating || []).forEach(function (g) { builders[g.key] = function () { return ratingOption(g, data.labels); }; });
    (data.questions || []).forEach(function (q) { builders[q.key] = function () { return choiceOption(q, data.labels); }; });
    var charts = [];
    document.querySelectorAll("[data-survey-chart]").forEach(function (el) {
      var build = builders[el.getAttribute("data-survey-chart")];
      if (!build) return;
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(build());
      charts.push(chart);
      el.setAttribute("data-chart-ready", "1");
    });
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending) window.clearTimeout(pending);
      pending = window.setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
    });
  }

  // The question form: the scale only for a rating question, the options only for a choice question.
  function questionForm() {
    var form = document.querySelector("[data-question-form]");
    if (!form) return;
    var kind = form.querySelector('select[name="kind"]');
    if (!kind) return;
    function update() {
      form.querySelectorAll("[data-kind-only]").forEach(function (box) {
        box.hidden = box.getAttribute("data-kind-only").split(" ").indexOf(kind.value) < 0;
      });
    }
    kind.addEventListener("change", update);
    update();
  }

  // Issuing codes answers with a download and the page stays: load the survey page again (a GET, never a
  // repeated POST) to show the new batch. An error answer replaces the page, and this timer with it.
  function reloadAfterDownload() {
    document.querySelectorAll("[data-reload-after-download]").forEach(function (form) {
      form.addEventListener("submit", function () {
        var target = form.getAttribute("data-reload-after-download");
        window.setTimeout(function () { window.location.assign(target + "?t=" + Date.now() + "#codes"); }, 4000);
      });
    });
  }

  onReady(function () {
    drawCharts();
    questionForm();
    reloadAfterDownload();
  });
})();
