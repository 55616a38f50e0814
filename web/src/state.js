// The signed-in user and what their role may do, shared by every screen.
import { useEffect, useState } from 'preact/hooks';
import { onLang } from './i18n.js';

const state = { session: null }; // {user, permissions, auth, expires_at}
const listeners = new Set();

export function setSession(s) {
  state.session = s;
  listeners.forEach((f) => f());
}

export function session() {
  return state.session;
}

export function can(perm) {
  return !!state.session && state.session.permissions.includes(perm);
}

export function role() {
  return state.session?.user?.role || null;
}

// Re-render a component when the session or the language changes.
export function useApp() {
  const [, set] = useState(0);
  useEffect(() => {
    const f = () => set((n) => n + 1);
    listeners.add(f);
    const off = onLang(f);
    return () => {
      listeners.delete(f);
      off();
    };
  }, []);
  return state.session;
}

// The hash route: "#/cases/123?status=active" -> {parts: ['cases','123'], params}
export function parseHash() {
  const h = location.hash.replace(/^#\/?/, '');
  const [path, qs] = h.split('?');
  return { parts: path ? path.split('/').map(decodeURIComponent) : [], params: new URLSearchParams(qs || '') };
}

export function useRoute() {
  const [r, setR] = useState(parseHash());
  useEffect(() => {
    const f = () => setR(parseHash());
    addEventListener('hashchange', f);
    return () => removeEventListener('hashchange', f);
  }, []);
  return r;
}

export function go(path) {
  location.hash = `#/${path}`;
}
