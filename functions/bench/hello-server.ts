// The reference for bench:api: a bare node:http server answering "hello" on every request, run in
// its own process (as the VPS server is) so that wrk measures Node's HTTP floor on this machine.
// Prints its URL on one line once it listens.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const body = Buffer.from("hello\n");
const server = createServer((_request, response) => {
  response.writeHead(200, { "Content-Type": "text/plain", "Content-Length": body.length });
  response.end(body);
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`http://127.0.0.1:${port}\n`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
