// Browser test of the app's two pages with Playwright (playwright-core driving Debian's Chromium; no
// downloaded browser): GraphiQL (log in through its bar, type a query, run it, read the result) and
// the web-of-trust page (drawn, then redrawn live when the Java test's assurance arrives).
// Usage: node pages.mjs '{"base": "...", "out": "...", "playwright": ".../index.mjs", "assure": {...}}'
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const args = JSON.parse(process.argv[2]);
// playwright-core is installed with the page's build dependencies (server/src/main/web).
const { chromium } = await import(pathToFileURL(args.playwright).href);
const results = {};
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();

  await page.goto(args.base + '/graphiql');
  await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 30000 });
  await page.fill('#email', 'alice@founders.example');
  await page.fill('#passphrase', 'alice founding passphrase');
  await page.click('#login-button');
  await page.waitForFunction(() => document.getElementById('who').textContent.startsWith('logged in'));
  await page.evaluate(() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror
    .setValue('{ me { status points { total } } }'));
  await page.waitForTimeout(500); // GraphiQL takes the editor's new text on its next render
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(() => {
    const pane = document.querySelector('.result-window .CodeMirror');
    return pane && pane.CodeMirror && pane.CodeMirror.getValue().includes('"me"');
  }, null, { timeout: 30000 });
  results.graphiql = await page.evaluate(() => document.querySelector('.result-window .CodeMirror').CodeMirror.getValue());
  await page.screenshot({ path: args.out + '/graphiql.png' });

  await page.goto(args.base + '/graph');
  await page.waitForFunction(() => window.graphState && window.liveConnected === true, null, { timeout: 30000 });
  await page.waitForTimeout(2000); // the subscribe message follows the connection's acknowledgement
  results.before = await page.evaluate(() => window.graphState);
  await page.screenshot({ path: args.out + '/trust-graph.png' });

  const a = args.assure;
  const response = await fetch(args.base + '/graphql', { method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + a.token },
    body: JSON.stringify({ query: 'mutation($i: RecordAssuranceInput!) { recordAssurance(input: $i) { error { code } } }',
      variables: { i: a.input } }) });
  results.assured = await response.json();
  await page.waitForFunction(n => window.graphState.edges > n, results.before.edges, { timeout: 60000 });
  results.after = await page.evaluate(() => window.graphState);
  await page.fill('#search', results.after.firstId);
  results.found = await page.evaluate(() => window.graphState.found);
  results.canvas = await page.locator('canvas').count();
  await page.screenshot({ path: args.out + '/trust-graph-live.png' });
} finally {
  await browser.close();
}
writeFileSync(args.out + '/browser-results.json', JSON.stringify(results, null, 2));
console.log(JSON.stringify(results));
