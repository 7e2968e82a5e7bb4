import { describe, expect, it, vi } from 'vitest';
import { Api, ApiError, describeError, SseParser } from './api';

function answering(status: number, body: unknown) {
  return vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) =>
    new Response(typeof body === 'string' ? body : JSON.stringify(body), { status }));
}

describe('Api', () => {
  it('sends the token as a bearer header, never in the URL, and no cookies', async () => {
    const f = answering(200, { tokenId: 't1', role: 'platform-admin', tenant: null });
    const api = new Api(f);
    api.setToken('s3cret-token');
    await api.session();
    const [url, init] = f.mock.calls[0];
    expect(String(url)).toBe('/api/v1/session');
    expect(String(url)).not.toContain('s3cret');
    expect((init!.headers as Record<string, string>).Authorization).toBe('Bearer s3cret-token');
    expect(init!.credentials).toBe('omit');
  });

  it('turns an error answer into an ApiError with the server sentence, code and fields', async () => {
    const api = new Api(answering(400, { code: 'INVALID_ARGUMENT', message: 'replicas: must be at least 0', violations: [{ field: 'replicas', description: 'must be at least 0' }] }));
    const e = await api.scale('shop', 'web', -1, 0).catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
    expect(describeError(e)).toBe('replicas: must be at least 0 [INVALID_ARGUMENT, HTTP 400]');
  });

  it('still says something readable when the answer is not JSON', async () => {
    const e = await new Api(answering(502, 'Bad Gateway')).clusters().catch((x) => x);
    expect(describeError(e)).toBe('Bad Gateway [HTTP_502, HTTP 502]');
  });

  it('describes a network failure as the control plane not answering', () => {
    expect(describeError(new TypeError('Failed to fetch'))).toBe('the control plane did not answer: Failed to fetch');
  });
});

describe('SseParser', () => {
  it('parses events split across chunks, with JSON data, and skips comments', () => {
    const got: [string, unknown][] = [];
    const p = new SseParser((n, d) => got.push([n, d]));
    p.push('event: hello\ndata: {"role":"platform-admin"}\n\n: keep-alive\n\nevent: cha');
    p.push('nge\r\ndata: {"kind":"app","tenant":"shop","name":"web"}\r\n\r\ndata: plain\n\n');
    expect(got).toEqual([
      ['hello', { role: 'platform-admin' }],
      ['change', { kind: 'app', tenant: 'shop', name: 'web' }],
      ['message', 'plain'],
    ]);
  });
});
