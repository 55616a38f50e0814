// Translations: one JSON catalogue per language in web/locales/ (data, not
// code). Adding Arabic is adding locales/ar.json with "_meta": {"dir": "rtl"}.
// The first visit follows the browser's languages; a choice is remembered.
const files = import.meta.glob('../locales/*.json', { eager: true, import: 'default' });
export const catalogues = {};
for (const [path, cat] of Object.entries(files)) {
  catalogues[path.replace(/^.*\/(\w+)\.json$/, '$1')] = cat;
}
export const languages = Object.keys(catalogues).sort();

const KEY = 'ctip.lang';
const listeners = new Set();
let lang = 'en';

function pick() {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved && catalogues[saved]) return saved;
  } catch (e) {
    /* storage blocked: follow the browser */
  }
  for (const l of navigator.languages || [navigator.language || 'en']) {
    const base = String(l).toLowerCase().split('-')[0];
    if (catalogues[base]) return base;
  }
  return 'en';
}

function apply() {
  const meta = catalogues[lang]._meta || {};
  document.documentElement.lang = lang;
  document.documentElement.dir = meta.dir || 'ltr';
}

export function initLang() {
  lang = pick();
  apply();
}

export function getLang() {
  return lang;
}

export function setLang(l) {
  if (!catalogues[l] || l === lang) return;
  lang = l;
  try {
    localStorage.setItem(KEY, l);
  } catch (e) {
    /* not remembered, still switched */
  }
  apply();
  listeners.forEach((f) => f(l));
}

export function onLang(f) {
  listeners.add(f);
  return () => listeners.delete(f);
}

// t('cases.count', {n: 3}): the message in the current language, else
// English, else the key; {name} placeholders are replaced (numbers formatted).
export function t(key, params) {
  let s = catalogues[lang]?.[key] ?? catalogues.en?.[key] ?? key;
  if (params) {
    s = s.replace(/\{(\w+)\}/g, (m, k) =>
      params[k] === undefined ? m : typeof params[k] === 'number' ? fmtNum(params[k]) : String(params[k]),
    );
  }
  return s;
}

// The locale for Intl: the browser's own variant of the chosen language
// (en-GB, fr-CA) when it has one, else the language.
export function locale() {
  for (const l of navigator.languages || []) {
    if (String(l).toLowerCase().split('-')[0] === lang) return l;
  }
  return lang;
}

export function fmtNum(n, opts) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return new Intl.NumberFormat(locale(), opts).format(n);
}

// Dates of the API are ISO 8601, maybe partial (2021, 2021-03) or with a time.
export function fmtDate(s) {
  if (!s) return '—';
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(T.*)?$/.exec(s);
  if (!m) return s;
  const [, y, mo, d, time] = m;
  if (time) {
    const dt = new Date(s);
    if (!Number.isNaN(dt.getTime()))
      return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(dt);
  }
  if (!mo) return y;
  const dt = new Date(Date.UTC(+y, +mo - 1, d ? +d : 1));
  const opts = d ? { dateStyle: 'medium', timeZone: 'UTC' } : { year: 'numeric', month: 'long', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale(), opts).format(dt);
}
