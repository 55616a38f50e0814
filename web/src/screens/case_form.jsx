// New case / edit case. Checks as the user types (dates, ages, required
// choices); the server's own problems appear beside their field (by path,
// e.g. persons[0].age). Nothing typed is lost: the draft is kept in the
// tab's sessionStorage until saved; a 412 shows both versions; an expired
// session signs in again and the same request is sent (api.js).
import { useEffect, useState } from 'preact/hooks';
import { api, get } from '../api.js';
import { t } from '../i18n.js';
import { go } from '../state.js';
import { CodeChecks, CodeSelect, ErrorBox, Loading, Notice, Select, TextInput, useCodes } from '../ui.jsx';

const EMPTY_PERSON = { role: 'victim', given_name: '', family_name: '', sex: '', date_of_birth: '', age: '', age_uncertain: false, citizenship: '' };
const EMPTY = { source_id: '', status: 'active', acts: [], means: [], purposes: [], origin: '', exploitation: '', identification: '', recruitment: '', persons: [{ ...EMPTY_PERSON }] };

// case JSON -> the form's flat draft, and back
function toDraft(c) {
  return {
    source_id: c.source_id || '',
    status: c.status || 'active',
    acts: c.acts || [],
    means: c.means || [],
    purposes: c.purposes || [],
    origin: c.countries?.origin || '',
    exploitation: c.countries?.exploitation || '',
    identification: c.dates?.identification || '',
    recruitment: c.dates?.recruitment || '',
    persons: (c.persons || []).map((p) => ({
      ...EMPTY_PERSON,
      ...p,
      age: p.age ?? '',
      citizenship: (p.citizenship || [])[0] || '',
    })),
  };
}

function fromDraft(d, base) {
  const c = { ...(base || {}) };
  const set = (k, v) => (v === '' || v === undefined || (Array.isArray(v) && !v.length) ? delete c[k] : (c[k] = v));
  set('source_id', d.source_id.trim());
  set('status', d.status);
  set('acts', d.acts);
  set('means', d.means);
  set('purposes', d.purposes);
  const countries = { ...(base?.countries || {}) };
  d.origin ? (countries.origin = d.origin) : delete countries.origin;
  d.exploitation ? (countries.exploitation = d.exploitation) : delete countries.exploitation;
  set('countries', Object.keys(countries).length ? countries : '');
  const dates = { ...(base?.dates || {}) };
  d.identification ? (dates.identification = d.identification) : delete dates.identification;
  d.recruitment ? (dates.recruitment = d.recruitment) : delete dates.recruitment;
  set('dates', Object.keys(dates).length ? dates : '');
  c.persons = d.persons.map((p) => {
    const o = { ...p };
    for (const k of ['given_name', 'family_name', 'sex', 'date_of_birth']) {
      if (typeof o[k] === 'string') o[k] = o[k].trim();
      if (!o[k]) delete o[k];
    }
    if (o.age === '' || o.age === null) delete o.age;
    else o.age = Number(o.age);
    o.citizenship = p.citizenship ? [p.citizenship] : undefined;
    if (!o.citizenship) delete o.citizenship;
    if (!o.age_uncertain) delete o.age_uncertain;
    return o;
  });
  return c;
}

const DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

function checkDate(v, from) {
  if (!v) return '';
  if (!DATE.test(v)) return t('form.partial_date');
  const y = Number(v.slice(0, 4));
  if (y < from) return t('form.date_before', { year: from });
  if (v > new Date().toISOString().slice(0, v.length)) return t('form.date_future');
  return '';
}

// What the form can say before the server does.
export function validate(d) {
  const e = {};
  if (!d.purposes.length) e.purposes = t('form.pick_purpose');
  const di = checkDate(d.identification, 1990);
  if (di) e['dates.identification'] = di;
  const dr = checkDate(d.recruitment, 1990);
  if (dr) e['dates.recruitment'] = dr;
  if (!d.persons.some((p) => p.role === 'victim')) e.persons = t('form.need_victim');
  d.persons.forEach((p, i) => {
    const db = checkDate(p.date_of_birth, 1900);
    if (db) e[`persons[${i}].date_of_birth`] = db;
    if (p.age !== '' && p.age !== null && p.age !== undefined) {
      const n = Number(p.age);
      if (!Number.isInteger(n) || n < 0 || n > 120) e[`persons[${i}].age`] = t('form.age_range');
    }
  });
  return e;
}

function draftKey(id) {
  return `ctip.draft.${id || 'new'}`;
}

