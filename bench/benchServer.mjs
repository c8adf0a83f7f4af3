// The loopback model server that runCost.mjs, runAlloc.mjs and responseMemory.mjs measure against, and the
// bare node:http client runCost.mjs and runAlloc.mjs compare a run with. The server is runCost.mjs --serve in
// a child process, so its CPU and its allocations are never counted as the bench's.
import { fork } from 'node:child_process';
import * as http from 'node:http';
import { fileURLToPath } from 'node:url';

/** Starts the server set to a latency and a reply padding; it is killed when this process exits. */
export async function startBenchServer({ latencyMs, replyBytes }) {
  const server = fork(fileURLToPath(new URL('./runCost.mjs', import.meta.url)), ['--serve'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // A failed measurement must not leave the server behind.
  process.on('exit', () => server.kill('SIGKILL'));
  const reply = () => new Promise((resolve) => server.once('message', resolve));
  const { url } = await reply();
  server.send({ latencyMs, replyBytes });
  await reply();
  return { url, server };
}

/**
 * One chat completion as the bare client makes it: a hand-written JSON request over `agent`, JSON.parse of the
 * whole reply. Resolves to the reply's text.
 */
export function bareChatRequest(target, agent, prompt) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model: 'fake-model', temperature: 0, max_tokens: 64, messages: [{ role: 'user', content: prompt }] });
    const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')).choices[0].message.content));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
