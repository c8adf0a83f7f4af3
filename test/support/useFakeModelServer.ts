/**
 * Fake model servers that close themselves after each test (a failing one included), so no test file
 * repeats the `let server; afterEach(() => server?.close())` prelude. Call at suite level:
 *
 *   const servers = useFakeModelServers();
 *   it('…', async () => { const server = await servers.start({ reply: () => 'yes' }); … });
 *
 *   const fake = useFakeModelServer({ kind: 'llama.cpp' });   // one started before each test
 *   it('…', async () => { … fake.server.url … });
 */
import { startFakeModelServer, type FakeModelServer, type FakeModelServerOptions } from './fakeModelServer';

export interface FakeModelServers {
  /** Start a server that is closed after the current test. */
  start(options?: FakeModelServerOptions): Promise<FakeModelServer>;
}

export function useFakeModelServers(): FakeModelServers {
  const open: FakeModelServer[] = [];
  afterEach(async () => {
    // close() of a server the test closed itself is harmless.
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  return {
    async start(options) {
      const server = await startFakeModelServer(options);
      open.push(server);
      return server;
    },
  };
}

/** One server per test, started before each test with the same options and closed after it. */
export function useFakeModelServer(options?: FakeModelServerOptions): { readonly server: FakeModelServer } {
  const servers = useFakeModelServers();
  let current: FakeModelServer | undefined;
  beforeEach(async () => {
    current = await servers.start(options);
  });
  return {
    get server(): FakeModelServer {
      if (!current) throw new Error('useFakeModelServer: the server exists only inside a test');
      return current;
    },
  };
}
