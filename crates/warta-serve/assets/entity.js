/* warta serve: the neighbourhood graph of an entity page (GET /entity/ID).
 *
 * Reads <script type="application/json" id="warta-entity-data"> (see the serve
 * contract: {entity, nodes, edges}), draws it with Cytoscape.js
 * (/assets/vendor/cytoscape.min.js, loaded first) into #graph and a legend into
 * #graph-legend. Entities are nodes, shaped and coloured by type, the page's
 * entity emphasised; events are edges coloured by relation, dashed when
 * negated, dotted when not asserted (planned, possible). Clicking a node opens
 * its page.
 *
 * For tests: window.wartaGraph is the Cytoscape instance and
 * document.body.dataset.graphReady is "1" once the layout has run. When there
 * is nothing to draw (no edges, bad data, Cytoscape missing) #graph holds a
 * message instead and graphReady is "none".
 */
(function () {
  "use strict";

  // Relation colours. Both the names of the ontology's catalogue and a few
  // short forms that older data or other extractors use.
  var RELATION_COLOURS = {
    meets: "#1f77b4",
    visits: "#2ca02c",
    condemns: "#d62728",
    accuses: "#ff7f0e",
    urges: "#b8a000",
    threatens: "#8c2d04",
    attacks: "#252525",
    sanctions: "#7b4fbf",
    imposesSanctionsOn: "#7b4fbf",
    blocksSanctions: "#e377c2",
    blocksSanctionsAgainst: "#e377c2",
    cooperatesWith: "#17becf",
    signsAgreementWith: "#0b6e4f",
    supports: "#74c476",
    rejects: "#c51b8a",
    testsMissile: "#8c564b",
    testsWeapon: "#8c564b",
    holdsPosition: "#7f7f7f",
    memberOf: "#6b9bc3",
  };

  // Relations without a direction: drawn without an arrow head.
  var SYMMETRIC = { meets: true, cooperatesWith: true, signsAgreementWith: true };

  // Node look by entity type (warta class local names).
  var TYPE_STYLES = {
    Person: { shape: "ellipse", colour: "#4e79a7" },
    Country: { shape: "round-hexagon", colour: "#59a14f" },
    City: { shape: "round-diamond", colour: "#8cc37f" },
    Place: { shape: "round-diamond", colour: "#76b7b2" },
    Organization: { shape: "round-rectangle", colour: "#f28e2b" },
    GovernmentBody: { shape: "barrel", colour: "#e15759" },
    Media: { shape: "round-tag", colour: "#b07aa1" },
    Weapon: { shape: "star", colour: "#9c755f" },
  };
  var DEFAULT_TYPE = { shape: "ellipse", colour: "#a0a0a0" };
  // Cytoscape's font-family check rejects quoted names.
  var FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif";

  function typeStyle(type) {
    return Object.prototype.hasOwnProperty.call(TYPE_STYLES, type) ? TYPE_STYLES[type] : DEFAULT_TYPE;
  }

  // A stable colour for a relation outside the palette: a hue from a string hash.
  function hashedColour(name) {
    var h = 2166136261;
    for (var i = 0; i < name.length; i++) {
      h ^= name.charCodeAt(i);
      h = Math.imul(h, 16777619) >>> 0;
    }
    var hue = h % 360;
    var light = 32 + ((h >>> 9) % 14);
    return "hsl(" + hue + ", 62%, " + light + "%)";
  }

  function relationColour(rel) {
    return Object.prototype.hasOwnProperty.call(RELATION_COLOURS, rel) ? RELATION_COLOURS[rel] : hashedColour(rel);
  }

  function isNegated(e) {
    return e.polarity === "negative";
  }

  function isUnasserted(e) {
    return e.modality != null && e.modality !== "" && e.modality !== "asserted";
  }

  function lineStyle(e) {
    if (isNegated(e)) return "dashed";
    if (isUnasserted(e)) return "dotted";
    return "solid";
  }

  function setReady(value) {
    document.body.dataset.graphReady = value;
  }

  function showMessage(box, text) {
    if (box) {
      box.textContent = "";
      var p = document.createElement("p");
      p.className = "graph-message muted";
      p.textContent = text;
      box.appendChild(p);
      box.classList.add("graph-empty");
    }
    setReady("none");
  }

  function readData() {
    var el = document.getElementById("warta-entity-data");
    if (!el) return null;
    var data = JSON.parse(el.textContent || "null");
    if (!data || typeof data !== "object") return null;
    return data;
  }

  // Turn the page's data into Cytoscape elements, dropping what would make
  // Cytoscape throw: nodes without or with a repeated id, edges whose ends are
  // not nodes, repeated edge ids (kept, with a new id).
  function toElements(data) {
    var focusIri = data.entity && data.entity.iri;
    var nodes = [];
    var nodeIds = Object.create(null);
    (Array.isArray(data.nodes) ? data.nodes : []).forEach(function (n) {
      if (!n || n.id == null) return;
      var id = String(n.id);
      if (nodeIds[id]) return;
      nodeIds[id] = true;
      var type = n.type ? String(n.type) : "";
      var st = typeStyle(type);
      nodes.push({
        group: "nodes",
        data: {
          id: id,
          label: n.label != null && n.label !== "" ? String(n.label) : id.replace(/^.*[\/#]/, ""),
          type: type,
          href: n.href ? String(n.href) : "",
          colour: st.colour,
          shape: st.shape,
        },
        classes: n.focus === true || (focusIri && id === focusIri) ? "focus" : "",
      });
    });

    var edges = [];
    var edgeIds = Object.create(null);
    var skipped = 0;
    (Array.isArray(data.edges) ? data.edges : []).forEach(function (e, i) {
      if (!e || e.source == null || e.target == null) {
        skipped++;
        return;
      }
      var s = String(e.source);
      var t = String(e.target);
      if (!nodeIds[s] || !nodeIds[t]) {
        skipped++;
        return;
      }
      var id = e.id != null ? String(e.id) : "edge-" + i;
      if (edgeIds[id] || nodeIds[id]) id = id + "#" + i;
      edgeIds[id] = true;
      var rel = e.relation ? String(e.relation) : "related";
      var classes = [];
      if (isNegated(e)) classes.push("negated");
      if (isUnasserted(e)) classes.push("planned");
      if (!SYMMETRIC[rel]) classes.push("directed");
      var att = Number(e.attestations) > 0 ? Number(e.attestations) : 1;
      edges.push({
        group: "edges",
        data: {
          id: id,
          source: s,
          target: t,
          relation: rel,
          label: rel,
          colour: relationColour(rel),
          lineStyle: lineStyle(e),
          width: 1.6 + Math.min(att - 1, 5) * 0.6,
          polarity: e.polarity || "positive",
          modality: e.modality || "asserted",
          date: e.date || "",
          attestations: att,
        },
        classes: classes.join(" "),
      });
    });
    return { nodes: nodes, edges: edges, skipped: skipped };
  }

  function stylesheet() {
    return [
      {
        selector: "node",
        style: {
          label: "data(label)",
          shape: "data(shape)",
          "background-color": "data(colour)",
          width: 26,
          height: 26,
          "border-width": 1,
          "border-color": "#ffffff",
          color: "#1d1d1f",
          "font-family": FONT,
          "font-size": 11,
          "text-valign": "bottom",
          "text-margin-y": 4,
          "text-wrap": "wrap",
          "text-max-width": 110,
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.75,
          "text-background-padding": 1,
          "min-zoomed-font-size": 6,
        },
      },
      {
        selector: "node.focus",
        style: {
          width: 44,
          height: 44,
          "border-width": 4,
          "border-color": "#1d1d1f",
          "font-size": 14,
          "font-weight": "bold",
          "z-index": 10,
        },
      },
      {
        selector: "node:active, node:selected",
        style: { "overlay-opacity": 0.15, "border-color": "#111111", "border-width": 3 },
      },
      {
        selector: "edge",
        style: {
          "curve-style": "bezier",
          "control-point-step-size": 34,
          width: "data(width)",
          "line-color": "data(colour)",
          "line-style": "data(lineStyle)",
          "line-dash-pattern": [7, 4],
          "target-arrow-shape": "none",
          "target-arrow-color": "data(colour)",
          "arrow-scale": 0.9,
          label: "data(label)",
          "font-family": FONT,
          "font-size": 9,
          color: "data(colour)",
          "text-rotation": "autorotate",
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.85,
          "text-background-padding": 1,
          "min-zoomed-font-size": 7,
          "loop-direction": "-45deg",
          "loop-sweep": "-50deg",
        },
      },
      { selector: "edge.directed", style: { "target-arrow-shape": "triangle" } },
      { selector: "edge.planned", style: { "line-dash-pattern": [2, 4], "font-style": "italic" } },
      { selector: "edge.negated", style: { "line-dash-pattern": [7, 4] } },
      { selector: "edge:selected", style: { "overlay-opacity": 0.12, "z-index": 9 } },
    ];
  }

  // Concentric rings around the focus: the focus, its direct neighbours, the rest.
  function concentricLayout(cy, n) {
    var focus = cy.nodes(".focus");
    var near = focus.neighborhood("node");
    return {
      name: "concentric",
      fit: true,
      padding: 30,
      animate: false,
      avoidOverlap: true,
      minNodeSpacing: n > 40 ? 18 : n > 12 ? 34 : 70,
      startAngle: (3 / 2) * Math.PI,
      concentric: function (node) {
        if (node.hasClass("focus")) return 3;
        if (focus.length === 0) return node.degree(false);
        return near.has(node) ? 2 : 1;
      },
      levelWidth: function () {
        return 1;
      },
    };
  }

  // Run one layout; resolves when it has stopped (some layouts finish
  // asynchronously even without animation).
  function layoutDone(cy, options) {
    var layout = cy.layout(options);
    var done = layout.promiseOn("layoutstop");
    layout.run();
    return done;
  }

  function coseLayout() {
    return {
      name: "cose",
      animate: false,
      randomize: false,
      fit: false,
      nodeDimensionsIncludeLabels: false,
      idealEdgeLength: function () {
        return 70;
      },
      nodeRepulsion: function () {
        return 6000;
      },
      edgeElasticity: function () {
        return 100;
      },
      nodeOverlap: 8,
      gravity: 0.8,
      numIter: 1200,
    };
  }

  // Small graphs read best as rings around the focus; larger ones are spread
  // with a force-directed pass that starts from those rings. Then the drawing
  // is stretched to the box and fitted.
  function runLayout(cy) {
    var n = cy.nodes().length;
    return layoutDone(cy, concentricLayout(cy, n))
      .then(function () {
        if (n > 24) return layoutDone(cy, coseLayout());
      })
      .then(function () {
        stretchToBox(cy);
        cy.fit(undefined, 30);
        if (cy.zoom() > 1.5) {
          cy.zoom(1.5);
          cy.center();
        }
      });
  }

  // Both layouts come out round; the box is usually wide. Stretch the
  // drawing sideways (about the focus) towards the box's shape, so edges get
  // longer and their labels stop piling up.
  function stretchToBox(cy) {
    var w = cy.width();
    var h = cy.height();
    var bb = cy.nodes().boundingBox({ includeLabels: false });
    if (!(w > 0 && h > 0 && bb.w > 0 && bb.h > 0)) return;
    var factor = Math.min(w / h / (bb.w / bb.h), 2.4);
    if (factor <= 1.05) return;
    var focus = cy.nodes(".focus");
    var cx = focus.length ? focus[0].position("x") : bb.x1 + bb.w / 2;
    cy.nodes().positions(function (node) {
      var p = node.position();
      return { x: cx + (p.x - cx) * factor, y: p.y };
    });
  }

  function svg(tag, attrs) {
    var el = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs).forEach(function (k) {
      el.setAttribute(k, attrs[k]);
    });
    return el;
  }

  function lineSwatch(colour, dash) {
    var s = svg("svg", { width: "34", height: "10", viewBox: "0 0 34 10", "aria-hidden": "true", class: "legend-swatch" });
    var l = svg("line", { x1: "1", y1: "5", x2: "33", y2: "5", stroke: colour, "stroke-width": "3" });
    if (dash) l.setAttribute("stroke-dasharray", dash);
    s.appendChild(l);
    return s;
  }

  function nodeSwatch(colour) {
    var s = svg("svg", { width: "14", height: "14", viewBox: "0 0 14 14", "aria-hidden": "true", class: "legend-swatch" });
    s.appendChild(svg("circle", { cx: "7", cy: "7", r: "6", fill: colour }));
    return s;
  }

  function legendItem(list, swatch, text, count, attrs) {
    var li = document.createElement("li");
    Object.keys(attrs || {}).forEach(function (k) {
      li.setAttribute(k, attrs[k]);
    });
    li.appendChild(swatch);
    var label = document.createElement("span");
    label.className = "legend-label";
    label.textContent = text;
    li.appendChild(label);
    if (count != null) {
      var c = document.createElement("span");
      c.className = "legend-count muted";
      c.textContent = "(" + count + ")";
      li.appendChild(c);
    }
    list.appendChild(li);
  }

  function heading(box, text) {
    var h = document.createElement("h3");
    h.className = "legend-title";
    h.textContent = text;
    box.appendChild(h);
  }

  function drawLegend(box, elements) {
    if (!box) return;
    box.textContent = "";
    box.classList.add("legend");

    var relCount = Object.create(null);
    var negated = 0;
    var planned = 0;
    elements.edges.forEach(function (e) {
      relCount[e.data.relation] = (relCount[e.data.relation] || 0) + 1;
      if (/\bnegated\b/.test(e.classes)) negated++;
      if (/\bplanned\b/.test(e.classes)) planned++;
    });
    var rels = Object.keys(relCount).sort();

    heading(box, "Relations");
    var relList = document.createElement("ul");
    relList.className = "legend-relations";
    rels.forEach(function (rel) {
      legendItem(relList, lineSwatch(relationColour(rel)), rel, relCount[rel], { "data-relation": rel });
    });
    box.appendChild(relList);

    var styleList = document.createElement("ul");
    styleList.className = "legend-styles";
    legendItem(styleList, lineSwatch("#555555"), "solid: reported as happening", null, { "data-style": "solid" });
    legendItem(styleList, lineSwatch("#555555", "7 4"), "dashed: negated (reported as not happening)", negated, {
      "data-style": "dashed",
    });
    legendItem(styleList, lineSwatch("#555555", "2 4"), "dotted: planned or possible, not (yet) asserted", planned, {
      "data-style": "dotted",
    });
    box.appendChild(styleList);

    var types = Object.create(null);
    elements.nodes.forEach(function (n) {
      var t = n.data.type || "other";
      types[t] = (types[t] || 0) + 1;
    });
    heading(box, "Entities");
    var typeList = document.createElement("ul");
    typeList.className = "legend-types";
    Object.keys(types)
      .sort()
      .forEach(function (t) {
        legendItem(typeList, nodeSwatch(typeStyle(t).colour), t, types[t], { "data-type": t });
      });
    box.appendChild(typeList);

    var note = document.createElement("p");
    note.className = "legend-note muted";
    note.textContent =
      "Arrows point from the actor to the target; a thicker line means more articles attest the event. " +
      "Click an entity to open its page.";
    box.appendChild(note);
  }

  // Keep the drawing in view when the box changes size (a phone turned, a
  // window resized), unless the reader has zoomed or panned it themselves.
  function refitOnResize(cy) {
    var touched = false;
    cy.on("viewport", function () {
      if (!cy.scratch("_wartaFitting")) touched = true;
    });
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        cy.resize();
        if (touched) return;
        cy.scratch("_wartaFitting", true);
        cy.fit(undefined, 30);
        if (cy.zoom() > 1.5) {
          cy.zoom(1.5);
          cy.center();
        }
        cy.scratch("_wartaFitting", false);
      }, 150);
    });
  }

  function edgeTitle(d) {
    var parts = [d.relation];
    if (d.polarity === "negative") parts.push("(negated)");
    if (d.modality && d.modality !== "asserted") parts.push("(" + d.modality + ")");
    if (d.date) parts.push(d.date);
    parts.push(d.attestations + (d.attestations === 1 ? " article" : " articles"));
    return parts.join(" ");
  }

  function start() {
    var box = document.getElementById("graph");
    if (!box) return;
    var legend = document.getElementById("graph-legend");

    var data;
    try {
      data = readData();
    } catch (e) {
      showMessage(box, "The graph data could not be read.");
      return;
    }
    if (!data) {
      showMessage(box, "No graph data on this page.");
      return;
    }
    if (typeof window.cytoscape !== "function") {
      showMessage(box, "The graph library (cytoscape.min.js) did not load, so the graph cannot be drawn.");
      return;
    }
    var elements = toElements(data);
    if (elements.edges.length === 0) {
      showMessage(box, "No events link this entity to others yet, so there is no graph to draw.");
      return;
    }
    // Draw only the nodes that take part in an edge (plus the focus).
    var used = Object.create(null);
    elements.edges.forEach(function (e) {
      used[e.data.source] = true;
      used[e.data.target] = true;
    });
    elements.nodes = elements.nodes.filter(function (n) {
      return used[n.data.id] || n.classes === "focus";
    });

    var cy;
    try {
      box.textContent = "";
      cy = window.cytoscape({
        container: box,
        elements: elements.nodes.concat(elements.edges),
        style: stylesheet(),
        minZoom: 0.1,
        maxZoom: 4,
        boxSelectionEnabled: false,
        autoungrabify: false,
      });
    } catch (e) {
      if (cy) cy.destroy();
      showMessage(box, "The graph could not be drawn: " + (e && e.message ? e.message : e));
      return;
    }

    cy.on("tap", "node", function (evt) {
      var href = evt.target.data("href");
      if (href) window.location.href = href;
    });
    cy.on("mouseover", "node", function (evt) {
      box.style.cursor = evt.target.data("href") ? "pointer" : "";
      box.title = evt.target.data("label") + (evt.target.data("type") ? " (" + evt.target.data("type") + ")" : "");
    });
    cy.on("mouseover", "edge", function (evt) {
      box.title = edgeTitle(evt.target.data());
    });
    cy.on("mouseout", "node, edge", function () {
      box.style.cursor = "";
      box.title = "";
    });

    window.wartaGraph = cy;
    runLayout(cy).then(
      function () {
        drawLegend(legend, elements);
        refitOnResize(cy);
        setReady("1");
      },
      function (e) {
        cy.destroy();
        window.wartaGraph = undefined;
        showMessage(box, "The graph could not be laid out: " + (e && e.message ? e.message : e));
      }
    );
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
