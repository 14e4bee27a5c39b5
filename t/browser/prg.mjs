// Post/Redirect/Get in a real browser: Debian's chromium, driven by
// playwright-core, against the `make run` demo (scripts/demo).
//
//   node t/browser/prg.mjs        (make test-browser installs what it needs)
//
// The demo's form POSTs to /form/submit, which `SeeOther /form/submit
// /form/done.html methods=POST` answers 303.  Checked: the browser lands on
// the result page by GET; reloading it sends no POST (seen both by request
// interception in the browser and in the demo's access log); the back
// button returns to the form.  The landing page's screenshot is written to
// t/artifacts/browser-landing.png.  Ends with "browser: N passed, N failed".
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(top, 't/artifacts');
const CHROMIUM = '/usr/bin/chromium';
const STEP_MS = 15000;

let passed = 0;
let failed = 0;
function check(what, got, want) {
  const ok = got === want;
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok' : 'not ok'} ${passed + failed} - ${what}` +
              (ok ? '' : `\n#   got:  ${JSON.stringify(got)}\n#   want: ${JSON.stringify(want)}`));
}

// ---- the demo httpd, in its own process group; its stdout is the access log
const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'so-browser-')), 'demo.log');
const errFile = `${logFile}.err`;
const logFd = fs.openSync(logFile, 'w');
const errFd = fs.openSync(errFile, 'w');
// files, not pipes: node's pipes are sockets, which httpd cannot open as
// /dev/stderr
const demo = spawn(path.join(top, 'scripts/demo'), [], {
  detached: true,
  stdio: ['ignore', logFd, errFd],
  env: { ...process.env, PORT: process.env.PORT || '8310' },
});
const demoErr = () => fs.readFileSync(errFile, 'utf8');
const readLog = () => fs.readFileSync(logFile, 'utf8');

let browser;
let profile;
function stopAll() {
  try { process.kill(-demo.pid, 'SIGTERM'); } catch { /* gone */ }
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
  fs.rmSync(path.dirname(logFile), { recursive: true, force: true });
}
process.on('exit', stopAll);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { stopAll(); process.exit(130); });
}

async function waitFor(what, fn, ms = STEP_MS) {
  const until = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main() {
  // scripts/demo prints "mod_see_other demo: http://127.0.0.1:PORT/" once
  // its configtest passed, then execs httpd
  const base = await waitFor('the demo to start', () => {
    const m = readLog().match(/^mod_see_other demo: (http:\/\/127\.0\.0\.1:\d+)\//m);
    if (!m && demo.exitCode !== null) throw new Error(`the demo exited: ${demoErr()}`);
    return m && m[1];
  });
  const port = Number(new URL(base).port);
  for (const until = Date.now() + 20000; ;) {
    const up = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > until) throw new Error(`the demo does not answer on ${base}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(`# demo at ${base}`);

  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'so-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
           '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync',
           '--disable-dev-shm-usage'],
  });
  browser.setDefaultTimeout(STEP_MS);
  const page = browser.pages()[0] || await browser.newPage();

  // every request the page sends, as "METHOD path"
  const sent = [];
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (u.pathname === '/favicon.ico') return;   // the browser's own
    sent.push(`${req.method()} ${u.pathname}`);
  });

  // 1. the form
  const formResp = await page.goto(`${base}/form.html`);
  check('GET /form.html is answered 200', formResp.status(), 200);

  // 2. submit: POST answered 303, then the result page by GET
  sent.length = 0;
  const [landing] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.click('button[type=submit]'),
  ]);
  const req = landing.request();
  const from = req.redirectedFrom();
  const fromResp = from && await from.response();
  check('the form is sent as POST /form/submit, answered 303',
        from && `${from.method()} ${new URL(from.url()).pathname} ${fromResp.status()}`,
        'POST /form/submit 303');
  check('the browser lands on the result page by GET, answered 200',
        `${req.method()} ${page.url()} ${landing.status()}`,
        `GET ${base}/form/done.html 200`);
  check('the landing page is the result page',
        await page.locator('h1').textContent(), 'Result page');
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, 'browser-landing.png'), fullPage: true });
  check('the submission sent exactly POST /form/submit, then GET /form/done.html',
        sent.join(', '), 'POST /form/submit, GET /form/done.html');

  // 3. reload: the result page again, by GET, and no POST
  sent.length = 0;
  const reloaded = await page.reload({ waitUntil: 'load' });
  check('reload fetches the result page by GET, answered 200',
        `${reloaded.request().method()} ${page.url()} ${reloaded.status()}`,
        `GET ${base}/form/done.html 200`);
  check('reload sent no POST (requests seen by the browser)',
        sent.join(', '), 'GET /form/done.html');

  // 4. back: to the form, not to the POST
  sent.length = 0;
  await page.goBack({ waitUntil: 'load' });
  check('back returns to the form', `${page.url()} ${await page.title()}`,
        `${base}/form.html Order form`);
  check('back sent no POST', sent.filter((s) => s.startsWith('POST')).length, 0);

  await browser.close();
  browser = undefined;

  // 5. the server's view: one POST in all, answered 303, each followed by a GET
  const lines = await waitFor('the access log', () => {
    const l = readLog().split('\n').filter((s) => /^127\.0\.0\.1 "/.test(s));
    return l.some((s) => s.includes('GET /form.html')) && l.length >= 3 && l;
  });
  const posts = lines.filter((s) => s.includes('"POST '));
  check('the demo saw exactly one POST, answered 303 by the rule',
        posts.map((s) => s.replace(/^127\.0\.0\.1 /, '').replace(/ \d+ rule=.*/, '')).join('|'),
        '"POST /form/submit HTTP/1.1" 303');
  const afterPost = lines.slice(lines.indexOf(posts[0]) + 1).filter((s) => !/favicon/.test(s));
  check('after it, only GETs of the result page (landing and reload)',
        afterPost.map((s) => s.replace(/^127\.0\.0\.1 "(\S+ \S+).*/, '$1')).slice(0, 2).join(', '),
        'GET /form/done.html, GET /form/done.html');
}

try {
  await main();
} catch (e) {
  failed++;
  console.log(`not ok ${passed + failed} - ${e.stack || e}`);
  console.log(`# demo stderr:\n${demoErr().replace(/^/gm, '#   ')}`);
  if (browser) await browser.close().catch(() => {});
}
stopAll();
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
