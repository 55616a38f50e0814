// Dashboard (coordinators, analysts): charts drawn only from the anonymised
// aggregates the API gives the role — GET /stats/tables (published: small
// counts masked as "<5" with secondary suppression, docs/statistics.md),
// /stats/registries and /estimate — never from cases. Each chart downloads
// as CSV, XLSX, SVG and PNG, and shows its numbers as a table.
import { useState } from 'preact/hooks';
import { get } from '../api.js';
import { EP } from '../endpoints.js';
import { fmtNum, t } from '../i18n.js';
import { Bars, ChartCard, Histogram, Lines, Sankey, barsHeight } from '../charts.jsx';
import { ErrorBox, Loading, Select, TextInput, Waiting, label, useCodes, useLoad } from '../ui.jsx';
import { can, role } from '../state.js';
import { toCsv } from '../csv.js';
import { xlsx } from '../xlsx.js';

// A masked cell ("<5", "x") counts as 0 in sums and is drawn as masked.
const num = (v) => (typeof v === 'number' ? v : 0);
const bar = (label, v, code) => ({ label, code, value: num(v), masked: typeof v === 'number' ? undefined : String(v) });
const isTotal = (x) => x.code === 'total';

function table(tables, id) {
  return (tables || []).find((x) => x.id === id);
}

// rows x columns of a table, without its total row and column
function body(tb) {
  const cols = tb.columns.map((c, j) => ({ ...c, j })).filter((c) => !isTotal(c));
  const rows = tb.rows.map((r, i) => ({ ...r, i })).filter((r) => !isTotal(r));
  return { cols, rows };
}

function totalCol(tb) {
  return tb.columns.findIndex(isTotal);
}

function tableRows(tb) {
  return tb.rows.map((r, i) => [r.label, ...tb.cells[i]]);
}

function tableCols(tb) {
  return ['', ...tb.columns.map((c) => c.label)];
}

function BarsOf({ id, tb, pick, title }) {
  // pick: 'total-row' (the columns of the total row) or 'total-column' (the
  // rows' totals); a total that is not a sum (total_row false: e.g. all
  // child victims beside those previously missing) is a bar of its own
  let items;
  if (pick === 'total-row') {
    const tr = tb.rows.findIndex(isTotal);
    const { cols } = body(tb);
    items = cols.map((c) => bar(c.label, tb.cells[tr >= 0 ? tr : 0][c.j], c.code));
    // women, men, girls and boys always; the other columns when they count someone
    items = items.filter((x) => x.value > 0 || x.masked || ['women', 'men', 'girls', 'boys'].includes(x.code));
  } else {
    const tc = totalCol(tb);
    const rows = tb.rows.map((r, i) => ({ ...r, i })).filter((r) => !isTotal(r) || tb.total_row === false);
    const all = rows.map((r) => bar(r.label, tb.cells[r.i][tc >= 0 ? tc : 0], r.code));
    // the rows that count someone (a form no victim had is left out of the
    // chart, not of its table); all of them when none does
    items = tb.total_row === false ? all : all.filter((x) => x.value > 0 || x.masked === '<5');
    if (!items.length) items = all;
  }
  const h = barsHeight(items);
  const masked = items.some((x) => x.masked);
  return (
    <ChartCard id={id} title={title || tb.title} note={masked ? t('dash.masked_note') : undefined} columns={tableCols(tb)} rows={tableRows(tb)} height={h}>
      <Bars items={items} height={h} />
    </ChartCard>
  );
}

function Trends({ tb }) {
  const { cols, rows } = body(tb);
  const keep = cols.filter((c) => ['women', 'men', 'girls', 'boys'].includes(c.code));
  const series = (keep.length ? keep : cols).map((c) => ({ name: c.label, points: rows.map((r) => [r.label, num(tb.cells[r.i][c.j])]) }));
  return (
    <ChartCard id="victims-year" title={tb.title} columns={tableCols(tb)} rows={tableRows(tb)}>
      <Lines series={series} />
    </ChartCard>
  );
}

function Flows({ tb }) {
  const { cols, rows } = body(tb);
  const links = [];
  for (const r of rows) for (const c of cols) if (num(tb.cells[r.i][c.j]) > 0) links.push({ from: r.label, to: `→ ${c.label}`, value: num(tb.cells[r.i][c.j]) });
  return (
    <ChartCard id="flows" title={tb.title} note={t('dash.flows_note')} columns={tableCols(tb)} rows={tableRows(tb)} height={320}>
      <Sankey links={links} height={320} />
    </ChartCard>
  );
}

