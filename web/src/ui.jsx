// Small shared pieces: labelled fields with their errors, lists of codes,
// messages, tables. Every control has a visible label; errors are tied to
// their field with aria-describedby and announced.
import { useEffect, useState } from 'preact/hooks';
import { codes, missingEndpoint } from './api.js';
import { fmtDate, getLang, t } from './i18n.js';

let uid = 0;
export function useId(prefix) {
  const [id] = useState(() => `${prefix || 'f'}-${++uid}`);
  return id;
}

export function Field({ label, error, hint, children, id }) {
  const errId = `${id}-err`;
  const hintId = `${id}-hint`;
  const described = [hint ? hintId : null, error ? errId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      {hint && (
        <div class="hint" id={hintId}>
          {hint}
        </div>
      )}
      {children({ id, 'aria-describedby': described, 'aria-invalid': error ? 'true' : undefined })}
      {error && (
        <div class="error-text" id={errId} role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

export function TextInput({ label, value, onInput, error, hint, type, name, required, autocomplete, ...rest }) {
  const id = useId(name);
  return (
    <Field label={label + (required ? ' *' : '')} error={error} hint={hint} id={id}>
      {(a) => (
        <input
          {...a}
          {...rest}
          name={name}
          type={type || 'text'}
          value={value ?? ''}
          required={required}
          autocomplete={autocomplete || 'off'}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}

export function TextArea({ label, value, onInput, error, name, required }) {
  const id = useId(name);
  return (
    <Field label={label + (required ? ' *' : '')} error={error} id={id}>
      {(a) => <textarea {...a} name={name} rows={3} value={value ?? ''} onInput={(e) => onInput(e.currentTarget.value)} />}
    </Field>
  );
}

export function useCodes(name) {
  const [list, setList] = useState([]);
  const lang = getLang();
  useEffect(() => {
    let live = true;
    codes(name).then(
      (l) => live && setList(l),
      () => live && setList([]),
    );
    return () => {
      live = false;
    };
  }, [name, lang]);
  return list;
}

export function label(list, code) {
  const e = list.find((x) => x.code === code);
  return e ? e.label : code;
}

export function Select({ label: text, value, onChange, options, error, name, empty, required }) {
  const id = useId(name);
  return (
    <Field label={text + (required ? ' *' : '')} error={error} id={id}>
      {(a) => (
        <select {...a} name={name} value={value ?? ''} onChange={(e) => onChange(e.currentTarget.value)}>
          {empty !== undefined && <option value="">{empty}</option>}
          {options.map((o) => (
            <option key={o.code} value={o.code}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function CodeSelect({ list, ...rest }) {
  const options = useCodes(list);
  return <Select options={options} {...rest} />;
}

// A group of checkboxes over a code list, as a fieldset with a legend.
export function CodeChecks({ list, legend, value, onChange, error, name }) {
  const options = useCodes(list);
  const id = useId(name);
  const v = value || [];
  return (
    <fieldset class={`checks${error ? ' has-error' : ''}`} aria-describedby={error ? `${id}-err` : undefined}>
      <legend>{legend}</legend>
      <div class="check-grid">
        {options.map((o) => (
          <label key={o.code} class="check">
            <input
              type="checkbox"
              name={name}
              value={o.code}
              checked={v.includes(o.code)}
              onChange={(e) =>
                onChange(e.currentTarget.checked ? [...v, o.code] : v.filter((x) => x !== o.code))
              }
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {error && (
        <div class="error-text" id={`${id}-err`} role="alert">
          {error}
        </div>
      )}
    </fieldset>
  );
}

// What went wrong, in words a user can act on.
export function explain(e) {
  if (!e) return '';
  if (e.code === 'network') return t('error.network');
  if (e.status === 403) return `${t('error.forbidden')} ${e.message ? `(${e.message})` : ''}`;
  if (e.status === 404) return t('error.not_found');
  if (e.status === 429) return t('error.rate');
  if (e.status >= 500) return `${t('error.server')} ${e.message || ''}`;
  return e.message || t('error.unknown');
}

export function ErrorBox({ error }) {
  if (!error) return null;
  return (
    <div class="alert alert-error" role="alert">
      {explain(error)}
    </div>
  );
}

export function Notice({ children, kind }) {
  return (
    <div class={`alert alert-${kind || 'info'}`} role="status">
      {children}
    </div>
  );
}

export function Waiting({ what }) {
  return <Notice>{t('waiting.endpoint', { what })}</Notice>;
}

export function Loading() {
  return (
    <p class="loading" role="status">
      {t('loading')}
    </p>
  );
}

// Loads data for a screen; reload() after a change.
export function useLoad(fn, deps) {
  const [st, setSt] = useState({ loading: true, data: null, error: null, missing: false });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setSt((s) => ({ ...s, loading: true }));
    fn().then(
      (data) => live && setSt({ loading: false, data, error: null, missing: false }),
      (error) => live && setSt({ loading: false, data: null, error, missing: missingEndpoint(error) }),
    );
    return () => {
      live = false;
    };
  }, [...deps, n, getLang()]);
  return { ...st, reload: () => setN((x) => x + 1) };
}

// A date of the API in the user's language, as a <time> element whose
// datetime is the ISO value (a formatted date is marked as one, e.g. for
// the e2e test's scan for names, which skips dates such as "12 Jan").
export function DateText({ value }) {
  if (!value) return <span>—</span>;
  return <time datetime={value}>{fmtDate(value)}</time>;
}

export function Yes({ value }) {
  if (value === null || value === undefined) return <span>{t('unknown')}</span>;
  return <span>{value ? t('yes') : t('no')}</span>;
}

export function Badge({ children, kind }) {
  return <span class={`badge badge-${kind || 'plain'}`}>{children}</span>;
}

export function short(id) {
  return id ? id.slice(-8) : '';
}

// Reason prompt for actions the server audits with a reason.
export function ReasonForm({ onSubmit, submitLabel, busy, error, children }) {
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const fe = error?.fieldErrors?.() || {};
  const local = touched && !reason.trim() ? t('form.reason_required') : '';
  return (
    <form
      class="reason-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (reason.trim()) onSubmit(reason.trim());
      }}
    >
      {children}
      <TextInput label={t('form.reason')} name="reason" value={reason} required onInput={(v) => (setReason(v), setTouched(true))} error={local || fe.reason} />
      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
