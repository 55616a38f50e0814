// The only way the UI talks to the server: the documented /api/v1 API.
//  - cookie session + X-CSRF-Token on writes (the token from POST /session);
//  - Accept-Language follows the UI's language (server messages in it);
//  - an expired session (401) asks the user to sign in again and then
//    resubmits the same request: what was typed stays in the form;
//  - errors become ApiError with the server's code, message, field,
//    problems (per field) and, for 412, the current record.
import { getLang } from './i18n.js';

const BASE = '/api/v1';
let csrf = null;
let reauth = null; // () => Promise resolved once signed in again

try {
  csrf = sessionStorage.getItem('ctip.csrf');
} catch (e) {
  csrf = null;
}

export function setCsrf(token) {
  csrf = token;
  try {
    if (token) sessionStorage.setItem('ctip.csrf', token);
    else sessionStorage.removeItem('ctip.csrf');
  } catch (e) {
    /* kept in memory only */
  }
}

export function onReauth(f) {
  reauth = f;
}

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || null;
    this.field = e.field || null;
    this.problems = (body && body.problems) || [];
    this.current = (body && body.current) || null;
  }
  // messages per field path ("persons[0].age"), the main field included
  fieldErrors() {
    const out = {};
    for (const p of this.problems) out[p.field] = p.message;
    if (this.field && !out[this.field]) out[this.field] = this.message;
    return out;
  }
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// api('GET', '/cases', {query, body, etag, reason}) -> {data, etag, status, headers}
export async function api(method, path, opts = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': getLang() };
  let body;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  if (opts.etag) headers['If-Match'] = opts.etag;
  if (opts.reason) headers['X-Reason'] = encodeURIComponent(opts.reason);
  let res;
  try {
    res = await fetch(BASE + path + query(opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    const err = new ApiError(0, null);
    err.code = 'network';
    throw err;
  }
  let data = null;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      data = null;
    }
  }
  if (res.status === 401 && path !== '/session' && reauth && !opts.noRetry) {
    await reauth();
    return api(method, path, { ...opts, noRetry: true });
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return { data, etag: res.headers.get('ETag'), status: res.status, headers: res.headers };
}

export const get = (path, q) => api('GET', path, { query: q }).then((r) => r.data);

// Code lists (/codes/{name}), cached per language.
const codeCache = new Map();
export function codes(name) {
  const key = `${getLang()}:${name}`;
  if (!codeCache.has(key)) {
    codeCache.set(
      key,
      get(`/codes/${name}`).then(
        (d) => d.entries || [],
        (e) => {
          codeCache.delete(key);
          throw e;
        },
      ),
    );
  }
  return codeCache.get(key);
}

// An endpoint another part of ctip has not shipped yet answers 404 with
// "no such endpoint": screens say so instead of failing.
// Callers use it only where the record itself is known to exist.
export function missingEndpoint(e) {
  return e instanceof ApiError && (e.status === 404 || e.status === 405);
}
