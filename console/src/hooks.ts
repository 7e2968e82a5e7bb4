import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { Api, describeError } from './api';

export interface ConsoleContext { api: Api; role: string; tenant: string | null; live: number; navigate: (path: string) => void }
export const Ctx = createContext<ConsoleContext>(null as unknown as ConsoleContext);
export const useConsole = () => useContext(Ctx);

/**
 * Loads with `load` when `deps` change and again on every live update; keeps the last data
 * while reloading, and the error in words when a load fails.
 */
export function useLoad<T>(load: (api: Api) => Promise<T>, deps: unknown[]) {
  const { api, live } = useConsole();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    let current = true;
    load(api).then(
      (d) => { if (current) { setData(d); setError(null); } },
      (e) => { if (current) setError(describeError(e)); },
    );
    return () => { current = false; };
  }, [...deps, live, nonce]);
  return { data, error, reload: () => setNonce((n) => n + 1) };
}
