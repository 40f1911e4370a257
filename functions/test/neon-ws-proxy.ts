import { connect } from "node:net";
import { WebSocketServer } from "ws";

/**
 * The WebSocket-to-TCP proxy Neon runs in front of PostgreSQL, reduced to what its serverless
 * driver needs: `ws://host:port/v1?address=pghost:pgport`, binary frames of raw Postgres protocol.
 * Only loopback targets are accepted.
 */
export async function startNeonWsProxy(): Promise<{ address: string; close(): Promise<void> }> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  server.on("connection", (socket, request) => {
    const target = new URL(request.url ?? "/", "ws://proxy").searchParams.get("address") ?? "";
    const [host, port] = target.split(":");
    if (host !== "127.0.0.1" && host !== "localhost") {
      socket.close(1008, "only loopback targets");
      return;
    }
    const tcp = connect({ host, port: Number(port) });
    const pending: Buffer[] = [];
    let connected = false;
    tcp.on("connect", () => {
      connected = true;
      pending.splice(0).forEach((chunk) => tcp.write(chunk));
    });
    socket.on("message", (data: Buffer) => (connected ? tcp.write(data) : pending.push(data)));
    tcp.on("data", (chunk) => socket.send(chunk, { binary: true }));
    tcp.on("close", () => socket.close());
    tcp.on("error", () => socket.terminate());
    socket.on("close", () => tcp.destroy());
    socket.on("error", () => tcp.destroy());
  });
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.clients.forEach((client) => client.terminate());
        server.close(() => resolve());
      }),
  };
}
