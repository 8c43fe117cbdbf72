import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiRequestError, authHeaders, getJson, type FileRow } from '../api';
import { ErrorBox, Loading } from '../components/ui';

interface FieldError {
  path: string;
  message: string;
}

/** A request whose 400 answer carries the profile's field-level errors (`error.fields`). */
async function sendProfile(
  method: 'PUT' | 'POST',
  path: string,
  body: string,
): Promise<{ fields: FieldError[]; message?: string }> {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    return { fields: [{ path: '(JSON)', message: (err as Error).message }] };
  }
  const res = await fetch(path, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json', ...authHeaders() },
    body: JSON.stringify(doc),
  });
  if (res.ok) return { fields: [] };
  const e = ((await res.json().catch(() => ({}))) as { error?: { message?: string; fields?: FieldError[] } }).error;
  if (e?.fields?.length) return { fields: e.fields, ...(e.message ? { message: e.message } : {}) };
  throw new ApiRequestError(e?.message ?? `HTTP ${res.status}`, res.status);
}

const EXAMPLE = `{
  "name": "lab-du1",
  "scs_khz": 30,
  "nrb": 273,
  "eaxc_bits": { "du_port": 4, "band_sector": 4, "cc": 4, "ru_port": 4 },
  "uplane": { "comp_method": "bfp", "iq_width": 9, "comp_hdr": "static" },
  "timing": { "mode": "absolute", "windows_us": { "dl_uplane": [50, 400] } }
}`;

/** Named analysis profiles: choose, edit with field-level errors, save; re-analyse a file with one. */
export default function ProfilesPage() {
  const client = useQueryClient();
  const list = useQuery({
    queryKey: ['profiles'],
    queryFn: () => getJson<{ items: { name: string; updatedAt: string }[] }>('/api/profiles'),
  });
  const files = useQuery({
    queryKey: ['files', 'all'],
    queryFn: () => getJson<{ items: FileRow[] }>('/api/files?limit=500'),
  });
  const [name, setName] = useState('');
  const [text, setText] = useState(EXAMPLE);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [fileId, setFileId] = useState('');

  const open = async (n: string) => {
    const r = await getJson<{ name: string; profile: unknown }>(`/api/profiles/${encodeURIComponent(n)}`);
    setName(r.name);
    setText(JSON.stringify(r.profile, null, 2));
    setErrors([]);
    setNote(null);
  };
  useEffect(() => setNote(null), [text, name]);

  const run = async (what: 'validate' | 'save') => {
    setFailure(null);
    try {
      const r =
        what === 'save'
          ? await sendProfile('PUT', `/api/profiles/${encodeURIComponent(name)}`, text)
          : await sendProfile('POST', '/api/profiles/validate', text);
      setErrors(r.fields);
      if (r.fields.length === 0) {
        setNote(what === 'save' ? `Saved profile ${name}.` : 'The profile is valid.');
        if (what === 'save') void client.invalidateQueries({ queryKey: ['profiles'] });
      }
    } catch (err) {
      setFailure(err);
    }
  };

  const reanalyse = async () => {
    setFailure(null);
    const res = await fetch(`/api/files/${encodeURIComponent(fileId)}/reanalyse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders() },
      body: JSON.stringify({ profile: name }),
    });
    if (res.ok) setNote(`Re-analysis queued with profile ${name}: a new session will hold its findings.`);
    else
      setFailure(
        new Error(((await res.json()) as { error?: { message?: string } }).error?.message ?? `HTTP ${res.status}`),
      );
  };

  return (
    <main className="page profiles-page two-col">
      <section aria-label="Saved profiles">
        <h2>Profiles</h2>
        {list.isPending && <Loading what="profiles" />}
        {list.isError && <ErrorBox error={list.error} />}
        <ul>
          {list.data?.items.map((p) => (
            <li key={p.name}>
              <button className="link" onClick={() => void open(p.name)}>
                {p.name}
              </button>{' '}
              <span className="muted small">{new Date(p.updatedAt).toLocaleString()}</span>
            </li>
          ))}
        </ul>
        {list.data?.items.length === 0 && <p className="muted">No saved profile yet.</p>}
      </section>
      <section aria-label="Profile editor">
        <label>
          Name{' '}
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} aria-label="Profile name" />
        </label>
        <textarea
          aria-label="Profile JSON"
          className="mono profile-json"
          rows={18}
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
        />
        <div className="buttons">
          <button onClick={() => void run('validate')}>Validate</button>
          <button onClick={() => void run('save')} disabled={!name.trim()}>
            Save
          </button>
        </div>
        {errors.length > 0 && (
          <ul className="error" role="alert" aria-label="Profile errors">
            {errors.map((e, i) => (
              <li key={i}>
                <code>{e.path}</code>: {e.message}
              </li>
            ))}
          </ul>
        )}
        {note && (
          <p className="muted" role="status">
            {note}
          </p>
        )}
        {failure !== null && <ErrorBox error={failure} />}
        <h3>Re-analyse a file with this profile</h3>
        <select aria-label="File to re-analyse" value={fileId} onChange={(e) => setFileId(e.target.value)}>
          <option value="">choose a file</option>
          {files.data?.items.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </select>{' '}
        <button onClick={() => void reanalyse()} disabled={!fileId || !name.trim()}>
          Re-analyse
        </button>
        <p className="muted small">
          The profile format (every key optional; an unknown key is an error naming it) is described in the README,
          section “Analysis profiles”.
        </p>
      </section>
    </main>
  );
}
