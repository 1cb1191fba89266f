// The patroni-ts dashboard: one EventSource to /dashboard/events brings the cluster state and the
// decision journal; everything is drawn with DOM calls and textContent (never markup from data).
// No framework and no build step: this file is served as it is.

const $ = (id) => document.getElementById(id);

/** Last state from the server, and when it arrived (the lease counts down from there). */
let state = null;
let receivedAt = 0;
const JOURNAL_MAX = 200;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function bytes(n) {
  if (n === 'unknown') return 'unknown';
  if (typeof n !== 'number') return '';
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

function when(value) {
  if (value === null || value === undefined || value === '') return '';
  const d = typeof value === 'number' ? new Date(value) : new Date(String(value));
  if (Number.isNaN(d.getTime())) return String(value);
  const p = (x) => String(x).padStart(2, '0');
  return (
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
  );
}

function roleClass(role) {
  if (role === 'leader' || role === 'standby_leader') return 'role leader';
  if (role === 'sync_standby') return 'role sync';
  return 'role replica';
}

function renderMembers(s) {
  const body = $('members').tBodies[0];
  body.replaceChildren();
  if (s.members.length === 0) {
    const row = body.insertRow();
    const cell = row.insertCell();
    cell.colSpan = 8;
    cell.className = 'muted';
    cell.textContent = s.dcsReachable ? 'no members registered' : 'the DCS is not reachable';
  }
  for (const m of s.members) {
    const row = body.insertRow();
    row.dataset.member = m.name;
    row.dataset.role = m.role;
    const name = row.insertCell();
    name.append(el('span', 'member-name', m.name));
    if (m.name === s.servedBy) name.append(el('span', 'self', 'this node'));
    row.insertCell().textContent = m.host === null ? '' : `${m.host}${m.port ? `:${m.port}` : ''}`;
    row.insertCell().append(el('span', roleClass(m.role), m.role.replace('_', ' ')));
    const state = row.insertCell();
    state.append(el('span', m.state === 'running' ? 'state ok' : 'state warn', m.state));
    const tl = row.insertCell();
    tl.className = 'num';
    tl.textContent = m.timeline === null ? '' : String(m.timeline);
    const lag = row.insertCell();
    lag.className = 'num';
    lag.textContent = m.lag === null ? '' : bytes(m.lag);
    const tags = row.insertCell();
    for (const [k, v] of Object.entries(m.tags)) {
      tags.append(el('span', 'tag', v === true ? k : `${k}: ${JSON.stringify(v)}`));
    }
    const restart = row.insertCell();
    if (m.pendingRestart) restart.append(el('span', 'badge warn', 'pending'));
    if (m.scheduledRestart) restart.append(el('span', 'badge', `at ${when(m.scheduledRestart)}`));
  }
}

function renderCards(s) {
  $('scope').textContent = s.scope;
  $('served-by').textContent = s.servedBy;
  $('journal-of').textContent = `of ${s.servedBy}`;
  $('paused').hidden = !s.paused;
  const leader = s.members.find((m) => m.name === s.leader);
  $('leader').textContent = s.leader ?? 'no leader';
  $('leader').className = s.leader === null ? 'big bad' : 'big';
  $('leader-sub').textContent =
    `timeline ${s.timeline}` + (leader?.host ? ` · ${leader.host}:${leader.port ?? ''}` : '');

  const pending = $('pending');
  pending.replaceChildren();
  const items = [];
  if (s.paused) items.push(['warn', 'cluster is paused: no automatic failover']);
  if (s.failover !== null) {
    const f = s.failover;
    const what = f.leader === null ? 'failover' : 'switchover';
    const to = f.candidate === null ? '' : ` to ${f.candidate}`;
    const at = f.scheduledAt === null ? '' : ` at ${when(f.scheduledAt)}`;
    items.push(['warn', `${what}${f.leader ? ` from ${f.leader}` : ''}${to}${at}`]);
  }
  for (const m of s.members) {
    if (m.pendingRestart) items.push(['warn', `${m.name}: restart pending`]);
    if (m.scheduledRestart) items.push(['', `${m.name}: restart at ${when(m.scheduledRestart)}`]);
  }
  if (items.length === 0) items.push(['ok', 'nothing pending']);
  for (const [cls, text] of items) pending.append(el('li', cls, text));
}

function renderHistory(s) {
  const list = $('history');
  list.replaceChildren();
  if (s.history.length === 0) {
    list.append(el('li', 'empty muted', `no switchover or failover yet (timeline ${s.timeline})`));
    return;
  }
  for (const h of [...s.history].reverse()) {
    // The history key cannot tell a switchover from a failover: PostgreSQL's reason is kept.
    const item = el('li');
    const head = el('div', 'when');
    head.append(el('b', '', h.newLeader ? `${h.newLeader} became leader` : 'new leader'));
    if (h.at) head.append(el('span', 'muted', ` · ${when(h.at)}`));
    item.append(head);
    item.append(el('div', '', `timeline ${h.timeline} → ${h.timeline + 1} at LSN ${h.lsn}`));
    item.append(el('div', 'muted small', h.reason));
    list.append(item);
  }
}

function renderLease() {
  const s = state;
  if (s === null) return;
  const track = $('lease-track');
  if (s.lease.holder === null) {
    $('lease').textContent = 'none';
    $('lease').className = 'big bad';
    $('lease-sub').textContent = `no member holds the leader key (ttl ${s.lease.ttl} s)`;
    track.hidden = true;
    return;
  }
  $('lease').className = 'big';
  if (s.lease.expiresAt === null) {
    $('lease').textContent = `${s.lease.ttl} s ttl`;
    $('lease-sub').textContent = `held by ${s.lease.holder}, renewed every HA cycle`;
    track.hidden = true;
    return;
  }
  // Counted on this browser's clock from the state's own time: no clock skew between the two.
  const leftMs = s.lease.expiresAt - s.generatedAt - (performance.now() - receivedAt);
  const left = Math.max(0, leftMs / 1000);
  $('lease').textContent = `${left.toFixed(0)} s left`;
  $('lease').className = left < s.lease.ttl / 3 ? 'big warn-text' : 'big';
  $('lease-sub').textContent = `held by ${s.lease.holder} · ttl ${s.lease.ttl} s`;
  track.hidden = false;
  $('lease-bar').style.width = `${Math.min(100, (100 * left) / s.lease.ttl)}%`;
}

function render(s) {
  state = s;
  receivedAt = performance.now();
  renderCards(s);
  renderMembers(s);
  renderHistory(s);
  renderLease();
  $('switchover-open').disabled = s.leader === null || s.members.length < 2;
}

// --- the decision journal ---------------------------------------------------------------------

// Entries are the daemon's journal entries: { seq, first, last, count, kind, sentence, log,
// inputs: { lockOwner, leaseLeftMs, timeline, lagBytes, bestPeer, failover, paused, ... }, race }.

function journalKey(entry) {
  return entry.seq ?? null;
}

/** The inputs that decided it, in a few words. */
function inputWords(i) {
  if (!i) return [];
  const words = [];
  words.push(i.dcsReachable === false ? 'DCS unreachable' : `lock: ${i.lockOwner ?? 'free'}`);
  if (typeof i.leaseLeftMs === 'number') words.push(`lease ${Math.round(i.leaseLeftMs / 1000)} s`);
  if (i.role) words.push(`${i.role}${i.pgState ? ` (${i.pgState})` : ''}`);
  if (typeof i.timeline === 'number') words.push(`TL ${i.timeline}`);
  if (typeof i.lagBytes === 'number') words.push(`lag ${bytes(i.lagBytes)}`);
  if (i.bestPeer) words.push(`best peer ${i.bestPeer.name}`);
  if (i.failover) {
    const f = i.failover;
    words.push(`${f.leader ? 'switchover' : 'failover'} → ${f.candidate ?? 'any'}`);
  }
  if (i.paused) words.push('paused');
  if (i.inFlight) words.push(`in flight: ${i.inFlight}`);
  return words;
}

function raceWords(race) {
  if (!race) return null;
  const peers = (race.peers ?? []).map((p) => `${p.name}: ${p.verdict?.kind ?? p.verdict ?? '?'}`);
  const refusal = race.refusal
    ? `refused: ${race.refusal.kind ?? JSON.stringify(race.refusal)}`
    : '';
  return [race.raced ? 'raced for the lock' : 'did not race', refusal, ...peers]
    .filter((w) => w !== '')
    .join(' · ');
}

function journalItem(entry) {
  const item = el('li');
  const key = journalKey(entry);
  if (key !== null) item.dataset.key = String(key);
  const head = el('div', 'journal-head');
  const span =
    entry.count > 1 && entry.first && entry.first !== entry.last
      ? `${when(entry.first)} – ${when(entry.last).slice(11)}`
      : when(entry.last ?? entry.first);
  head.append(el('span', 'muted', span));
  if (typeof entry.kind === 'string') head.append(el('span', 'tag', entry.kind));
  if (typeof entry.count === 'number' && entry.count > 1) {
    head.append(el('span', 'count', `×${entry.count}`));
  }
  item.append(head, el('div', 'journal-text', entry.sentence ?? JSON.stringify(entry)));
  for (const line of entry.log ?? []) item.append(el('div', 'muted small', line));
  const words = inputWords(entry.inputs);
  if (words.length > 0) item.append(el('div', 'inputs small', words.join(' · ')));
  const race = raceWords(entry.race);
  if (race) item.append(el('div', 'inputs small', race));
  const details = el('details');
  details.append(el('summary', 'muted small', 'all inputs'));
  details.append(
    el(
      'pre',
      'small',
      JSON.stringify({ inputs: entry.inputs, race: entry.race, actions: entry.actions }, null, 1),
    ),
  );
  item.append(details);
  return item;
}

function addJournal(entry) {
  const list = $('journal');
  list.querySelector('.empty')?.remove();
  const key = journalKey(entry);
  // A repeated decision comes again with a higher count: replace its line.
  const old = key === null ? null : list.querySelector(`li[data-key="${CSS.escape(String(key))}"]`);
  const item = journalItem(entry);
  if (old) old.replaceWith(item);
  else list.prepend(item);
  while (list.children.length > JOURNAL_MAX) list.lastElementChild.remove();
}

function journalBacklog(entries) {
  const list = $('journal');
  list.replaceChildren();
  for (const e of entries) addJournal(e);
  $('journal-note').textContent = 'newest first, live';
  if (entries.length === 0) list.append(el('li', 'empty muted', 'no decisions recorded yet'));
}

// --- switchover --------------------------------------------------------------------------------

function openSwitchover() {
  const s = state;
  if (s === null || s.leader === null) return;
  $('so-leader').textContent = s.leader;
  const select = $('so-candidate');
  select.replaceChildren(el('option', '', 'any healthy replica'));
  select.firstChild.value = '';
  for (const m of s.members) {
    if (m.name === s.leader || m.tags.nofailover === true) continue;
    const option = el('option', '', `${m.name} (${m.state}, lag ${bytes(m.lag)})`);
    option.value = m.name;
    select.append(option);
  }
  $('so-error').hidden = true;
  $('so-progress').hidden = true;
  $('so-confirm').disabled = false;
  $('switchover-dialog').showModal();
}

async function confirmSwitchover() {
  const leader = $('so-leader').textContent;
  const candidate = $('so-candidate').value;
  const body = candidate === '' ? { leader } : { leader, candidate };
  $('so-confirm').disabled = true;
  $('so-error').hidden = true;
  $('so-progress').hidden = false;
  try {
    // The same endpoint and body as `patronictl switchover`; the browser adds the credentials
    // it was given for this page.
    const res = await fetch('/switchover', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = (await res.text()).trim();
    if (!res.ok) throw new Error(`${res.status}: ${text}`);
    $('switchover-dialog').close();
    toast(text || 'switchover requested');
  } catch (e) {
    $('so-error').textContent = `Switchover failed: ${e.message}`;
    $('so-error').hidden = false;
    $('so-confirm').disabled = false;
  } finally {
    $('so-progress').hidden = true;
  }
}

let toastTimer = 0;
function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (t.hidden = true), 8000);
}

// --- the live stream ---------------------------------------------------------------------------

function connect() {
  const conn = $('conn');
  const source = new EventSource('/dashboard/events');
  source.addEventListener('open', () => {
    conn.textContent = 'live';
    conn.className = 'badge ok-badge';
  });
  source.addEventListener('error', () => {
    // EventSource reconnects by itself (after the server's `retry`).
    conn.textContent = 'reconnecting…';
    conn.className = 'badge warn';
  });
  source.addEventListener('state', (ev) => render(JSON.parse(ev.data)));
  source.addEventListener('journal-backlog', (ev) => journalBacklog(JSON.parse(ev.data)));
  source.addEventListener('journal', (ev) => addJournal(JSON.parse(ev.data)));
}

document.addEventListener('DOMContentLoaded', () => {
  $('journal').append(el('li', 'empty muted', 'this node keeps no decision journal'));
  $('switchover-open').addEventListener('click', openSwitchover);
  $('so-cancel').addEventListener('click', () => $('switchover-dialog').close());
  $('so-confirm').addEventListener('click', () => void confirmSwitchover());
  setInterval(renderLease, 1000);
  connect();
});
