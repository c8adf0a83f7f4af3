/**
 * `evalbench data status|update|reset`: which copy of each bundled data file runs use, and — only
 * when asked — fetch newer copies from their public homes (through HTTPS_PROXY / HTTP_PROXY).
 */
import { BUNDLED_DATA, type DataFileId } from '../../core/data/bundledData';
import { dataStatus, resetToBundled, updateData } from '../../core/data/dataUpdate';
import { downloadWithProxy, proxyFromEnvironment } from '../../core/data/proxiedDownload';
import { defaultCacheDir, parse, UsageError } from '../args';
import type { CliCommand } from '../command';
import { table } from '../format';

const ids = BUNDLED_DATA.map((d) => d.id);

const usage = `evalbench data status [--cache-dir DIR] [--json]
evalbench data update [--only ID,…] [--cache-dir DIR] [--json]
evalbench data reset [--cache-dir DIR]

Every built-in benchmark runs on the data bundled with EvalBench; nothing is downloaded by a run.
  status   which copy each file uses (bundled, or updated by 'data update'), with its sha256
  update   fetch newer copies from their public homes (through HTTPS_PROXY / HTTP_PROXY if set),
           check each as a run would load it, and keep it in the cache folder
  reset    forget updated copies: runs use the bundled data again

  --only ID,…     update only these (${ids.join(', ')})
  --cache-dir DIR where updated copies are kept (default ~/.cache/evalbench)`;

export const dataCommand: CliCommand = {
  name: 'data',
  summary: 'show or update the bundled datasets (nothing is downloaded unless you ask)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { 'cache-dir': { type: 'string' }, only: { type: 'string' }, json: { type: 'boolean' } }, true);
    const action = positionals[0] ?? 'status';
    const cacheDir = values['cache-dir'] ?? defaultCacheDir(io.env);
    if (action === 'status') {
      const copies = dataStatus(cacheDir);
      if (values.json) io.stdout.write(`${JSON.stringify(copies, null, 2)}\n`);
      else io.stdout.write(`${table(['data', 'copy', 'sha256', 'path'], copies.map((c) => [c.id, c.copy, c.sha256.slice(0, 16), c.path]))}\n`);
      return 0;
    }
    if (action === 'reset') {
      resetToBundled(cacheDir);
      io.stdout.write('runs use the bundled data again\n');
      return 0;
    }
    if (action !== 'update') throw new UsageError(`unknown action '${action}': use status, update or reset`);
    const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = only?.filter((id) => !ids.includes(id as DataFileId)) ?? [];
    if (unknown.length > 0) throw new UsageError(`--only: unknown data '${unknown.join(', ')}'; use ${ids.join(', ')}`);
    const results = await updateData({
      cacheDir,
      ids: only as DataFileId[] | undefined,
      signal: io.signal,
      onFetch: (_id, url) => {
        const proxy = proxyFromEnvironment(url, io.env);
        if (!values.json) io.stderr.write(`fetching ${url}${proxy ? ` through ${proxy.replace(/\/\/[^@/]*@/, '//***@')}` : ''}\n`);
      },
      fetchBytes: (url, signal) =>
        downloadWithProxy(url, { proxy: proxyFromEnvironment(url, io.env), signal, advice: 'check the network, or set HTTPS_PROXY to your proxy' }),
    });
    if (values.json) io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    else {
      for (const r of results) {
        const what = r.status === 'updated' ? `updated (sha256 ${r.sha256?.slice(0, 16)}, was ${r.before.copy} ${r.before.sha256.slice(0, 16)})`
          : r.status === 'unchanged' ? `unchanged (the ${r.before.copy} copy is the newest)`
          : `failed: ${r.error}`;
        io.stdout.write(`${r.id}: ${what}\n`);
      }
    }
    return results.some((r) => r.status === 'failed') ? 1 : 0;
  },
};
