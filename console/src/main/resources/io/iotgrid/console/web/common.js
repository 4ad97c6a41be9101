// Shared by the pages: formatting and small DOM helpers. No build step, no framework.
'use strict';

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else if (k.startsWith('data-')) e.setAttribute(k, v); else e[k] = v;
  }
  for (const c of children) e.append(c === null || c === undefined ? '' : c);
  return e;
}

function time(ms) {
  return new Date(ms).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', second: '2-digit'});
}

function dateTime(ms) {
  return new Date(ms).toLocaleString();
}

function num(v, digits) {
  return v === null || v === undefined ? '–' : Number(v).toFixed(digits);
}

async function getJson(url) {
  const r = await fetch(url, {headers: {'Accept': 'application/json'}});
  if (!r.ok) {
    let message = r.status + '';
    try { message = (await r.json()).message; } catch (e) { /* not JSON */ }
    throw new Error(message);
  }
  return r.json();
}
