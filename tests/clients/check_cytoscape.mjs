// Load a namegraph Cytoscape.js JSON file (graph.cyjs) into headless cytoscape.js, as a web page
// or Cytoscape desktop would, and check it.
// Usage: node check_cytoscape.mjs GRAPH_CYJS   (exit 0 and "OK ..." when cytoscape accepts it)
//
// cytoscape.js throws on an edge to a missing node but silently drops a second element with an
// id it has already seen, so ids are also counted here.
import { readFileSync } from "node:fs";
import cytoscape from "cytoscape";

const path = process.argv[2];
if (!path) {
  console.error("usage: node check_cytoscape.mjs GRAPH_CYJS");
  process.exit(2);
}
const file = JSON.parse(readFileSync(path, "utf8"));
const { nodes, edges } = file.elements;
const fail = (message) => {
  console.error(`FAIL: ${message}`);
  process.exit(1);
};
let cy;
try {
  cy = cytoscape({ headless: true, elements: file.elements });
} catch (error) {
  fail(`cytoscape rejected the file: ${error.message}`);
}
if (cy.nodes().length !== nodes.length || cy.edges().length !== edges.length) {
  fail(`cytoscape kept ${cy.nodes().length} nodes and ${cy.edges().length} edges of ${nodes.length} and ${edges.length} (duplicate ids?)`);
}
if (nodes.length < 2 || edges.length < 1) fail("graph is trivial");
const untyped = cy.nodes().filter((node) => !["person", "state", "organization", "place"].includes(node.data("entity_type")));
if (untyped.length) fail(`node ${untyped[0].id()} has no entity_type`);
const relations = cy.edges('[kind = "relation"]');
const bad = relations.filter((edge) => !edge.data("relation") || !edge.data("polarity") || edge.data("evidence").length === 0);
if (bad.length) fail(`relation edge ${bad[0].id()} lacks its relation, polarity or evidence`);
cy.layout({ name: "cose", animate: false, randomize: false }).run();
const placed = cy.nodes().every((node) => Number.isFinite(node.position("x")) && Number.isFinite(node.position("y")));
if (!placed) fail("the cose layout did not place every node");
const lukashenko = cy.$id("alexander-lukashenko");
const neighbours = lukashenko.nonempty() ? lukashenko.neighborhood("node").length : 0;
console.log(`OK cytoscape=${cytoscape.version} nodes=${cy.nodes().length} edges=${cy.edges().length} relations=${relations.length} components=${cy.elements().components().length}` +
  (lukashenko.nonempty() ? ` lukashenko_neighbours=${neighbours}` : ""));
