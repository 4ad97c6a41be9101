// A place's or sensor's history: one chart per tier (windows, hours, days), average with min and max, read through
// the console's SQL endpoint on the history tables; the window tier refreshes as windows close.
'use strict';

const params = new URLSearchParams(location.search);
const kind = params.get('kind') || 'place';
const id = params.get('id');
const TIERS = [
  {tier: 'window', span: 3600e3, refresh: 5000},
  {tier: 'hour', span: 7 * 86400e3, refresh: 60000},
  {tier: 'day', span: 90 * 86400e3, refresh: 600000},
];
const plots = {};

document.getElementById('title').textContent = `${kind} ${id}`;
document.title = `iot-grid console: ${kind} ${id}`;

async function draw(t) {
  const section = document.getElementById('chart-' + t.tier);
  const status = section.querySelector('.status');
  const measure = document.getElementById('measure').value;
  const from = Date.now() - t.span;
  let data;
  try {
    data = await getJson(`/api/history?kind=${kind}&id=${encodeURIComponent(id)}&tier=${t.tier}`
        + `&from=${from}`);
  } catch (e) {
    status.textContent = 'no history: ' + e.message;
    return;
  }
  const col = name => data.columns.indexOf(name);
  const xs = data.rows.map(r => r[col('window_start')] / 1000);
  const series = ['avg', 'min', 'max'].map(s => data.rows.map(r => r[col(`${s}_${measure}`)]));
  const noun = t.tier === 'window' ? 'window' : t.tier;
  status.textContent = `${data.rows.length} ${noun}${data.rows.length === 1 ? '' : 's'} from ${data.table}`;
  const plotDiv = section.querySelector('.plot');
  const width = Math.max(300, plotDiv.clientWidth || 900);
  if (plots[t.tier]) plots[t.tier].destroy();
  plots[t.tier] = new uPlot({
    width, height: 240,
    // The whole span on the time axis, however few windows it holds yet.
    scales: {x: {time: true, range: () => [from / 1000, Date.now() / 1000]}},
    series: [{}, {label: 'avg ' + measure, stroke: '#1f6feb', width: 2},
      {label: 'min', stroke: '#8fb8f5', dash: [4, 4]}, {label: 'max', stroke: '#f08c3a', dash: [4, 4]}],
    axes: [{}, {label: measure}],
  }, [xs, ...series], plotDiv);
  plotDiv.dataset.points = String(xs.length);
}

function drawAll() {
  TIERS.forEach(draw);
}

document.getElementById('measure').addEventListener('change', drawAll);
drawAll();
for (const t of TIERS) setInterval(() => draw(t), t.refresh);
