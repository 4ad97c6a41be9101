// The live page: one EventSource for the places, alerts and dead letters (a snapshot, then changes; the browser
// reconnects by itself and the server starts again with a snapshot), and polls for jobs, connectors and members.
'use strict';

const MEASURES = ['temperature', 'humidity', 'pressure', 'luminosity'];
const DIGITS = {temperature: 1, humidity: 1, pressure: 1, luminosity: 0};
const SHOWN = 50;
const windows = {latest: new Map(), closed: new Map()};

function head() {
  const row = document.getElementById('places-head');
  for (const m of MEASURES) row.append(el('th', {}, m));
}

function measureCell(stats, m) {
  if (!stats || stats.count === 0 || stats.avg === null) return el('td', {class: 'empty'}, '–');
  const d = DIGITS[m];
  return el('td', {class: 'measure'}, el('b', {}, num(stats.avg, d)),
      ` (${num(stats.min, d)} – ${num(stats.max, d)}, σ ${num(stats.stddev, 2)})`);
}

function placeRow(w, which) {
  const link = el('a', {href: '/place.html?kind=place&id=' + encodeURIComponent(w.id)}, w.id);
  const state = which === 'closed' ? 'closed' : (w.early ? 'early' : 'final');
  const row = el('tr', {'data-place': w.id, 'data-map': which, class: state},
      el('td', {class: 'id'}, which === 'closed' ? link : ''),
      el('td', {}, time(w.windowStart) + ' – ' + time(w.windowEnd)),
      el('td', {class: 'state'}, state),
      el('td', {class: 'count'}, String(w.count)));
  for (const m of MEASURES) row.append(measureCell(w.measures[m], m));
  return row;
}

function renderPlaces() {
  const body = document.querySelector('#places tbody');
  const ids = new Set([...windows.latest.keys(), ...windows.closed.keys()]);
  const rows = [];
  for (const id of [...ids].sort((a, b) => a.localeCompare(b, undefined, {numeric: true}))) {
    const closed = windows.closed.get(id);
    const latest = windows.latest.get(id);
    if (closed) rows.push(placeRow(closed, 'closed'));
    // The stats map holds the newest window: the one filling up, or the final result that is also the closed one.
    if (latest && (!closed || latest.windowStart > closed.windowStart)) {
      const r = placeRow(latest, 'latest');
      if (!closed) r.querySelector('.id').append(el('a', {href: '/place.html?kind=place&id=' + encodeURIComponent(id)}, id));
      rows.push(r);
    }
  }
  body.replaceChildren(...rows);
}

function prepend(listId, item) {
  const list = document.getElementById(listId);
  list.prepend(item);
  while (list.children.length > SHOWN) list.lastChild.remove();
}

function alertItem(a) {
  const what = a.kind === 'STATUS' ? a.rule : `${a.measure} ${num(a.value, 1)} broke ${a.rule}`;
  return el('li', {class: 'alert ' + (a.kind || '').toLowerCase()},
      el('time', {}, time(a.timestamp)), ' ', el('b', {}, a.sensorId), ' in ', a.placeId, ': ', what);
}

function deadLetterItem(d) {
  return el('li', {class: 'dead-letter'},
      el('time', {}, time(d.receivedAt)), ' ', el('b', {}, d.source), el('div', {class: 'reason'}, d.reason),
      el('details', {}, el('summary', {}, `${d.size} bytes${d.topic ? ', topic ' + d.topic : ''}`),
          el('pre', {class: 'hex'}, d.hex), el('pre', {class: 'text'}, d.text)));
}

function connect() {
  const status = document.getElementById('connection');
  const events = new EventSource('/events');
  let pending = false;
  const render = () => {
    if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; renderPlaces(); }); }
  };
  events.onopen = () => { status.textContent = 'live'; status.className = 'connection up'; };
  events.onerror = () => { status.textContent = 'reconnecting…'; status.className = 'connection down'; };
  events.addEventListener('reset', () => {
    windows.latest.clear(); windows.closed.clear();
    document.getElementById('alerts').replaceChildren();
    document.getElementById('dead-letters').replaceChildren();
    render();
  });
  events.addEventListener('window', e => {
    const w = JSON.parse(e.data);
    windows[w.map].set(w.id, w);
    render();
  });
  events.addEventListener('alert', e => prepend('alerts', alertItem(JSON.parse(e.data))));
  events.addEventListener('deadletter', e => prepend('dead-letters', deadLetterItem(JSON.parse(e.data))));
}

async function poll() {
  try {
    const jobs = await getJson('/api/jobs');
    document.querySelector('#jobs tbody').replaceChildren(...jobs.map(j => el('tr', {class: j.status.toLowerCase()},
        el('td', {}, j.name || j.id), el('td', {class: 'status'}, j.status), el('td', {}, dateTime(j.submitted)),
        el('td', {class: 'metrics'}, Object.entries(j.metrics).map(([k, v]) => `${k} ${v}`).join(' · ')))));
    const connectors = await getJson('/connectors?expand=status');
    document.querySelector('#connectors tbody').replaceChildren(...Object.entries(connectors).map(([name, c]) =>
        el('tr', {}, el('td', {}, name), el('td', {}, c.status.type), el('td', {class: 'status'}, c.status.connector.state))));
    const members = await getJson('/api/members');
    document.querySelector('#members tbody').replaceChildren(...members.map(m =>
        el('tr', {}, el('td', {}, m.address), el('td', {}, m.version), el('td', {class: 'uuid'}, m.uuid))));
  } catch (e) {
    document.getElementById('connection').title = 'last poll failed: ' + e.message;
  }
}

head();
connect();
poll();
setInterval(poll, 5000);
