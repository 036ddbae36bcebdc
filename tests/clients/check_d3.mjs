// Run a d3-force simulation on a namegraph node-link JSON file, as a D3 page would.
// Usage: node check_d3.mjs GRAPH_JSON   (exit 0 and "OK ..." when d3-force accepts it)
import { readFileSync } from "node:fs";
import { forceSimulation, forceLink, forceManyBody, forceCenter } from "d3-force";

const path = process.argv[2];
if (!path) {
  console.error("usage: node check_d3.mjs GRAPH_JSON");
  process.exit(2);
}
const data = JSON.parse(readFileSync(path, "utf8"));
const ids = new Set(data.nodes.map((node) => node.id));
if (ids.size !== data.nodes.length) {
  console.error("FAIL: duplicate node ids");
  process.exit(1);
}
const links = data.links.map((link) => ({ ...link }));
try {
  const simulation = forceSimulation(data.nodes)
    .force("link", forceLink(links).id((node) => node.id).strength((link) => Math.min(1, link.weight / 10)))
    .force("charge", forceManyBody())
    .force("center", forceCenter(0, 0))
    .stop();
  simulation.tick(50);
} catch (error) {
  console.error(`FAIL: d3-force rejected the file: ${error.message}`);
  process.exit(1);
}
const placed = data.nodes.every((node) => Number.isFinite(node.x) && Number.isFinite(node.y));
const resolved = links.every((link) => typeof link.source === "object" && typeof link.target === "object");
if (!placed || !resolved || data.nodes.length < 2 || links.length < 1) {
  console.error("FAIL: layout did not place every node or resolve every link");
  process.exit(1);
}
console.log(`OK d3-force nodes=${data.nodes.length} links=${links.length}`);
