// The review queue (contracts.md "One review queue"): candidate matches of
// every kind (duplicate_person from linkage, registry_hit from the
// registries), the two records side by side with the evidence, and the
// decisions confirm / reject / undo, each with a reason (audited).
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { api, get } from '../api.js';
import { EP } from '../endpoints.js';
import { fmtNum, t } from '../i18n.js';
import { Badge, ErrorBox, Loading, Notice, ReasonForm, Waiting, short, useLoad } from '../ui.jsx';
import { recordRows, show } from './registries.jsx';

function Side({ title, rec }) {
  const entries = Object.entries(rec || {}).filter(([k]) => !['id', 'version'].includes(k));
  return (
    <div class="side">
      <h3>{title}</h3>
      <dl class="facts">
        {entries.map(([k, v]) => (
          <Fragment key={k}>
            <dt>{t(`field.${k}`) === `field.${k}` ? k : t(`field.${k}`)}</dt>
            <dd>{show(v)}</dd>
          </Fragment>
        ))}
      </dl>
    </div>
  );
}

function Item({ it, onDone }) {
  const [decision, setDecision] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const decided = it.status && it.status !== 'open' && it.status !== 'pending';
  const send = async (reason) => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', EP.reviewDecision(it.id), { body: { decision, reason } });
      setDecision('');
      onDone(decision);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const ev = it.evidence || it.explanation || [];
  return (
    <article class="card review-item" aria-labelledby={`rv-${it.id}`}>
      <h2 id={`rv-${it.id}`}>
        {t(`review.kind.${it.kind}`)} {short(it.id)} {it.status && <Badge kind={decided ? 'ok' : 'warn'}>{t(`review.status.${it.status}`)}</Badge>}
        {typeof it.score === 'number' && <span class="muted"> · {t('review.score', { p: fmtNum(it.score, { maximumFractionDigits: 3 }) })}</span>}
      </h2>
      <div class="grid-2">
        <Side title={t('review.left')} rec={it.left || it.a || it.records?.[0]} />
        <Side title={t('review.right')} rec={it.right || it.b || it.records?.[1]} />
      </div>
      <h3>{t('review.evidence')}</h3>
      <ul>
        {(Array.isArray(ev) ? ev : Object.entries(ev).map(([k, v]) => ({ field: k, level: v }))).map((e, i) => (
          <li key={i}>{typeof e === 'string' ? e : `${e.field || e.name}: ${e.level || e.agreement || ''}${e.weight !== undefined ? ` (${fmtNum(e.weight, { maximumFractionDigits: 2 })})` : ''}`}</li>
        ))}
      </ul>
      <ErrorBox error={error} />
      <div role="group" aria-label={t('review.decide')}>
        {(decided ? ['undo'] : ['confirm', 'reject']).map((d) => (
          <button type="button" key={d} aria-pressed={decision === d ? 'true' : 'false'} onClick={() => setDecision(d)}>
            {t(`review.${d}`)}
          </button>
        ))}
      </div>
      {decision && <ReasonForm onSubmit={send} busy={busy} error={error} submitLabel={t(`review.${decision}`)} />}
    </article>
  );
}

export function Review() {
  const l = useLoad(() => get(EP.review, { limit: 50 }), []);
  const [done, setDone] = useState('');
  const items = recordRows(l.data, 'items');
  return (
    <section>
      <h1>{t('review.title')}</h1>
      {done && <Notice kind="ok">{t('review.done', { d: t(`review.${done}`) })}</Notice>}
      {l.loading && !l.data ? (
        <Loading />
      ) : l.missing ? (
        <Waiting what={t('review.title')} />
      ) : (
        <>
          <ErrorBox error={l.error} />
          {!items.length && !l.error && <p class="muted">{t('review.none')}</p>}
          {items.map((it) => (
            <Item key={it.id} it={it} onDone={(d) => (setDone(d), l.reload())} />
          ))}
        </>
      )}
    </section>
  );
}
