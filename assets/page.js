// The interactive page of `namegraph build --format html`: draws the graph embedded in
// #graph-data with cytoscape.js (embedded above), and wires the search box, the filters and the
// details panel. Runs from a file: no network.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var TYPE_COLOURS = data.colours.types;
  var POLARITY_COLOURS = data.colours.polarities;

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) {
      if (key === "text") node.textContent = attributes[key];
      else node.setAttribute(key, attributes[key]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  function plural(count, noun) { return count + " " + noun + (count === 1 ? "" : "s"); }

  var maxMentions = Math.max.apply(null, data.nodes.map(function (n) { return n.mentions; }).concat([1]));
  var maxWeight = Math.max.apply(null, data.edges.map(function (e) { return e.weight; }).concat([1]));

  var elements = [];
  data.nodes.forEach(function (n) {
    elements.push({
      group: "nodes",
      data: {
        id: n.id, label: n.label, entity_type: n.entity_type, mentions: n.mentions,
        size: 18 + 42 * Math.sqrt(n.mentions / maxMentions),
        colour: TYPE_COLOURS[n.entity_type] || "#6c757d",
      },
    });
  });
  data.edges.forEach(function (e) {
    elements.push({
      group: "edges",
      data: {
        id: e.id, source: e.source, target: e.target, kind: e.kind, weight: e.weight,
        label: e.kind === "relation" ? e.label + (e.weight > 1 ? " \u00d7" + e.weight : "") : "",
        width: e.kind === "relation" ? 1.5 + Math.min(e.weight, 5) * 0.5 : 0.8 + 5 * (e.weight / maxWeight),
        colour: e.kind === "relation" ? POLARITY_COLOURS[e.polarity] : "#adb5bd",
      },
      classes: [e.kind, e.directed ? "directed" : "", e.negated ? "negated" : ""].join(" "),
    });
  });

  var cy = cytoscape({
    container: document.getElementById("graph"),
    elements: elements,
    minZoom: 0.05,
    maxZoom: 6,
    style: [
      { selector: "node", style: {
        "background-color": "data(colour)", width: "data(size)", height: "data(size)",
        label: "data(label)", "font-size": 13, "text-valign": "bottom", "text-margin-y": 3,
        "text-outline-color": "#fff", "text-outline-width": 2, "border-width": 1, "border-color": "#fff" } },
      { selector: "edge", style: {
        width: "data(width)", "line-color": "data(colour)", "curve-style": "bezier", opacity: 0.8 } },
      { selector: "edge.co-mention", style: { opacity: 0.45 } },
      { selector: "edge.relation", style: {
        label: "data(label)", "font-size": 9, color: "data(colour)", "text-rotation": "autorotate",
        "text-background-color": "#fff", "text-background-opacity": 0.8, "text-background-padding": 1 } },
      { selector: "edge.directed", style: { "target-arrow-shape": "triangle", "target-arrow-color": "data(colour)" } },
      { selector: "edge.negated", style: { "line-style": "dashed" } },
      { selector: ".faded", style: { opacity: 0.12 } },
      { selector: "node.match", style: { "border-width": 4, "border-color": "#ffc107" } },
      { selector: ":selected", style: { "border-width": 4, "border-color": "#212529", "line-color": "#212529", "target-arrow-color": "#212529" } },
    ],
    layout: { name: "cose", animate: false, randomize: true, padding: 30, nodeOverlap: 40, gravity: 1.5,
              nodeRepulsion: function () { return 120000; }, idealEdgeLength: function () { return 70; },
              edgeElasticity: function () { return 60; }, numIter: 2500, componentSpacing: 60 },
  });

  // Filters: entity types and minimum weight.
  var typeBoxes = document.getElementById("types");
  data.types.forEach(function (type) {
    var count = data.nodes.filter(function (n) { return n.entity_type === type; }).length;
    var box = el("input", { type: "checkbox", value: type, checked: "checked" });
    box.addEventListener("change", applyFilters);
    typeBoxes.appendChild(el("label", {}, [box, el("span", { class: "swatch", style: "background:" + TYPE_COLOURS[type] }),
      document.createTextNode(type + " (" + count + ")")]));
  });
  var minWeight = document.getElementById("min-weight");
  var minWeightValue = document.getElementById("min-weight-value");
  minWeight.max = String(maxWeight);
  minWeight.addEventListener("input", applyFilters);

  function applyFilters() {
    var shown = {};
    Array.prototype.forEach.call(typeBoxes.querySelectorAll("input"), function (box) { shown[box.value] = box.checked; });
    var threshold = Number(minWeight.value);
    minWeightValue.textContent = String(threshold);
    cy.batch(function () {
      cy.nodes().forEach(function (node) { node.style("display", shown[node.data("entity_type")] ? "element" : "none"); });
      cy.edges().forEach(function (edge) { edge.style("display", edge.data("weight") >= threshold ? "element" : "none"); });
    });
  }

  // Search: names and aliases; Enter centres on the first match.
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var search = document.getElementById("search");
  var matchesLine = document.getElementById("matches");
  function fold(text) { return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  function matching(query) {
    var q = fold(query.trim());
    if (!q) return cy.collection();
    return cy.nodes().filter(function (node) {
      var n = byId[node.id()];
      return [n.label, n.id].concat(n.aliases.map(function (a) { return a.text; })).some(function (name) { return fold(name).indexOf(q) >= 0; });
    });
  }
  search.addEventListener("input", function () {
    var found = matching(search.value);
    cy.batch(function () {
      cy.elements().removeClass("faded match");
      if (search.value.trim()) {
        cy.elements().addClass("faded");
        found.removeClass("faded").addClass("match");
        found.connectedEdges().removeClass("faded");
      }
    });
    matchesLine.textContent = search.value.trim() ? plural(found.length, "match") : "";
  });
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    var found = matching(search.value);
    if (found.length) { cy.animate({ center: { eles: found[0] }, zoom: 1.5 }, { duration: 300 }); showNode(found[0].id()); }
  });

  // Details: a node's aliases, an edge's evidence.
  var details = document.getElementById("details");
  function show(children) { details.replaceChildren.apply(details, children); }
  function showNode(id) {
    var n = byId[id];
    var parts = [
      el("div", { class: "title", text: n.label }),
      el("div", { class: "muted", text: n.entity_type + " \u00b7 " + plural(n.mentions, "mention") + " in " + plural(n.documents, "document") +
        (n.first_date ? " \u00b7 " + n.first_date + (n.last_date !== n.first_date ? " to " + n.last_date : "") : "") }),
    ];
    if (n.description) parts.push(el("div", { text: n.description }));
    if (n.wikidata) parts.push(el("div", {}, [el("a", { href: "https://www.wikidata.org/wiki/" + n.wikidata, text: "Wikidata " + n.wikidata })]));
    parts.push(el("h2", { text: "Spellings seen" }));
    parts.push(el("ul", {}, n.aliases.map(function (a) {
      return el("li", { text: "\u201c" + a.text + "\u201d \u00d7" + a.count + " (" + a.methods + ")" });
    })));
    show(parts);
  }
  function showEdge(id) {
    var e = data.edges.filter(function (x) { return x.id === id; })[0];
    var from = byId[e.source].label, to = byId[e.target].label;
    var title = e.kind === "relation" ? from + " " + e.label + " " + to : from + " \u2013 " + to + ": co-mentioned";
    var parts = [
      el("div", { class: "title", text: title }),
      el("div", { class: "muted", text: (e.kind === "relation" ? e.polarity + " relation, stated " + plural(e.weight, "time") : "together in " + plural(e.weight, data.window)) +
        " in " + plural(e.documents, "document") }),
      el("h2", { text: "Evidence" }),
    ];
    e.evidence.forEach(function (item) {
      var quote = el("blockquote");
      if (item.trigger) {
        quote.appendChild(document.createTextNode(item.text.slice(0, item.trigger[0])));
        quote.appendChild(el("mark", { text: item.text.slice(item.trigger[0], item.trigger[1]) }));
        quote.appendChild(document.createTextNode(item.text.slice(item.trigger[1])));
      } else {
        quote.textContent = item.text;
      }
      parts.push(quote);
      parts.push(el("div", { class: "muted", text: item.document }));
    });
    if (e.weight > e.evidence.length) parts.push(el("div", { class: "muted", text: "(" + e.evidence.length + " of " + e.weight + " kept)" }));
    show(parts);
  }
  cy.on("tap", "node", function (event) { showNode(event.target.id()); });
  cy.on("tap", "edge", function (event) { showEdge(event.target.id()); });

  window.namegraph = { cy: cy, data: data, ready: true };
})();
