// The idallocator dashboard: reads ./idallocator (relative to this page, so any base path or management port works)
// every 2 s while the page is visible, and draws it. Read-only: it only sends GET requests.
'use strict';

(function () {
  const REFRESH_MS = 2000;
  const STALE_MS = 3 * REFRESH_MS;
  const REQUEST_TIMEOUT_MS = 5000;
  const GRID_PX = 256;
  const LEASES_PER_PAGE = 50;

  const base = new URL('./', document.baseURI);
  const state = { lastOk: 0, lastError: null, timer: null, cursors: {}, data: null };

  function url(path) {
    return new URL(path, base).toString();
  }

  async function getJson(path) {
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const response = await fetch(url(path), {
        method: 'GET',
        headers: { Accept: 'application/json' },
        cache: 'no-store',
        credentials: 'same-origin',
        signal: controller.signal
      });
      if (!response.ok) {
        throw new Error(path + ' answered HTTP ' + response.status);
      }
      return await response.json();
    } catch (e) {
      throw new Error(e.name === 'AbortError' ? path + ' did not answer within ' + REQUEST_TIMEOUT_MS / 1000 + ' s'
        : e.message);
    } finally {
      clearTimeout(timeout);
    }
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined) continue;
      if (name === 'className') node.className = value;
      else if (name === 'onclick') node.addEventListener('click', value);
      else node.setAttribute(name, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function scope(global) {
    return global ? el('span', { className: 'scope scope-global' }, 'global')
      : el('span', { className: 'scope scope-local' }, 'this instance');
  }

  /** Milliseconds of an ISO-8601 duration such as PT1M2.5S; null when there is none. */
  function durationMs(text) {
    if (!text) return null;
    const m = /^(-)?P(?:(\d+)D)?(?:T(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?[\d.]+)S)?)?$/.exec(text);
    if (!m) return null;
    const ms = (Number(m[2] || 0) * 86400 + Number(m[3] || 0) * 3600 + Number(m[4] || 0) * 60 + Number(m[5] || 0)) * 1000;
    return m[1] ? -ms : ms;
  }

  function seconds(ms) {
    if (ms === null || ms === undefined) return '—';
    if (Math.abs(ms) < 10000) return (ms / 1000).toFixed(1) + ' s';
    if (Math.abs(ms) < 3600000) return Math.round(ms / 1000) + ' s';
    return (ms / 3600000).toFixed(1) + ' h';
  }

  function number(n) {
    return n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US');
  }

  function facts(pairs) {
    return el('dl', { className: 'facts' },
      pairs.map(([term, value, key]) => el('div', null, el('dt', null, term), el('dd', { 'data-fact': key }, value))));
  }

  function table(headers, rows, rowClass) {
    if (rows.length === 0) return el('p', { className: 'empty' }, 'none');
    return el('table', null,
      el('thead', null, el('tr', null, headers.map((h) => el('th', null, h)))),
      el('tbody', null, rows.map((row) => el('tr', Object.assign({ className: rowClass }, row.attributes),
        row.cells.map((c) => el('td', null, c))))));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Occupancy picture

  function decodeBits(base64) {
    const raw = atob(base64 || '');
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  /** Per cell: 'leased', 'resting' or 'free' (exact), or the share taken (0..1) for pictures of many ids per cell. */
  function cellsOf(picture) {
    const cells = [];
    if (picture.precision === 'EXACT_IDS') {
      const bits = decodeBits(picture.bits);
      const resting = new Uint8Array(picture.cells);
      for (const r of picture.resting || []) {
        for (let id = Math.max(r.first, picture.minId); id <= Math.min(r.last, picture.maxId); id++) {
          resting[id - picture.minId] = 1;
        }
      }
      for (let i = 0; i < picture.cells; i++) {
        const taken = (bits[i >> 3] || 0) & (0x80 >> (i & 7));
        cells.push(!taken ? 'free' : resting[i] ? 'resting' : 'leased');
      }
    } else {
      const size = picture.maxId - picture.minId + 1;
      for (let i = 0; i < picture.cells; i++) {
        const ids = Math.min(picture.idsPerCell, size - i * picture.idsPerCell);
        cells.push(ids > 0 ? (picture.taken[i] || 0) / ids : 0);
      }
    }
    return cells;
  }

  function occupancy(name, stats, picture) {
    const key = el('ul', { className: 'key' },
      el('li', null, el('span', { className: 'swatch swatch-leased' }), 'leased ',
        el('strong', { 'data-count': 'leased' }, number(stats.allocated))),
      el('li', null, el('span', { className: 'swatch swatch-resting' }), 'resting ',
        el('strong', { 'data-count': 'resting' }, number(stats.resting))),
      el('li', null, el('span', { className: 'swatch swatch-free' }), 'free ',
        el('strong', { 'data-count': 'free' }, number(stats.available))));
    if (!picture || picture.error) {
      return el('div', { className: 'occupancy' }, key,
        el('p', { className: 'status-bad' }, 'No occupancy picture: ' + (picture ? picture.error : 'not read')));
    }
    const cells = cellsOf(picture);
    const columns = Math.ceil(Math.sqrt(cells.length));
    const rows = Math.ceil(cells.length / columns);
    const size = Math.max(1, Math.floor(GRID_PX / columns));
    const canvas = el('canvas', {
      width: columns * size, height: rows * size, 'data-allocator': name, 'data-precision': picture.precision,
      'aria-label': 'occupancy of ' + name
    });
    const context = canvas.getContext('2d');
    const counts = { leased: 0, resting: 0, free: 0 };
    const colours = { leased: '#2f6fdb', resting: '#f0a020', free: '#e4e7ec' };
    cells.forEach((cell, i) => {
      let colour;
      if (typeof cell === 'string') {
        counts[cell]++;
        colour = colours[cell];
      } else {
        const shade = Math.round(228 - cell * (228 - 47));
        colour = cell === 0 ? colours.free : 'rgb(' + shade + ',' + Math.round(231 - cell * (231 - 111)) + ','
          + Math.round(236 - cell * (236 - 219)) + ')';
      }
      context.fillStyle = colour;
      context.fillRect((i % columns) * size, Math.floor(i / columns) * size, size, size);
    });
    if (picture.precision === 'EXACT_IDS') {
      canvas.setAttribute('data-leased-cells', counts.leased);
      canvas.setAttribute('data-resting-cells', counts.resting);
      canvas.setAttribute('data-free-cells', counts.free);
    }
    const explanation = picture.precision === 'EXACT_IDS' ? 'One cell per id, ' + number(picture.minId) + ' at the top left.'
      : picture.precision === 'COUNTED' ? 'One cell per ' + number(picture.idsPerCell) + ' ids; the darker, the more are taken.'
        : 'One cell per ' + number(picture.idsPerCell) + ' ids; shaded by the blocks of 4,096 ids that are full '
          + '(a partly used block shows as free).';
    return el('div', { className: 'occupancy' }, canvas,
      el('div', null, key, el('p', { className: 'note' }, explanation),
        picture.restingTruncated ? el('p', { className: 'note' }, 'Only the first resting ranges are marked.') : null));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Sections

  function leasesTable(name, page) {
    if (!page || page.error) {
      return el('p', { className: 'status-bad' }, 'Leases not read: ' + (page ? page.error : ''));
    }
    const rows = page.leases.slice().sort((a, b) => a.firstId - b.firstId).map((lease) => ({
      attributes: { 'data-first': lease.firstId, 'data-owner': lease.owner },
      cells: [
        lease.firstId === lease.lastId ? number(lease.firstId) : number(lease.firstId) + ' – ' + number(lease.lastId),
        lease.owner, String(lease.fencingToken),
        lease.expiresInMillis === null ? 'never' : seconds(lease.expiresInMillis), lease.note || ''
      ]
    }));
    const stack = state.cursors[name] || ['0'];
    const pager = el('div', { className: 'pager' },
      el('button', {
        type: 'button', disabled: stack.length > 1 ? null : 'disabled',
        onclick: () => { stack.pop(); state.cursors[name] = stack; refreshNow(); }
      }, '‹ previous'),
      el('span', { className: 'note' }, 'page ' + stack.length),
      el('button', {
        type: 'button', disabled: page.nextCursor === '0' ? 'disabled' : null,
        onclick: () => { stack.push(page.nextCursor); state.cursors[name] = stack; refreshNow(); }
      }, 'next ›'));
    return el('div', { 'data-leases': name },
      table(['id', 'owner', 'fencing token', 'expires in', 'previous holder\'s note'], rows, 'lease'), pager);
  }

  function allocatorCard(name, allocator, extra) {
    const stats = allocator.stats;
    const card = el('article', { className: 'card', id: 'allocator-' + name, 'data-allocator': name },
      el('h3', null, name, scope(true),
        el('span', { className: 'note' }, 'this instance: ' + allocator.role)));
    if (!stats) {
      card.append(el('p', { className: 'status-bad' }, 'Not read from Redis: ' + (allocator.error || 'unknown error')));
      return card;
    }
    card.append(
      facts([
        ['ids', number(stats.minId) + ' – ' + number(stats.maxId), 'range'],
        ['utilisation', (stats.utilisation * 100).toFixed(stats.utilisation < 0.01 ? 4 : 1) + ' %', 'utilisation'],
        ['leases', number(stats.leases), 'leases'],
        ['expiring within a minute', number(stats.leasesExpiringWithinMinute), 'expiring'],
        ['expired, not yet reclaimed', number(stats.expiredLeases), 'expired'],
        ['reclaimed by expiry', number(stats.reclaimedLeases), 'reclaimed'],
        ['last fencing token', String(stats.lastFencingToken), 'token'],
        ['creator', stats.creator.instanceId || 'none', 'creator'],
        ['creator lease left', seconds(durationMs(stats.creator.leaseRemaining)), 'creator-left']
      ]),
      occupancy(name, stats, extra.occupancy),
      leasesTable(name, extra.leases));
    return card;
  }

  function renderAllocators(data, extras) {
    const section = document.getElementById('allocators');
    section.replaceChildren(el('h2', null, 'Range allocators'));
    const names = Object.keys(data.allocators || {});
    if (names.length === 0) section.append(el('p', { className: 'empty' }, 'none configured'));
    for (const name of names) section.append(allocatorCard(name, data.allocators[name], extras[name] || {}));
  }

  function renderSnowflake(data, extras) {
    const section = document.getElementById('snowflake');
    const snowflake = data.snowflake;
    if (!snowflake) {
      section.replaceChildren();
      return;
    }
    const workers = snowflake.lease ? snowflake.lease.allocator : null;
    const held = workers && extras[workers] && extras[workers].leases && !extras[workers].leases.error
      ? extras[workers].leases.leases.slice().sort((a, b) => a.firstId - b.firstId) : [];
    section.replaceChildren(el('h2', null, 'Snowflake'),
      el('article', { className: 'card', 'data-snowflake': 'generator' },
        el('h3', null, 'Generator', scope(false)),
        facts([
          ['worker id', snowflake.workerId, 'worker-id'],
          ['ids may be issued', snowflake.granted ? 'yes' : 'no — lease not held', 'granted'],
          ['lease ends (local deadline)', snowflake.leaseExpiresAt || '—', 'lease-ends'],
          ['last id issued at', snowflake.lastIssuedAt || 'none yet', 'last-issued'],
          ['ids issued', number(snowflake.issued), 'issued'],
          ['clock-backwards waits', number(snowflake.clockBackwardsWaits), 'clock-waits']
        ])),
      el('article', { className: 'card', 'data-snowflake': 'workers' },
        el('h3', null, 'Worker ids held', scope(true), el('span', { className: 'note' }, 'from allocator ' + workers)),
        table(['worker id', 'holder', 'fencing token', 'expires in', 'previous holder\'s last timestamp'],
          held.map((lease) => ({
            attributes: { 'data-worker-id': lease.firstId, 'data-owner': lease.owner },
            cells: [lease.firstId, lease.owner, String(lease.fencingToken), seconds(lease.expiresInMillis), lease.note || '']
          })), 'worker')));
  }

  function renderSequences(data) {
    const section = document.getElementById('sequences');
    const names = Object.keys(data.sequences || {});
    if (names.length === 0) {
      section.replaceChildren();
      return;
    }
    section.replaceChildren(el('h2', null, 'Sequences ', scope(false)),
      el('article', { className: 'card' }, table(
        ['sequence', 'last handed out', 'high-water mark', 'step', 'handed out', 'unused (waste)', 'repairs'],
        names.map((name) => {
          const s = data.sequences[name];
          return {
            attributes: { 'data-sequence': name },
            cells: [name, number(s.lastHandedOut), number(s.highWaterMark), number(s.step), number(s.handedOut),
              number(s.unused), number(s.repairs)]
          };
        }), 'sequence')));
  }

  function renderLocks(data) {
    const section = document.getElementById('locks');
    const locks = data.locks;
    if (!locks) {
      section.replaceChildren();
      return;
    }
    section.replaceChildren(el('h2', null, 'Locks ', scope(false)),
      el('article', { className: 'card', 'data-locks': locks.namespace },
        facts([['namespace', locks.namespace, 'namespace'], ['leases lost since start', number(locks.lost), 'lost']]),
        table(['lock', 'owner', 'fencing token', 'time left'], locks.held.map((lock) => ({
          attributes: { 'data-lock': lock.name },
          cells: [lock.name, lock.owner, String(lock.fencingToken), seconds(lock.remainingMillis)]
        })), 'lock')));
  }

  function renderPools(data) {
    const section = document.getElementById('pools');
    const names = Object.keys(data.pools || {});
    if (names.length === 0) {
      section.replaceChildren();
      return;
    }
    section.replaceChildren(el('h2', null, 'Pools'), ...names.map((name) => {
      const pool = data.pools[name];
      const card = el('article', { className: 'card', 'data-pool': name },
        el('h3', null, name, scope(true), el('span', { className: 'note' }, 'this instance: ' + (pool.role || '—'))));
      if (!pool.totals) {
        card.append(el('p', { className: 'status-bad' }, 'Not read from Redis: ' + (pool.error || 'unknown error')));
        return card;
      }
      const t = pool.totals;
      card.append(facts([
        ['resources', number(t.resources), 'resources'], ['available', number(t.available), 'available'],
        ['leases', number(t.leases), 'leases'], ['waiters', number(t.waiters), 'waiters'],
        ['quarantined', number(t.quarantined), 'quarantined'], ['draining', number(t.draining), 'draining'],
        ['held by this instance', number((pool.held || []).length), 'held']
      ]), table(['resource', 'state', 'holders', 'priority', 'quarantined until'], (pool.resources || []).map((r) => ({
        attributes: { 'data-resource': r.name, 'data-state': r.state },
        cells: [r.name, r.state, (r.holders || []).length + ' / ' + r.maxHolders, r.priority, r.quarantinedUntil || '']
      })), 'resource'));
      return card;
    }));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Refreshing

  async function readAllocator(name) {
    const cursor = (state.cursors[name] || ['0']).slice(-1)[0];
    const path = encodeURIComponent(name);
    const [picture, leases] = await Promise.all([
      getJson('idallocator/occupancy/' + path).catch((e) => ({ error: e.message })),
      getJson('idallocator/leases/' + path + '?cursor=' + encodeURIComponent(cursor) + '&count=' + LEASES_PER_PAGE)
        .catch((e) => ({ error: e.message }))
    ]);
    return [name, { occupancy: picture, leases: leases }];
  }

  async function refresh() {
    try {
      const data = await getJson('idallocator');
      const extras = Object.fromEntries(await Promise.all(Object.keys(data.allocators || {}).map(readAllocator)));
      renderAllocators(data, extras);
      renderSnowflake(data, extras);
      renderSequences(data);
      renderLocks(data);
      renderPools(data);
      state.lastOk = Date.now();
      state.lastError = redisErrors(data);
    } catch (e) {
      state.lastError = 'Cannot read the idallocator endpoint: ' + e.message;
    }
    showStatus();
  }

  /** What could not be read from Redis although the endpoint answered; null when everything was read. */
  function redisErrors(data) {
    const failed = Object.entries(data.allocators || {}).filter(([, a]) => !a.stats)
      .map(([name, a]) => 'allocator ' + name + ': ' + (a.error || 'not read'))
      .concat(Object.entries(data.pools || {}).filter(([, p]) => !p.totals)
        .map(([name, p]) => 'pool ' + name + ': ' + (p.error || 'not read')));
    return failed.length === 0 ? null : 'Redis could not be read (' + failed.join('; ') + ')';
  }

  function showStatus() {
    const banner = document.getElementById('banner');
    const updated = document.getElementById('updated');
    const since = state.lastOk ? new Date(state.lastOk).toLocaleTimeString() : null;
    updated.textContent = since ? 'Updated ' + since + (document.visibilityState === 'visible'
      ? ', every ' + REFRESH_MS / 1000 + ' s' : ', paused while the tab is hidden') : 'Loading…';
    if (state.lastError) {
      banner.className = 'banner error';
      banner.setAttribute('data-state', 'error');
      banner.textContent = state.lastError + '. Retrying every '
        + REFRESH_MS / 1000 + ' s' + (since ? '; the data below is from ' + since + '.' : '.');
      banner.hidden = false;
    } else if (state.lastOk && Date.now() - state.lastOk > STALE_MS) {
      banner.className = 'banner stale';
      banner.setAttribute('data-state', 'stale');
      banner.textContent = 'The data below is from ' + since + ': no answer since.';
      banner.hidden = false;
    } else {
      banner.hidden = true;
      banner.removeAttribute('data-state');
    }
  }

  function schedule() {
    clearTimeout(state.timer);
    if (document.visibilityState === 'visible') {
      state.timer = setTimeout(() => refresh().then(schedule), REFRESH_MS);
    }
  }

  function refreshNow() {
    clearTimeout(state.timer);
    refresh().then(schedule);
  }

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refreshNow();
    else clearTimeout(state.timer);
    showStatus();
  });
  setInterval(showStatus, 1000);
  refreshNow();
}());
