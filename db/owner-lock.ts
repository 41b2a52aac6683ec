import { createHash } from "node:crypto";
import { mkdirSync, realpathSync, rmSync } from "node:fs";
import net from "node:net";
import { join, resolve } from "node:path";

/**
 * PGlite belongs to one process: two processes on one data directory silently
 * diverge. Ownership is a listening socket. On Linux it lives in the abstract
 * namespace, so the kernel frees it the moment the owner dies, however it dies:
 * there is no stale lock to clean up and taking it is atomic. Elsewhere it is
 * a socket file in the data directory, removed when nobody answers on it.
 *
 * Whoever connects to the socket is told who owns the directory and, when the
 * owner serves the database over the Postgres wire protocol, on which port.
 */
export interface OwnerInfo {
  pid: number;
  /** 127.0.0.1 port where the owner serves the database, or null while it only uses it itself. */
  port: number | null;
  role: string;
}

export interface OwnerLock {
  readonly address: string;
  /** Tell later callers that the database is served on this port. */
  advertise(port: number | null): void;
  release(): Promise<void>;
}

export function ownerAddress(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const real = realpathSync(resolve(dataDir));
  if (process.platform === "linux") {
    const digest = createHash("sha256").update(real).digest("hex").slice(0, 32);
    return `\0northstar-${digest}`;
  }
  return join(real, "owner.sock");
}

/**
 * Ask the current owner who it is: null when nobody holds the directory,
 * "busy" when a process holds it but is too busy to answer (PGlite work blocks
 * its event loop for a moment), which callers treat as "wait and ask again".
 */
export function queryOwner(address: string, timeoutMs = 2000): Promise<OwnerInfo | null | "busy"> {
  return new Promise((resolvePromise, reject) => {
    const socket = net.connect(address);
    let data = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolvePromise("busy");
    }, timeoutMs);
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => {
      data += chunk;
    });
    socket.on("end", () => {
      clearTimeout(timer);
      try {
        resolvePromise(JSON.parse(data) as OwnerInfo);
      } catch {
        reject(new Error("the process that owns the embedded database sent an unreadable answer"));
      }
    });
    socket.on("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (err.code === "ECONNREFUSED" || err.code === "ENOENT") resolvePromise(null);
      // The owner is exiting as we ask: ask again in a moment.
      else if (err.code === "ECONNRESET" || err.code === "EPIPE") resolvePromise("busy");
      else reject(err);
    });
  });
}

/** Try to become the owner; null if another live process already is. */
export async function tryAcquireOwner(address: string, role: string): Promise<OwnerLock | null> {
  let port: number | null = null;
  const server = net.createServer((socket) => {
    // The asker may have given up already (a busy owner answers late): never let that crash the owner.
    socket.on("error", () => {});
    socket.end(JSON.stringify({ pid: process.pid, port, role } satisfies OwnerInfo));
  });
  const listen = () =>
    new Promise<boolean>((resolveListen, reject) => {
      server.once("error", (err: NodeJS.ErrnoException) => {
        if (err.code === "EADDRINUSE") resolveListen(false);
        else reject(err);
      });
      server.listen(address, () => resolveListen(true));
    });

  let ok = await listen();
  if (!ok && !address.startsWith("\0")) {
    // A socket file nobody answers on is left over from a process that died.
    if ((await queryOwner(address, 5000)) === null) {
      rmSync(address, { force: true });
      ok = await listen();
    }
  }
  if (!ok) return null;
  server.unref();
  return {
    address,
    advertise(next) {
      port = next;
    },
    release: () => new Promise<void>((done) => server.close(() => done())),
  };
}
