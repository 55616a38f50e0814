// Registries of missing children, children in alternative care and care
// institutions (issue 7), as the API gives them to the reader's role.
import { get } from '../api.js';
import { EP } from '../endpoints.js';
import { t } from '../i18n.js';
import { DateText, ErrorBox, Loading, Waiting, useLoad } from '../ui.jsx';

const KINDS = ['missing', 'placements', 'institutions'];
const HIDE = new Set(['id', 'version', 'agency_id', 'created_by']);

export function recordRows(d, key) {
  if (!d) return [];
  if (Array.isArray(d)) return d;
  return d[key] || d.records || d.items || d.reports || d.placements || d.institutions || [];
}

function show(v) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? t('yes') : t('no');
  if (Array.isArray(v)) return v.map(show).join(', ');
  if (typeof v === 'object') return Object.values(v).map(show).join(' ');
  if (/^\d{4}-\d{2}(-\d{2})?(T.*)?$/.test(v)) return <DateText value={v} />;
  return String(v);
}

export function Registries({ kind }) {
  const k = KINDS.includes(kind) ? kind : 'missing';
  const l = useLoad(() => get(EP.registries(k), { limit: 100 }), [k]);
  const rows = recordRows(l.data, k);
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => !HIDE.has(c)).slice(0, 8);
  return (
    <section>
      <h1>{t('reg.title')}</h1>
      <nav class="tabs" aria-label={t('reg.title')}>
        {KINDS.map((x) => (
          <a key={x} href={`#/registries/${x}`} aria-current={x === k ? 'page' : undefined}>
            {t(`reg.${x}`)}
          </a>
        ))}
      </nav>
      {l.loading && !l.data ? (
        <Loading />
      ) : l.missing ? (
        <Waiting what={t('reg.title')} />
      ) : (
        <>
          <ErrorBox error={l.error} />
          <div class="table-wrap">
            <table>
              <caption class="sr-only">{t(`reg.${k}`)}</caption>
              <thead>
                <tr>
                  {cols.map((c) => (
                    <th scope="col" key={c}>
                      {t(`field.${c}`) === `field.${c}` ? c : t(`field.${c}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={r.id || i}>
                    {cols.map((c) => (
                      <td key={c}>{show(r[c])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {!rows.length && !l.error && <p class="muted">{t('reg.none')}</p>}
        </>
      )}
    </section>
  );
}
export { show };
