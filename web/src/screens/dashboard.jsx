// Dashboard (coordinators, analysts): charts drawn only from the anonymised
// aggregates the API gives the role (/stats/..., /estimate); nothing here
// reads a case. Each chart downloads as CSV, SVG and PNG.
import { get } from '../api.js';
import { EP } from '../endpoints.js';
import { fmtNum, t } from '../i18n.js';
import { Bars, ChartCard, Histogram, Lines, Sankey } from '../charts.jsx';
import { ErrorBox, Loading, Waiting, useLoad } from '../ui.jsx';

// Aggregates arrive as {rows: [{dim..., count}]}, {columns, rows: [[...]]}
// or a bare array; this gives objects with a numeric `count`.
export function rowsOf(d) {
  if (!d) return [];
  let rows = Array.isArray(d) ? d : d.rows || d.table?.rows || d.cells || [];
  const cols = d.columns || d.table?.columns;
  if (rows.length && Array.isArray(rows[0]) && cols) rows = rows.map((r) => Object.fromEntries(cols.map((c, i) => [c, r[i]])));
  return rows.map((r) => {
    const count = ['count', 'victims', 'value', 'n', 'persons'].map((k) => r[k]).find((v) => typeof v === 'number');
    return { ...r, count: count ?? 0 };
  });
}

const DIMS = ['category', 'sex_age', 'form', 'purpose', 'year', 'origin', 'detection', 'stage', 'kind', 'outcome', 'exit_reason', 'sex', 'agegroup', 'age'];
function labelOf(r) {
  if (r.label) return r.label;
  if (r.category) return r.category;
  if (r.sex && (r.agegroup || r.age)) return t(`dash.sexage.${r.sex}.${r.agegroup || r.age}`);
  const k = DIMS.find((d) => r[d] !== undefined && r[d] !== null);
  return k ? String(r[k]) : '?';
}

function useStat(path, q) {
  return useLoad(() => get(path, q), [path, JSON.stringify(q || {})]);
}

function StatChart({ id, title, st, kind, note }) {
  if (st.loading && !st.data) return <Loading />;
  if (st.missing) return null;
  if (st.error) return <ErrorBox error={st.error} />;
  const rows = rowsOf(st.data);
  const total = st.data?.total ?? rows.reduce((a, r) => a + r.count, 0);
  const notes = [note, st.data?.notes, t('dash.total', { n: total })].filter(Boolean).join(' · ');
  if (kind === 'lines') {
    const series = {};
    for (const r of rows) {
      const name = r.series || r.sex || r.form || t('dash.victims');
      (series[name] ||= []).push([String(r.year), r.count]);
    }
    const s = Object.entries(series).map(([name, points]) => ({ name, points }));
    return (
      <ChartCard id={id} title={title} note={notes} columns={['series', 'year', 'count']} rows={rows.map((r) => [r.series || r.sex || r.form || '', r.year, r.count])}>
        <Lines series={s} />
      </ChartCard>
    );
  }
  if (kind === 'sankey') {
    const links = rows.map((r) => ({ from: r.origin || r.from, to: r.detection || r.to, value: r.count })).filter((l) => l.from && l.to && l.value > 0);
    return (
      <ChartCard id={id} title={title} note={notes} height={300} columns={['origin', 'detection', 'count']} rows={links.map((l) => [l.from, l.to, l.value])}>
        <Sankey links={links.slice(0, 40)} />
      </ChartCard>
    );
  }
  const items = rows.map((r) => ({ label: labelOf(r), value: r.count }));
  return (
    <ChartCard id={id} title={title} note={notes} columns={['category', 'count']} rows={items.map((i) => [i.label, i.value])}>
      <Bars items={items} />
    </ChartCard>
  );
}

function Estimate() {
  const e = useLoad(() => get(EP.estimate, { lists: 'agency', replicates: 'true' }), []);
  if (e.loading && !e.data) return <Loading />;
  if (e.missing) return <Waiting what={t('dash.estimate')} />;
  if (e.error) return <ErrorBox error={e.error} />;
  const d = Array.isArray(e.data) ? e.data[0] : e.data;
  if (!d) return null;
  if (d.estimate === null || d.estimate === undefined)
    return (
      <section class="card">
        <h2>{t('dash.estimate')}</h2>
        <p>{t('dash.no_estimate', { reason: d.reason || '' })}</p>
      </section>
    );
  const iv = d.interval || {};
  const overlaps = d.overlaps || [];
  return (
    <>
      <section class="card estimate" aria-labelledby="est-h">
        <h2 id="est-h">{t('dash.estimate')}</h2>
        <p class="big-number">{fmtNum(Math.round(d.estimate))}</p>
        <p>
          {t('dash.estimate_text', {
            obs: d.n_obs,
            hidden: Math.round(d.hidden ?? d.estimate - d.n_obs),
            lo: Math.round(iv.lower),
            hi: Math.round(iv.upper),
            level: Math.round((iv.level || 0.95) * 100),
            method: iv.method || '',
          })}
        </p>
        {overlaps.length > 0 && (
          <div class="table-wrap">
            <table>
              <caption>{t('dash.overlaps')}</caption>
              <tbody>
                {overlaps.map((o, i) => (
                  <tr key={i}>
                    {o.map((v, j) => (
                      <td key={j}>{typeof v === 'number' ? fmtNum(v) : v}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {Array.isArray(d.replicates) && d.replicates.length > 0 && (
        <ChartCard id="bootstrap" title={t('dash.bootstrap')} columns={['replicate', 'estimate']} rows={d.replicates.map((v, i) => [i + 1, v])}>
          <Histogram
            values={d.replicates}
            marks={[
              { x: iv.lower, label: fmtNum(Math.round(iv.lower)) },
              { x: d.estimate, label: fmtNum(Math.round(d.estimate)) },
              { x: iv.upper, label: fmtNum(Math.round(iv.upper)) },
            ]}
          />
        </ChartCard>
      )}
    </>
  );
}

export function Dashboard() {
  const sexAge = useStat(EP.stats('victims'), { by: 'sex,agegroup' });
  const forms = useStat(EP.stats('victims'), { by: 'form' });
  const years = useStat(EP.stats('victims'), { by: 'year' });
  const flows = useStat(EP.stats('flows'));
  const procs = useStat(EP.stats('proceedings'));
  const regs = useStat(EP.stats('registries'));
  const all = [sexAge, forms, years, flows, procs, regs];
  const none = all.every((s) => s.missing);
  return (
    <section>
      <h1>{t('dash.title')}</h1>
      <p class="muted">{t('dash.anonymised')}</p>
      {none && <Waiting what={t('dash.stats')} />}
      <div class="grid-2 charts">
        <StatChart id="victims-sex-age" title={t('dash.sex_age')} st={sexAge} />
        <StatChart id="victims-form" title={t('dash.forms')} st={forms} note={t('dash.forms_note')} />
        <StatChart id="victims-year" title={t('dash.trends')} st={years} kind="lines" />
        <StatChart id="flows" title={t('dash.flows')} st={flows} kind="sankey" />
        <StatChart id="proceedings" title={t('dash.funnel')} st={procs} />
        <StatChart id="registries" title={t('dash.registries')} st={regs} />
      </div>
      <Estimate />
    </section>
  );
}
