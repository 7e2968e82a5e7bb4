// End-to-end test of the console in a real headless Chromium (Debian's /usr/bin/chromium, driven
// by playwright-core) against a running control plane with simulated clusters. Started by the
// Maven build (cluster-agent's ConsoleBrowserIT), which starts the control plane and the clusters
// and passes, in the environment only (never in a URL or a log line):
//   FEDPLANE_URL            http://127.0.0.1:<port>
//   FEDPLANE_ADMIN_TOKEN    a platform-admin token
//   FEDPLANE_VIEWER_TOKEN   a tenant-viewer token of tenant "other"
// It expects tenants shop and other, an app shop/api with two revisions (its image changed), and
// an app shop/site whose image changed under a two-stage rollout strategy (bj behind a MANUAL
// gate, then rest; override bj-registry gives the bj clusters registry harbor.bj.example), so that
// revision 2 is rolling out by the stages.
//   FEDPLANE_CLUSTERS       how many clusters the fleet page must show
//   FEDPLANE_SCREENSHOTS    where to save a screenshot of each page
//   FEDPLANE_CHROMIUM       the browser (default /usr/bin/chromium)
// Exits 0 when every step passed; otherwise prints the failed step and exits 1.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const env = (k, d) => {
  const v = process.env[k] ?? d;
  if (v === undefined) { console.error(`e2e: ${k} is not set`); process.exit(2); }
  return v;
};
const base = env('FEDPLANE_URL');
const adminToken = env('FEDPLANE_ADMIN_TOKEN');
const viewerToken = env('FEDPLANE_VIEWER_TOKEN');
const clusterCount = Number(env('FEDPLANE_CLUSTERS', '6'));
const shots = env('FEDPLANE_SCREENSHOTS', 'e2e/screenshots');
const executablePath = env('FEDPLANE_CHROMIUM', '/usr/bin/chromium');
const T = 60_000;
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.setDefaultTimeout(T);
const urls = [];
page.on('request', (r) => urls.push(r.url()));
const consoleErrors = [];
page.on('pageerror', (e) => consoleErrors.push(String(e)));
// Confirmations (cancel a plan) are answered yes.
page.on('dialog', (d) => d.accept());

let step = 'start';
const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
async function run(name, fn) {
  step = name;
  const t0 = Date.now();
  await fn();
  console.log(`e2e: ok   ${name} (${Date.now() - t0} ms)`);
}
async function login(token) {
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
}

