import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the app whose connections a test can cut, as a dropped network would: every open
 * socket is destroyed and new ones are refused until `restore()`.
 */
export class CuttableProxy {
  private readonly sockets = new Set<Socket>();
  private refusing = false;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: URL): Promise<CuttableProxy> {
    const proxy: { current?: CuttableProxy } = {};
    const server = createServer((client) => proxy.current!.accept(client, target));
    await new Promise<void>((resolve) => server.listen(0, target.hostname, resolve));
    const { port } = server.address() as { port: number };
    proxy.current = new CuttableProxy(server, `http://${target.hostname}:${port}`);
    return proxy.current;
  }

  private accept(client: Socket, target: URL): void {
    if (this.refusing) return void client.destroy();
    const upstream = connect(Number(target.port), target.hostname);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(from);
      from.pipe(to);
      from.on('error', () => to.destroy());
      from.on('close', () => {
        this.sockets.delete(from);
        to.destroy();
      });
    }
  }

  cut(): void {
    this.refusing = true;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.refusing = false;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
