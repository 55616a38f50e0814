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

function Side({ title, side }) {
  const rec = side?.record || side || {};
  const entries = Object.entries(rec).filter(([k, v]) => !['id', 'version'].includes(k) && v !== null && typeof v !== 'object');
  return (
    <div class="side">
      <h3>
        {title}
        {side?.type && ` · ${t(`review.type.${side.type}`)}`}
        {side?.agency && ` · ${side.agency}`}
      </h3>
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
  const decided = it.status && it.status !== 'pending';
  const send = async (reason) => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', EP.reviewDecision(it.id), { body: { action: decision, reason }, etag: it.version !== undefined ? `"${it.version}"` : undefined });
      setDecision('');
      onDone(decision);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const ev = Array.isArray(it.evidence) ? it.evidence : [];
  return (
    <article class="card review-item" aria-labelledby={`rv-${it.id}`}>
      <h2 id={`rv-${it.id}`}>
        {t(`review.kind.${it.kind}`)} {short(it.id)} {it.status && <Badge kind={decided ? 'ok' : 'warn'}>{t(`review.status.${it.status}`)}</Badge>}
        {typeof it.probability === 'number' && <span class="muted"> · {t('review.score', { p: fmtNum(it.probability, { maximumFractionDigits: 3 }) })}</span>}
      </h2>
      <div class="grid-2">
        <Side title={t('review.left')} side={it.a} />
        <Side title={t('review.right')} side={it.b} />
      </div>
      <h3>{t('review.evidence')}</h3>
      <ul>
        {ev.length === 0 && <li class="muted">{t('review.blind')}</li>}
        {ev.map((e, i) => (
          <li key={i}>
            {t(`field.${e.field}`) === `field.${e.field}` ? e.field : t(`field.${e.field}`)}: {e.level}
            {typeof e.weight === 'number' && ` (${t('review.weight')} ${fmtNum(e.weight, { maximumFractionDigits: 2 })})`}
          </li>
        ))}
      </ul>
      <ErrorBox error={error} />
      <div role="group" aria-label={t('review.decide')}>
        {['confirm', 'reject', 'undo'].map((d) => (
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
