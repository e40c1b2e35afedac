import net from 'node:net';

/**
 * A TCP proxy in front of the database, so a test can make the database "go away" for one server
 * (refuse new connections and reset the open ones, as a stopped MariaDB does) without stopping the
 * MariaDB that other test runs share.
 */
export class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly targetHost: string, private readonly targetPort: number) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as net.AddressInfo).port;
  }

  /** The database goes down: no new connections, open ones reset. */
  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    for (const socket of this.sockets) socket.resetAndDestroy();
    await closed;
    this.server = null;
  }

  /** The database is back, on the same port. */
  restore(): Promise<void> {
    return this.start();
  }

  async stop(): Promise<void> {
    if (this.server) await this.cut();
  }
}
