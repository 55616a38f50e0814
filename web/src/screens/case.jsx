// Case view: what the agency recorded, each victim with the Protocol art. 3
// test element by element (act, means, purpose; for a child means are not
// needed), and the way to each person's NRM record.
import { get } from '../api.js';
import { fmtNum, t } from '../i18n.js';
import { can } from '../state.js';
import { Badge, DateText, ErrorBox, Loading, label, short, useCodes, useLoad } from '../ui.jsx';
import { personName } from './cases.jsx';

function codesText(list, values) {
  return (values || []).map((v) => label(list, v)).join(', ') || '—';
}

function Element({ name, ok, needed }) {
  return (
    <li class={`element ${ok ? 'ok' : needed ? 'missing' : 'na'}`}>
      <span class="element-mark" aria-hidden="true">
        {ok ? '✓' : needed ? '✗' : '–'}
      </span>
      <span>
        {t(`assess.${name}`)}: {ok ? t('assess.present') : needed ? t('assess.missing') : t('assess.not_needed')}
      </span>
    </li>
  );
}

export function Assessment({ a, persons }) {
  if (!a) return null;
  return (
    <section class="card" aria-labelledby="assess-h">
      <h2 id="assess-h">{t('assess.title')}</h2>
      <p>
        <strong>{a.trafficking ? t('assess.holds') : t('assess.not_holds')}</strong>
      </p>
      {(a.victims || []).map((v, i) => {
        const p = persons.find((x) => x.id === v.person);
        return (
          <div class="victim-assess" key={i}>
            <h3>
              {p && personName(p) ? personName(p) : `${t('person.victim')} ${i + 1}`}{' '}
              {v.child ? <Badge kind="child">{t('case.child')}</Badge> : v.child === null ? <Badge>{t('assess.age_unknown')}</Badge> : null}
            </h3>
            <ul class="elements">
              <Element name="act" ok={v.elements.act} needed />
              <Element name="means" ok={v.elements.means} needed={v.child !== true} />
              <Element name="purpose" ok={v.elements.purpose} needed />
            </ul>
            <p class="muted">
              {v.trafficking ? t('assess.victim_holds') : t('assess.victim_not_holds')}
              {v.age && v.age.basis !== 'unknown' && (
                <>
                  {' · '}
                  {t('assess.age_basis', {
                    basis: t(`assess.basis.${v.age.basis}`),
                    range: v.age.min === v.age.max ? fmtNum(v.age.min) : `${v.age.min ?? '?'}–${v.age.max ?? '?'}`,
                  })}
                </>
              )}
            </p>
          </div>
        );
      })}
    </section>
  );
}

export function CaseView({ id }) {
  const c = useLoad(() => get(`/cases/${id}`), [id]);
  const a = useLoad(() => get(`/cases/${id}/assessment`), [id]);
  const acts = useCodes('acts');
  const means = useCodes('means');
  const purposes = useCodes('purposes');
  const statuses = useCodes('case_statuses');
  const sexes = useCodes('sexes');
  const stages = useCodes('nrm_stages');
  const countries = useCodes('countries');
  if (c.loading && !c.data) return <Loading />;
  if (c.error) return <ErrorBox error={c.error} />;
  const d = c.data;
  const persons = d.persons || [];
  return (
    <section>
      <div class="page-head">
        <h1>
          {t('case.title')} {d.source_id || short(d.id)}
        </h1>
        {can('case.write') && (
          <a class="button" href={`#/cases/${id}/edit`}>
            {t('case.edit')}
          </a>
        )}
      </div>
      <div class="grid-2">
        <section class="card" aria-labelledby="facts-h">
          <h2 id="facts-h">{t('case.facts')}</h2>
          <dl class="facts">
            <dt>{t('case.status')}</dt>
            <dd>{label(statuses, d.status)}</dd>
            <dt>{t('case.agency')}</dt>
            <dd>{d.agency}</dd>
            <dt>{t('case.acts')}</dt>
            <dd>{codesText(acts, d.acts)}</dd>
            <dt>{t('case.means')}</dt>
            <dd>{codesText(means, d.means)}</dd>
            <dt>{t('case.purposes')}</dt>
            <dd>{codesText(purposes, d.purposes)}</dd>
            <dt>{t('case.origin')}</dt>
            <dd>{d.countries?.origin ? label(countries, d.countries.origin) : '—'}</dd>
            <dt>{t('case.exploitation')}</dt>
            <dd>{d.countries?.exploitation ? label(countries, d.countries.exploitation) : '—'}</dd>
            <dt>{t('case.identified')}</dt>
            <dd>
              <DateText value={d.dates?.identification} />
            </dd>
            <dt>{t('case.recruited')}</dt>
            <dd>
              <DateText value={d.dates?.recruitment} />
            </dd>
          </dl>
        </section>
        {a.error ? <ErrorBox error={a.error} /> : <Assessment a={a.data} persons={persons} />}
      </div>
      <section class="card" aria-labelledby="persons-h">
        <h2 id="persons-h">{t('case.persons')}</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('person.name')}</th>
                <th scope="col">{t('person.role')}</th>
                <th scope="col">{t('person.sex')}</th>
                <th scope="col">{t('person.age')}</th>
                <th scope="col">{t('person.stage')}</th>
              </tr>
            </thead>
            <tbody>
              {persons.map((p, i) => (
                <tr key={p.id || i}>
                  <td>
                    {p.id && can('person.read') ? (
                      <a href={`#/persons/${p.id}`}>{personName(p) || `${t(`person.${p.role}`)} ${short(p.id)}`}</a>
                    ) : (
                      personName(p) || t(`person.${p.role}`)
                    )}
                  </td>
                  <td>{t(`person.${p.role}`)}</td>
                  <td>{label(sexes, p.sex)}</td>
                  <td>
                    {typeof p.age === 'number' ? fmtNum(p.age) : p.date_of_birth ? <DateText value={p.date_of_birth} /> : '—'}
                    {p.age_uncertain && ` (${t('person.age_uncertain_short')})`}
                  </td>
                  <td>{p.role === 'victim' ? label(stages, p.nrm_stage) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <p class="muted">
        {t('record.version', { v: d.version ?? '?' })}
      </p>
    </section>
  );
}
