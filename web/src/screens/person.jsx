// Person view: who the person is (as the reader's role may see), their NRM
// stage and the actions possible from it (with a reason; for a child the
// guardian and best-interests gates), screening, referrals to services,
// consent, and criminal proceedings (suspects).
import { useState } from 'preact/hooks';
import { api, get } from '../api.js';
import { EP } from '../endpoints.js';
import { fmtNum, t } from '../i18n.js';
import { can, role } from '../state.js';
import { Badge, CodeSelect, DateText, ErrorBox, Loading, Notice, ReasonForm, TextInput, Waiting, label, short, useCodes, useLoad } from '../ui.jsx';
import { isChild, personName } from './cases.jsx';

// The NRM transitions of docs/nrm.md (the server is the authority; this
// only decides which buttons to offer).
export const TRANSITIONS = {
  reported: ['screen'],
  screened: ['reasonable_grounds', 'screen_out'],
  presumed_victim: ['identify', 'negative_decision', 'close'],
  identified: ['return', 'reintegrate', 'close'],
  not_a_victim: ['reconsider', 'close'],
  returned: ['reintegrate', 'close'],
  reintegrated: ['close'],
  closed: [],
};
const CHILD_GATED = ['return', 'reintegrate', 'close'];
const WRITERS = ['coordinator', 'caseworker', 'child_protection'];

