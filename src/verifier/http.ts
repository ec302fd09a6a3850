// What an outside verifier or monitor needs from the network: only the service's public routes, over plain HTTP.

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

export class FetchError extends Error {}

export async function getText(fetch: Fetch, url: string, init?: RequestInit): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (err) {
    throw new FetchError(`could not reach ${url}: ${(err as Error).message}`);
  }
  const body = await res.text();
  if (!res.ok) throw new FetchError(`${url} answered ${res.status}: ${body.slice(0, 300)}`);
  return body;
}

export async function getJson<T>(fetch: Fetch, url: string, init?: RequestInit): Promise<T> {
  const text = await getText(fetch, url, init);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new FetchError(`${url} did not answer JSON`);
  }
}
