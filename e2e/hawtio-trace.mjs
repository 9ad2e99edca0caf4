#!/usr/bin/env node
// Hawtio against the running order saga orchestrator, in a real browser (Debian's chromium, driven by playwright-core):
// open Hawtio on the application's connection, list the Camel routes, show the saga route's diagram, start tracing it,
// place an order, and find that order's traced messages (its id in their headers). Takes screenshots, records every
// Jolokia request Hawtio sends to the application (through Hawtio's proxy) and lists those the application refused.
//
//   node hawtio-trace.mjs --hawtio http://localhost:8090/ --jolokia http://localhost:9876/observe/jolokia \
//        --api http://localhost:8080 [--screenshot ../target/hawtio/hawtio-trace.png] [--route order-saga-v1] \
//        [--calls ../target/hawtio/jolokia-calls.json] [--timeout 150]
//
// Each option can also be given as an environment variable: HAWTIO_URL, JOLOKIA_URL, API_URL, SCREENSHOT, ROUTE,
// JOLOKIA_CALLS, TIMEOUT_SECONDS; CHROMIUM (default /usr/bin/chromium). Prints what it saw; exits 1 with a message
// starting "FAILED:" on any failed expectation.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: opts } = parseArgs({
  options: {
    hawtio: { type: 'string', default: process.env.HAWTIO_URL },
    jolokia: { type: 'string', default: process.env.JOLOKIA_URL },
    api: { type: 'string', default: process.env.API_URL },
    screenshot: { type: 'string', default: process.env.SCREENSHOT ?? 'hawtio-trace.png' },
    route: { type: 'string', default: process.env.ROUTE ?? 'order-saga-v1' },
    // the route group Hawtio shows the route under (a flow version's routes are grouped as "<flow> v<version>")
    group: { type: 'string', default: process.env.ROUTE_GROUP ?? 'order-saga v1' },
    calls: { type: 'string', default: process.env.JOLOKIA_CALLS },
    timeout: { type: 'string', default: process.env.TIMEOUT_SECONDS ?? '150' },
  },
});
for (const name of ['hawtio', 'jolokia', 'api']) {
  if (!opts[name]) fail(`--${name} is required (see the head of ${path.basename(import.meta.url)})`);
}
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!fs.existsSync(chromiumPath)) {
  fail(`no browser at ${chromiumPath}: install Debian's chromium (apt-get install -y chromium; .ci/run does)`);
}

