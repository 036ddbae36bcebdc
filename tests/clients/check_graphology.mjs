// Load a namegraph GEXF or GraphML file with graphology's parsers, as a sigma.js page would,
// and check it. Usage: node check_graphology.mjs FILE.gexf|FILE.graphml
// (graphology throws on dangling edges and duplicate node ids itself.)
import { readFileSync } from "node:fs";
import Graph from "graphology";
import gexf from "graphology-gexf";
import graphml from "graphology-graphml";
import { DOMParser } from "@xmldom/xmldom";

const path = process.argv[2];
if (!path || !/\.(gexf|graphml)$/.test(path)) {
  console.error("usage: node check_graphology.mjs FILE.gexf|FILE.graphml");
  process.exit(2);
}
globalThis.DOMParser ??= DOMParser;
const text = readFileSync(path, "utf8");
let graph;
try {
  graph = path.endsWith(".gexf") ? gexf.parse(Graph, text) : graphml.parse(Graph, text);
} catch (error) {
  console.error(`FAIL: graphology rejected the file: ${error.message}`);
  process.exit(1);
}
const typed = graph.filterNodes((_, attributes) => "type" in attributes);
if (typed.length) {
  console.error(`FAIL: node ${typed[0]} has a \`type\` attribute, which sigma.js reads as a renderer name`);
  process.exit(1);
}
if (graph.order < 2 || graph.size < 1) {
  console.error("FAIL: graph is trivial");
  process.exit(1);
}
console.log(`OK graphology nodes=${graph.order} edges=${graph.size} type=${graph.type} multi=${graph.multi}`);
