// `warta serve`'s pages in a real browser: Debian's Chromium, driven by
// playwright-core (which brings no browser of its own).
//
//     node tests/serve/browser.mjs URL OUTDIR
//
// URL is the server's root (`http://127.0.0.1:PORT/`) over a store with
// examples/ ingested; screenshots go to OUTDIR. Each check prints one line,
// `ok NAME: ...` or `FAIL NAME: ...`; the exit code is 1 when one failed, 2 when
// playwright-core or Chromium is missing (tests/serve/setup.sh installs both).
// CHROMIUM=/path/to/chromium overrides /usr/bin/chromium. tests/serve.rs runs this.
//
// On every page it records console errors, uncaught exceptions, failed
// requests, HTTP errors, and requests to any host but the server's (those are
// aborted: the pages must work offline); any of these fails the run.

import fs from "node:fs";
import path from "node:path";

const TIMEOUT_MS = 30_000;
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// The editor's test query: one row, Putin's display label.
const EDITOR_QUERY = `PREFIX warta: <https://w3id.org/warta/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX wd: <http://www.wikidata.org/entity/>
SELECT ?label WHERE { ?e owl:sameAs wd:Q7747 ; warta:displayLabel ?label }`;
const EDITOR_EXPECT = "Vladimir Putin";

function usage() {
  console.error("usage: node tests/serve/browser.mjs URL OUTDIR");
  process.exit(2);
}

async function loadPlaywright() {
  try {
    return await import("playwright-core");
  } catch (e) {
    console.error(`browser.mjs: cannot load playwright-core (${e.message}); run tests/serve/setup.sh (what .ci/run does)`);
    process.exit(2);
  }
}

/** What went wrong on the pages, beyond the checks themselves. */
class Watch {
  constructor(origin) {
    this.origin = origin;
    this.problems = [];
    this.foreign = [];
  }

  // The server's own favicon is the browser's idea, not the page's: a 404 for it is no error.
  static isFavicon(url) {
    return /\/favicon\.ico(\?|$)/.test(url || "");
  }

  isOwn(url) {
    if (/^(data|blob|about):/.test(url)) return true;
    try {
      return new URL(url).origin === this.origin;
    } catch (e) {
      return false;
    }
  }

  async attach(context, label) {
    // Abort whatever would leave the server; remember it.
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (this.isOwn(url)) return route.continue();
      this.foreign.push(`${label}: ${route.request().method()} ${url}`);
      return route.abort("blockedbyclient");
    });
    context.on("page", (page) => this.attachPage(page, label));
  }

  attachPage(page, label) {
    const where = () => `${label} ${page.url()}`;
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      const loc = msg.location() || {};
      if (Watch.isFavicon(loc.url)) return;
      this.problems.push(`${where()}: console error: ${msg.text()}${loc.url ? ` (${loc.url}:${loc.lineNumber})` : ""}`);
    });
    page.on("pageerror", (err) => this.problems.push(`${where()}: uncaught ${err.name}: ${err.message}`));
    page.on("requestfailed", (req) => {
      if (!this.isOwn(req.url())) return; // counted as foreign
      if (Watch.isFavicon(req.url())) return;
      const failure = req.failure();
      this.problems.push(`${where()}: request failed: ${req.method()} ${req.url()}: ${failure ? failure.errorText : "?"}`);
    });
    page.on("response", (res) => {
      if (res.status() < 400 || Watch.isFavicon(res.url())) return;
      this.problems.push(`${where()}: HTTP ${res.status()} for ${res.request().method()} ${res.url()}`);
    });
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

// Wait for a body data attribute to be set; returns its value (or the error attribute's).
async function waitForDataset(page, key, errorKey) {
  await page.waitForFunction(
    ([k, ek]) => document.body && (document.body.dataset[k] || (ek && document.body.dataset[ek])),
    [key, errorKey],
    { timeout: TIMEOUT_MS }
  );
  return page.evaluate(([k, ek]) => ({ value: document.body.dataset[k], error: ek ? document.body.dataset[ek] : undefined }), [
    key,
    errorKey,
  ]);
}

