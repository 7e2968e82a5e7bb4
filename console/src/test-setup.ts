// jsdom has no matchMedia; uPlot reads it when its module loads.
if (typeof window !== 'undefined' && typeof window.matchMedia !== 'function') {
  window.matchMedia = ((query: string) => ({
    matches: false, media: query, onchange: null,
    addListener: () => undefined, removeListener: () => undefined,
    addEventListener: () => undefined, removeEventListener: () => undefined, dispatchEvent: () => false,
  })) as unknown as typeof window.matchMedia;
}

// Each test starts from an empty document (vitest runs without globals, so no automatic cleanup).
import { cleanup } from '@testing-library/preact';
import { afterEach } from 'vitest';
afterEach(() => cleanup());
