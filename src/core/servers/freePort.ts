import * as net from 'node:net';

/**
 * A loopback port nobody listens on now: the kernel picks one for a throw-away listener, which is closed
 * before the server is started on it. Another process could take it in between; the server then fails to
 * bind and says so in its output, which the start-up error shows.
 */
export function freeLoopbackPort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
