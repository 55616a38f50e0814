// Criminal proceedings (investigation, prosecution, conviction, ...) for the
// suspects of the cases the reader reaches.
import { get } from '../api.js';
import { t } from '../i18n.js';
import { DateText, ErrorBox, Loading, label, short, useCodes, useLoad } from '../ui.jsx';

export function Proceedings() {
  const l = useLoad(() => get('/proceedings', { limit: 100 }), []);
  const kinds = useCodes('proceeding_kinds');
  return (
    <section>
      <h1>{t('proceedings.title')}</h1>
      <ErrorBox error={l.error} />
      {l.loading && !l.data ? (
        <Loading />
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('proceedings.kind')}</th>
                <th scope="col">{t('proceedings.date')}</th>
                <th scope="col">{t('proceedings.authority')}</th>
                <th scope="col">{t('proceedings.person')}</th>
                <th scope="col">{t('case.title')}</th>
              </tr>
            </thead>
            <tbody>
              {(l.data?.proceedings || []).map((p) => (
                <tr key={p.id}>
                  <td>{label(kinds, p.kind)}</td>
                  <td>
                    <DateText value={p.date} />
                  </td>
                  <td>{p.authority || '—'}</td>
                  <td>
                    <a href={`#/persons/${p.person}`}>{short(p.person)}</a>
                  </td>
                  <td>
                    <a href={`#/cases/${p.case}`}>{short(p.case)}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {!l.data?.proceedings?.length && <p class="muted">{t('proceedings.none')}</p>}
        </div>
      )}
    </section>
  );
}