async function checkEditor(context, base, outdir) {
  const page = await context.newPage();
  const response = await page.goto(base, { waitUntil: "load" });
  assert(response && response.status() === 200, `GET / answered ${response && response.status()}`);
  const state = await waitForDataset(page, "editorReady", "editorError");
  assert(state.value === "1", `the editor did not start: editorError=${JSON.stringify(state.error)}`);
  assert(await page.locator("#yasgui").count() === 1, "no #yasgui on /");
  const tabs = await page.evaluate(() => window.wartaYasgui.persistentConfig.getTabs().length);

  const sparqlAnswer = page.waitForResponse((r) => r.url().startsWith(base + "sparql"), { timeout: TIMEOUT_MS });
  await page.evaluate((query) => {
    const tab = window.wartaYasgui.getTab();
    tab.getYasqe().setValue(query);
    // The promise settles with the response; YASR draws it after.
    tab.query().catch((e) => {
      document.body.dataset.testQueryError = String(e && e.message ? e.message : e);
    });
  }, EDITOR_QUERY);
  const answer = await sparqlAnswer;
  assert(answer.status() === 200, `the editor's query got HTTP ${answer.status()}`);
  const method = answer.request().method();

  // Rows of the visible results table that hold data (not DataTables' "no data" row).
  await page.waitForFunction(
    () => {
      if (document.body.dataset.testQueryError) return true;
      const rows = Array.from(document.querySelectorAll(".yasr table tbody tr")).filter(
        (tr) => tr.offsetParent !== null && !tr.querySelector(".dataTables_empty, .dt-empty")
      );
      return rows.length >= 1;
    },
    null,
    { timeout: TIMEOUT_MS }
  );
  const result = await page.evaluate(() => {
    const rows = Array.from(document.querySelectorAll(".yasr table tbody tr")).filter(
      (tr) => tr.offsetParent !== null && !tr.querySelector(".dataTables_empty, .dt-empty")
    );
    return { error: document.body.dataset.testQueryError, rows: rows.length, text: rows.map((r) => r.innerText.replace(/\s+/g, " ").trim()).join(" | ") };
  });
  assert(!result.error, `tab.query() failed: ${result.error}`);
  assert(result.text.includes(EDITOR_EXPECT), `results table rows do not show ${EDITOR_EXPECT}: ${result.text}`);
  const shot = path.join(outdir, "editor.png");
  await page.screenshot({ path: shot, fullPage: true });
  await page.close();
  return `${tabs} query tabs; ${method} /sparql answered 200, ${result.rows} row(s): ${result.text.trim()}; ${shot}`;
}

async function checkEntityWithScript(context, base, outdir) {
  const page = await context.newPage();
  const response = await page.goto(base + "entity/Q7747", { waitUntil: "load" });
  assert(response && response.status() === 200, `GET /entity/Q7747 answered ${response && response.status()}`);
  const h1 = (await page.locator("h1").first().textContent({ timeout: TIMEOUT_MS })) || "";
  assert(h1.includes("Putin"), `h1 is ${JSON.stringify(h1)}`);
  const state = await waitForDataset(page, "graphReady");
  assert(state.value === "1", `graphReady is ${JSON.stringify(state.value)}: ${await page.locator("#graph").innerText()}`);
  const graph = await page.evaluate(() => {
    const cy = window.wartaGraph;
    const meets = cy.edges().filter((e) => e.data("relation") === "meets");
    const focus = cy.nodes(".focus");
    const partners = meets
      .connectedNodes()
      .filter((n) => !n.hasClass("focus"))
      .map((n) => n.data("label"));
    return {
      nodes: cy.nodes().length,
      edges: cy.edges().length,
      meets: meets.length,
      focus: focus.length ? focus[0].data("label") : null,
      partners,
      canvases: document.querySelectorAll("#graph canvas").length,
      canvasSize: Array.from(document.querySelectorAll("#graph canvas")).map((c) => c.width * c.height).reduce((a, b) => Math.max(a, b), 0),
    };
  });
  assert(graph.meets >= 1, `no "meets" edge among ${graph.edges} edges`);
  assert(graph.focus && graph.focus.includes("Putin"), `the focus node is ${JSON.stringify(graph.focus)}`);
  assert(graph.canvases >= 1 && graph.canvasSize > 0, `no drawn canvas in #graph (${graph.canvases} canvases)`);
  const legend = await page.locator("#graph-legend [data-relation='meets']").count();
  assert(legend === 1, `the legend lists "meets" ${legend} times`);
  const shot = path.join(outdir, "entity-putin.png");
  await page.screenshot({ path: shot, fullPage: true });
  await page.close();
  return `h1 ${JSON.stringify(h1.trim())}; ${graph.nodes} nodes, ${graph.edges} edges, ${graph.meets} meets (with ${[...new Set(graph.partners)].join(", ")}); ${shot}`;
}