function TableCard({ tb }) {
  const dl = (name, blob) => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  };
  return (
    <details class="card stat-table">
      <summary>{tb.title}</summary>
      <div class="chart-actions">
        <button type="button" onClick={() => dl(`${tb.id}.csv`, new Blob([toCsv(tableCols(tb), tableRows(tb))], { type: 'text/csv' }))}>CSV</button>
        <button type="button" onClick={() => dl(`${tb.id}.xlsx`, new Blob([xlsx(tableCols(tb), tableRows(tb), tb.title)]))}>XLSX</button>
      </div>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              {tableCols(tb).map((c, i) => (
                <th scope="col" key={i}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {tableRows(tb).map((r, i) => (
              <tr key={i}>
                {r.map((v, j) =>
                  j === 0 ? (
                    <th scope="row" key={j}>
                      {v}
                    </th>
                  ) : (
                    <td key={j}>{typeof v === 'number' ? fmtNum(v) : v}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul class="muted notes">
        {(tb.notes || []).map((n, i) => (
          <li key={i}>{n}</li>
        ))}
      </ul>
    </details>
  );
}

// The hidden-victim estimate (GET /estimate over the agencies' lists,
// docs/estimate.md): the estimate with its interval, the model, the
// overlap table (which lists each group of victims is on) and, for exact
// counts, the bootstrap distribution. Analysts get the published view
// (small overlaps masked, no replicates).
function Estimate({ exact, years }) {
  // one population: the agencies of one country (3 to 12 lists); by default
  // the country with the most agencies
  const ag = useLoad(() => get('/agencies'), []);
  const counts = {};
  for (const a of ag.data?.agencies || []) if (a.country) counts[a.country] = (counts[a.country] || 0) + 1;
  const countries = Object.keys(counts).sort((x, y) => counts[y] - counts[x] || x.localeCompare(y));
  const names = useCodes('countries');
  const [country, setCountry] = useState(null);
  const pop = country ?? countries[0] ?? '';
  const e = useLoad(
    () => (ag.loading ? new Promise(() => {}) : get(EP.estimate, { lists: 'agency', ...(pop ? { country: pop } : {}), ...years, ...(exact ? { publish: 'false', replicates: 'true' } : {}) })),
    [exact, pop, ag.loading, JSON.stringify(years)],
  );
  const picker = (
    <Select
      label={t('dash.population')}
      name="population"
      value={pop}
      onChange={setCountry}
      options={[{ code: '', label: t('dash.population_all') }, ...countries.map((c) => ({ code: c, label: `${label(names, c)} (${counts[c]})` }))]}
    />
  );
  if (e.loading && !e.data) return <Loading />;
  if (e.missing) return <Waiting what={t('dash.estimate')} />;
  const head = (
    <>
      <h2 id="est-h">{t('dash.estimate')}</h2>
      <p class="muted">{t('dash.population_hint')}</p>
      {picker}
    </>
  );
  if (e.error)
    return (
      <section class="card estimate" aria-labelledby="est-h">
        {head}
        <p>{t('dash.no_estimate', { reason: e.error.message })}</p>
      </section>
    );
  const d = Array.isArray(e.data) ? e.data[0] : e.data;
  if (!d) return null;
  if (d.estimate === null || d.estimate === undefined)
    return (
      <section class="card estimate" aria-labelledby="est-h">
        {head}
        <p>{t('dash.no_estimate', { reason: d.reason || '' })}</p>
      </section>
    );
  const iv = d.interval || {};
  const lists = d.lists || [];
  const overlaps = d.overlaps || [];
  const n = (v) => (typeof v === 'number' ? fmtNum(Math.round(v)) : String(v ?? '—'));
  const ovCols = [...lists, t('dash.victims')];
  const ovRows = overlaps.map((o) => [...lists.map((l) => (o.slice(0, -1).includes(l) ? '✓' : '')), o[o.length - 1]]);
  return (
    <div class="grid-2 charts">
      <section class="card estimate" aria-labelledby="est-h">
        {head}
        <p class="big-number">{n(d.estimate)}</p>
        <p>
          {t('dash.estimate_text', {
            obs: n(d.n_obs),
            hidden: n(d.hidden),
            lo: n(iv.lower),
            hi: n(iv.upper),
            level: Math.round((iv.level || 0.95) * 100),
            method: iv.method || '',
          })}
        </p>
        {d.model && (
          <p class="muted">
            {t('dash.model', { terms: (d.model.terms || []).map((x) => x.term).join(', ') || t('dash.model_none') })}
            {typeof d.model.deviance === 'number' && ` · ${t('dash.fit', { dev: fmtNum(d.model.deviance, { maximumFractionDigits: 2 }), df: d.model.df, aic: fmtNum(d.model.aic, { maximumFractionDigits: 1 }) })}`}
          </p>
        )}
        {(d.warnings || []).length > 0 && (
          <ul class="warnings">
            {d.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        )}
        {overlaps.length > 0 && (
          <div class="table-wrap" tabIndex={0}>
            <table class="overlaps">
              <caption>{t('dash.overlaps')}</caption>
              <thead>
                <tr>
                  {ovCols.map((c, i) => (
                    <th scope="col" key={i}>
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {ovRows.map((r, i) => (
                  <tr key={i}>
                    {r.map((v, j) => (
                      <td key={j}>{j === r.length - 1 ? n(v) : v}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {Array.isArray(d.replicates) && d.replicates.length > 0 ? (
        <ChartCard id="bootstrap" title={t('dash.bootstrap')} note={t('dash.bootstrap_note', { n: d.replicates.length })} columns={[t('dash.replicate'), t('dash.estimate_short')]} rows={d.replicates.map((v, i) => [i + 1, v])}>
          <Histogram
            values={d.replicates.filter((v) => typeof v === 'number')}
            marks={[
              { x: iv.lower, label: n(iv.lower) },
              { x: d.estimate, label: n(d.estimate) },
              { x: iv.upper, label: n(iv.upper) },
            ]}
          />
        </ChartCard>
      ) : (
        <section class="card">
          <h2>{t('dash.bootstrap')}</h2>
          <p class="muted">{t('dash.bootstrap_published')}</p>
        </section>
      )}
    </div>
  );
}

// Registry outcomes (GET /stats/registries): missing-child reports by
// outcome, placements by exit, child victims previously missing or in care.
function Registries({ exact }) {
  const r = useLoad(() => get(EP.stats('registries'), exact ? { publish: 'false' } : {}), [exact]);
  if (r.missing || (r.loading && !r.data)) return null;
  if (r.error) return <ErrorBox error={r.error} />;
  const tabs = r.data?.tables || [];
  return tabs.map((tb) => <BarsOf key={tb.id} id={`registries-${tb.id}`} tb={tb} pick="total-column" />);
}



export function Dashboard() {
  const [years, setYears] = useState({ from: '', to: '', exact: false });
  const [q, setQ] = useState({});
  // coordinators may read exact counts (not for publication); analysts
  // only the published tables (the server refuses them the exact ones)
  const mayExact = role() === 'coordinator';
  const st = useLoad(() => get(EP.stats('tables'), q), [JSON.stringify(q)]);
  const tabs = st.data?.tables || [];
  const yearErr = (v) => (v && !/^\d{4}$/.test(v) ? t('dash.year_format') : '');
  return (
    <section>
      <h1>{t('dash.title')}</h1>
      <p class="muted">
        {t('dash.anonymised')} {st.data?.published ? t('dash.published') : st.data ? t('dash.exact_shown') : ''}
      </p>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (!yearErr(years.from) && !yearErr(years.to)) setQ({ from: years.from, to: years.to, ...(years.exact ? { publish: 'false' } : {}) });
        }}
      >
        <TextInput label={t('dash.from')} name="from" inputMode="numeric" value={years.from} onInput={(v) => setYears({ ...years, from: v })} error={yearErr(years.from)} />
        <TextInput label={t('dash.to')} name="to" inputMode="numeric" value={years.to} onInput={(v) => setYears({ ...years, to: v })} error={yearErr(years.to)} />
        {mayExact && (
          <label class="check filter-check">
            <input type="checkbox" name="exact" checked={years.exact} onChange={(e) => setYears({ ...years, exact: e.currentTarget.checked })} />
            <span>{t('dash.exact')}</span>
          </label>
        )}
        <div class="filter-actions">
          <button type="submit">{t('cases.apply')}</button>
        </div>
      </form>
      {st.loading && !st.data && <Loading />}
      {st.missing && <Waiting what={t('dash.stats')} />}
      <ErrorBox error={st.missing ? null : st.error} />
      {st.data && (
        <>
          <p class="big-number" aria-describedby="victims-total-label">
            {fmtNum(st.data.victims)}
          </p>
          <p id="victims-total-label">{t('dash.victims_total')}</p>
          <div class="grid-2 charts">
            {table(tabs, 'victims_glotip_forms') && <BarsOf id="victims-sex-age" tb={table(tabs, 'victims_glotip_forms')} pick="total-row" title={t('dash.sex_age')} />}
            {table(tabs, 'victims_forms') && <BarsOf id="victims-forms" tb={table(tabs, 'victims_forms')} pick="total-column" />}
            {table(tabs, 'victims_year') && <Trends tb={table(tabs, 'victims_year')} />}
            {table(tabs, 'flows_matrix') && <Flows tb={table(tabs, 'flows_matrix')} />}
            {table(tabs, 'persons_sex') && <BarsOf id="proceedings-funnel" tb={table(tabs, 'persons_sex')} pick="total-column" title={t('dash.funnel')} />}
            {table(tabs, 'flows') && <BarsOf id="flows-kind" tb={table(tabs, 'flows')} pick="total-column" />}
            <Registries exact={q.publish === 'false'} />
          </div>
          {can('estimate.run') && <Estimate exact={q.publish === 'false'} years={q.from || q.to ? { ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) } : {}} />}
          <h2>{t('dash.all_tables')}</h2>
          {tabs.map((tb) => (
            <TableCard key={tb.id} tb={tb} />
          ))}
        </>
      )}
    </section>
  );
}
