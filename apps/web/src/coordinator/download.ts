// Downloads an export with the in-memory token (a plain link cannot send it): fetch with Authorization, renew the
// session once on 401 and retry, then hand the file to the browser through a Blob URL and an <a download>.
import { session } from '../app/session';
import { downloadName } from './logic';

export type DownloadOutcome = { ok: true; name: string } | { ok: false; status: number | 'NETWORK' };

async function request(url: string): Promise<Response> {
  const { token } = session.get();
  return fetch(url, {
    credentials: 'same-origin',
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

export async function downloadExport(url: string, fallbackName: string): Promise<DownloadOutcome> {
  let response: Response;
  try {
    response = await request(url);
    if (response.status === 401 && (await session.renew())) response = await request(url);
  } catch {
    return { ok: false, status: 'NETWORK' };
  }
  if (!response.ok) return { ok: false, status: response.status };
  const blob = await response.blob();
  const name = downloadName(response.headers.get('content-disposition'), fallbackName);
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // let the browser start reading the file before the URL goes
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return { ok: true, name };
}
