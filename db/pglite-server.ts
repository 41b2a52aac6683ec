import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

/**
 * Serves one PGlite instance to several Postgres clients on a loopback port.
 *
 * PGlite is a single session. Multiplexing clients message by message (as
 * pglite-socket 0.2 does) lets one client's Parse land between another's Parse
 * and Bind, and the unnamed statement then belongs to the wrong query
 * ("bind message supplies 1 parameters, but prepared statement requires 6").
 * Here a client owns the session from its first message until the end of its
 * cycle (Sync or a simple Query) and, inside a transaction, until the
 * transaction ends; the others wait their turn.
 */
export class PgliteServer {
  private server: net.Server | null = null;
  private owner: Connection | null = null;
  private waiting: (() => void)[] = [];
  private connections = new Set<Connection>();

  constructor(private readonly db: PGlite) {}

  /** Listen on 127.0.0.1 (port 0: any free port) and return the port. */
  async listen(port = 0): Promise<number> {
    this.server = net.createServer((socket) => {
      const conn = new Connection(socket, this);
      this.connections.add(conn);
      socket.on("close", () => {
        this.connections.delete(conn);
        void this.abandon(conn);
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once("error", reject);
      this.server?.listen(port, "127.0.0.1", () => resolve());
    });
    return (this.server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Wait until `conn` owns the session. */
  async acquire(conn: Connection): Promise<void> {
    while (this.owner !== null && this.owner !== conn) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.owner = conn;
  }

  /** Give the session up at the end of a cycle, unless a transaction is still open. */
  release(conn: Connection): void {
    if (this.owner !== conn || this.db.isInTransaction()) return;
    this.owner = null;
    const next = this.waiting.splice(0);
    for (const wake of next) wake();
  }

  async run(message: Uint8Array, onData: (data: Uint8Array) => void): Promise<void> {
    await this.db.runExclusive(() => this.db.execProtocolRawStream(message, { onRawData: onData }));
  }

  /** A client that went away mid-transaction must not leave the session locked. */
  private async abandon(conn: Connection): Promise<void> {
    if (this.owner !== conn) return;
    if (this.db.isInTransaction()) await this.db.exec("ROLLBACK").catch(() => {});
    this.release(conn);
  }
}

class Connection {
  private buffer = Buffer.alloc(0);
  private started = false;
  private chain: Promise<void> = Promise.resolve();
  private pending: Buffer[] = [];

  constructor(
    readonly socket: net.Socket,
    private readonly server: PgliteServer,
  ) {
    // Replies are sent once per cycle (below); Nagle's delay would only add latency to each.
    socket.setNoDelay(true);
    socket.on("data", (data) => {
      this.buffer = Buffer.concat([this.buffer, data]);
      // Messages of one client are handled strictly in order.
      this.chain = this.chain
        .then(() => this.drain())
        .catch(() => {
          socket.destroy();
        });
    });
    socket.on("error", () => socket.destroy());
  }

  private write(data: Uint8Array): void {
    if (data.length > 0) this.pending.push(Buffer.from(data));
  }

  /** Send what the cycle produced in one write: one packet per query instead of one per message. */
  private flush(): void {
    if (this.pending.length === 0) return;
    const out = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    this.pending = [];
    if (this.socket.writable) this.socket.write(out);
  }

  /** The next complete message, or null while it is still arriving. */
  private take(): { type: string | null; message: Buffer } | null {
    const b = this.buffer;
    if (!this.started) {
      if (b.length < 8) return null;
      const length = b.readInt32BE(0);
      if (b.length < length) return null;
      this.buffer = b.subarray(length);
      return { type: null, message: b.subarray(0, length) };
    }
    if (b.length < 5) return null;
    const length = 1 + b.readInt32BE(1);
    if (b.length < length) return null;
    this.buffer = b.subarray(length);
    return { type: String.fromCharCode(b[0] as number), message: b.subarray(0, length) };
  }

  private async drain(): Promise<void> {
    for (let next = this.take(); next; next = this.take()) {
      const { type, message } = next;
      if (type === null) {
        const code = message.readInt32BE(4);
        if (code === SSL_REQUEST) {
          this.write(Buffer.from("N"));
          this.flush();
          continue;
        }
        if (code === CANCEL_REQUEST) {
          this.socket.end();
          return;
        }
        if (code !== PROTOCOL_3) {
          this.socket.destroy();
          return;
        }
        this.started = true;
      }
      if (type === "X") {
        this.flush();
        this.socket.end();
        return;
      }
      await this.server.acquire(this);
      await this.server.run(new Uint8Array(message), (data) => this.write(data));
      // Parse, Bind, Describe, Execute and Close answer inside a cycle; anything else
      // (Sync, Query, Flush, copy messages, startup) may be awaited by the client.
      if (type === null || !"PBDEC".includes(type)) this.flush();
      // A cycle ends with Sync (extended protocol), a simple Query, or the startup exchange.
      if (type === null || type === "S" || type === "Q") this.server.release(this);
    }
    this.flush();
  }
}
