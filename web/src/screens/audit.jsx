// The audit trail (auditors): who did what to which record, when and why,
// and whether the hash chain is intact. Read-only.
import { useState } from 'preact/hooks';
import { get } from '../api.js';
import { fmtNum, t } from '../i18n.js';
import { Badge, DateText, ErrorBox, Loading, TextInput, short, useLoad } from '../ui.jsx';

export function Audit() {
  const [f, setF] = useState({ actor: '', action: '', record_id: '' });
  const [q, setQ] = useState({});
  const [pages, setPages] = useState([]);
  const l = useLoad(() => get("/audit", { ...q, limit: 50 }).then((d) => (setPages([]), d)), [JSON.stringify(q)]);
  const v = useLoad(() => get('/audit/verify'), []);
  const all = l.data ? [l.data, ...pages].flatMap((p) => p.entries || []) : [];
  const next = (pages.length ? pages[pages.length - 1] : l.data)?.next_cursor;
  const more = async () => setPages([...pages, await get("/audit", { ...q, limit: 50, cursor: next })]);
  return (
    <section>
      <h1>{t('audit.title')}</h1>
      {v.data && (
        <p role="status">
          {v.data.intact ? <Badge kind="ok">{t('audit.intact')}</Badge> : <Badge kind="warn">{t('audit.broken')}</Badge>} {t('audit.entries', { n: v.data.entries })}
        </p>
      )}
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(Object.fromEntries(Object.entries(f).filter(([, x]) => x.trim())));
        }}
      >
        <TextInput label={t('audit.actor')} name="actor" value={f.actor} onInput={(x) => setF({ ...f, actor: x })} />
        <TextInput label={t('audit.action')} name="action" value={f.action} onInput={(x) => setF({ ...f, action: x })} hint="case.read, nrm.transition…" />
        <TextInput label={t('audit.record')} name="record_id" value={f.record_id} onInput={(x) => setF({ ...f, record_id: x })} />
        <div class="filter-actions">
          <button type="submit">{t('cases.apply')}</button>
        </div>
      </form>
      <ErrorBox error={l.error} />
      {l.loading && !l.data ? (
        <Loading />
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('audit.when')}</th>
                <th scope="col">{t('audit.actor')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.record')}</th>
                <th scope="col">{t('audit.fields')}</th>
                <th scope="col">{t('form.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {all.map((e, i) => (
                <tr key={e.seq ?? i}>
                  <td>
                    <DateText value={e.at || e.time} />
                  </td>
                  <td>{e.actor}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>
                    {e.record_type} {short(e.record_id)}
                  </td>
                  <td>{e.fields || '—'}</td>
                  <td>{e.reason || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="muted">{t('audit.shown', { n: all.length })}</p>
          {next && (
            <button type="button" onClick={more}>
              {t('cases.more')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
export { fmtNum };
