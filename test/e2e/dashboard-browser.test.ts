/**
 * The web dashboard in a real browser: Debian's Chromium, headless, driven by playwright-core,
 * loads /dashboard from a real 3-node cluster (etcd, three daemons, PostgreSQL 15) with REST
 * authentication on, shows the members and the leader, and a switchover started from the page
 * (its button, then the confirmation) moves the leader, which the DCS and the page then show.
 * Screenshots are kept under test-artifacts/ (git-ignored); their paths are printed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { TestCluster, type TestNode } from '../support/cluster.js';
import { waitFor } from '../support/postgres.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';

const CHROMIUM = '/usr/bin/chromium';
const AUTH = { username: 'dash', password: 'dash-browser-secret' };
const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');

/**
 * Chromium as this machine runs it: no sandbox as root, no calls home on a closed network, and a
 * fresh profile (playwright passes it as --user-data-dir). The browser answers the API's Basic
 * challenge with the REST credentials, as an operator would in the login prompt.
 */
async function launch(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    httpCredentials: AUTH,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`# screenshot: ${path}`);
  return path;
}

/** The members table as the page shows it: name -> role. */
async function shownRoles(page: Page): Promise<Record<string, string>> {
  // Each row carries its member and role as data attributes.
  const rows = page.locator('#members tbody tr[data-member]');
  const out: [string, string][] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    out.push([
      (await row.getAttribute('data-member')) ?? '',
      (await row.getAttribute('data-role')) ?? '',
    ]);
  }
  return Object.fromEntries(out);
}

describe('dashboard in headless Chromium', { skip: !existsSync(CHROMIUM) && 'no chromium' }, () => {
  let cluster: TestCluster | null = null;
  let browser: BrowserContext | null = null;
  let profile = '';
  let leader: TestNode;

  before(async () => {
    cluster = await TestCluster.start({
      edit: (doc) => {
        const restapi = doc['restapi'] as Record<string, unknown>;
        restapi['dashboard'] = true;
        restapi['authentication'] = AUTH;
      },
    });
    leader = await cluster.waitForHealthy();
    profile = await makeTempDir('patroni-ts-chromium-');
    browser = await launch(profile);
  });

  after(async () => {
    await browser?.close();
    await cluster?.stop();
    if (profile !== '') await removeTempDir(profile);
  });

  it('shows the members and moves the leader with a confirmed switchover', async () => {
    assert.ok(cluster !== null && browser !== null);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Without credentials the API refuses the page, as it refuses a POST /switchover.
    assert.equal(await leader.httpStatus('/dashboard'), 401);

    await page.goto(`${leader.apiBase}/dashboard`);
    await page.locator('#conn', { hasText: 'live' }).waitFor();
    await waitFor(
      'three members on the page',
      async () =>
        (await page.locator('#members tbody tr[data-member]').count()) === 3 ? 1 : undefined,
      30_000,
    );
    const roles = await shownRoles(page);
    assert.deepEqual(Object.keys(roles).sort(), ['node1', 'node2', 'node3']);
    assert.equal(roles[leader.name], 'leader');
    assert.equal(Object.values(roles).filter((r) => r === 'leader').length, 1);
    assert.equal(await page.locator('#leader').textContent(), leader.name);
    // The leader's decision journal, live: its healthy cycles folded into one entry.
    await page
      .locator('#journal li[data-key]', {
        hasText: `no action. I am (${leader.name}), the leader with the lock`,
      })
      .waitFor({ timeout: 30_000 });
    await screenshot(page, 'dashboard-before-switchover');

    const candidate = cluster.nodes.find((n) => n !== leader)?.name ?? '';
    await page.locator('#switchover-open').click();
    const dialog = page.locator('#switchover-dialog');
    await dialog.waitFor({ state: 'visible' });
    assert.equal(await page.locator('#so-leader').textContent(), leader.name);
    await page.locator('#so-candidate').selectOption(candidate);
    await screenshot(page, 'dashboard-switchover-confirm');
    await page.locator('#so-confirm').click();
    await page
      .locator('#toast', { hasText: `Successfully switched over to "${candidate}"` })
      .waitFor({
        timeout: 90_000,
      });

    // The DCS says so, and the REST API of the new leader too.
    const leaderKey = await cluster.dcsValue('leader');
    assert.equal(leaderKey, candidate);
    const moved = await cluster.waitForLeader(60_000, leader.name);
    assert.equal(moved.name, candidate);

    // The page, still served by the old leader, follows without a reload.
    await page
      .locator(`#members tr[data-member="${candidate}"][data-role="leader"]`)
      .waitFor({ timeout: 60_000 });
    await page.locator('#leader', { hasText: candidate }).waitFor();
    assert.equal((await shownRoles(page))[leader.name] !== 'leader', true);
    await page.locator('#history li', { hasText: `${candidate} became leader` }).waitFor({
      timeout: 60_000,
    });
    // The old leader's journal tells what it did; its rows settle once it streams again.
    await page
      .locator('#journal li[data-key]', { hasText: `following a leader (${candidate})` })
      .first()
      .waitFor({ timeout: 60_000 });
    await page
      .locator(`#members tr[data-member="${leader.name}"] .state`, { hasText: 'running' })
      .waitFor({ timeout: 60_000 });
    await screenshot(page, 'dashboard-after-switchover');
    assert.deepEqual(errors, [], 'no script errors on the page');
  });
});
