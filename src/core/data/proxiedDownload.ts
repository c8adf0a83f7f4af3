/**
 * GET a URL's bytes, through an HTTP proxy when one is given (VS Code's `http.proxy`, or the CLI's
 * HTTPS_PROXY / HTTP_PROXY), following redirects. Only `evalbench data update` and its VS Code
 * command use it, when the user asked for newer data; no run ever downloads anything.
 *
 * https targets go through a CONNECT tunnel and are verified with TLS as usual (unless the user
 * turned `http.proxyStrictSSL` off); http targets are asked of the proxy with the absolute URL.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { CancelledError, EvalBenchError, errorMessage } from '../errors';

export interface DownloadOptions {
  /** Proxy URL, e.g. http://proxy.example:3128 (credentials in the URL are sent as Proxy-Authorization). */
  proxy?: string;
  /** Verify the server's TLS certificate (default true). */
  strictSSL?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Refuse a reply larger than this (default 64 MiB): a data file is a few MB. */
  maxBytes?: number;
  /** What to do when it fails, appended to the message ("check the http.proxy setting"). */
  advice?: string;
}

export class DownloadError extends EvalBenchError {}

const MAX_REDIRECTS = 5;
const DEFAULT_TIMEOUT_MS = 120_000;

export async function downloadWithProxy(url: string, options: DownloadOptions = {}): Promise<Buffer> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const via = options.proxy ? ` through proxy ${redactedProxy(options.proxy)}` : '';
  const advice = options.advice ? `; ${options.advice}` : '';
  let current = new URL(url);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let answer: { status: number; location?: string; body: Buffer; statusText: string };
    try {
      answer = await getOnce(current, options, signal);
    } catch (error) {
      if (options.signal?.aborted) throw new CancelledError('download cancelled');
      if (timeout.aborted) throw new DownloadError(`could not download ${current.href}${via}: no complete answer in time${advice}`);
      throw new DownloadError(`could not download ${current.href}${via}: ${describe(error)}${advice}`, { cause: error });
    }
    if (answer.status >= 300 && answer.status < 400 && answer.location) {
      current = new URL(answer.location, current);
      continue;
    }
    if (answer.status < 200 || answer.status >= 300) {
      throw new DownloadError(`could not download ${current.href}${via}: HTTP ${answer.status} ${answer.statusText}${advice}`);
    }
    return answer.body;
  }
  throw new DownloadError(`could not download ${url}: more than ${MAX_REDIRECTS} redirects`);
}

/** Proxy settings from the environment, as curl and most tools read them (used by the CLI). */
export function proxyFromEnvironment(target: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const secure = target.startsWith('https:');
  const value = secure ? env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy : env.HTTP_PROXY ?? env.http_proxy;
  if (!value) return undefined;
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const host = new URL(target).hostname.toLowerCase();
  if (noProxy.some((rule) => rule === '*' || host === rule.replace(/^\./, '') || host.endsWith(rule.startsWith('.') ? rule : `.${rule}`))) return undefined;
  return value;
}

function getOnce(url: URL, options: DownloadOptions, signal: AbortSignal) {
  return new Promise<{ status: number; location?: string; body: Buffer; statusText: string }>((resolve, reject) => {
    const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    const onResponse = (response: http.IncomingMessage) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      let ended = false;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) response.destroy(new Error(`the reply is larger than ${maxBytes} bytes`));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        ended = true;
        resolve({ status, location: response.headers.location, body: Buffer.concat(chunks), statusText: response.statusMessage ?? '' });
      });
      response.on('error', reject);
      // A connection cut mid-body may end the reply with neither 'end' nor 'error': it must not be taken for a whole one.
      response.on('close', () => {
        if (!ended) reject(new Error(`the connection closed after ${size} bytes, before the whole file arrived`));
      });
    };
    // Every failure of the request, whenever it comes (a reset after the request was sent, the time limit, a
    // cancel), settles this download: a promise left pending would let the process end as if all went well.
    startRequest(url, options, onResponse, reject, signal).catch(reject);
  });
}

async function startRequest(url: URL, options: DownloadOptions, onResponse: (r: http.IncomingMessage) => void, onError: (error: Error) => void, signal: AbortSignal): Promise<void> {
  const secure = url.protocol === 'https:';
  const rejectUnauthorized = options.strictSSL !== false;
  const headers = { 'user-agent': 'evalbench-data-update', accept: '*/*' };
  let request: http.ClientRequest;
  if (!options.proxy) {
    request = (secure ? https : http).request(url, { method: 'GET', headers, rejectUnauthorized, signal }, onResponse);
  } else {
    const proxy = new URL(options.proxy);
    const proxyAuth: Record<string, string> = proxy.username ? { 'proxy-authorization': `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}` } : {};
    if (!secure) {
      // A plain-http target is asked of the proxy itself, with the absolute URL as the path.
      request = http.request({ host: proxy.hostname, port: proxy.port || 80, method: 'GET', path: url.href, headers: { ...headers, host: url.host, ...proxyAuth }, signal }, onResponse);
    } else {
      const socket = await connectTunnel(proxy, url, proxyAuth, signal);
      request = https.request(url, {
        method: 'GET',
        headers,
        signal,
        rejectUnauthorized,
        createConnection: () => tls.connect({ socket, servername: url.hostname, rejectUnauthorized }),
      } as https.RequestOptions, onResponse);
    }
  }
  request.on('error', onError);
  request.end();
}

/** Opens a CONNECT tunnel through the proxy to the target's host:port. */
function connectTunnel(proxy: URL, target: URL, proxyAuth: Record<string, string>, signal: AbortSignal): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const authority = `${target.hostname}:${target.port || 443}`;
    const request = http.request({ host: proxy.hostname, port: proxy.port || 80, method: 'CONNECT', path: authority, headers: { host: authority, ...proxyAuth }, signal });
    request.on('connect', (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        reject(new Error(`the proxy refused the tunnel to ${authority}: HTTP ${response.statusCode} ${response.statusMessage ?? ''}`.trim()));
        return;
      }
      resolve(socket);
    });
    request.on('error', reject);
    request.end();
  });
}

function describe(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED') return `connection refused (${errorMessage(error)})`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${errorMessage(error)})`;
  return errorMessage(error);
}

function redactedProxy(proxy: string): string {
  try {
    const u = new URL(proxy);
    if (u.password) u.password = '***';
    return u.href.replace(/\/$/, '');
  } catch {
    return proxy;
  }
}