const started = Date.now();
const say = (...words) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s]`, ...words);
function fail(message) {
  console.log(`FAILED: ${message}`);
  process.exit(1);
}
const watchdog = setTimeout(() => fail(`not done after ${opts.timeout} s`), Number(opts.timeout) * 1000);

// Hawtio reaches the application's Jolokia through its proxy: /hawtio/proxy/<scheme>/<host>/<port><path>
const jolokia = new URL(opts.jolokia);
const proxied = `/hawtio/proxy/${jolokia.protocol.replace(':', '')}/${jolokia.hostname}/${jolokia.port}${jolokia.pathname}`
  .replace(/\/$/, '');
const screenshotDir = path.dirname(path.resolve(opts.screenshot));
fs.mkdirSync(screenshotDir, { recursive: true });
const shot = (name) => path.join(screenshotDir, name);
fs.rmSync(shot('hawtio-failure.png'), { force: true });

// ---- what Hawtio asks of the application's Jolokia, and what Jolokia refused --------------------------------------
const calls = [];
const refused = [];
const elsewhere = new Set();
const traced = { dumps: 0, messages: 0, ofRoute: 0 }; // what the tracer handed to Hawtio
const answered = []; // each Jolokia request to the application with its answer (status, value), as they arrive
// Hawtio probes for its own RBAC MBean, which only a Hawtio agent has; "not found" is its expected answer
const expectedRefusal = (r, status) => status === 404 && r.type === 'list' && /RBACRegistry/.test(r.path ?? '');

function jolokiaTarget(url) {
  const { pathname } = new URL(url);
  if (pathname.startsWith(proxied)) return 'app';
  if (pathname.startsWith('/hawtio/jolokia')) return 'hawtio';
  if (pathname.startsWith('/hawtio/proxy/') && !pathname.startsWith('/hawtio/proxy/enabled')) return 'other';
  return null;
}

function onRequest(request) {
  const target = jolokiaTarget(request.url());
  if (!target) return;
  if (target !== 'app') elsewhere.add(`${request.method()} ${request.url()}`);
  let body = [];
  if (request.method() === 'POST') {
    try {
      body = [].concat(JSON.parse(request.postData() ?? '[]'));
    } catch {
      body = [{ type: '?', raw: request.postData() }];
    }
  } else {
    body = [{ type: 'GET', path: new URL(request.url()).pathname.slice(proxied.length) }];
  }
  for (const r of body) calls.push({ at: Date.now() - started, target, ...r });
}

async function onResponse(response) {
  const target = jolokiaTarget(response.url());
  if (!target) return;
  let answers;
  try {
    answers = [].concat(await response.json());
  } catch {
    if (response.status() !== 200) refused.push({ status: response.status(), request: { type: 'http', path: response.url() }, error: 'not JSON' });
    return;
  }
  let sent = [];
  try {
    sent = [].concat(JSON.parse(response.request().postData() ?? '[]'));
  } catch {
    // a GET
  }
  answers.forEach((a, i) => answered.push({ ...sent[i], status: a?.status, value: a?.value }));
  for (const a of answers) {
    if (typeof a?.value === 'string' && /^dumpAllTracedMessages/.test(a?.request?.operation ?? '')) {
      const routes = [...a.value.matchAll(/<routeId>([^<]*)<\/routeId>/g)].map((m) => m[1]);
      traced.dumps++;
      traced.messages += routes.length;
      traced.ofRoute += routes.filter((r) => r === opts.route).length;
    }
    const status = a?.status ?? response.status();
    if (status !== 200 && !expectedRefusal(a?.request ?? {}, status)) {
      refused.push({ status, request: a?.request, error: String(a?.error ?? '').slice(0, 200) });
    }
  }
}

// e.g. exec org.apache.camel:context=order-saga-orchestrator,type=routes,name=* dumpRouteStatsAsXml(true,true)
function callKey(c) {
  const mbean = (c.mbean ?? '').replace(/(type=routes,name=)("[^"]*"|[^,]*)/, '$1*');
  const what = c.type === 'read' || c.type === 'write' ? c.attribute ?? '(all attributes)'
    : c.type === 'exec' ? `${c.operation}${c.operation?.includes('(') ? '' : `(${(c.arguments ?? []).join(',')})`}`
      : c.type === 'list' ? `path=${c.path ?? '(all)'}` : '';
  return [c.type, mbean, what].filter(Boolean).join(' ') + (c.type === 'write' ? ` = ${JSON.stringify(c.value)}` : '');
}

function reportCalls() {
  const seen = new Map();
  for (const c of calls) seen.set(callKey(c), (seen.get(callKey(c)) ?? 0) + 1);
  say(`Jolokia requests Hawtio sent to the application (${calls.length}, ${seen.size} distinct):`);
  for (const [key, count] of seen) console.log(`  JOLOKIA ${key}${count > 1 ? `  (x${count})` : ''}`);
  if (opts.calls) {
    fs.mkdirSync(path.dirname(path.resolve(opts.calls)), { recursive: true });
    fs.writeFileSync(opts.calls, JSON.stringify({ distinct: [...seen.keys()], refused, calls }, null, 2));
    say(`all of them, in order: ${opts.calls}`);
  }
}

// ---- the browser ---------------------------------------------------------------------------------------------------
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawtio-chromium-'));
const browser = await chromium.launchPersistentContext(userDataDir, {
  executablePath: chromiumPath,
  headless: true,
  viewport: { width: 1600, height: 1100 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
    '--no-first-run', '--disable-component-update', '--disable-sync'],
});
const page = browser.pages()[0] ?? await browser.newPage();
page.setDefaultTimeout(30_000);
page.on('request', onRequest);
page.on('response', (response) => onResponse(response).catch(() => {}));
page.on('pageerror', (error) => say('page error:', error.message.slice(0, 200)));

const tree = page.locator('[role=tree]');
const treeNode = (name) => tree.locator('button.pf-v5-c-tree-view__node-text', { hasText: new RegExp(`^${name}$`) });
const tab = (name) => page.getByRole('link', { name, exact: true });
const main = page.locator('main');

// Hawtio switches the tracer with `exec setEnabled(on)` and then reads `Enabled` back (its Stop/Start button flips
// before that is done). Waits, from the answer number `since` on, for such a pair; returns the value read back.
async function tracerSwitched(since, on) {
  const isTracer = (a) => /type=tracer/.test(a.mbean ?? '');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const after = answered.slice(since);
    const set = after.findIndex((a) => isTracer(a) && /^setEnabled/.test(a.operation ?? '')
      && (on === undefined || a.arguments?.[0] === on));
    const read = set < 0 ? undefined
      : after.slice(set + 1).find((a) => isTracer(a) && a.type === 'read' && a.attribute === 'Enabled');
    if (read) {
      if (after[set].status !== 200) throw new Error(`the application refused setEnabled: ${after[set].status}`);
      if (on !== undefined && read.value !== on) throw new Error(`the tracer's Enabled is ${read.value}, not ${on}`);
      return read.value;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`Hawtio did not switch the tracer${on === undefined ? '' : on ? ' on' : ' off'} within 30 s`);
}

