// Added at the start of a page by VisualCheck. It keeps the layout each figure was given (plotly
// adds the axes a trace names to the layout it draws, so the drawn layout cannot tell which axes
// the figure declared), and once every plotly figure on the page has drawn (or 10 s of page time
// have passed) it writes what plotly made of each figure into a hidden div, base64-encoded JSON,
// which Chromium's --dump-dom prints. It reports facts only; VisualCheck (Java) judges them.
(function () {
  var plotly;
  function keepInput(name, original) {
    return function (gd, data, layout) {
      var el = typeof gd === 'string' ? document.getElementById(gd) : gd;
      if (el && layout && typeof layout === 'object') {
        el.__notebenchLayoutKeys = Object.keys(layout);
      }
      return original.apply(this, arguments);
    };
  }
  Object.defineProperty(window, 'Plotly', {
    configurable: true,
    get: function () { return plotly; },
    set: function (p) {
      if (p && typeof p.newPlot === 'function' && !p.__notebenchWrapped) {
        p.newPlot = keepInput('newPlot', p.newPlot);
        p.react = keepInput('react', p.react);
        p.__notebenchWrapped = true;
      }
      plotly = p;
    }
  });

  var AXIS = /^[xy]axis[0-9]*$/;
  var LEGEND = /^legend[0-9]*$/;

  function figures() {
    var seen = [];
    document.querySelectorAll('.notebench-figure, .plotly-graph-div, .js-plotly-plot').forEach(function (d) {
      if (seen.indexOf(d) < 0) { seen.push(d); }
    });
    return seen;
  }

  function drawn(gd) {
    return !!(gd._fullLayout && gd._fullData && gd.querySelector('.main-svg'));
  }

  function text(title, placeholder) {
    if (title === undefined || title === null) { return ''; }
    var t = typeof title === 'string' ? title : (title.text || '');
    // plotly fills in a placeholder ("Click to enter Y axis title") that it shows only when editable
    return t === placeholder ? '' : t;
  }

  function summary(gd) {
    var out = {id: gd.id || '', drawn: drawn(gd)};
    if (!out.drawn) { return out; }
    var fl = gd._fullLayout;
    var dflt = fl._dfltTitle || {};
    out.title = text(fl.title, dflt.plot);
    out.declaredAxes = (gd.__notebenchLayoutKeys || Object.keys(gd.layout || {})).filter(function (k) { return AXIS.test(k); });
    out.axes = {};
    Object.keys(fl).filter(function (k) { return AXIS.test(k); }).forEach(function (k) {
      var a = fl[k];
      out.axes[a._id] = {domain: a.domain, anchor: a.anchor, overlaying: a.overlaying || '', position: a.position,
        side: a.side, title: text(a.title, dflt[a._id.charAt(0)]), visible: a.visible !== false};
    });
    out.legends = {};
    Object.keys(fl).filter(function (k) { return LEGEND.test(k) && fl[k] && typeof fl[k] === 'object'; }).forEach(function (k) {
      out.legends[k] = {x: fl[k].x, y: fl[k].y, yanchor: fl[k].yanchor};
    });
    out.showlegend = !!fl.showlegend;
    out.traces = gd._fullData.map(function (t) {
      var n = typeof t._length === 'number' ? t._length : (t.x ? t.x.length : 0);
      return {name: t.name || '', type: t.type, xaxis: t.xaxis || '', yaxis: t.yaxis || '', visible: t.visible,
        points: n, legend: t.legend || 'legend', legendgroup: t.legendgroup || '', showlegend: t.showlegend !== false};
    });
    return out;
  }

  function report() {
    var all = figures();
    var result = {figures: all.map(summary), pageHeight: document.documentElement.scrollHeight};
    var json = JSON.stringify(result);
    var div = document.createElement('div');
    div.id = 'notebench-visual-check';
    div.style.display = 'none';
    div.setAttribute('data-result', btoa(unescape(encodeURIComponent(json))));
    document.body.appendChild(div);
  }

  var started = Date.now();
  function poll() {
    var all = figures();
    if ((all.length > 0 && all.every(drawn)) || Date.now() - started > 10000) {
      // one more tick: plotly finishes some drawing (legends, titles) after newPlot returns
      setTimeout(report, 200);
    } else {
      setTimeout(poll, 100);
    }
  }
  if (document.readyState === 'complete') { poll(); } else { window.addEventListener('load', poll); }
})();
