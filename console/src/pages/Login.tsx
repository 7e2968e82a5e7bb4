import { useState } from 'preact/hooks';
import { Api, Session, describeError } from '../api';
import { ErrorBanner } from '../components/Bits';

/** Asks for an API token and checks it with GET /api/v1/session; the token stays in memory. */
export function Login({ api, onLogin }: { api: Api; onLogin: (s: Session) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    if (!token.trim()) { setError('enter an API token (fedctl token create, or fedplane-data/admin.token)'); return; }
    setBusy(true);
    api.setToken(token.trim());
    try {
      const s = await api.session();
      setToken('');
      onLogin(s);
    } catch (err) {
      api.setToken(null);
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="login" onSubmit={submit} autocomplete="off">
      <h1>Fedplane console</h1>
      <label>API token
        <input type="password" name="token" value={token} autocomplete="off"
          onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <button type="submit" disabled={busy}>Log in</button>
      <p class="hint">The token is kept in this tab's memory only: reloading the page logs you out.</p>
      <ErrorBanner error={error} />
    </form>
  );
}
