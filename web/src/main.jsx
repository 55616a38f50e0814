import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import './style.css';
import { api, onReauth, setCsrf } from './api.js';
import { catalogues, getLang, initLang, languages, setLang, t } from './i18n.js';
import { can, go, role, session, setSession, useApp, useRoute } from './state.js';
import { ErrorBox, TextInput } from './ui.jsx';
import { Cases } from './screens/cases.jsx';
import { CaseView } from './screens/case.jsx';
import { CaseForm } from './screens/case_form.jsx';
import { PersonView } from './screens/person.jsx';
import { Proceedings } from './screens/proceedings.jsx';
import { Users } from './screens/users.jsx';
import { Audit } from './screens/audit.jsx';
import { Dashboard } from './screens/dashboard.jsx';
import { Registries } from './screens/registries.jsx';
import { Review } from './screens/review.jsx';

initLang();

async function loadSession() {
  const r = await api('GET', '/session', { noRetry: true });
  setSession(r.data);
  return r.data;
}

function LoginForm({ onDone, again }) {
  const [username, setUser] = useState(again ? session()?.user?.name || '' : '');
  const [password, setPw] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [touched, setTouched] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setTouched(true);
    if (!username || !password) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api('POST', '/session', { body: { username, password }, noRetry: true });
      setCsrf(r.data.csrf_token);
      await loadSession();
      setPw('');
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="login-form" onSubmit={submit} noValidate>
      <TextInput
        label={t('login.username')}
        name="username"
        value={username}
        onInput={setUser}
        autocomplete="username"
        required
        error={touched && !username ? t('form.required') : ''}
      />
      <TextInput
        label={t('login.password')}
        name="password"
        type="password"
        value={password}
        onInput={setPw}
        autocomplete="current-password"
        required
        error={touched && !password ? t('form.required') : ''}
      />
      {error && (
        <div class="alert alert-error" role="alert">
          {error.status === 401 ? t('login.failed') : error.status === 429 ? t('login.throttled') : error.message}
        </div>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {t('login.submit')}
      </button>
    </form>
  );
}

function LangSwitch() {
  return (
    <div class="lang-switch">
      <label for="lang-select">{t('nav.language')}</label>
      <select id="lang-select" value={getLang()} onChange={(e) => setLang(e.currentTarget.value)}>
        {languages.map((l) => (
          <option key={l} value={l} lang={l}>
            {catalogues[l]._meta?.name || l}
          </option>
        ))}
      </select>
    </div>
  );
}

function LoginScreen({ onDone }) {
  return (
    <main id="main" class="login-page">
      <div class="login-box">
        <h1>{t('app.name')}</h1>
        <p class="muted">{t('app.tagline')}</p>
        <LoginForm onDone={onDone} />
        <LangSwitch />
      </div>
    </main>
  );
}

// Shown over the page when the session expired during work: the form
// behind it keeps what was typed, and the request is sent again after.
function ReauthDialog({ onDone }) {
  const ref = useRef(null);
  useEffect(() => {
    ref.current?.querySelector('input[type=password]')?.focus();
  }, []);
  return (
    <div class="modal-backdrop">
      <div class="modal" role="dialog" aria-modal="true" aria-labelledby="reauth-title" ref={ref}>
        <h2 id="reauth-title">{t('reauth.title')}</h2>
        <p>{t('reauth.text')}</p>
        <LoginForm onDone={onDone} again />
      </div>
    </div>
  );
}

// The screens, each with what it needs; the menu shows only what the
// signed-in role may use (the server decides: /session lists permissions).
const NAV = [
  { path: 'dashboard', key: 'nav.dashboard', show: () => can('stats.read') },
  { path: 'cases', key: 'nav.cases', show: () => can('case.read') },
  { path: 'proceedings', key: 'nav.proceedings', show: () => can('proceeding.read') && role() !== 'analyst' },
  { path: 'registries', key: 'nav.registries', show: () => can('registry.read') },
  { path: 'review', key: 'nav.review', show: () => can('review') },
  { path: 'users', key: 'nav.users', show: () => can('user.read') },
  { path: 'audit', key: 'nav.audit', show: () => can('audit.read') },
];

function home() {
  const first = NAV.find((n) => n.show());
  return first ? first.path : 'cases';
}

function Screen({ route }) {
  const [a, b, c] = route.parts;
  const allowed = NAV.find((n) => n.path === a);
  if (allowed && !allowed.show()) return <Forbidden />;
  switch (a) {
    case 'dashboard':
      return <Dashboard />;
    case 'cases':
      if (b === 'new') return <CaseForm />;
      if (b && c === 'edit') return <CaseForm id={b} />;
      if (b) return <CaseView id={b} />;
      return <Cases params={route.params} />;
    case 'persons':
      return <PersonView id={b} />;
    case 'proceedings':
      return <Proceedings />;
    case 'registries':
      return <Registries kind={b} />;
    case 'review':
      return <Review />;
    case 'users':
      return <Users />;
    case 'audit':
      return <Audit />;
    default:
      return null;
  }
}

function Forbidden() {
  return (
    <div class="alert alert-error" role="alert">
      {t('error.forbidden')}
    </div>
  );
}

function Layout({ route }) {
  const s = session();
  const [menu, setMenu] = useState(false);
  const mainRef = useRef(null);
  const current = route.parts[0] || '';
  useEffect(() => {
    if (!route.parts.length) go(home());
  }, [route.parts.length]);
  useEffect(() => {
    setMenu(false);
    const h = mainRef.current?.querySelector('h1');
    if (h) {
      h.setAttribute('tabindex', '-1');
      h.focus({ preventScroll: false });
    }
  }, [route.parts.join('/')]);
  useEffect(() => {
    document.title = `${t(NAV.find((n) => n.path === current)?.key || 'app.name')} · ctip`;
  });
  const logout = async () => {
    try {
      await api('DELETE', '/session', { noRetry: true });
    } catch (e) {
      /* signed out anyway */
    }
    setCsrf(null);
    setSession(null);
    go('');
  };
  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), mainRef.current?.focus())}>
        {t('nav.skip')}
      </a>
      <header class="topbar">
        <span class="brand">{t('app.name')}</span>
        <button type="button" class="menu-toggle" aria-expanded={menu ? 'true' : 'false'} aria-controls="nav" onClick={() => setMenu(!menu)}>
          {t('nav.menu')}
        </button>
        <div class="who">
          <span>
            {s.user.name} · {t(`role.${s.user.role}`)}
            {s.user.agency ? ` · ${s.user.agency}` : ''}
          </span>
          <LangSwitch />
          <button type="button" onClick={logout}>
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <nav id="nav" class={`sidenav${menu ? ' open' : ''}`} aria-label={t('nav.label')}>
        <ul>
          {NAV.filter((n) => n.show()).map((n) => (
            <li key={n.path}>
              <a href={`#/${n.path}`} aria-current={current === n.path ? 'page' : undefined}>
                {t(n.key)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1} ref={mainRef}>
        <Screen route={route} />
      </main>
    </div>
  );
}

function App() {
  const s = useApp();
  const route = useRoute();
  const [booting, setBooting] = useState(true);
  const [error, setError] = useState(null);
  const [reauth, setReauth] = useState(null);
  useEffect(() => {
    loadSession().then(
      () => setBooting(false),
      (e) => {
        if (e.status !== 401) setError(e);
        setBooting(false);
      },
    );
    onReauth(
      () =>
        new Promise((resolve) => {
          setReauth({ resolve });
        }),
    );
  }, []);
  if (booting) return <p role="status">{t('loading')}</p>;
  if (!s)
    return (
      <>
        <ErrorBox error={error} />
        <LoginScreen onDone={() => (route.parts.length ? null : go(home()))} />
      </>
    );
  return (
    <>
      <Layout route={route} />
      {reauth && (
        <ReauthDialog
          onDone={() => {
            reauth.resolve();
            setReauth(null);
          }}
        />
      )}
    </>
  );
}

render(<App />, document.getElementById('app'));