let exitCode = 0;
try {
  // 1. Hawtio, on the application's connection (the entry page stores it in the browser and opens /hawtio/?con=…)
  say(`opening ${opts.hawtio}`);
  await page.goto(opts.hawtio);
  await treeNode('routes').first().waitFor({ timeout: 90_000 }).catch(() => {
    throw new Error(`Hawtio shows no Camel routes (page ${page.url()}): did it connect to ${opts.jolokia}?`);
  });
  say(`Hawtio is connected (${page.url()}), Camel tree loaded`);

  // 2. the Camel routes
  await treeNode('routes').first().click();
  await tab('Routes').click();
  for (const route of [opts.route, `run-${opts.route}`]) {
    await main.locator('td[data-label="Name"]').filter({ hasText: new RegExp(`^${route}$`) }).first().waitFor()
      .catch(() => { throw new Error(`route ${route} is not in Hawtio's Routes table`); });
  }
  const routeCount = await main.locator('td[data-label="Name"]').count();
  say(`Routes tab lists ${routeCount} routes, ${opts.route} and run-${opts.route} among them`);
  await page.screenshot({ path: shot('hawtio-routes.png') });

  // 3. the saga route's diagram (inside its group's folder, which "Expand all" opens)
  await treeNode(opts.group).waitFor();
  await page.getByText('Expand all', { exact: true }).click();
  await treeNode(opts.route).click();
  await tab('Route Diagram').click();
  const nodes = main.locator('.react-flow__node');
  await nodes.nth(3).waitFor().catch(() => { throw new Error(`no diagram of route ${opts.route}`); });
  const labels = (await nodes.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  say(`Route Diagram of ${opts.route}: ${labels.length} nodes: ${labels.join(' | ')}`);
  if (!labels.some((l) => /multicast/i.test(l))) throw new Error(`the diagram of ${opts.route} has no Multicast node`);
  await page.screenshot({ path: shot('hawtio-route-diagram.png') });

  // 4. trace it
  // opening the tab, Hawtio applies the tracer's current state again (setEnabled); a click before that is done
  // would race it
  let mark = answered.length;
  await tab('Trace').click();
  const start = page.getByRole('button', { name: /start tracing/i });
  const stop = page.getByRole('button', { name: /stop tracing/i });
  const wasOn = await tracerSwitched(mark);
  if (wasOn) {
    say('the tracer was on already: stopping it first, to start from an empty trace');
    mark = answered.length;
    await stop.click();
    await tracerSwitched(mark, false);
  }
  mark = answered.length;
  await start.click();
  await tracerSwitched(mark, true);
  await stop.waitFor();
  say(`tracing started on ${opts.route} (the tracer's Enabled reads true)`);

  // 5. an order, placed now that the tracer is on
  const answer = await fetch(new URL('/api/orders', opts.api), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Prefer: 'wait=15' },
    body: JSON.stringify({
      customerId: 'hawtio-e2e', customerEmail: 'ada@example.com', currency: 'EUR',
      items: [{ sku: 'BOOK-42', quantity: 1, unitPrice: '12.50' }], payment: { cardToken: 'tok_visa' },
    }),
  });
  const order = await answer.json();
  if (!order.orderId) throw new Error(`the API did not place the order: ${answer.status} ${JSON.stringify(order)}`);
  console.log(`ORDER ${order.orderId} ${order.status}`);

  // 6. its traced messages: Hawtio polls the tracer every few seconds; find a message of this order and open it
  const messageIds = main.locator('td[data-label="ID"] button');
  await messageIds.first().waitFor({ timeout: 30_000 })
    .catch(() => {
      throw new Error(`no traced message of ${opts.route} appeared in the Trace tab (the tracer handed Hawtio `
        + `${traced.messages} message(s) in ${traced.dumps} read(s), ${traced.ofRoute} of ${opts.route})`);
    });
  const panel = page.locator('.pf-v5-c-drawer__panel');
  let found = null;
  const deadline = Date.now() + 30_000;
  while (!found && Date.now() < deadline) {
    const count = await messageIds.count();
    for (let i = 0; i < count && !found; i++) {
      const uid = (await messageIds.nth(i).innerText()).trim();
      await messageIds.nth(i).click();
      await panel.getByText(`UID: ${uid}`).waitFor();
      const orderIdRow = panel.locator('tr')
        .filter({ has: page.locator('td[data-label="Key"]', { hasText: /^order-id$/ }) });
      if (await orderIdRow.count() && (await orderIdRow.first().innerText()).includes(order.orderId)) {
        await orderIdRow.first().scrollIntoViewIfNeeded();
        const toNode = await messageIds.nth(i).locator('xpath=ancestor::tr[1]/td[@data-label="ToNode"]').innerText();
        found = { uid, toNode: toNode.trim(), count };
      } else {
        await panel.getByRole('button', { name: 'Close drawer panel' }).click(); // it covers the message list
      }
    }
    if (!found) await page.waitForTimeout(1000); // Hawtio adds the next batch of traced messages on its next poll
  }
  if (!found) throw new Error(`no traced message of ${opts.route} carries order-id ${order.orderId}`);
  const rowCount = await messageIds.count();
  console.log(`TRACED ${rowCount} message(s) of route ${opts.route}; message ${found.uid} (to node ${found.toNode}) `
    + `has header order-id = ${order.orderId}`);

  // 7. the screenshot: the traced route, the message of this order and its headers
  await page.screenshot({ path: opts.screenshot });
  say(`screenshot: ${path.resolve(opts.screenshot)}`);

  // 8. leave the tracer as it was: off
  mark = answered.length;
  await stop.click();
  await tracerSwitched(mark, false);
  say('tracing stopped');

  if (!calls.some((c) => c.target === 'app')) throw new Error(`Hawtio sent nothing to ${proxied}`);
  if (elsewhere.size) throw new Error(`Hawtio sent Jolokia requests elsewhere than to the application:\n  ${[...elsewhere].join('\n  ')}`);
} catch (error) {
  exitCode = 1;
  console.log(`FAILED: ${error.message.split('\n')[0]}`);
  await page.screenshot({ path: shot('hawtio-failure.png') }).catch(() => {});
  console.log(`  (page ${page.url()}; screenshot ${shot('hawtio-failure.png')})`);
} finally {
  reportCalls();
  if (refused.length) {
    // the access policy (config/jolokia-access.xml) must allow everything Hawtio does in this flow
    const distinct = new Map(refused.map((r) => [`${r.status} ${callKey(r.request ?? {})}`, r.error]));
    console.log(`FAILED: the application's Jolokia refused ${refused.length} request(s), ${distinct.size} distinct:`);
    for (const [key, error] of distinct) console.log(`  REFUSED ${key}: ${error}`);
    exitCode = 1;
  }
  await browser.close().catch(() => {});
  fs.rmSync(userDataDir, { recursive: true, force: true });
  clearTimeout(watchdog);
}
say(exitCode === 0 ? 'OK' : 'failed');
process.exit(exitCode);
