import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a local server (the test Postgres), to stage an outage without touching
 * the server others test against. `refuse()`: the server is down (connections reset, new ones refused);
 * `blackHole()`: the host is unreachable (connections cut, new ones accepted but never answered);
 * `forward()`: back to normal, on the same port.
 */
export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1') {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  let mode: 'forward' | 'black hole' = 'forward';
  const server = net.createServer((client) => {
    track(client);
    if (mode === 'black hole') return;
    const upstream = net.connect(targetPort, targetHost);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  let port = 0;
  await listen();
  port = (server.address() as net.AddressInfo).port;
  const cut = () => {
    for (const socket of sockets) socket.destroy();
  };

  return {
    port,
    async refuse() {
      cut();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async blackHole() {
      mode = 'black hole';
      cut();
      if (!server.listening) await listen();
    },
    async forward() {
      mode = 'forward';
      cut();
      if (!server.listening) await listen();
    },
    close() {
      return this.refuse();
    },
  };
}

/** A local port that accepts connections and never answers: a hung server or a dropped route. */
export async function startBlackHole() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return sockets.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