function Section({ id, title, children }) {
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function Nrm({ person, onChange }) {
  const stages = useCodes('nrm_stages');
  const status = useLoad(() => get(EP.nrm(person.id)), [person.id, person.nrm_stage]);
  const [action, setAction] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [done, setDone] = useState('');
  const stage = status.data?.stage || person.nrm_stage || 'reported';
  const actions = status.data?.actions || TRANSITIONS[stage] || [];
  const child = isChild(person) || status.data?.child === true;
  const gates = status.data?.child_measures || {};
  const mayAct = can('nrm.act') || (WRITERS.includes(role()) && can('person.write'));
  const act = async (reason) => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', EP.transitions(person.id), { body: { action, reason } });
      setDone(t(`nrm.action.${action}`));
      setAction('');
      onChange();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const measure = async (kind) => {
    setError(null);
    try {
      await api('POST', EP.childMeasures(person.id), { body: { kind } });
      status.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Section id="nrm-h" title={t('nrm.title')}>
      <p>
        {t('nrm.stage')}: <strong>{label(stages, stage)}</strong>
      </p>
      {status.data?.reflection && (
        <p>
          {t('nrm.reflection', { days: status.data.reflection.days_left ?? '?' })} (<DateText value={status.data.reflection.start} /> – <DateText value={status.data.reflection.end} />)
        </p>
      )}
      {child && (
        <div class="child-gates">
          <h3>{t('nrm.child_gates')}</h3>
          <p class="muted">{t('nrm.child_gates_text')}</p>
          <ul>
            {['guardian', 'best_interests'].map((k) => (
              <li key={k}>
                {t(`nrm.gate.${k}`)}: {gates[k] ? <Badge kind="ok">{t('nrm.gate_done')}</Badge> : <Badge kind="warn">{t('nrm.gate_missing')}</Badge>}{' '}
                {!gates[k] && mayAct && !status.missing && (
                  <button type="button" onClick={() => measure(k)}>
                    {t(`nrm.record.${k}`)}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {done && <Notice kind="ok">{t('nrm.done', { action: done })}</Notice>}
      <ErrorBox error={error} />
      {mayAct && !status.missing && actions.length > 0 && (
        <div class="nrm-actions">
          <div role="group" aria-label={t('nrm.actions')}>
            {actions.map((a) => (
              <button type="button" key={a} aria-pressed={action === a ? 'true' : 'false'} onClick={() => setAction(a)}>
                {t(`nrm.action.${a}`)}
              </button>
            ))}
          </div>
          {action && (
            <ReasonForm onSubmit={act} busy={busy} error={error} submitLabel={t('nrm.confirm', { action: t(`nrm.action.${action}`) })}>
              {child && CHILD_GATED.includes(action) && (!gates.guardian || !gates.best_interests) && <Notice kind="warn">{t('nrm.child_warning')}</Notice>}
            </ReasonForm>
          )}
        </div>
      )}
      {status.missing && <p class="muted">{t('waiting.nrm')}</p>}
    </Section>
  );
}

function listOf(d, key) {
  return Array.isArray(d) ? d : d?.[key] || d?.items || [];
}

function Screening({ person }) {
  const s = useLoad(() => get(EP.screenings(person.id)), [person.id]);
  if (s.loading && !s.data) return <Loading />;
  if (s.missing) return <Section id="scr-h" title={t('screening.title')}><Waiting what={t('screening.title')} /></Section>;
  const rows = listOf(s.data, 'screenings');
  return (
    <Section id="scr-h" title={t('screening.title')}>
      <ErrorBox error={s.error} />
      {rows.length === 0 && <p class="muted">{t('screening.none')}</p>}
      {rows.map((r) => (
        <div key={r.id} class="screening">
          <h3>
            {r.checklist} {r.list ? `· ${r.list}` : ''} · <DateText value={r.date || r.created_at} />
          </h3>
          {r.result && <p>{typeof r.result === 'string' ? r.result : JSON.stringify(r.result)}</p>}
          <ul>
            {(r.items || []).map((i) => (
              <li key={i}>{typeof i === 'string' ? i : i.label || i.code}</li>
            ))}
          </ul>
        </div>
      ))}
    </Section>
  );
}

function Referrals({ person }) {
  const r = useLoad(() => get(EP.referrals(person.id)), [person.id]);
  const services = useCodes('services');
  const rstat = useCodes('referral_statuses');
  const [service, setService] = useState('');
  const [provider, setProvider] = useState('');
  const [error, setError] = useState(null);
  const [touched, setTouched] = useState(false);
  const mayWrite = can('referral.write') || (WRITERS.includes(role()) && can('person.write'));
  if (r.missing) return <Section id="ref-h" title={t('referral.title')}><Waiting what={t('referral.title')} /></Section>;
  const add = async (e) => {
    e.preventDefault();
    setTouched(true);
    if (!service) return;
    setError(null);
    try {
      await api('POST', EP.referrals(person.id), { body: { service, ...(provider ? { provider } : {}) } });
      setService('');
      setProvider('');
      setTouched(false);
      r.reload();
    } catch (err) {
      setError(err);
    }
  };
  const fe = error?.fieldErrors?.() || {};
  const rows = listOf(r.data, 'referrals');
  return (
    <Section id="ref-h" title={t('referral.title')}>
      <ErrorBox error={r.error} />
      {rows.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('referral.service')}</th>
              <th scope="col">{t('referral.provider')}</th>
              <th scope="col">{t('referral.status')}</th>
              <th scope="col">{t('referral.date')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((x) => (
              <tr key={x.id}>
                <td>{label(services, x.service)}</td>
                <td>{x.provider || '—'}</td>
                <td>{label(rstat, x.status)}</td>
                <td>
                  <DateText value={x.date || x.created_at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">{t('referral.none')}</p>
      )}
      {mayWrite && (
        <form class="inline-form" onSubmit={add} noValidate>
          <CodeSelect list="services" label={t('referral.service')} name="service" empty="—" value={service} onChange={setService} required error={fe.service || (touched && !service ? t('form.required') : '')} />
          <TextInput label={t('referral.provider')} name="provider" value={provider} onInput={setProvider} error={fe.provider} />
          <button type="submit">{t('referral.add')}</button>
          <ErrorBox error={error && !error.field ? error : null} />
        </form>
      )}
    </Section>
  );
}

function Consents({ person }) {
  const c = useLoad(() => get(EP.consents(person.id)), [person.id]);
  const purposes = useCodes('consent_purposes');
  if (c.missing) return <Section id="con-h" title={t('consent.title')}><Waiting what={t('consent.title')} /></Section>;
  const rows = listOf(c.data, 'consents');
  return (
    <Section id="con-h" title={t('consent.title')}>
      <ErrorBox error={c.error} />
      {rows.length ? (
        <ul>
          {rows.map((x) => (
            <li key={x.id}>
              {label(purposes, x.purpose)} → {x.recipient} (<DateText value={x.date} />){x.withdrawn && ` · ${t('consent.withdrawn')}`}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('consent.none')}</p>
      )}
    </Section>
  );
}

function Proceedings({ person, etag, onChange }) {
  const kinds = useCodes('proceeding_kinds');
  const list = person.proceedings || [];
  const [f, setF] = useState({ kind: '', date: '', authority: '' });
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState(null);
  const dateErr = f.date && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(f.date) ? t('form.partial_date') : '';
  const fe = error?.fieldErrors?.() || {};
  const add = async (e) => {
    e.preventDefault();
    setTouched(true);
    if (!f.kind || dateErr) return;
    setError(null);
    const body = { kind: f.kind };
    if (f.date) body.date = f.date;
    if (f.authority.trim()) body.authority = f.authority.trim();
    try {
      await api('POST', `/persons/${person.id}/proceedings`, { body, etag });
      setF({ kind: '', date: '', authority: '' });
      setTouched(false);
      onChange();
    } catch (x) {
      setError(x);
    }
  };
  return (
    <Section id="proc-h" title={t('proceedings.title')}>
      {list.length ? (
        <ul>
          {list.map((p, i) => (
            <li key={p.id || i}>
              {label(kinds, p.kind)} · <DateText value={p.date} /> {p.authority ? `· ${p.authority}` : ''}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('proceedings.none')}</p>
      )}
      {can('proceeding.write') && (
        <form class="inline-form" onSubmit={add} noValidate>
          <CodeSelect list="proceeding_kinds" label={t('proceedings.kind')} name="kind" empty="—" value={f.kind} onChange={(v) => setF({ ...f, kind: v })} required error={fe.kind || (touched && !f.kind ? t('form.required') : '')} />
          <TextInput label={t('proceedings.date')} name="date" value={f.date} onInput={(v) => setF({ ...f, date: v })} error={fe.date || dateErr} hint={t('form.partial_date_hint')} />
          <TextInput label={t('proceedings.authority')} name="authority" value={f.authority} onInput={(v) => setF({ ...f, authority: v })} error={fe.authority} />
          <button type="submit">{t('proceedings.add')}</button>
          <ErrorBox error={error && !error.field ? error : null} />
        </form>
      )}
    </Section>
  );
}

export function PersonView({ id }) {
  const p = useLoad(() => api('GET', `/persons/${id}`).then((r) => ({ ...r.data, _etag: r.etag })), [id]);
  const sexes = useCodes('sexes');
  const countries = useCodes('countries');
  if (p.loading && !p.data) return <Loading />;
  if (p.error) return <ErrorBox error={p.error} />;
  const d = p.data;
  const victim = d.role === 'victim';
  return (
    <section>
      <div class="page-head">
        <h1>{personName(d) || `${t(`person.${d.role}`)} ${short(d.id)}`}</h1>
        {d.case && (
          <a class="button" href={`#/cases/${d.case}`}>
            {t('person.open_case')}
          </a>
        )}
      </div>
      <div class="grid-2">
        <Section id="who-h" title={t('person.details')}>
          <dl class="facts">
            <dt>{t('person.role')}</dt>
            <dd>
              {t(`person.${d.role}`)} {victim && isChild(d) && <Badge kind="child">{t('case.child')}</Badge>}
            </dd>
            <dt>{t('person.sex')}</dt>
            <dd>{label(sexes, d.sex)}</dd>
            <dt>{t('person.age')}</dt>
            <dd>{typeof d.age === 'number' ? fmtNum(d.age) : '—'}</dd>
            <dt>{t('person.date_of_birth')}</dt>
            <dd>
              <DateText value={d.date_of_birth} />
            </dd>
            <dt>{t('person.citizenship')}</dt>
            <dd>{(d.citizenship || []).map((c) => label(countries, c)).join(', ') || '—'}</dd>
            <dt>{t('case.agency')}</dt>
            <dd>{d.agency || '—'}</dd>
          </dl>
        </Section>
        {victim && <Nrm person={d} onChange={p.reload} />}
      </div>
      {victim && (
        <div class="grid-2">
          <Screening person={d} />
          <Referrals person={d} />
          <Consents person={d} />
        </div>
      )}
      {!victim && <Proceedings person={d} etag={d._etag} onChange={p.reload} />}
    </section>
  );
}
