// Open a namegraph HTML page in headless Chromium (Debian's `chromium`, driven by
// playwright-core), as a user opening the file would, and check it: no console errors or page
// errors, no network request at all, every node drawn, and a click on a node and on an edge
// shows its spellings and its evidence. Saves a screenshot.
// Usage: node check_html.mjs GRAPH_HTML SCREENSHOT_PNG   (exit 0 and "OK ..." when all hold)
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { chromium } from "playwright-core";

const [page_path, screenshot] = process.argv.slice(2);
if (!page_path || !screenshot) {
  console.error("usage: node check_html.mjs GRAPH_HTML SCREENSHOT_PNG");
  process.exit(2);
}
const url = pathToFileURL(resolve(page_path)).href;
const problems = [];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("request", (request) => {
    if (!request.url().startsWith("file:") && !request.url().startsWith("data:")) problems.push(`network request: ${request.url()}`);
  });
  await page.goto(url, { waitUntil: "load" });
  await page.waitForFunction(() => window.namegraph && window.namegraph.ready, null, { timeout: 20000 });
  const drawn = await page.evaluate(() => {
    const { cy, data } = window.namegraph;
    const box = cy.container().getBoundingClientRect();
    const inside = cy.nodes().filter((node) => {
      const p = node.renderedPosition();
      return p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height;
    }).length;
    // Pixels the canvases painted: the graph is really drawn, not just laid out.
    let painted = 0;
    for (const canvas of cy.container().querySelectorAll("canvas")) {
      const context = canvas.getContext("2d");
      if (!context || canvas.width === 0) continue;
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
    }
    return { nodes: cy.nodes().length, edges: cy.edges().length, expectedNodes: data.nodes.length,
             expectedEdges: data.edges.length, inside, painted };
  });
  if (drawn.nodes !== drawn.expectedNodes || drawn.edges !== drawn.expectedEdges) {
    problems.push(`drew ${drawn.nodes} nodes and ${drawn.edges} edges of ${drawn.expectedNodes} and ${drawn.expectedEdges}`);
  }
  if (drawn.inside !== drawn.nodes) problems.push(`${drawn.nodes - drawn.inside} nodes outside the visible area`);
  if (drawn.painted < 5000) problems.push(`only ${drawn.painted} pixels painted`);

  await page.screenshot({ path: screenshot });

  // Click the most mentioned node, then the heaviest relation (or any edge), for real.
  const clickAt = async (selector) => {
    const point = await page.evaluate((selector) => {
      const { cy } = window.namegraph;
      const element = cy.$(selector).first();
      if (element.empty()) return null;
      const p = element.isNode() ? element.renderedPosition() : element.renderedMidpoint();
      const box = cy.container().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y, id: element.id() };
    }, selector);
    if (!point) return null;
    await page.mouse.click(point.x, point.y);
    return point.id;
  };
  const top = await page.evaluate(() => window.namegraph.data.nodes.reduce((a, b) => (b.mentions > a.mentions ? b : a)).id);
  await clickAt(`node[id = "${top}"]`);
  const nodeDetails = await page.textContent("#details");
  const expectedSpelling = await page.evaluate((id) => window.namegraph.data.nodes.find((n) => n.id === id).aliases[0].text, top);
  if (!nodeDetails.includes("Spellings seen") || !nodeDetails.includes(expectedSpelling)) {
    problems.push(`clicking ${top} did not show its spellings: ${nodeDetails.slice(0, 200)}`);
  }
  const edge = await page.evaluate(() => {
    const edges = window.namegraph.data.edges;
    const relations = edges.filter((e) => e.kind === "relation");
    const pick = (relations.length ? relations : edges).reduce((a, b) => (b.weight > a.weight ? b : a));
    return { id: pick.id, evidence: pick.evidence[0] ? pick.evidence[0].text.slice(0, 30) : "" };
  });
  // Nodes can lie over the edge's midpoint (the layout puts close partners close): for this
  // click, hide the rest and set the two ends apart.
  await page.evaluate((id) => {
    const { cy } = window.namegraph;
    const edge = cy.$id(id);
    cy.elements().not(edge).not(edge.connectedNodes()).style("display", "none");
    edge.source().position({ x: 0, y: 0 });
    edge.target().position({ x: 600, y: 0 });
    cy.zoom(1);
    cy.center(edge.connectedNodes());
  }, edge.id);
  await page.waitForTimeout(200);
  const clicked = await clickAt(`edge[id = "${edge.id}"]`);
  await page.evaluate(() => { const { cy } = window.namegraph; cy.elements().style("display", "element"); cy.fit(undefined, 30); });
  const edgeDetails = await page.textContent("#details");
  if (!edgeDetails.includes("Evidence") || !edgeDetails.includes(edge.evidence)) {
    problems.push(`clicking edge ${edge.id} (hit ${clicked}) did not show its evidence: ${edgeDetails.slice(0, 200)}`);
  }
  // The search box finds a node by a spelling; the type filter hides nodes.
  await page.fill("#search", expectedSpelling);
  const matches = await page.textContent("#matches");
  if (!/^[1-9]\d* match/.test(matches)) problems.push(`searching "${expectedSpelling}" said "${matches}"`);
  await page.fill("#search", "");
  await page.click("#types input");
  const hidden = await page.evaluate(() => window.namegraph.cy.nodes().filter((n) => n.style("display") === "none").length);
  if (hidden === 0) problems.push("unticking an entity type hid no node");
  if (problems.length) {
    console.error("FAIL: " + problems.join("; "));
    process.exitCode = 1;
  } else {
    console.log(`OK chromium=${browser.version()} nodes=${drawn.nodes} edges=${drawn.edges} painted_pixels=${drawn.painted} screenshot=${screenshot}`);
  }
} finally {
  await browser.close();
}
