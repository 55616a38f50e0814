// Users and roles (admin; auditors read). A new user needs a name, a role,
// an agency and a password of 10+ characters; changing a role or disabling
// an account asks for a reason (audited).
import { useState } from 'preact/hooks';
import { api, get } from '../api.js';
import { t } from '../i18n.js';
import { can } from '../state.js';
import { Badge, CodeSelect, DateText, ErrorBox, Loading, Notice, ReasonForm, Select, TextInput, label, useCodes, useLoad } from '../ui.jsx';

function NewUser({ agencies, onDone }) {
  const [u, setU] = useState({ name: '', role: '', agency: '', password: '' });
  const [touched, setTouched] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const local = {
    name: !u.name.trim() ? t('form.required') : /\s/.test(u.name) ? t('users.name_spaces') : '',
    role: !u.role ? t('form.required') : '',
    agency: !u.agency ? t('form.required') : '',
    password: u.password.length < 10 ? t('users.password_short') : '',
  };
  const fe = error?.fieldErrors?.() || {};
  const err = (k) => fe[k] || (touched[k] || touched._all ? local[k] : '');
  const set = (k, v) => (setU({ ...u, [k]: v }), setTouched({ ...touched, [k]: true }));
  const submit = async (e) => {
    e.preventDefault();
    setTouched({ _all: true });
    if (Object.values(local).some(Boolean)) return;
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/users', { body: { ...u, name: u.name.trim() } });
      setU({ name: '', role: '', agency: '', password: '' });
      setTouched({});
      onDone();
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="newuser-h">
      <h2 id="newuser-h">{t('users.new')}</h2>
      <div class="grid-3">
        <TextInput label={t('users.name')} name="name" value={u.name} onInput={(v) => set('name', v)} error={err('name')} required />
        <CodeSelect list="user_roles" label={t('users.role')} name="role" empty="—" value={u.role} onChange={(v) => set('role', v)} error={err('role')} required />
        <Select label={t('case.agency')} name="agency" empty="—" options={agencies.map((a) => ({ code: a.name, label: a.name }))} value={u.agency} onChange={(v) => set('agency', v)} error={err('agency')} required />
        <TextInput label={t('login.password')} name="password" type="password" autocomplete="new-password" value={u.password} onInput={(v) => set('password', v)} error={err('password')} hint={t('users.password_hint')} required />
      </div>
      <ErrorBox error={error && !error.field ? error : null} />
      <button type="submit" class="primary" disabled={busy}>
        {t('users.create')}
      </button>
    </form>
  );
}

function EditUser({ user, onDone }) {
  const [roleV, setRole] = useState(user.role);
  const [disabled, setDisabled] = useState(!!user.disabled);
  const [error, setError] = useState(null);
  const submit = async (reason) => {
    setError(null);
    try {
      await api('PUT', `/users/${user.id}`, { body: { role: roleV, disabled, reason }, etag: `"${user.version}"` });
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <ReasonForm onSubmit={submit} error={error} submitLabel={t('users.save')}>
      <CodeSelect list="user_roles" label={t('users.role')} name="edit-role" value={roleV} onChange={setRole} error={error?.fieldErrors?.().role} />
      <label class="check">
        <input type="checkbox" checked={disabled} onChange={(e) => setDisabled(e.currentTarget.checked)} />
        <span>{t('users.disabled')}</span>
      </label>
      <ErrorBox error={error} />
    </ReasonForm>
  );
}

export function Users() {
  const users = useLoad(() => get('/users'), []);
  const agencies = useLoad(() => (can('agency.read') ? get('/agencies') : Promise.resolve({ agencies: [] })), []);
  const roles = useCodes('user_roles');
  const [editing, setEditing] = useState(null);
  const [saved, setSaved] = useState(false);
  return (
    <section>
      <h1>{t('users.title')}</h1>
      {saved && <Notice kind="ok">{t('users.saved')}</Notice>}
      <ErrorBox error={users.error} />
      {users.loading && !users.data ? (
        <Loading />
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('users.name')}</th>
                <th scope="col">{t('users.role')}</th>
                <th scope="col">{t('case.agency')}</th>
                <th scope="col">{t('users.created')}</th>
                {can('user.write') && <th scope="col">{t('users.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {(users.data?.users || []).map((u) => (
                <tr key={u.id}>
                  <td>
                    {u.name} {u.disabled && <Badge kind="warn">{t('users.disabled')}</Badge>}
                  </td>
                  <td>{label(roles, u.role)}</td>
                  <td>{u.agency}</td>
                  <td>
                    <DateText value={u.created_at} />
                  </td>
                  {can('user.write') && (
                    <td>
                      {editing === u.id ? (
                        <EditUser user={u} onDone={() => (setEditing(null), setSaved(true), users.reload())} />
                      ) : (
                        <button type="button" onClick={() => (setEditing(u.id), setSaved(false))} aria-label={`${t('users.edit')} ${u.name}`}>
                          {t('users.edit')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {can('user.write') && <NewUser agencies={agencies.data?.agencies || []} onDone={() => (setSaved(true), users.reload())} />}
      {can('agency.read') && (
        <section class="card" aria-labelledby="agencies-h">
          <h2 id="agencies-h">{t('agencies.title')}</h2>
          <ul>
            {(agencies.data?.agencies || []).map((a) => (
              <li key={a.id}>{a.name}</li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
