// Person view: who the person is (as the reader's role may see), their NRM
// stage and the actions possible from it (with a reason; for a child the
// guardian and best-interests gates), screening, referrals to services,
// consent, and criminal proceedings (suspects).
import { useState } from 'preact/hooks';
import { api, get } from '../api.js';
import { EP } from '../endpoints.js';
import { fmtNum, t } from '../i18n.js';
import { can } from '../state.js';
import { Badge, CodeSelect, DateText, ErrorBox, Loading, Notice, ReasonForm, Select, TextArea, TextInput, label, short, useCodes, useLoad } from '../ui.jsx';
import { isChild, personName } from './cases.jsx';

const quoted = (v) => (v === undefined || v === null ? undefined : `"${v}"`);

function Section({ id, title, children }) {
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

// The person's NRM status (GET /persons/{id}/nrm): the stage, the actions
// the workflow allows from it (each taken with a reason and If-Match), the
// reflection period, the child safeguards, and the history of decisions.
function Nrm({ person, tick, onChange }) {
  const status = useLoad(() => api('GET', EP.nrm(person.id)).then((r) => ({ ...r.data, _etag: r.etag })), [person.id, person.version, tick]);
  const history = useLoad(() => get(EP.transitions(person.id)), [person.id, person.version, tick]);
  const [action, setAction] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [done, setDone] = useState('');
  const mayAct = can('nrm.write');
  if (status.loading && !status.data) return <Section id="nrm-h" title={t('nrm.title')}><Loading /></Section>;
  if (status.error) return <Section id="nrm-h" title={t('nrm.title')}><ErrorBox error={status.error} /></Section>;
  const s = status.data;
  const gates = s.child_protection || {};
  const missing = s.missing || [];
  const act = async (reason) => {
    setBusy(true);
    setError(null);
    setDone('');
    try {
      await api('POST', EP.transitions(person.id), { body: { action, reason }, etag: s._etag });
      setDone(t(`nrm.action.${action}`));
      setAction('');
      onChange();
    } catch (e) {
      setError(e);
      if (e.status === 412 || e.status === 409) status.reload();
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
  const rows = history.data?.transitions || [];
  return (
    <Section id="nrm-h" title={t('nrm.title')}>
      <p>
        {t('nrm.stage')}: <strong>{s.stage_label || s.stage}</strong>
      </p>
      {s.reflection_period && (
        <p>
          {t('nrm.reflection', { days: s.reflection_period.days_left })} (<DateText value={s.reflection_period.start} /> – <DateText value={s.reflection_period.end} />)
        </p>
      )}
      {s.child && (
        <div class="child-gates">
          <h3>{t('nrm.child_gates')}</h3>
          <p class="muted">{t('nrm.child_gates_text')}</p>
          <ul>
            {['guardian', 'best_interests'].map((k) => (
              <li key={k}>
                {t(`nrm.gate.${k}`)}: {gates[k] ? <Badge kind="ok">{t('nrm.gate_done')}</Badge> : <Badge kind="warn">{t('nrm.gate_missing')}</Badge>}{' '}
                {!gates[k] && mayAct && (
                  <button type="button" onClick={() => measure(k)}>
                    {t(`nrm.record.${k}`)}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {missing.includes('screening') && <Notice kind="warn">{t('nrm.needs_screening')}</Notice>}
      {done && <Notice kind="ok">{t('nrm.done', { action: done })}</Notice>}
      {!action && <ErrorBox error={error} />}
      {mayAct && (s.allowed_actions || []).length > 0 && (
        <div class="nrm-actions">
          <div role="group" aria-label={t('nrm.actions')} class="actions">
            {s.allowed_actions.map((a) => (
              <button type="button" key={a} aria-pressed={action === a ? 'true' : 'false'} onClick={() => (setAction(a), setError(null), setDone(''))}>
                {t(`nrm.action.${a}`)}
              </button>
            ))}
          </div>
          {action && (
            <ReasonForm onSubmit={act} busy={busy} error={error} submitLabel={t('nrm.confirm', { action: t(`nrm.action.${action}`) })}>
              {s.child && ['return', 'reintegrate', 'close'].includes(action) && (!gates.guardian || !gates.best_interests) && <Notice kind="warn">{t('nrm.child_warning')}</Notice>}
              <ErrorBox error={error} />
            </ReasonForm>
          )}
        </div>
      )}
      {rows.length > 0 && (
        <details class="history">
          <summary>{t('nrm.history', { n: rows.length })}</summary>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('referral.date')}</th>
                  <th scope="col">{t('nrm.action')}</th>
                  <th scope="col">{t('nrm.by')}</th>
                  <th scope="col">{t('form.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((x) => (
                  <tr key={x.id}>
                    <td>
                      <DateText value={x.date} />
                    </td>
                    <td>{t(`nrm.action.${x.action}`)}</td>
                    <td>
                      {x.by || '—'} {x.agency ? `(${x.agency})` : ''}
                    </td>
                    <td>{x.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </Section>
  );
}

// The screening report of the latest screening: each dimension of the
// checklist, the presumption it supports, beside the art. 3 test.
function ScreeningReport({ report }) {
  const r = report?.screening;
  if (!r) return null;
  return (
    <div class="screening-report">
      <h3>
        {t(`screening.checklist.${r.checklist}`)} · {t(`screening.list.${r.list}`)} · <DateText value={r.at} />
      </h3>
      {r.dimensions?.length > 0 && (
        <div class="table-wrap" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('screening.dimension')}</th>
                <th scope="col">{t('screening.grade.S')}</th>
                <th scope="col">{t('screening.grade.M')}</th>
                <th scope="col">{t('screening.grade.W')}</th>
                <th scope="col">{t('screening.positive')}</th>
              </tr>
            </thead>
            <tbody>
              {r.dimensions.map((d) => (
                <tr key={d.dimension}>
                  <td>
                    {d.dimension}. {d.label}
                  </td>
                  <td>{fmtNum(d.strong)}</td>
                  <td>{fmtNum(d.medium)}</td>
                  <td>{fmtNum(d.weak)}</td>
                  <td>{d.positive ? t('yes') : t('no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        {t('screening.indicators', { n: r.indicators ?? 0 })}
        {r.presumption === true && <> · <strong>{t('screening.presumption_yes')}</strong></>}
        {r.presumption === false && <> · {t('screening.presumption_no')}</>}
      </p>
      {r.rule && <p class="muted">{r.rule}</p>}
      {report.protocol && (
        <p>
          {t('assess.title')}: {report.protocol.trafficking ? t('assess.victim_holds') : t('assess.victim_not_holds')}
        </p>
      )}
      {report.notice && <p class="muted">{report.notice}</p>}
    </div>
  );
}

// The screening checklist as a form: the indicators of the chosen list,
// by dimension (ILO/EC, graded) or as one set (UNODC).
function ScreeningForm({ person, onDone, onCancel }) {
  const child = isChild(person);
  const all = useLoad(() => get('/checklists'), []);
  const [checklist, setChecklist] = useState('ilo_ec');
  const [list, setList] = useState(child ? 'child_labour' : 'adult_labour');
  const cl = useLoad(() => get(`/checklists/${checklist}`, { list }), [checklist, list]);
  const [items, setItems] = useState([]);
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const lists = all.data?.checklists?.find((c) => c.name === checklist)?.lists || [];
  const pickChecklist = (c) => {
    setChecklist(c);
    setItems([]);
    const l = all.data?.checklists?.find((x) => x.name === c)?.lists || [];
    setList(c === 'ilo_ec' ? (child ? 'child_labour' : 'adult_labour') : l[0] || 'general');
  };
  const groups = cl.data?.dimensions
    ? cl.data.dimensions.map((d) => ({ key: d.dimension, legend: `${d.dimension}. ${d.label}`, items: d.items }))
    : cl.data?.items
      ? [{ key: 'all', legend: t('screening.indicators_legend'), items: cl.data.items }]
      : [];
  const toggle = (code, on) => setItems(on ? [...items, code] : items.filter((x) => x !== code));
  const submit = async (e) => {
    e.preventDefault();
    setTouched(true);
    if (!items.length) return;
    setBusy(true);
    setError(null);
    try {
      const body = { checklist, list, items };
      if (note.trim()) body.note = note.trim();
      const r = await api('POST', EP.screenings(person.id), { body });
      onDone(r.data.report);
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  const fe = error?.fieldErrors?.() || {};
  return (
    <form class="screening-form" onSubmit={submit} noValidate>
      <div class="inline-form">
        <Select label={t('screening.checklist')} name="checklist" value={checklist} onChange={pickChecklist} options={['ilo_ec', 'unodc'].map((c) => ({ code: c, label: t(`screening.checklist.${c}`) }))} />
        <Select label={t('screening.list')} name="list" value={list} onChange={(v) => (setList(v), setItems([]))} options={lists.map((l) => ({ code: l, label: t(`screening.list.${l}`) }))} />
      </div>
      {cl.loading && !cl.data && <Loading />}
      <ErrorBox error={cl.error} />
      {groups.map((g) => (
        <fieldset class="checks" key={g.key}>
          <legend>{g.legend}</legend>
          <div class="check-list">
            {g.items.map((i) => (
              <label key={i.code} class="check">
                <input type="checkbox" name="items" value={i.code} checked={items.includes(i.code)} onChange={(e) => toggle(i.code, e.currentTarget.checked)} />
                <span>
                  {i.label}
                  {i.grade && <span class="muted"> ({t(`screening.grade.${i.grade}`)})</span>}
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      {cl.data?.notice && <p class="muted">{cl.data.notice}</p>}
      {(touched && !items.length) || fe.items ? (
        <div class="error-text" role="alert">
          {fe.items || t('screening.pick_one')}
        </div>
      ) : null}
      <TextArea label={t('screening.note')} name="note" value={note} onInput={setNote} error={fe.note} />
      <ErrorBox error={error && !error.field ? error : null} />
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('screening.save')}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}

function Screening({ person, onChange }) {
  const s = useLoad(() => get(EP.screenings(person.id)), [person.id]);
  const rows = s.data?.screenings || [];
  const report = useLoad(() => (rows.length ? get(EP.screeningReport(person.id)) : Promise.resolve(null)), [person.id, rows.length]);
  const [open, setOpen] = useState(false);
  const [fresh, setFresh] = useState(null);
  if (s.loading && !s.data) return <Section id="scr-h" title={t('screening.title')}><Loading /></Section>;
  return (
    <Section id="scr-h" title={t('screening.title')}>
      <ErrorBox error={s.error} />
      {fresh && <Notice kind="ok">{t('screening.recorded')}</Notice>}
      {rows.length === 0 && !s.error && <p class="muted">{t('screening.none')}</p>}
      {rows.length > 0 && <p>{t('screening.count', { n: rows.length })}</p>}
      <ScreeningReport report={fresh || report.data} />
      {can('nrm.write') && !open && (
        <button type="button" onClick={() => (setOpen(true), setFresh(null))}>
          {t('screening.new')}
        </button>
      )}
      {open && (
        <ScreeningForm
          person={person}
          onCancel={() => setOpen(false)}
          onDone={(r) => {
            setOpen(false);
            setFresh(r);
            s.reload();
            onChange();
          }}
        />
      )}
    </Section>
  );
}

// A referral moves offered -> accepted | declined; accepted -> provided |
// declined | ended; provided -> ended (docs/nrm.md §5).
const REFERRAL_NEXT = { offered: ['accepted', 'declined'], accepted: ['provided', 'declined', 'ended'], provided: ['ended'] };

function ReferralRow({ x, services, rstat, onChange }) {
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const next = can('nrm.write') ? REFERRAL_NEXT[x.status] || [] : [];
  const move = async (reason) => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', EP.referralStatus(x.id), { body: { status: to, reason }, etag: quoted(x.version) });
      setTo('');
      onChange();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const when = x[`${x.status}_on`] || x.offered_on;
  return (
    <tr>
      <td>{label(services, x.service)}</td>
      <td>{x.provider || '—'}</td>
      <td>
        {label(rstat, x.status)} · <DateText value={when} />
      </td>
      <td>
        {next.length > 0 && (
          <div class="actions">
            {next.map((n) => (
              <button type="button" class="secondary small" key={n} aria-pressed={to === n ? 'true' : 'false'} onClick={() => setTo(n)}>
                {label(rstat, n)}
              </button>
            ))}
          </div>
        )}
        {to && <ReasonForm onSubmit={move} busy={busy} error={error} submitLabel={t('referral.move', { status: label(rstat, to) })}><ErrorBox error={error} /></ReasonForm>}
      </td>
    </tr>
  );
}

function Referrals({ person, stage }) {
  const r = useLoad(() => get(EP.referrals(person.id)), [person.id]);
  const services = useCodes('services');
  const rstat = useCodes('referral_statuses');
  const [service, setService] = useState('');
  const [provider, setProvider] = useState('');
  const [error, setError] = useState(null);
  const [touched, setTouched] = useState(false);
  const mayWrite = can('nrm.write');
  const add = async (e) => {
    e.preventDefault();
    setTouched(true);
    if (!service) return;
    setError(null);
    try {
      await api('POST', EP.referrals(person.id), { body: { service, ...(provider.trim() ? { provider: provider.trim() } : {}) } });
      setService('');
      setProvider('');
      setTouched(false);
      r.reload();
    } catch (err) {
      setError(err);
    }
  };
  const fe = error?.fieldErrors?.() || {};
  const rows = r.data?.referrals || [];
  const early = stage === 'reported' || stage === 'screened';
  return (
    <Section id="ref-h" title={t('referral.title')}>
      <ErrorBox error={r.error} />
      {rows.length ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('referral.service')}</th>
                <th scope="col">{t('referral.provider')}</th>
                <th scope="col">{t('referral.status')}</th>
                <th scope="col">{t('nrm.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((x) => (
                <ReferralRow key={x.id} x={x} services={services} rstat={rstat} onChange={r.reload} />
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        !r.error && <p class="muted">{t('referral.none')}</p>
      )}
      {mayWrite && early && <p class="muted">{t('referral.from_presumed')}</p>}
      {mayWrite && !early && (
        <form class="inline-form" onSubmit={add} noValidate>
          <CodeSelect list="services" label={t('referral.service')} name="service" empty="—" value={service} onChange={setService} required error={fe.service || (touched && !service ? t('form.required') : '')} />
          <TextInput label={t('referral.provider')} name="provider" value={provider} onInput={setProvider} error={fe.provider} />
          <button type="submit">{t('referral.add')}</button>
        </form>
      )}
      {mayWrite && <ErrorBox error={error && !error.field ? error : null} />}
    </Section>
  );
}

function Consents({ person }) {
  const c = useLoad(() => get(EP.consents(person.id)), [person.id]);
  const purposes = useCodes('consent_purposes');
  const roles = useCodes('user_roles');
  const agencies = useLoad(() => get('/agencies'), []);
  const [f, setF] = useState({ purpose: '', recipient_type: 'agency', recipient: '' });
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState(null);
  const [withdraw, setWithdraw] = useState(null);
  const [busy, setBusy] = useState(false);
  const rows = c.data?.consents || [];
  const mayWrite = can('nrm.write');
  const add = async (e) => {
    e.preventDefault();
    setTouched(true);
    if (!f.purpose || !f.recipient) return;
    setError(null);
    try {
      await api('POST', EP.consents(person.id), { body: f });
      setF({ purpose: '', recipient_type: 'agency', recipient: '' });
      setTouched(false);
      c.reload();
    } catch (x) {
      setError(x);
    }
  };
  const doWithdraw = async (reason) => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', EP.consentWithdraw(withdraw), { body: { reason } });
      setWithdraw(null);
      c.reload();
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  const fe = error?.fieldErrors?.() || {};
  const recipients = f.recipient_type === 'role' ? roles : (agencies.data?.agencies || []).map((a) => ({ code: a.name, label: a.name }));
  return (
    <Section id="con-h" title={t('consent.title')}>
      <ErrorBox error={c.error} />
      {rows.length ? (
        <ul class="consents">
          {rows.map((x) => (
            <li key={x.id}>
              {label(purposes, x.purpose)} → {x.recipient_type === 'role' ? label(roles, x.recipient) : x.recipient} (<DateText value={x.given_on} />)
              {x.withdrawn_on && (
                <>
                  {' · '}
                  <Badge kind="warn">{t('consent.withdrawn')}</Badge> <DateText value={x.withdrawn_on} />
                </>
              )}
              {!x.withdrawn_on && mayWrite && withdraw !== x.id && (
                <>
                  {' '}
                  <button type="button" class="secondary small" onClick={() => setWithdraw(x.id)}>
                    {t('consent.withdraw')}
                  </button>
                </>
              )}
              {withdraw === x.id && <ReasonForm onSubmit={doWithdraw} busy={busy} error={error} submitLabel={t('consent.withdraw')} />}
            </li>
          ))}
        </ul>
      ) : (
        !c.error && <p class="muted">{t('consent.none')}</p>
      )}
      {mayWrite && (
        <form class="inline-form" onSubmit={add} noValidate>
          <Select label={t('consent.purpose')} name="purpose" empty="—" required value={f.purpose} onChange={(v) => setF({ ...f, purpose: v })} options={purposes} error={fe.purpose || (touched && !f.purpose ? t('form.required') : '')} />
          <Select
            label={t('consent.recipient_type')}
            name="recipient_type"
            value={f.recipient_type}
            onChange={(v) => setF({ ...f, recipient_type: v, recipient: '' })}
            options={['agency', 'role'].map((k) => ({ code: k, label: t(`consent.to.${k}`) }))}
          />
          <Select label={t('consent.recipient')} name="recipient" empty="—" required value={f.recipient} onChange={(v) => setF({ ...f, recipient: v })} options={recipients} error={fe.recipient || (touched && !f.recipient ? t('form.required') : '')} />
          <button type="submit">{t('consent.add')}</button>
        </form>
      )}
      {!withdraw && <ErrorBox error={error && !error.field ? error : null} />}
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
  const [tick, setTick] = useState(0);
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
        {victim && can('nrm.read') && <Nrm person={d} tick={tick} onChange={p.reload} />}
      </div>
      {victim && can('nrm.read') && <Screening person={d} onChange={() => setTick((n) => n + 1)} />}
      {victim && can('nrm.read') && (
        <div class="grid-2">
          <Referrals person={d} stage={d.nrm_stage} />
          <Consents person={d} />
        </div>
      )}
      {!victim && <Proceedings person={d} etag={d._etag} onChange={p.reload} />}
    </section>
  );
}