async function checkEntityWithoutScript(browser, watch, base, outdir) {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  await watch.attach(context, "no-js");
  try {
    const page = await context.newPage();
    const response = await page.goto(base + "entity/Q7747", { waitUntil: "load" });
    assert(response && response.status() === 200, `GET /entity/Q7747 answered ${response && response.status()}`);
    const h1 = (await page.locator("h1").first().textContent()) || "";
    assert(h1.includes("Putin"), `h1 is ${JSON.stringify(h1)}`);
    const facts = await page.locator("li.fact").count();
    const marked = await page.locator("li.fact mark.evidence").count();
    assert(facts >= 1, "no li.fact without JavaScript");
    assert(marked >= 1, `${facts} facts but no mark.evidence in them`);
    const evidence = ((await page.locator("li.fact mark.evidence").first().textContent()) || "").trim();
    assert(evidence.length > 0, "the first mark.evidence is empty");
    const docLinks = await page.locator("li.fact a[href^='/doc/']").count();
    assert(docLinks >= 1, "no fact links to /doc/SHA");
    const ran = await page.evaluate(() => document.body.dataset.graphReady === undefined);
    assert(ran, "graphReady is set although JavaScript is off");
    const shot = path.join(outdir, "entity-putin-nojs.png");
    await page.screenshot({ path: shot, fullPage: true });
    return `${facts} facts, ${marked} evidence marks (first: ${JSON.stringify(evidence.slice(0, 60))}), ${docLinks} links to /doc/; ${shot}`;
  } finally {
    await context.close();
  }
}

async function main() {
  const [urlArg, outdir] = process.argv.slice(2);
  if (!urlArg || !outdir) usage();
  const base = urlArg.endsWith("/") ? urlArg : urlArg + "/";
  const origin = new URL(base).origin;
  fs.mkdirSync(outdir, { recursive: true });

  const { chromium } = await loadPlaywright();
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  if (!fs.existsSync(executablePath)) {
    console.error(`browser.mjs: no Chromium at ${executablePath}; run tests/serve/setup.sh (what .ci/run does)`);
    process.exit(2);
  }
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  console.log(`browser.mjs: ${base} in Chromium ${browser.version()}`);
  const watch = new Watch(origin);
  const failed = [];
  const run = async (name, fn) => {
    try {
      console.log(`ok   ${name}: ${await fn()}`);
    } catch (e) {
      failed.push(name);
      console.log(`FAIL ${name}: ${e && e.message ? e.message.split("\n")[0] : e}`);
      if (e && e.stack) console.error(e.stack);
    }
  };

  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await watch.attach(context, "js");
    context.setDefaultTimeout(TIMEOUT_MS);
    await run("editor", () => checkEditor(context, base, outdir));
    await run("entity-graph", () => checkEntityWithScript(context, base, outdir));
    await context.close();
    await run("entity-without-javascript", () => checkEntityWithoutScript(browser, watch, base, outdir));
    const problems = () => watch.problems.concat(watch.foreign.map((f) => `request to another host: ${f}`));
    await run("no-errors-and-offline", async () => {
      const lines = problems();
      assert(lines.length === 0, `${lines.length} problem(s), listed below`);
      return "no console error, failed request or HTTP error; no request left " + origin;
    });
    for (const line of problems()) console.log(`     ${line}`);
  } finally {
    await browser.close();
  }
  if (failed.length) {
    console.log(`browser.mjs: ${failed.length} of 4 checks failed: ${failed.join(", ")}`);
    process.exit(1);
  }
  console.log("browser.mjs: all 4 checks passed");
}

main().catch((e) => {
  console.log(`FAIL browser.mjs: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