try {
  await run('a wrong token is refused with the server reason', async () => {
    await page.goto(`${base}/ui/`);
    await login('not-a-real-token');
    await page.getByRole('alert').filter({ hasText: 'unknown bearer token' }).waitFor();
    await shot('01-login-refused');
  });

  await run('the admin logs in and sees every cluster on the fleet page', async () => {
    await login(adminToken);
    await page.getByTestId('fleet-summary').filter({ hasText: `${clusterCount} clusters` }).waitFor();
    await page.locator('[data-cluster="idc-bj-1"]').waitFor();
    await page.locator('.row.group', { hasText: 'north / bj / idc' }).waitFor();
    await page.locator('.stream.live').waitFor();
    await shot('02-fleet');
  });

  await run('the admin creates an app and sees every cluster verdict', async () => {
    await page.getByRole('link', { name: 'Apps' }).click();
    const form = page.locator('form.create');
    await form.locator('input[name=tenant]').fill('shop');
    await form.locator('input[name=name]').fill('web');
    await form.locator('input[name=replicas]').fill('4');
    await form.getByRole('button', { name: 'Create app' }).click();
    await page.getByRole('heading', { name: 'App shop/web' }).waitFor();
    await page.locator('table.verdicts tbody tr').nth(clusterCount - 1).waitFor();
    const rows = await page.locator('table.verdicts tbody tr').count();
    if (rows !== clusterCount) throw new Error(`${rows} verdict rows, expected ${clusterCount}`);
    await page.getByTestId('app-replicas').filter({ hasText: '4 wanted, 4 placed' }).waitFor();
    await shot('03-app-created');
  });

  await run('the admin scales the app and the page follows it to ready', async () => {
    await page.getByLabel('Replicas').fill('8');
    await page.getByRole('button', { name: 'Scale' }).click();
    await page.getByRole('status').filter({ hasText: 'scaled to 8' }).waitFor();
    await page.getByTestId('app-replicas').filter({ hasText: '8 wanted, 8 placed, 8 ready' }).waitFor();
    await shot('04-app-scaled');
  });

  await run('a cluster page shows capacity over time and the apps on it', async () => {
    const placed = await page.locator('table.verdicts tbody tr').evaluateAll((trs) =>
      trs.filter((tr) => Number(tr.children[6].textContent) > 0).map((tr) => tr.getAttribute('data-cluster')));
    await page.evaluate((c) => { location.hash = `#/clusters/${c}`; }, placed[0]);
    await page.getByRole('heading', { name: new RegExp(`Cluster ${placed[0]}`) }).waitFor();
    await page.getByRole('link', { name: 'shop/web' }).waitFor();
    await page.getByTestId('capacity-chart').locator('canvas').waitFor();
    await shot('05-cluster');
  });

  await run('the admin cordons a cluster and uncordons it', async () => {
    await page.getByRole('button', { name: 'Cordon', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'is now CORDONED' }).waitFor();
    await page.getByRole('button', { name: 'Uncordon', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'is now READY' }).waitFor();
  });

  await run('the tenants page shows quota use per cluster', async () => {
    await page.getByRole('link', { name: 'Tenants' }).click();
    await page.locator('[data-tenant="shop"] td').first().waitFor();
    await shot('06-tenants');
  });

  await run('the capacity page shows water levels by region', async () => {
    await page.getByRole('link', { name: 'Capacity' }).click();
    await page.locator('tr[data-key="north"]').waitFor();
    await page.locator('tr[data-key="total"]').filter({ hasText: String(clusterCount) }).waitFor();
    await shot('07-capacity');
  });

  await run('the what-if page names a bad field, then answers a scale of the app cluster by cluster', async () => {
    await page.locator('header nav').getByRole('link', { name: 'What-if', exact: true }).click();
    await page.getByLabel('tenant 1').fill('shop');
    await page.getByLabel('app 1').fill('web');
    await page.getByLabel('replicas 1').fill('-1');
    await page.getByRole('button', { name: 'Run what-if' }).click();
    await page.getByRole('alert').filter({ hasText: 'scales[0].replicas' }).filter({ hasText: 'INVALID_ARGUMENT' }).waitFor();
    await page.getByLabel('replicas 1').fill('40');
    await page.getByRole('button', { name: 'Run what-if' }).click();
    await page.getByTestId('whatif-result').waitFor();
    await page.locator('.whatif-apps tr[data-app="shop/web"]').filter({ hasText: '8 → 40' }).waitFor();
    await page.locator('[data-level]').first().waitFor();
    await shot('09-what-if');
  });

  await run('the peak events page dry-runs a plan, creates it and follows it live until cancelled', async () => {
    await page.locator('header nav').getByRole('link', { name: 'Peak events', exact: true }).click();
    await page.locator('input[name=plan-name]').fill('e2e-peak');
    await page.getByLabel('target 1 tenant').fill('shop');
    await page.getByLabel('target 1 app').fill('web');
    await page.getByLabel('target 1 peak').fill('x2');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByTestId('dry-run').filter({ hasText: 'At the peak' }).waitFor();
    await page.locator('.dryrun-apps tr[data-app="shop/web"]').filter({ hasText: '8 → 16' }).waitFor();
    await page.locator('.dryrun [data-level]').first().waitFor();
    await shot('10-peak-events-dry-run');
    await page.getByRole('button', { name: 'Create plan' }).click();
    await page.getByRole('heading', { name: /Peak event e2e-peak/ }).waitFor();
    // The window starts now: the leader's runner scales the app, the page follows by server-sent events.
    await page.getByRole('heading', { name: /Peak event e2e-peak ACTIVE/ }).waitFor();
    await page.locator('tr[data-target="shop/web"]').filter({ hasText: '16' }).waitFor();
    await shot('11-peak-event-active');
    await page.getByRole('button', { name: 'Cancel plan' }).click();
    await page.getByRole('heading', { name: /Peak event e2e-peak CANCELLED/ }).waitFor();
    await page.getByTestId('plan-events').filter({ hasText: 'CANCELLED' }).waitFor();
  });

  await run("an app's revisions and what changed between two of them", async () => {
    await page.evaluate(() => { location.hash = '#/apps/shop/api'; });
    await page.getByRole('heading', { name: 'App shop/api' }).waitFor();
    await page.locator('table.revisions tr[data-revision="2"]').filter({ hasText: '(current)' }).waitFor();
    await page.getByRole('button', { name: 'Compare revisions' }).click();
    await page.getByTestId('revision-diff').filter({ hasText: 'Revision 1 → 2' }).waitFor();
    await page.locator('[data-testid="revision-diff"] tr[data-path="image"]').waitFor();
    await shot('12-app-revisions');
  });

  await run('a staged rollout waits at its manual gate, is approved in the console and followed live to the end', async () => {
    await page.evaluate(() => { location.hash = '#/apps/shop/site'; });
    await page.getByRole('heading', { name: 'App shop/site' }).waitFor();
    // Nothing of the app page shown before (shop/api) stays: its diff, its scale input.
    if (await page.getByTestId('revision-diff').count()) throw new Error("the previous app's revision diff is still shown");
    if (await page.getByLabel('Replicas').inputValue() !== '6') throw new Error('the scale form does not show the app\'s 6 replicas');
    const panel = page.getByTestId('rollout');
    await page.locator('[data-testid="rollout"][data-state="WAITING_APPROVAL"]').waitFor();
    await panel.getByTestId('rollout-summary').filter({ hasText: 'Stage 1 of 2: bj' }).waitFor();
    // bj's clusters run revision 2; the rest still run revision 1 and wait.
    for (const c of ['idc-bj-1', 'idc-bj-2']) {
      await panel.locator(`[data-stage="bj"] tr[data-cluster="${c}"][data-cluster-state="DONE"]`).waitFor();
    }
    await panel.locator('[data-stage="rest"][data-stage-state="PENDING"] tr[data-cluster-state="PENDING"]').first().waitFor();
    // Each cluster's effective image and the overrides applied are shown beside its verdict.
    await page.locator('table.verdicts tr[data-cluster="idc-bj-1"] td.effective-image').filter({ hasText: 'harbor.bj.example/site:2.0' }).waitFor();
    await page.locator('table.verdicts tr[data-cluster="idc-bj-1"] td.overrides').filter({ hasText: 'bj-registry' }).waitFor();
    await page.locator('table.verdicts tr[data-cluster="idc-sh-1"] td.effective-image').filter({ hasText: /^registry\.example\/site:2\.0$/ }).waitFor();
    await shot('13-rollout');
    await panel.getByRole('button', { name: 'Approve stage bj' }).click();
    // The runner moves on; the page follows by server-sent events (kind rollout).
    await page.locator('[data-testid="rollout"][data-state="COMPLETED"]').waitFor();
    await panel.locator('[data-stage="rest"][data-stage-state="SUCCEEDED"]').waitFor();
    if (await panel.locator('tr[data-cluster-state]:not([data-cluster-state="DONE"])').count()) throw new Error('a cluster is not DONE after COMPLETED');
    if (await panel.getByRole('button').count()) throw new Error('a completed rollout still offers actions');
    await shot('14-rollout-completed');
  });

  await run("a viewer of another tenant is denied the shop's app", async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await login(viewerToken);
    await page.locator('.who', { hasText: 'tenant-viewer of other' }).waitFor();
    if (await page.locator('header nav').getByRole('link', { name: 'Peak events', exact: true }).count()) throw new Error('a tenant viewer is offered peak events');
    await page.evaluate(() => { location.hash = '#/apps/shop/web'; });
    await page.getByRole('alert').filter({ hasText: 'may not read tenant shop' }).waitFor();
    await shot('08-viewer-denied');
  });

  await run('no token ever appeared in a URL and the page threw nothing', async () => {
    const leaked = urls.filter((u) => u.includes(adminToken) || u.includes(viewerToken));
    if (leaked.length) throw new Error(`a token appeared in ${leaked.length} request URLs`);
    if (consoleErrors.length) throw new Error(`page errors: ${consoleErrors.join('; ')}`);
  });
  console.log(`e2e: all steps passed; screenshots in ${shots}`);
  await browser.close();
} catch (e) {
  console.error(`e2e: FAILED at "${step}": ${e instanceof Error ? e.message : e}`);
  await shot('failure').catch(() => undefined);
  await browser.close();
  process.exit(1);
}