function Conflict({ mine, theirs, onKeepMine, onTakeTheirs }) {
  return (
    <section class="card conflict" aria-labelledby="conflict-h">
      <h2 id="conflict-h">{t('conflict.title')}</h2>
      <p>{t('conflict.text')}</p>
      <div class="grid-2">
        <div>
          <h3>{t('conflict.mine')}</h3>
          <pre class="json">{JSON.stringify(mine, null, 2)}</pre>
        </div>
        <div>
          <h3>{t('conflict.theirs', { v: theirs.version })}</h3>
          <pre class="json">{JSON.stringify(theirs, null, 2)}</pre>
        </div>
      </div>
      <div class="actions">
        <button type="button" class="primary" onClick={onKeepMine}>
          {t('conflict.keep_mine')}
        </button>
        <button type="button" onClick={onTakeTheirs}>
          {t('conflict.take_theirs')}
        </button>
      </div>
    </section>
  );
}

export function CaseForm({ id }) {
  const [base, setBase] = useState(null); // the case as read (edit)
  const [etag, setEtag] = useState(null);
  const [draft, setDraft] = useState(null);
  const [touched, setTouched] = useState({});
  const [serverErr, setServerErr] = useState({});
  const [error, setError] = useState(null);
  const [conflict, setConflict] = useState(null);
  const [busy, setBusy] = useState(false);
  const [restored, setRestored] = useState(false);
  const sexes = useCodes('sexes');
  const roles = useCodes('person_roles');
  const countries = useCodes('countries');

  useEffect(() => {
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(draftKey(id)) || 'null');
    } catch (e) {
      saved = null;
    }
    if (!id) {
      setDraft(saved || { ...EMPTY, persons: [{ ...EMPTY_PERSON }] });
      setRestored(!!saved);
      return;
    }
    api('GET', `/cases/${id}`).then(
      (r) => {
        setBase(r.data);
        setEtag(r.etag);
        setDraft(saved || toDraft(r.data));
        setRestored(!!saved);
      },
      setError,
    );
  }, [id]);

  useEffect(() => {
    if (draft) sessionStorage.setItem(draftKey(id), JSON.stringify(draft));
  }, [draft]);

  if (!draft) return error ? <ErrorBox error={error} /> : <Loading />;
  const local = validate(draft);
  const err = (k) => serverErr[k] || (touched[k] || touched._all ? local[k] : '');
  const upd = (k, v) => {
    setDraft({ ...draft, [k]: v });
    setTouched({ ...touched, [k]: true });
    setServerErr({ ...serverErr, [k]: undefined });
  };
  const dkey = { identification: 'dates.identification', recruitment: 'dates.recruitment' };
  const updDate = (k, v) => {
    setDraft({ ...draft, [k]: v });
    setTouched({ ...touched, [dkey[k]]: true });
    setServerErr({ ...serverErr, [dkey[k]]: undefined });
  };
  const updP = (i, k, v) => {
    const persons = draft.persons.map((p, j) => (j === i ? { ...p, [k]: v } : p));
    const path = `persons[${i}].${k}`;
    setDraft({ ...draft, persons });
    setTouched({ ...touched, [path]: true });
    setServerErr({ ...serverErr, [path]: undefined });
  };

  const save = async (useEtag) => {
    setTouched({ _all: true });
    if (Object.keys(validate(draft)).length) {
      setError(null);
      return;
    }
    setBusy(true);
    setError(null);
    const body = fromDraft(draft, base);
    try {
      const r = id
        ? await api('PUT', `/cases/${id}`, { body, etag: useEtag || etag })
        : await api('POST', '/cases', { body });
      sessionStorage.removeItem(draftKey(id));
      go(`cases/${r.data.id || id}`);
    } catch (e) {
      if (e.status === 412 && e.current) {
        setConflict({ mine: body, theirs: e.current });
      } else {
        setServerErr(e.fieldErrors());
        setError(e);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>{id ? t('caseform.edit_title') : t('caseform.new_title')}</h1>
      {restored && <Notice>{t('caseform.restored')}</Notice>}
      {conflict && (
        <Conflict
          mine={conflict.mine}
          theirs={conflict.theirs}
          onKeepMine={() => {
            const v = `"${conflict.theirs.version}"`;
            setBase(conflict.theirs);
            setEtag(v);
            setConflict(null);
            save(v);
          }}
          onTakeTheirs={() => {
            setBase(conflict.theirs);
            setEtag(`"${conflict.theirs.version}"`);
            setDraft(toDraft(conflict.theirs));
            setConflict(null);
          }}
        />
      )}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <ErrorBox error={error} />
        <div class="card">
          <h2>{t('caseform.situation')}</h2>
          <div class="grid-3">
            <TextInput label={t('case.reference')} name="source_id" value={draft.source_id} onInput={(v) => upd('source_id', v)} error={err('source_id')} hint={t('caseform.reference_hint')} />
            <CodeSelect list="case_statuses" label={t('case.status')} name="status" value={draft.status} onChange={(v) => upd('status', v)} error={err('status')} />
            <TextInput label={t('case.identified')} name="identification" value={draft.identification} placeholder="2024-03-15" onInput={(v) => updDate('identification', v)} error={err('dates.identification')} hint={t('form.partial_date_hint')} />
            <TextInput label={t('case.recruited')} name="recruitment" value={draft.recruitment} placeholder="2024-01" onInput={(v) => updDate('recruitment', v)} error={err('dates.recruitment')} hint={t('form.partial_date_hint')} />
            <Select label={t('case.origin')} name="origin" empty="—" options={countries} value={draft.origin} onChange={(v) => upd('origin', v)} error={err('countries.origin')} />
            <Select label={t('case.exploitation')} name="exploitation" empty="—" options={countries} value={draft.exploitation} onChange={(v) => upd('exploitation', v)} error={err('countries.exploitation')} />
          </div>
          <CodeChecks list="acts" legend={t('case.acts')} name="acts" value={draft.acts} onChange={(v) => upd('acts', v)} error={err('acts')} />
          <CodeChecks list="means" legend={t('case.means')} name="means" value={draft.means} onChange={(v) => upd('means', v)} error={err('means')} />
          <CodeChecks list="purposes" legend={t('case.purposes') + ' *'} name="purposes" value={draft.purposes} onChange={(v) => upd('purposes', v)} error={err('purposes')} />
        </div>
        <div class="card">
          <h2>{t('case.persons')}</h2>
          {err('persons') && (
            <div class="error-text" role="alert">
              {err('persons')}
            </div>
          )}
          {draft.persons.map((p, i) => (
            <fieldset class="person-fields" key={i}>
              <legend>
                {t('caseform.person_n', { n: i + 1 })}
              </legend>
              <div class="grid-3">
                <Select label={t('person.role')} name={`persons[${i}].role`} options={roles} value={p.role} onChange={(v) => updP(i, 'role', v)} error={err(`persons[${i}].role`)} />
                <TextInput label={t('person.given_name')} name={`persons[${i}].given_name`} value={p.given_name} onInput={(v) => updP(i, 'given_name', v)} error={err(`persons[${i}].given_name`)} />
                <TextInput label={t('person.family_name')} name={`persons[${i}].family_name`} value={p.family_name} onInput={(v) => updP(i, 'family_name', v)} error={err(`persons[${i}].family_name`)} />
                <Select label={t('person.sex')} name={`persons[${i}].sex`} empty="—" options={sexes} value={p.sex} onChange={(v) => updP(i, 'sex', v)} error={err(`persons[${i}].sex`)} />
                <TextInput label={t('person.date_of_birth')} name={`persons[${i}].date_of_birth`} value={p.date_of_birth} onInput={(v) => updP(i, 'date_of_birth', v)} error={err(`persons[${i}].date_of_birth`)} hint={t('form.partial_date_hint')} />
                <TextInput label={t('person.age')} name={`persons[${i}].age`} inputMode="numeric" value={p.age} onInput={(v) => updP(i, 'age', v)} error={err(`persons[${i}].age`)} />
                <Select label={t('person.citizenship')} name={`persons[${i}].citizenship`} empty="—" options={countries} value={p.citizenship} onChange={(v) => updP(i, 'citizenship', v)} error={err(`persons[${i}].citizenship`)} />
              </div>
              <label class="check">
                <input type="checkbox" name={`persons[${i}].age_uncertain`} checked={!!p.age_uncertain} onChange={(e) => updP(i, 'age_uncertain', e.currentTarget.checked)} />
                <span>{t('person.age_uncertain')}</span>
              </label>
              {draft.persons.length > 1 && !p.id && (
                <button type="button" class="link" onClick={() => setDraft({ ...draft, persons: draft.persons.filter((_, j) => j !== i) })}>
                  {t('caseform.remove_person')}
                </button>
              )}
            </fieldset>
          ))}
          <button type="button" onClick={() => setDraft({ ...draft, persons: [...draft.persons, { ...EMPTY_PERSON }] })}>
            {t('caseform.add_person')}
          </button>
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('form.save')}
          </button>
          <button
            type="button"
            onClick={() => {
              sessionStorage.removeItem(draftKey(id));
              go(id ? `cases/${id}` : 'cases');
            }}
          >
            {t('form.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

export { get };
