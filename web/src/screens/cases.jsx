// Case list: filters (status, form of exploitation, agency, identification
// dates, child) go to the API (/cases?...); the search box narrows the
// loaded page by reference or name. Filters live in the URL, so Back keeps them.
import { useState } from 'preact/hooks';
import { get } from '../api.js';
import { fmtNum, t } from '../i18n.js';
import { can, go } from '../state.js';
import { Badge, CodeSelect, DateText, ErrorBox, Loading, Select, TextInput, label, short, useCodes, useLoad } from '../ui.jsx';

export function personName(p) {
  return [p.given_name, p.family_name].filter(Boolean).join(' ');
}

export function isChild(p) {
  if (p.age_uncertain) return true;
  if (typeof p.age === 'number') return p.age < 18;
  return (p.vulnerabilities || []).includes('unaccompanied_child');
}

const FILTERS = ['status', 'purpose', 'agency', 'from', 'to', 'child'];

export function Cases({ params }) {
  const f = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) || '']));
  const [draft, setDraft] = useState(f);
  const [search, setSearch] = useState('');
  const [pages, setPages] = useState([]);
  const statuses = useCodes('case_statuses');
  const purposes = useCodes('purposes');
  const agencies = useLoad(() => (can('agency.read') ? get('/agencies') : Promise.resolve({ agencies: [] })), []);
  const key = FILTERS.map((k) => f[k]).join('|');
  const first = useLoad(() => get('/cases', { ...f, limit: 50 }).then((d) => (setPages([]), d)), [key]);
  const dateErr = (v) => (v && !/^\d{4}-\d{2}-\d{2}$/.test(v) ? t('form.date_format') : '');
  const apply = (e) => {
    e.preventDefault();
    if (dateErr(draft.from) || dateErr(draft.to)) return;
    const q = new URLSearchParams();
    for (const k of FILTERS) if (draft[k]) q.set(k, draft[k]);
    go(`cases${q.toString() ? `?${q}` : ''}`);
  };
  const more = async () => {
    const last = pages.length ? pages[pages.length - 1] : first.data;
    const d = await get('/cases', { ...f, limit: 50, cursor: last.next_cursor });
    setPages([...pages, d]);
  };
  const all = first.data ? [first.data, ...pages].flatMap((p) => p.cases || []) : [];
  const next = (pages.length ? pages[pages.length - 1] : first.data)?.next_cursor;
  const s = search.trim().toLowerCase();
  const rows = s
    ? all.filter((c) =>
        [c.source_id, c.id, ...(c.persons || []).map(personName)].some((x) => x && x.toLowerCase().includes(s)),
      )
    : all;
  const agencyOptions = (agencies.data?.agencies || []).map((a) => ({ code: a.name, label: a.name }));
  return (
    <section>
      <div class="page-head">
        <h1>{t('cases.title')}</h1>
        {can('case.write') && (
          <a class="button primary" href="#/cases/new">
            {t('cases.new')}
          </a>
        )}
      </div>
      <form class="filters" onSubmit={apply} aria-label={t('cases.filters')}>
        <Select label={t('case.status')} name="status" empty={t('any')} options={statuses} value={draft.status} onChange={(v) => setDraft({ ...draft, status: v })} />
        <Select label={t('case.purpose')} name="purpose" empty={t('any')} options={purposes} value={draft.purpose} onChange={(v) => setDraft({ ...draft, purpose: v })} />
        {agencyOptions.length > 0 && (
          <Select label={t('case.agency')} name="agency" empty={t('any')} options={agencyOptions} value={draft.agency} onChange={(v) => setDraft({ ...draft, agency: v })} />
        )}
        <TextInput label={t('cases.from')} name="from" type="date" value={draft.from} onInput={(v) => setDraft({ ...draft, from: v })} error={dateErr(draft.from)} />
        <TextInput label={t('cases.to')} name="to" type="date" value={draft.to} onInput={(v) => setDraft({ ...draft, to: v })} error={dateErr(draft.to)} />
        <Select
          label={t('cases.child')}
          name="child"
          empty={t('any')}
          options={[
            { code: 'true', label: t('cases.child_yes') },
            { code: 'false', label: t('cases.child_no') },
          ]}
          value={draft.child}
          onChange={(v) => setDraft({ ...draft, child: v })}
        />
        <div class="filter-actions">
          <button type="submit">{t('cases.apply')}</button>
          <button type="button" onClick={() => (setDraft(Object.fromEntries(FILTERS.map((k) => [k, '']))), go('cases'))}>
            {t('cases.clear')}
          </button>
        </div>
      </form>
      <div class="search">
        <TextInput label={t('cases.search')} name="search" type="search" value={search} onInput={setSearch} hint={t('cases.search_hint')} />
      </div>
      <ErrorBox error={first.error} />
      {first.loading && !first.data ? (
        <Loading />
      ) : (
        <>
          <p class="muted" role="status">
            {t('cases.count', { n: rows.length })}
          </p>
          <div class="table-wrap">
            <table>
              <caption class="sr-only">{t('cases.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('case.reference')}</th>
                  <th scope="col">{t('case.victims')}</th>
                  <th scope="col">{t('case.status')}</th>
                  <th scope="col">{t('case.purposes')}</th>
                  <th scope="col">{t('case.agency')}</th>
                  <th scope="col">{t('case.identified')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => {
                  const victims = (c.persons || []).filter((p) => p.role === 'victim');
                  const names = victims.map(personName).filter(Boolean);
                  return (
                    <tr key={c.id}>
                      <td>
                        <a href={`#/cases/${c.id}`}>{c.source_id || short(c.id)}</a>
                      </td>
                      <td>
                        {names.length ? names.join(', ') : fmtNum(victims.length)}
                        {victims.some(isChild) && (
                          <>
                            {' '}
                            <Badge kind="child">{t('case.child')}</Badge>
                          </>
                        )}
                      </td>
                      <td>{label(statuses, c.status)}</td>
                      <td>{(c.purposes || []).map((p) => label(purposes, p)).join(', ')}</td>
                      <td>{c.agency}</td>
                      <td>
                        <DateText value={c.dates?.identification} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {next && (
            <button type="button" onClick={more}>
              {t('cases.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
