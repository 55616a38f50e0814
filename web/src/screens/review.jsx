// The review queue (docs/review.md): candidate matches (duplicate persons
// from linkage, registry hits from the registries' cross-checks) that the
// caller's role reviews. Each item opens with both records side by side,
// field by field, the evidence (unless the review is blind) and the
// decisions so far; confirm, reject or undo one's own decision, each with
// a reason and the version read (If-Match).
import { useState } from 'preact/hooks';
import { api, get } from '../api.js';
import { EP } from '../endpoints.js';
import { fmtNum, t } from '../i18n.js';
import { Badge, DateText, ErrorBox, Loading, Notice, ReasonForm, Select, Waiting, short, useLoad } from '../ui.jsx';
import { coded, fieldLabel, useCodeMap } from './registries.jsx';

// Fields never compared (bookkeeping), left out of the side-by-side table.
const SKIP = new Set(['id', 'version', 'created_at', 'updated_at', 'kind', 'role', 'persons', 'proceedings', 'nrm_stage']);
// The fields the linkage compares come first, in this order.
const FIRST = ['given_name', 'family_name', 'other_names', 'sex', 'date_of_birth', 'age', 'citizenship', 'person_key'];

function sideTitle(side, which) {
  const type = side?.type ? t(`review.type.${side.type}`) : '';
  return `${which}${type ? ` · ${type}` : ''}${side?.agency ? ` · ${side.agency}` : ''}`;
}

function Compare({ a, b }) {
  const codes = useCodeMap();
  const ra = a?.record || {};
  const rb = b?.record || {};
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].filter((k) => !SKIP.has(k));
  keys.sort((x, y) => {
    const ix = FIRST.indexOf(x);
    const iy = FIRST.indexOf(y);
    return (ix < 0 ? 99 : ix) - (iy < 0 ? 99 : iy);
  });
  const val = (r, k) => (k === 'case' && r.case ? <a href={`#/cases/${r.case.id || r.case}`}>{t('review.open_case')}</a> : coded(r[k], k, codes));
  return (
    <div class="table-wrap" tabIndex={0}>
      <table class="compare">
        <thead>
          <tr>
            <th scope="col">{t('review.field')}</th>
            <th scope="col">{sideTitle(a, t('review.left'))}</th>
            <th scope="col">{sideTitle(b, t('review.right'))}</th>
          </tr>
        </thead>
        <tbody>
          {ra.deleted || rb.deleted ? (
            <tr>
              <td colSpan={3}>{t('review.deleted')}</td>
            </tr>
          ) : (
            keys.map((k) => {
              const same = JSON.stringify(ra[k]) === JSON.stringify(rb[k]);
              return (
                <tr key={k} class={same ? 'same' : 'differs'}>
                  <th scope="row">{fieldLabel(k)}</th>
                  <td>{val(ra, k)}</td>
                  <td>{val(rb, k)}</td>
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}

function Item({ id, onDone }) {
  const full = useLoad(() => api('GET', `${EP.review}/${id}`).then((r) => ({ ...r.data, _etag: r.etag })), [id]);
  const [decision, setDecision] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  if (full.loading && !full.data) return <Loading />;
  if (full.error) return <ErrorBox error={full.error} />;
  const it = full.data;
  const send = async (reason) => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', EP.reviewDecision(it.id), { body: { action: decision, reason }, etag: it._etag || `"${it.version}"` });
      setDecision('');
      full.reload();
      onDone(decision);
    } catch (e) {
      setError(e);
      if (e.status === 412) full.reload();
    } finally {
      setBusy(false);
    }
  };
  const ev = Array.isArray(it.evidence) ? it.evidence : [];
  const decisions = it.decisions || [];
  return (
    <article class="card review-item" aria-labelledby={`rv-${it.id}`}>
      <h2 id={`rv-${it.id}`}>
        {t(`review.kind.${it.kind}`)} {short(it.id)} <Badge kind={it.status === 'pending' ? 'warn' : 'ok'}>{t(`review.status.${it.status}`)}</Badge>
        {typeof it.probability === 'number' && <span class="muted"> · {t('review.score', { p: fmtNum(it.probability, { maximumFractionDigits: 3 }) })}</span>}
      </h2>
      <Compare a={it.a} b={it.b} />
      <h3>{t('review.evidence')}</h3>
      {it.blind ? (
        <p class="muted">{t('review.blind')}</p>
      ) : (
        <ul class="evidence">
          {ev.map((e, i) => (
            <li key={i}>
              {fieldLabel(e.field)}: {t(`review.level.${e.level}`) === `review.level.${e.level}` ? e.level : t(`review.level.${e.level}`)}
              {typeof e.weight === 'number' && ` (${t('review.weight')} ${fmtNum(e.weight, { maximumFractionDigits: 2 })})`}
            </li>
          ))}
        </ul>
      )}
      {decisions.length > 0 && (
        <>
          <h3>{t('review.decisions')}</h3>
          <ul>
            {decisions.map((d, i) => (
              <li key={i}>
                <DateText value={d.at} /> · {d.reviewer}
                {d.agency ? ` (${d.agency})` : ''} · {t(`review.${d.action}`)}
                {d.reason ? ` · ${d.reason}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      {!decision && <ErrorBox error={error} />}
      <div role="group" aria-label={t('review.decide')} class="actions">
        {['confirm', 'reject', 'undo'].map((d) => (
          <button type="button" key={d} aria-pressed={decision === d ? 'true' : 'false'} onClick={() => (setDecision(d), setError(null))}>
            {t(`review.${d}`)}
          </button>
        ))}
      </div>
      {decision && (
        <ReasonForm onSubmit={send} busy={busy} error={error} submitLabel={t(`review.do.${decision}`)}>
          <ErrorBox error={error} />
        </ReasonForm>
      )}
    </article>
  );
}

export function Review() {
  const [f, setF] = useState({ status: 'pending', kind: '' });
  const l = useLoad(() => get(EP.review, { ...Object.fromEntries(Object.entries(f).filter(([, v]) => v)), limit: 20 }), [f.status, f.kind]);
  const [done, setDone] = useState('');
  const items = l.data?.items || [];
  return (
    <section>
      <h1>{t('review.title')}</h1>
      {done && <Notice kind="ok">{t('review.done', { d: t(`review.${done}`) })}</Notice>}
      {!l.missing && (
        <div class="filters">
          <Select label={t('field.status')} name="status" empty={t('cases.any')} value={f.status} onChange={(v) => setF({ ...f, status: v })} options={['pending', 'confirmed', 'rejected'].map((s) => ({ code: s, label: t(`review.status.${s}`) }))} />
          <Select label={t('review.kind')} name="kind" empty={t('cases.any')} value={f.kind} onChange={(v) => setF({ ...f, kind: v })} options={['registry_hit', 'duplicate_person'].map((s) => ({ code: s, label: t(`review.kind.${s}`) }))} />
        </div>
      )}
      {l.loading && !l.data ? (
        <Loading />
      ) : l.missing ? (
        <Waiting what={t('review.title')} />
      ) : (
        <>
          <ErrorBox error={l.error} />
          {!items.length && !l.error && <p class="muted">{t('review.none')}</p>}
          {items.map((it) => (
            <Item key={it.id} id={it.id} onDone={(d) => setDone(d)} />
          ))}
        </>
      )}
    </section>
  );
}
