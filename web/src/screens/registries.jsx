// Registries of missing children, children in alternative care and care
// institutions (docs/registries.md), as /api/v1/registries/{name} gives
// them to the reader's role (the analyst without any personal data, the
// coordinator without other agencies' names). Child protection officers
// record missing-child reports; each new report is cross-checked at once
// and candidate matches go to the review queue.
import { useState } from 'preact/hooks';
import { api, get } from '../api.js';
import { EP } from '../endpoints.js';
import { fmtNum, t } from '../i18n.js';
import { can } from '../state.js';
import { Badge, CodeSelect, DateText, ErrorBox, Loading, Notice, Select, TextInput, Waiting, label, useCodes, useLoad } from '../ui.jsx';

const KINDS = ['missing', 'placements', 'institutions'];

// The columns each registry lists (docs/registries.md "Columns").
const COLUMNS = {
  missing: ['source_id', 'name', 'sex', 'age', 'citizenship', 'date_last_seen', 'country_last_seen', 'circumstances', 'status', 'agency'],
  placements: ['source_id', 'name', 'sex', 'age', 'placement_type', 'admission_date', 'exit_date', 'exit_reason', 'agency'],
  institutions: ['source_id', 'name', 'type', 'country', 'location', 'capacity', 'licence_status', 'flags'],
};
// The code list of a coded column (GET /codes/{list}).
const CODED = {
  sex: 'sexes',
  languages: 'languages',
  reporter_relation: 'missing_reporters',
  citizenship: 'countries',
  country_last_seen: 'countries',
  country: 'countries',
  circumstances: 'missing_circumstances',
  status: 'missing_statuses',
  placement_type: 'placement_types',
  exit_reason: 'placement_exit_reasons',
  type: 'institution_types',
  licence_status: 'licence_statuses',
};
const DATES = new Set(['date_last_seen', 'admission_date', 'exit_date', 'date_reported', 'date_closed', 'date_of_birth', 'created_at', 'updated_at']);

export function fieldLabel(k) {
  const s = t(`field.${k}`);
  return s === `field.${k}` ? k : s;
}

// A value of a record as text (dates as <time>, lists joined).
export function show(v, k) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? t('yes') : t('no');
  if (typeof v === 'number') return fmtNum(v);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  if ((k && DATES.has(k)) || /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(v)) return <DateText value={v} />;
  return String(v);
}

function Cell({ r, k, codes }) {
  if (k === 'name' && r.kind !== 'institution') {
    const n = [r.given_name, r.family_name].filter(Boolean).join(' ');
    return <td>{n || '—'}</td>;
  }
  if (k === 'age') return <td>{typeof r.age === 'number' ? fmtNum(r.age) : r.date_of_birth ? <DateText value={r.date_of_birth} /> : '—'}</td>;
  if (k === 'flags') {
    const active = (r.flags || []).filter((f) => f.active);
    return <td>{active.length ? active.map((f) => <Badge key={f.rule} kind="warn">{t(`reg.flag.${f.rule}`)}</Badge>) : '—'}</td>;
  }
  return <td>{coded(r[k], k, codes)}</td>;
}

// A value shown with the labels of its code list, when its field has one.
export function coded(v, k, codes) {
  const list = CODED[k] && codes[CODED[k]];
  if (list && v) return Array.isArray(v) ? v.map((x) => label(list, x)).join(', ') : label(list, v);
  return show(v, k);
}

export function useCodeMap() {
  const out = {};
  for (const l of ['sexes', 'languages', 'missing_reporters', 'countries', 'missing_circumstances', 'missing_statuses', 'placement_types', 'placement_exit_reasons', 'institution_types', 'licence_statuses']) {
    // a fixed list: the same hooks in the same order on every render
    out[l] = useCodes(l);
  }
  return out;
}

// A missing-child report, checked as typed; the server's problems beside
// their field; X-Review-Queued says how many candidate matches were queued.
function MissingForm({ onDone }) {
  const [f, setF] = useState({ given_name: '', family_name: '', sex: '', age: '', citizenship: '', date_last_seen: '', country_last_seen: '', circumstances: '' });
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (k) => (v) => setF({ ...f, [k]: v });
  const today = new Date().toISOString().slice(0, 10);
  const dateErr = !f.date_last_seen
    ? touched
      ? t('form.required')
      : ''
    : !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(f.date_last_seen)
      ? t('form.partial_date')
      : f.date_last_seen > today
        ? t('form.date_future')
        : '';
  const ageErr = f.age !== '' && !/^(\d|1[0-7])$/.test(f.age) ? t('reg.age_child') : '';
  const fe = error?.fieldErrors?.() || {};
  const submit = async (e) => {
    e.preventDefault();
    setTouched(true);
    if (dateErr || ageErr || !f.date_last_seen) return;
    const body = {};
    for (const [k, v] of Object.entries(f)) if (v !== '') body[k] = k === 'age' ? Number(v) : k === 'citizenship' ? [v] : v.trim ? v.trim() : v;
    setBusy(true);
    setError(null);
    try {
      const r = await api('POST', EP.registries('missing'), { body });
      onDone(Number(r.headers.get('X-Review-Queued') || 0));
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="newmiss-h">
      <h2 id="newmiss-h">{t('reg.new_missing')}</h2>
      <div class="form-grid">
        <TextInput label={t('field.given_name')} name="given_name" value={f.given_name} onInput={set('given_name')} error={fe.given_name} />
        <TextInput label={t('field.family_name')} name="family_name" value={f.family_name} onInput={set('family_name')} error={fe.family_name} />
        <CodeSelect list="sexes" label={t('field.sex')} name="sex" empty="—" value={f.sex} onChange={set('sex')} error={fe.sex} />
        <TextInput label={t('field.age')} name="age" inputMode="numeric" value={f.age} onInput={set('age')} error={ageErr || fe.age} />
        <CodeSelect list="countries" label={t('field.citizenship')} name="citizenship" empty="—" value={f.citizenship} onChange={set('citizenship')} error={fe.citizenship || fe['citizenship[0]']} />
        <TextInput label={t('field.date_last_seen')} name="date_last_seen" required value={f.date_last_seen} onInput={set('date_last_seen')} hint={t('form.partial_date_hint')} error={dateErr || fe.date_last_seen} />
        <CodeSelect list="countries" label={t('field.country_last_seen')} name="country_last_seen" empty="—" value={f.country_last_seen} onChange={set('country_last_seen')} error={fe.country_last_seen} />
        <CodeSelect list="missing_circumstances" label={t('field.circumstances')} name="circumstances" empty="—" value={f.circumstances} onChange={set('circumstances')} error={fe.circumstances} />
      </div>
      <ErrorBox error={error && !error.field ? error : null} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t('reg.save_missing')}
        </button>
      </div>
    </form>
  );
}

