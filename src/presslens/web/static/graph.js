/* presslens syndication graph: a small force-directed drawing in plain JS (no library, no CDN).
 * Reads node-link JSON from the URL in #graph[data-src] (the same /api/graph the table shows),
 * draws documents as nodes coloured and shaped by outlet, credited originals outside the crawl
 * as hollow squares, and edges styled by relation (the CSS classes rel-copy, rel-reuse,
 * rel-common_source, shared with the page's legend): arrows original -> copy, and on reuse
 * only when its direction is known; a common source has no arrow.
 * Nodes are focusable: Tab moves between them, focus/hover shows details, Enter opens the
 * document. Everything here is text-only DOM (textContent), never innerHTML of data. */
(function () {
  "use strict";
  var box = document.getElementById("graph");
  if (!box) { return; }
  var SVG = "http://www.w3.org/2000/svg";
  var COLOURS = ["#1f5fa8", "#b3541e", "#2a7d3b", "#7b3fa0", "#a3225c", "#00707a", "#6b5a00", "#444444"];
  var SHAPES = ["circle", "square", "diamond", "triangle"];

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function shape(kind, colour, parent) {
    if (kind === "circle") { return el("circle", { r: 7, fill: colour, "class": "ring" }, parent); }
    if (kind === "square") { return el("rect", { x: -6, y: -6, width: 12, height: 12, fill: colour, "class": "ring" }, parent); }
    if (kind === "diamond") { return el("polygon", { points: "0,-8 8,0 0,8 -8,0", fill: colour, "class": "ring" }, parent); }
    return el("polygon", { points: "0,-8 8,6 -8,6", fill: colour, "class": "ring" }, parent);
  }

  function draw(data) {
    var width = box.clientWidth || 800, height = 448;
    var svg = el("svg", { viewBox: "0 0 " + width + " " + height, "aria-hidden": "false", "role": "group",
                           "aria-label": data.nodes.length + " nodes, " + data.edges.length + " edges" });
    var defs = el("defs", {}, svg);
    var ARROWS = { copy: "#444", reuse: "#b3541e" };
    Object.keys(ARROWS).forEach(function (rel) {
      var marker = el("marker", { id: "arrow-" + rel, viewBox: "0 0 10 10", refX: 16, refY: 5, markerWidth: 7,
                                  markerHeight: 7, orient: "auto-start-reverse" }, defs);
      el("path", { d: "M0,0L10,5L0,10z", fill: ARROWS[rel] }, marker);
    });
    var tip = document.createElement("div");
    tip.className = "graph-tip";
    tip.hidden = true;
    box.appendChild(svg);
    box.appendChild(tip);
    if (!data.nodes.length) {
      var t = el("text", { x: width / 2, y: height / 2, "text-anchor": "middle", fill: "#333" }, svg);
      t.textContent = "No edges for this filter.";
      return;
    }

    // The layout is O(n^2) per tick: past MAX_NODES draw the best-connected documents only
    // (the table and the JSON keep every edge) and say so.
    var MAX_NODES = 400;
    if (data.nodes.length > MAX_NODES) {
      var degree = {};
      data.edges.forEach(function (e) { degree[e.source] = (degree[e.source] || 0) + 1; degree[e.target] = (degree[e.target] || 0) + 1; });
      var keep = {};
      data.nodes.slice().sort(function (a, b) { return (degree[b.id] || 0) - (degree[a.id] || 0); })
        .slice(0, MAX_NODES).forEach(function (n) { keep[n.id] = true; });
      var note = document.createElement("p");
      note.className = "meta-line";
      note.textContent = "Drawing the " + MAX_NODES + " best-connected of " + data.nodes.length +
        " documents; narrow the dates or pick an outlet to see the rest.";
      box.parentNode.insertBefore(note, box);
      data = { nodes: data.nodes.filter(function (n) { return keep[n.id]; }),
               edges: data.edges.filter(function (e) { return keep[e.source] && keep[e.target]; }) };
    }

    var outlets = [];
    data.nodes.forEach(function (n) { var o = n.outlet || "unknown"; if (outlets.indexOf(o) < 0) { outlets.push(o); } });
    outlets.sort();
    var style = {};
    outlets.forEach(function (o, i) { style[o] = { colour: COLOURS[i % COLOURS.length], shape: SHAPES[Math.floor(i / COLOURS.length) % SHAPES.length] }; });

    var byId = {};
    var nodes = data.nodes.map(function (n, i) {
      var a = 2 * Math.PI * i / data.nodes.length;
      var node = { data: n, x: width / 2 + Math.cos(a) * width / 4, y: height / 2 + Math.sin(a) * height / 4, vx: 0, vy: 0 };
      byId[n.id] = node;
      return node;
    });
    var links = data.edges.filter(function (e) { return byId[e.source] && byId[e.target]; })
      .map(function (e) { return { s: byId[e.source], t: byId[e.target], data: e }; });

    var edgeLayer = el("g", {}, svg), nodeLayer = el("g", {}, svg);
    links.forEach(function (l) {
      var rel = l.data.relation || "copy";
      var attrs = { "class": "rel-line rel-" + rel };
      if (l.data.directed !== false && ARROWS[rel]) { attrs["marker-end"] = "url(#arrow-" + rel + ")"; }
      l.line = el("line", attrs, edgeLayer);
    });
    nodes.forEach(function (n) {
      var o = n.data.outlet || "unknown";
      var outside = n.data.kind === "outlet";
      var g = el("g", { "class": "node", tabindex: 0, role: "link" }, nodeLayer);
      var label = outside ? o + " (credited original, not in the crawl)"
        : o + (n.data.published ? ", " + n.data.published : "") + (n.data.title ? ": " + n.data.title : "");
      g.setAttribute("aria-label", label);
      if (outside) {
        el("rect", { x: -8, y: -8, width: 16, height: 16, fill: "#fff", stroke: style[o].colour, "stroke-width": 3, "class": "ring" }, g);
      } else {
        shape(style[o].shape, style[o].colour, g);
      }
      if (nodes.length <= 40) {  // small graphs: name the outlet beside each node
        var name = el("text", { x: 11, y: 4, "font-size": 12, fill: "#222", "aria-hidden": "true" }, g);
        name.textContent = o;
      }
      var title = el("title", {}, g);
      title.textContent = label;
      function show() { tip.textContent = label; tip.hidden = false; tip.style.left = (n.x + 12) + "px"; tip.style.top = (n.y + 12) + "px"; }
      function hide() { tip.hidden = true; }
      function open() {
        window.location.href = outside ? "/outlets/" + encodeURIComponent(o) : "/documents/" + encodeURIComponent(n.data.id);
      }
      g.addEventListener("mouseenter", show);
      g.addEventListener("focus", show);
      g.addEventListener("mouseleave", hide);
      g.addEventListener("blur", hide);
      g.addEventListener("click", function () { if (!n.dragged) { open(); } });
      g.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { open(); } });
      g.addEventListener("pointerdown", function (ev) {
        n.fixed = true; n.dragged = false; g.setPointerCapture(ev.pointerId);
        function move(e2) {
          var r = svg.getBoundingClientRect();
          n.x = (e2.clientX - r.left) * width / r.width; n.y = (e2.clientY - r.top) * height / r.height;
          n.dragged = true; render();
          if (ticks <= 0) { ticks = 60; window.requestAnimationFrame(frame); }
        }
        function up() { n.fixed = false; g.removeEventListener("pointermove", move); g.removeEventListener("pointerup", up); }
        g.addEventListener("pointermove", move);
        g.addEventListener("pointerup", up);
      });
      n.g = g;
    });

    var legend = document.getElementById("graph-legend");
    if (legend) {
      outlets.forEach(function (o) {
        var li = document.createElement("li");
        var s = document.createElementNS(SVG, "svg");
        s.setAttribute("width", "18"); s.setAttribute("height", "18"); s.setAttribute("aria-hidden", "true");
        var g = el("g", { transform: "translate(9,9)" }, s);
        shape(style[o].shape, style[o].colour, g);
        li.appendChild(s);
        li.appendChild(document.createTextNode(" " + o));
        legend.appendChild(li);
      });
    }

    function render() {
      links.forEach(function (l) {
        l.line.setAttribute("x1", l.s.x.toFixed(1)); l.line.setAttribute("y1", l.s.y.toFixed(1));
        l.line.setAttribute("x2", l.t.x.toFixed(1)); l.line.setAttribute("y2", l.t.y.toFixed(1));
      });
      nodes.forEach(function (n) { n.g.setAttribute("transform", "translate(" + n.x.toFixed(1) + "," + n.y.toFixed(1) + ")"); });
    }

    // Fruchterman-Reingold: repulsion k^2/d between nodes closer than 3k (O(n^2), fine for the
    // few hundred nodes a filter shows), attraction d^2/k along edges, a pull to the centre so
    // separate copy clusters stay in view; moves are capped by a cooling temperature, so the
    // layout settles after a bounded number of ticks.
    var TICKS = 300;
    var ticks = TICKS;
    var k = Math.max(18, Math.min(110, Math.sqrt(width * height / Math.max(1, nodes.length)) * 0.75));
    function step() {
      var i, j, a, b, dx, dy, d, f;
      var temp = Math.max(1.5, (width / 8) * Math.max(0, ticks) / TICKS);
      nodes.forEach(function (n) { n.vx = 0; n.vy = 0; });
      for (i = 0; i < nodes.length; i++) {
        a = nodes[i];
        for (j = i + 1; j < nodes.length; j++) {
          b = nodes[j]; dx = a.x - b.x; dy = a.y - b.y; d = Math.sqrt(dx * dx + dy * dy) + 0.01;
          if (d > 3 * k) { continue; }
          f = k * k / d / d; a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
        }
      }
      links.forEach(function (l) {
        dx = l.t.x - l.s.x; dy = l.t.y - l.s.y; d = Math.sqrt(dx * dx + dy * dy) + 0.01;
        f = d / k; l.s.vx += dx * f; l.s.vy += dy * f; l.t.vx -= dx * f; l.t.vy -= dy * f;
      });
      nodes.forEach(function (n) {
        n.vx += (width / 2 - n.x) * 0.04; n.vy += (height / 2 - n.y) * 0.06;
        d = Math.sqrt(n.vx * n.vx + n.vy * n.vy) + 0.01;
        if (!n.fixed) {
          n.x = Math.min(width - 12, Math.max(12, n.x + n.vx / d * Math.min(d, temp)));
          n.y = Math.min(height - 12, Math.max(12, n.y + n.vy / d * Math.min(d, temp)));
        }
      });
    }
    function frame() {
      if (ticks-- > 0) { step(); render(); window.requestAnimationFrame(frame); }
      else { box.setAttribute("data-ready", "1"); }
    }
    render();
    window.requestAnimationFrame(frame);
  }

  fetch(box.getAttribute("data-src"), { headers: { "Accept": "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
    .then(draw)
    .catch(function (err) {
      var p = document.createElement("p");
      p.className = "error";
      p.textContent = "Could not load the graph (" + err.message + "); the table below lists every edge.";
      box.appendChild(p);
    });
})();
