// Starts code-server (VS Code 1.100.3, see /work/shared/vscode-offline.md) on loopback with fresh
// user-data and extensions dirs, and opens it in Debian's chromium through playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const entry = path.join(root, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export function ensureCodeServer() {
  if (!fs.existsSync(path.join(root, '.vscode-test', 'code-server', '.installed-4.100.3'))) {
    console.log('code-server is not installed yet: running scripts/setup-vscode.sh');
    execFileSync('bash', [path.join(root, 'scripts', 'setup-vscode.sh')], { stdio: 'inherit' });
  }
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForHttp(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs / 1000} s`);
}

/** Starts code-server; returns { port, url(folder, payload), dirs, stop() }. */
export async function startCodeServer({ env = {}, logFile, userSettings = {} } = {}) {
  ensureCodeServer();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-code-server-'));
  const userData = path.join(scratch, 'user-data');
  const extensions = path.join(scratch, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  // Quiet workbench: no welcome page, no trust prompt, no telemetry notice.
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'workbench.tips.enabled': false,
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'window.commandCenter': false,
      'workbench.welcomePage.walkthroughs.openOnInstall': false,
      ...userSettings,
    }),
  );
  const port = await freePort();
  // The log's folder (test-results/) is made by the suite; a UI-only run comes here first.
  if (logFile) fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile ?? path.join(scratch, 'code-server.log'), 'w');
  const child = spawn(
    process.execPath,
    [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--user-data-dir', userData, '--extensions-dir', extensions],
    { env: { ...process.env, ...env }, stdio: ['ignore', log, log], detached: false },
  );
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
  return {
    port,
    scratch,
    exited,
    url(folder, payload) {
      const query = new URLSearchParams({ folder });
      if (payload) query.set('payload', JSON.stringify(payload));
      return `http://127.0.0.1:${port}/?${query}`;
    },
    remote(p) {
      return `vscode-remote://127.0.0.1:${port}${p}`;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      fs.closeSync(log);
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'],
  });
}

/** A fresh workspace folder with the runs folder setting left at its default. */
export function makeWorkspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-ws-'));
  fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  return dir;
}
