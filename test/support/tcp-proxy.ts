import net, { AddressInfo, Socket } from 'node:net';

/**
 * A TCP proxy in front of a real service (Redis, Postgres), for outages that touch only the processes of one test
 * file while the shared service keeps serving every other file:
 * - `open`: bytes pass both ways;
 * - `refuse`: every connection is dropped (a service that is down: clients see the connection close at once);
 * - `silent`: connections are accepted and nothing is ever answered (a service that hangs, or a network that
 *   drops packets: clients wait).
 * Changing the mode ends every connection made before (setting the same mode again changes nothing).
 */
export class TcpProxy {
  private mode: 'open' | 'refuse' | 'silent' = 'open';
  private readonly sockets = new Set<Socket>();
  private server?: net.Server;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {}

  async start(): Promise<number> {
    this.server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  set(mode: 'open' | 'refuse' | 'silent'): void {
    if (mode === this.mode) return;
    this.mode = mode;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  async close(): Promise<void> {
    this.set('refuse');
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private accept(client: Socket): void {
    if (this.mode === 'refuse') {
      client.destroy();
      return;
    }
    this.track(client);
    if (this.mode === 'silent') return; // read nothing, answer nothing
    const upstream = net.connect(this.targetPort, this.targetHost);
    this.track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }
}
