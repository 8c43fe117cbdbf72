import { lazy, Suspense, useState, type FormEvent } from 'react';
import { NavLink, Route, Routes } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiRequestError, authHeaders, getJson, sendJson, setToken, type AppConfig } from './api';
import { ErrorBox, Loading } from './components/ui';
import { SessionsPage } from './pages/SessionsPage';

// Pages with charts and large tables load on demand: the first screen stays small.
const DashboardPage = lazy(() => import('./pages/DashboardPage'));
const AnomaliesPage = lazy(() => import('./pages/AnomaliesPage'));
const AnomalyDetailPage = lazy(() => import('./pages/AnomalyDetailPage'));
const TimelinePage = lazy(() => import('./pages/TimelinePage'));
const FilePage = lazy(() => import('./pages/FilePage'));
const IncidentPage = lazy(() => import('./pages/IncidentPage'));
const ProfilesPage = lazy(() => import('./pages/ProfilesPage'));

function LoginForm() {
  const client = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await sendJson<{ token: string }>('POST', '/api/auth/login', { username, password });
      setToken(r.token);
      await client.invalidateQueries();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="login" onSubmit={submit} aria-label="Sign in">
      <h2>Sign in</h2>
      <label>
        User <input autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
      </label>
      <label>
        Password
        <input
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

export function App() {
  const client = useQueryClient();
  const config = useQuery({
    queryKey: ['config'],
    queryFn: () => getJson<AppConfig>('/api/config'),
    refetchInterval: false,
  });
  const needsLogin = config.error instanceof ApiRequestError && config.error.status === 401;

  return (
    <div className="app">
      <header>
        <h1>L1 Troubleshooting System</h1>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Sessions
          </NavLink>
          <NavLink to="/dashboard">Dashboard</NavLink>
          <NavLink to="/anomalies">Anomalies</NavLink>
          <NavLink to="/profiles">Profiles</NavLink>
        </nav>
        <span className="spacer" />
        {config.data && !config.data.auth && (
          <span className="banner" title="Local embedded start: anyone who reaches this port can use it">
            Authentication off (local)
          </span>
        )}
        {config.data?.auth && config.data.user && (
          <span className="user">
            {config.data.user}{' '}
            <button
              className="link"
              onClick={() => {
                // The server revokes the token (it stayed valid for 12 h after a local-only sign-out).
                void fetch('/api/auth/logout', { method: 'POST', headers: authHeaders() })
                  .catch(() => undefined)
                  .finally(() => {
                    setToken(null);
                    void client.invalidateQueries();
                  });
              }}
            >
              Sign out
            </button>
          </span>
        )}
      </header>
      {needsLogin ? (
        <LoginForm />
      ) : config.isError ? (
        <ErrorBox error={config.error} onRetry={() => void config.refetch()} />
      ) : config.isPending ? (
        <Loading what="configuration" />
      ) : (
        <Suspense fallback={<Loading what="page" />}>
          <Routes>
            <Route path="/" element={<SessionsPage />} />
            <Route path="/sessions/:id" element={<SessionsPage />} />
            <Route path="/sessions/:id/timeline" element={<TimelinePage />} />
            <Route path="/dashboard" element={<DashboardPage />} />
            <Route path="/anomalies" element={<AnomaliesPage />} />
            <Route path="/anomalies/:id" element={<AnomalyDetailPage />} />
            <Route path="/files/:id" element={<FilePage />} />
            <Route path="/incidents/:id" element={<IncidentPage />} />
            <Route path="/profiles" element={<ProfilesPage />} />
            <Route path="*" element={<p className="muted">No such page.</p>} />
          </Routes>
        </Suspense>
      )}
    </div>
  );
}