export function Registries({ kind }) {
  const k = KINDS.includes(kind) ? kind : 'missing';
  const [q, setQ] = useState({});
  const [draft, setDraft] = useState({ status: '', from: '', to: '' });
  const [adding, setAdding] = useState(false);
  const [queued, setQueued] = useState(null);
  const l = useLoad(() => get(EP.registries(k), { ...q, limit: 100 }), [k, JSON.stringify(q)]);
  const codes = useCodeMap();
  const rows = l.data?.records || [];
  const cols = COLUMNS[k];
  const dateErr = (v) => (v && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(v) ? t('form.partial_date') : '');
  const statusList = k === 'missing' ? 'missing_statuses' : k === 'placements' ? 'placement_exit_reasons' : null;
  return (
    <section>
      <div class="page-head">
        <h1>{t('reg.title')}</h1>
        {k === 'missing' && can('registry.write') && !adding && (
          <button type="button" class="primary" onClick={() => (setAdding(true), setQueued(null))}>
            {t('reg.new_missing')}
          </button>
        )}
      </div>
      <nav class="tabs" aria-label={t('reg.title')}>
        {KINDS.map((x) => (
          <a key={x} href={`#/registries/${x}`} aria-current={x === k ? 'page' : undefined} onClick={() => (setQ({}), setDraft({ status: '', from: '', to: '' }))}>
            {t(`reg.${x}`)}
          </a>
        ))}
      </nav>
      {queued !== null && (
        <Notice kind="ok">
          {t('reg.saved')} {queued > 0 ? <a href="#/review">{t('reg.queued', { n: queued })}</a> : t('reg.no_match')}
        </Notice>
      )}
      {adding && k === 'missing' && (
        <MissingForm
          onDone={(n) => {
            setAdding(false);
            setQueued(n);
            l.reload();
          }}
        />
      )}
      {k !== 'institutions' && !l.missing && (
        <form
          class="filters"
          noValidate
          aria-label={t('cases.filters')}
          onSubmit={(e) => {
            e.preventDefault();
            if (!dateErr(draft.from) && !dateErr(draft.to)) setQ(Object.fromEntries(Object.entries(draft).filter(([, v]) => v)));
          }}
        >
          {statusList && (
            <Select
              label={k === 'missing' ? t('field.status') : t('field.exit_reason')}
              name="status"
              empty={t('cases.any')}
              value={draft.status}
              onChange={(v) => setDraft({ ...draft, status: v })}
              options={[...(k === 'placements' ? [{ code: 'active', label: t('reg.active') }] : []), ...codes[statusList]]}
            />
          )}
          <TextInput label={t('reg.from')} name="from" value={draft.from} onInput={(v) => setDraft({ ...draft, from: v })} error={dateErr(draft.from)} />
          <TextInput label={t('reg.to')} name="to" value={draft.to} onInput={(v) => setDraft({ ...draft, to: v })} error={dateErr(draft.to)} />
          <div class="filter-actions">
            <button type="submit">{t('cases.apply')}</button>
          </div>
        </form>
      )}
      {l.loading && !l.data ? (
        <Loading />
      ) : l.missing ? (
        <Waiting what={t('reg.title')} />
      ) : (
        <>
          <ErrorBox error={l.error} />
          {rows.length > 0 && (
            <div class="table-wrap" tabIndex={0}>
              <table>
                <caption class="sr-only">{t(`reg.${k}`)}</caption>
                <thead>
                  <tr>
                    {cols.map((c) => (
                      <th scope="col" key={c}>
                        {c === 'age' ? t('reg.age_or_birth') : fieldLabel(c)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id}>
                      {cols.map((c) => (
                        <Cell key={c} r={r} k={c} codes={codes} />
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {!rows.length && !l.error && <p class="muted">{t('reg.none')}</p>}
          {l.data?.next_cursor && <p class="muted">{t('reg.first_page', { n: rows.length })}</p>}
        </>
      )}
    </section>
  );
}
