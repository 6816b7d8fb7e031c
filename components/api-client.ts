// Fetch helper for the app's own REST API: JSON in, the API's error message out.
export class ApiClientError extends Error {
  constructor(readonly status: number, message: string, readonly details?: { path: string; message: string }[]) {
    super(message);
  }
}

export async function apiFetch<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, { ...init, headers: { "content-type": "application/json", ...init.headers } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string; details?: { path: string; message: string }[] } } | null;
    throw new ApiClientError(response.status, body?.error?.message ?? `Request failed (${response.status})`, body?.error?.details);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
