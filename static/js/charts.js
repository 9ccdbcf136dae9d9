/*
 * Klimanetz charts: draws every <figure class="chart" data-chart="…"> with Chart.js (vendored, same host)
 * from the chart's JSON (monitoring.charts.Chart, written by json_script). The drawing follows the
 * server's SVG (monitoring/svg.py): measured values as a line with markers, estimates hollow, the target
 * path dashed, bars and stacked bars in the Okabe–Ito palette with a pattern per series.
 * Without this script, or without Chart.js, the SVG stays; the data table is always on the page.
 */
(function () {
  "use strict";

  if (window.KlimanetzCharts) {
    return; // loaded twice: the first copy draws every chart
  }

  var PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
  var PATTERNS = ["solid", "diagonal", "dots", "cross", "horizontal", "vertical", "backdiagonal", "grid"];
  var MARKERS = ["circle", "rect", "triangle", "rectRot"];
  var TARGET_COLOUR = "#333333";
  var TEXT = "#1c2b22";
  var GRID = "#d5ddd8";
  var LONG_LABEL = 6; // as monitoring.svg.LONG_LABEL: bar charts of long names lie on their side

  function language() {
    return document.documentElement.lang || "de";
  }

  function formatter(decimals) {
    var options = { maximumFractionDigits: decimals === undefined ? 3 : decimals, useGrouping: true };
    var format = new Intl.NumberFormat(language(), options);
    return function (value) {
      return value === null || value === undefined ? "–" : format.format(value);
    };
  }

  function pattern(kind, colour) {
    if (kind === "solid") {
      return colour;
    }
    var canvas = document.createElement("canvas");
    canvas.width = 8;
    canvas.height = 8;
    var g = canvas.getContext("2d");
    g.fillStyle = colour;
    g.fillRect(0, 0, 8, 8);
    g.strokeStyle = "#ffffff";
    g.fillStyle = "#ffffff";
    g.lineWidth = 1.6;
    g.beginPath();
    if (kind === "diagonal") {
      g.moveTo(-2, 2); g.lineTo(2, -2); g.moveTo(0, 8); g.lineTo(8, 0); g.moveTo(6, 10); g.lineTo(10, 6);
    } else if (kind === "backdiagonal") {
      g.moveTo(-2, 6); g.lineTo(2, 10); g.moveTo(0, 0); g.lineTo(8, 8); g.moveTo(6, -2); g.lineTo(10, 2);
    } else if (kind === "cross") {
      g.moveTo(0, 0); g.lineTo(8, 8); g.moveTo(8, 0); g.lineTo(0, 8);
    } else if (kind === "horizontal") {
      g.moveTo(0, 4); g.lineTo(8, 4);
    } else if (kind === "vertical") {
      g.moveTo(4, 0); g.lineTo(4, 8);
    } else if (kind === "grid") {
      g.moveTo(0, 4); g.lineTo(8, 4); g.moveTo(4, 0); g.lineTo(4, 8);
    } else if (kind === "dots") {
      g.arc(4, 4, 1.6, 0, 2 * Math.PI);
      g.fill();
    }
    g.stroke();
    return g.createPattern(canvas, "repeat") || colour;
  }

  function yearsOf(labels) {
    if (!labels.length) {
      return null;
    }
    for (var i = 0; i < labels.length; i++) {
      if (!/^\d{4}$/.test(labels[i])) {
        return null;
      }
    }
    return labels.map(Number);
  }

  function isHorizontal(spec) {
    return spec.kind === "bar" && spec.labels.some(function (label) { return label.length > LONG_LABEL; });
  }

  function allIntegers(spec) {
    return spec.series.every(function (s) {
      return s.values.every(function (v) { return v === null || Number.isInteger(v); });
    });
  }

  function datasets(spec, years) {
    var out = [];
    var bars = 0;
    var lines = 0;
    var last = null;
    var targets = spec.series.filter(function (s) { return s.style === "target"; }).length;
    var estimated = {};
    function data(values) {
      if (!years) {
        return values;
      }
      return values.map(function (v, i) { return { x: years[i], y: v }; });
    }
    spec.series.forEach(function (s, index) {
      if (s.style === "bar" && spec.kind !== "line") {
        var colour = PALETTE[bars % PALETTE.length];
        out.push({
          type: "bar",
          label: s.label,
          data: data(s.values),
          backgroundColor: pattern(PATTERNS[bars % PATTERNS.length], colour),
          borderColor: spec.kind === "stacked" ? "#ffffff" : colour,
          swatchBorder: colour,
          borderWidth: spec.kind === "stacked" ? 1 : 0,
          stack: spec.kind === "stacked" ? "bars" : "bar-" + index,
          order: 10,
        });
        bars += 1;
      } else if (s.style === "estimate") {
        var base = last ? last.borderColor : PALETTE[0];
        if (last) {
          s.values.forEach(function (v, i) { if (v !== null) { estimated[last.label + "\u0000" + i] = true; } });
        }
        out.push({
          type: "line",
          label: s.label,
          data: data(s.values),
          showLine: false,
          borderColor: base,
          backgroundColor: "#ffffff",
          pointBackgroundColor: "#ffffff",
          pointBorderColor: base,
          pointBorderWidth: 2,
          pointRadius: 5,
          pointHoverRadius: 6,
          pointStyle: last ? last.pointStyle : "circle",
          stack: "line-" + index,
          order: 0,
          isEstimate: true,
        });
      } else if (s.style === "target") {
        var colourT = targets === 1 || !last ? TARGET_COLOUR : last.borderColor;
        out.push({
          type: "line",
          label: s.label,
          data: data(s.values),
          borderColor: colourT,
          backgroundColor: colourT,
          borderDash: [7, 5],
          borderWidth: 2,
          pointStyle: "rect",
          pointRadius: s.values.length > 30 ? 0 : 3,
          pointHoverRadius: 5,
          spanGaps: true,
          stack: "line-" + index,
          order: 1,
        });
      } else {
        var colourM = PALETTE[lines % PALETTE.length];
        last = {
          type: "line",
          label: s.label,
          data: data(s.values),
          borderColor: colourM,
          backgroundColor: colourM,
          borderWidth: 2.5,
          pointStyle: MARKERS[lines % MARKERS.length],
          pointRadius: 4,
          pointHoverRadius: 6,
          spanGaps: true,
          stack: "line-" + index,
          order: 2,
        };
        out.push(last);
        lines += 1;
      }
    });
    return { datasets: out, estimated: estimated };
  }

  // Legend swatches drawn like the SVG's: a line with its marker (dashed for the target), a hollow marker for
  // estimates, a box with the series' pattern for bars.
  function marker(g, shape, x, y, size) {
    g.beginPath();
    if (shape === "rect") {
      g.rect(x - size, y - size, 2 * size, 2 * size);
    } else if (shape === "triangle") {
      g.moveTo(x, y - size - 1); g.lineTo(x + size + 1, y + size); g.lineTo(x - size - 1, y + size); g.closePath();
    } else if (shape === "rectRot") {
      g.moveTo(x, y - size - 1); g.lineTo(x + size + 1, y); g.lineTo(x, y + size + 1); g.lineTo(x - size - 1, y);
      g.closePath();
    } else {
      g.arc(x, y, size, 0, 2 * Math.PI);
    }
  }

  function swatch(dataset) {
    var canvas = document.createElement("canvas"); // Chart.js draws it at its own size: 28 × 14
    canvas.width = 28;
    canvas.height = 14;
    var g = canvas.getContext("2d");
    if (dataset.type === "bar") {
      g.fillStyle = dataset.backgroundColor;
      g.fillRect(2, 1, 24, 12);
      g.strokeStyle = dataset.swatchBorder;
      g.lineWidth = 1;
      g.strokeRect(2.5, 1.5, 23, 11);
    } else if (dataset.isEstimate) {
      marker(g, dataset.pointStyle, 14, 7, 4);
      g.fillStyle = "#ffffff";
      g.fill();
      g.strokeStyle = dataset.borderColor;
      g.lineWidth = 2;
      g.stroke();
    } else {
      g.strokeStyle = dataset.borderColor;
      g.lineWidth = 2.5;
      g.setLineDash(dataset.borderDash ? [6, 4] : []);
      g.beginPath();
      g.moveTo(1, 7);
      g.lineTo(27, 7);
      g.stroke();
      g.setLineDash([]);
      marker(g, dataset.pointStyle, 14, 7, dataset.borderDash ? 3 : 4);
      g.fillStyle = dataset.borderColor;
      g.fill();
    }
    return canvas;
  }

  function legendItems(chart) {
    var items = window.Chart.defaults.plugins.legend.labels.generateLabels(chart);
    items.forEach(function (item) {
      var dataset = chart.data.datasets[item.datasetIndex];
      dataset.swatch = dataset.swatch || swatch(dataset);
      item.pointStyle = dataset.swatch;
    });
    return items;
  }

  function build(figure, spec) {
    var canvasWrap = figure.querySelector(".chart-canvas");
    var drawing = figure.querySelector(".chart-drawing");
    var canvas = canvasWrap && canvasWrap.querySelector("canvas");
    if (!canvas || !window.Chart) {
      return;
    }
    var horizontal = isHorizontal(spec);
    // A time axis for every chart whose labels are years (monitoring.charts.Chart.time_axis): 1990, 2018–2022
    // and 2030 sit at their places in time, lines and bars alike.
    var years = horizontal ? null : yearsOf(spec.labels);
    if (years && (years[years.length - 1] === years[0] || years.some(function (y, i) { return i && y < years[i - 1]; }))) {
      years = null;
    }
    var built = datasets(spec, years);
    var estimateSeries = spec.series.filter(function (s) { return s.style === "estimate"; })[0];
    var estimateLabel = estimateSeries ? estimateSeries.label : "";
    var integers = allIntegers(spec);
    var format = formatter();
    var unit = spec.unit ? " " + spec.unit : "";
    var stacked = spec.kind === "stacked";
    var narrow = figure.clientWidth < 520;

    var valueAxis = {
      beginAtZero: true,
      stacked: stacked,
      grid: { color: GRID },
      ticks: { precision: integers ? 0 : undefined, callback: function (value) { return format(value); } },
      title: { display: Boolean(spec.unit), text: spec.unit, color: TEXT },
    };
    var labelAxis = {
      stacked: stacked,
      grid: { display: false },
      title: { display: Boolean(spec.x_label), text: spec.x_label, color: TEXT },
      // every stage name stays readable; years are thinned below
      ticks: { autoSkip: !horizontal, maxRotation: 0 },
    };
    if (years) {
      labelAxis.type = "linear";
      labelAxis.min = years[0];
      labelAxis.max = years[years.length - 1];
      labelAxis.offset = true; // room for the first and last marker, as in the SVG
      labelAxis.ticks = {
        precision: 0,
        maxRotation: 0,
        autoSkip: true,
        callback: function (value) { return Number.isInteger(value) ? String(value) : ""; },
      };
    }

    var config = {
      type: spec.kind === "line" ? "line" : "bar",
      data: { labels: spec.labels, datasets: built.datasets },
      options: {
        responsive: true,
        maintainAspectRatio: true,
        // taller on narrow screens, so a phone still shows a readable chart
        aspectRatio: horizontal
          ? Math.max(narrow ? 0.8 : 1.2, 720 / (spec.labels.length * 30 + 90))
          : (narrow ? 1.2 : 2),
        indexAxis: horizontal ? "y" : "x",
        // no animation: the numbers are the point, and a chart must not move under a reader or a screenshot
        animation: false,
        layout: { padding: { left: 4, right: 12, top: 4 } },
        interaction: { mode: "index", intersect: false, axis: horizontal ? "y" : "x" },
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
        plugins: {
          legend: {
            display: built.datasets.length > 1,
            position: "top",
            labels: {
              usePointStyle: true,
              pointStyleWidth: 28,
              boxHeight: 14,
              color: TEXT,
              generateLabels: legendItems,
              sort: function (a, b) { return a.datasetIndex - b.datasetIndex; },
            },
          },
          tooltip: {
            filter: function (item) { return item.raw !== null && !(item.raw && item.raw.y === null); },
            callbacks: {
              title: function (items) { return items.length ? spec.labels[items[0].dataIndex] : ""; },
              label: function (item) {
                var value = horizontal ? item.parsed.x : item.parsed.y;
                var text = item.dataset.label + ": " + format(value) + unit;
                if (built.estimated[item.dataset.label + "\u0000" + item.dataIndex]) {
                  text += " (" + estimateLabel + ")";
                }
                return text;
              },
            },
          },
        },
      },
    };
    // Measured points that are estimates: hollow, like the SVG.
    built.datasets.forEach(function (dataset) {
      if (dataset.type === "line" && !dataset.isEstimate && !dataset.borderDash) {
        var colour = dataset.borderColor;
        dataset.pointBackgroundColor = spec.labels.map(function (_label, i) {
          return built.estimated[dataset.label + "\u0000" + i] ? "#ffffff" : colour;
        });
      }
    });
    canvasWrap.hidden = false;
    try {
      new window.Chart(canvas, config);
    } catch (error) {
      canvasWrap.hidden = true; // keep the server's drawing
      throw error;
    }
    figure.classList.add("chart-enhanced");
    if (drawing) {
      drawing.hidden = true;
    }
  }

  function drawAll() {
    if (!window.Chart) {
      return;
    }
    window.Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.color = TEXT;
    var figures = document.querySelectorAll("figure.chart[data-chart]");
    Array.prototype.forEach.call(figures, function (figure) {
      if (figure.dataset.chartDrawn) {
        return;
      }
      var source = document.getElementById(figure.dataset.chart);
      if (!source) {
        return;
      }
      figure.dataset.chartDrawn = "1";
      build(figure, JSON.parse(source.textContent));
    });
  }

  // Printing a roadmap or measure prints every chart's values (static/css/print.css hides the summaries): the
  // closed tables are opened for the print and closed again after it.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details.chart-data:not([open])"), function (details) {
      details.open = true;
      openedForPrint.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) { details.open = false; });
    openedForPrint = [];
  });

  window.KlimanetzCharts = { drawAll: drawAll };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
