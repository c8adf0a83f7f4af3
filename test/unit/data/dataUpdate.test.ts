/**
 * `data update` against loopback servers started here: a file server standing in for the public
 * homes, and a forwarding proxy standing in for the user's proxy. Nothing leaves the machine.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { ifevalBenchmark } from '../../../src/core/benchmarks/ifeval';
import { bundledDataDir, type DataFileId } from '../../../src/core/data/bundledData';
import { resolveDataCopy } from '../../../src/core/data/dataLocation';
import { dataStatus, resetToBundled, updateData } from '../../../src/core/data/dataUpdate';
import { downloadWithProxy, proxyFromEnvironment } from '../../../src/core/data/proxiedDownload';
import { runCli } from '../../support/cliProcess';
import { useTempDir } from '../../support/tempDir';
import * as zlib from 'node:zlib';
import { readJsonlFile } from '../../../src/core/benchmarks/jsonl';
import { listZipEntries, readZipEntry } from '../../../src/core/benchmarks/ifeval/text/zipReader';
import { buildZip, punktTabZip } from '../ifeval-text/zipFixture';

interface Loopback {
  url: string;
  hits: string[];
  close(): Promise<void>;
}

async function listen(handler: http.RequestListener, onConnect?: (req: http.IncomingMessage, socket: import('node:stream').Duplex) => void): Promise<Loopback> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req, res);
  });
  if (onConnect) server.on('connect', (req, socket) => {
    hits.push(`CONNECT ${req.url}`);
    onConnect(req, socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const bundled = (rel: string) => fs.readFileSync(path.join(bundledDataDir(), rel));
const fewIfevalLines = () => bundled('ifeval/input_data.jsonl').toString('utf8').split('\n').slice(0, 5).join('\n') + '\n';

describe('data update', () => {
  const tmp = useTempDir();
  const servers: Loopback[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function fileServer(files: Record<string, Buffer | string | number>): Promise<Loopback> {
    const server = await listen((req, res) => {
      const body = files[req.url ?? ''];
      if (body === undefined) return void res.writeHead(404).end('not here');
      if (typeof body === 'number') return void res.writeHead(body).end('no');
      res.end(body);
    });
    servers.push(server);
    return server;
  }

  const urlsOf = (base: string): Partial<Record<DataFileId, string>> => ({
    ifeval: `${base}/ifeval`, humaneval: `${base}/humaneval`, punkt: `${base}/punkt`, 'gsm8k-test': `${base}/gsm8k-test`, 'gsm8k-train': `${base}/gsm8k-train`,
  });

  it('installs a changed file, keeps an unchanged one, refuses a bad one, and runs then use what it says', async () => {
    const served = await fileServer({
      '/ifeval': fewIfevalLines(),
      '/humaneval': bundled('humaneval/HumanEval.jsonl.gz'),
      '/punkt': punktTabZip(path.join(bundledDataDir(), 'punkt_tab', 'english')),
      '/gsm8k-test': '<html>a proxy login page</html>\n',
      '/gsm8k-train': 503,
    });
    const fetched: string[] = [];
    const results = await updateData({
      cacheDir: tmp.path,
      urls: urlsOf(served.url),
      onFetch: (_id, url) => fetched.push(url),
      fetchBytes: (url, signal) => downloadWithProxy(url, { signal }),
      now: () => new Date('2026-01-02T03:04:05Z'),
    });
    const byId = Object.fromEntries(results.map((r) => [r.id, r]));
    assert.equal(byId.ifeval.status, 'updated');
    assert.equal(byId.humaneval.status, 'unchanged');
    assert.equal(byId.punkt.status, 'unchanged', byId.punkt.error);
    assert.equal(byId['gsm8k-test'].status, 'failed');
    assert.match(byId['gsm8k-test'].error!, /gsm8k-test:1: not valid JSON/);
    assert.equal(byId['gsm8k-train'].status, 'failed');
    assert.match(byId['gsm8k-train'].error!, /HTTP 503/);
    assert.deepEqual(fetched, Object.values(urlsOf(served.url)).sort((a, b) => fetched.indexOf(a) - fetched.indexOf(b)));
    assert.equal(fetched.length, 5, 'every address contacted was announced first');

    const ifeval = resolveDataCopy('ifeval', tmp.path);
    assert.equal(ifeval.copy, 'updated');
    assert.match(ifeval.origin, /fetched 2026-01-02T03:04:05\.000Z from http:\/\/127\.0\.0\.1/);
    const dataset = await ifevalBenchmark.loadDataset({ cacheDir: tmp.path });
    assert.equal(dataset.items.length, 5, 'a run loads the updated copy');
    assert.equal(dataset.origin, ifeval.origin);
    assert.deepEqual(dataStatus(tmp.path).filter((c) => c.copy === 'updated').map((c) => c.id), ['ifeval']);
    assert.ok(!fs.readdirSync(path.join(tmp.path, 'data', 'gsm8k')).some((f) => f.endsWith('.jsonl')), 'a refused file is not installed');
    assert.ok(!fs.readdirSync(path.join(tmp.path, 'data', 'gsm8k')).some((f) => f.startsWith('.part-')), 'no staging file is left behind');

    resetToBundled(tmp.path);
    assert.equal(resolveDataCopy('ifeval', tmp.path).copy, 'bundled');
  });

  it('passes over an updated copy that was changed after it was fetched', async () => {
    const served = await fileServer({ '/ifeval': fewIfevalLines() });
    await updateData({ cacheDir: tmp.path, ids: ['ifeval'], urls: urlsOf(served.url), fetchBytes: (url) => downloadWithProxy(url) });
    const copy = resolveDataCopy('ifeval', tmp.path);
    fs.appendFileSync(copy.path, '\n');
    assert.equal(resolveDataCopy('ifeval', tmp.path).copy, 'bundled');
  });

  it('goes through the proxy it is given, and names the proxy when it cannot be reached', async () => {
    const served = await fileServer({ '/ifeval': fewIfevalLines() });
    // A forwarding proxy: plain-http requests arrive with the absolute URL as their path.
    const proxy = await listen((req, res) => {
      http.get(req.url!, (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      }).on('error', () => res.writeHead(502).end());
    });
    servers.push(proxy);
    const results = await updateData({ cacheDir: tmp.path, ids: ['ifeval'], urls: urlsOf(served.url), fetchBytes: (url) => downloadWithProxy(url, { proxy: proxy.url }) });
    assert.equal(results[0].status, 'updated');
    assert.deepEqual(proxy.hits, [`${served.url}/ifeval`], 'the request went through the proxy');

    const closed = await listen(() => {});
    await closed.close();
    await assert.rejects(
      downloadWithProxy(`${served.url}/ifeval`, { proxy: closed.url, advice: 'check the http.proxy setting' }),
      (error: Error) => error.message.includes(`through proxy ${closed.url}`) && /connection refused/.test(error.message) && /check the http\.proxy setting/.test(error.message),
    );
  });

  it('a connection cut mid-file, a server that never answers, a cancel: each fails the download with its reason', async () => {
    const cutting = await listen((_req, res) => {
      res.writeHead(200, { 'content-length': '5000' });
      res.write('x'.repeat(600));
      setImmediate(() => res.socket?.destroy());
    });
    servers.push(cutting);
    await assert.rejects(downloadWithProxy(`${cutting.url}/gsm8k-test`), /could not download .*gsm8k-test: .*(closed after 600 bytes|aborted|socket hang up)/);
    const silent = await listen(() => {});
    servers.push(silent);
    await assert.rejects(downloadWithProxy(`${silent.url}/x`, { timeoutMs: 300 }), /could not download .*\/x: no complete answer in time/);
    const cancel = new AbortController();
    const cancelled = downloadWithProxy(`${silent.url}/y`, { signal: cancel.signal });
    setImmediate(() => cancel.abort());
    await assert.rejects(cancelled, { name: 'CancelledError' });
  });

  it('refuses a zip entry or a .gz file that would inflate past its limit, without inflating it', () => {
    const zip = buildZip([{ name: 'bomb.txt', data: Buffer.alloc(80 << 20) }]);
    const [entry] = listZipEntries(zip, 'bomb.zip');
    assert.throws(() => readZipEntry(zip, entry, 'bomb.zip'), /bomb\.zip: entry bomb\.txt is 83886080 bytes, more than the 64 MiB a data file may have/);
    const bomb = path.join(tmp.path, 'bomb.jsonl.gz');
    // Nine gzip members of 64 MiB of zeros each (gunzip reads them as one stream): 576 MiB from 0.6 MB.
    fs.writeFileSync(bomb, Buffer.concat(Array(9).fill(zlib.gzipSync(Buffer.alloc(64 << 20), { level: 1 }))));
    assert.throws(() => readJsonlFile(bomb), /inflates to more than 512 MiB/);
  });

  it('tunnels https through CONNECT and reports a refused tunnel', async () => {
    const proxy = await listen(() => {}, (_req, socket) => {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
    servers.push(proxy);
    await assert.rejects(downloadWithProxy('https://data.example.invalid/x.jsonl', { proxy: proxy.url }), /the proxy refused the tunnel to data\.example\.invalid:443: HTTP 403/);
    assert.deepEqual(proxy.hits, ['CONNECT data.example.invalid:443']);
  });

  it('reads the proxy from the environment as curl does, honouring NO_PROXY', () => {
    assert.equal(proxyFromEnvironment('https://a.example/x', { HTTPS_PROXY: 'http://p:1' }), 'http://p:1');
    assert.equal(proxyFromEnvironment('https://a.example/x', { http_proxy: 'http://p:2' }), 'http://p:2');
    assert.equal(proxyFromEnvironment('http://a.example/x', { HTTPS_PROXY: 'http://p:1' }), undefined);
    assert.equal(proxyFromEnvironment('https://raw.a.example/x', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'localhost,.a.example' }), undefined);
    assert.equal(proxyFromEnvironment('https://b.example/x', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'a.example' }), 'http://p:1');
  });

  it('evalbench data: status shows the bundled copies; update goes through HTTPS_PROXY, says each address, installs nothing on failure', async function () {
    this.timeout(120_000);
    const proxy = await listen(() => {}, (_req, socket) => socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'));
    servers.push(proxy);
    const env = { HTTPS_PROXY: proxy.url, HTTP_PROXY: '', NO_PROXY: '' };
    const status = await runCli(['data', 'status', '--cache-dir', tmp.path, '--json'], { cwd: tmp.path, env });
    assert.equal(status.code, 0, status.stderr);
    assert.deepEqual(JSON.parse(status.stdout).map((c: { copy: string }) => c.copy), ['bundled', 'bundled', 'bundled', 'bundled', 'bundled']);

    const update = await runCli(['data', 'update', '--only', 'ifeval,humaneval', '--cache-dir', tmp.path], { cwd: tmp.path, env });
    assert.equal(update.code, 1);
    assert.match(update.stderr, /fetching https:\/\/raw\.githubusercontent\.com\/google-research\/.*input_data\.jsonl through http:\/\/127\.0\.0\.1/);
    assert.match(update.stdout, /ifeval: failed: could not download .* through proxy .*refused the tunnel .*HTTP 403/);
    assert.match(update.stdout, /humaneval: failed/);
    assert.deepEqual(proxy.hits, ['CONNECT raw.githubusercontent.com:443', 'CONNECT raw.githubusercontent.com:443']);
    assert.equal(resolveDataCopy('ifeval', tmp.path).copy, 'bundled');

    const bad = await runCli(['data', 'update', '--only', 'mnist', '--cache-dir', tmp.path], { cwd: tmp.path, env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown data 'mnist'; use ifeval, punkt, humaneval, gsm8k-test, gsm8k-train/);
  });
});
