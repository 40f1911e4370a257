import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServices } from "../../test/services.ts";
import { createUser } from "../auth/users.ts";
import { createApp } from "../http/app.ts";
import { createLogger } from "../log.ts";
import { ensureTenant } from "../repos/tenants.ts";
import type { Services } from "../services.ts";

// The fail2ban filter against the lines the server really writes when a sign-in is refused:
// the failregex translated to JavaScript always, and Debian's fail2ban-regex when installed.
const fail2ban = join(import.meta.dirname, "../../../stacks/vps/fail2ban");
const filterPath = join(fail2ban, "filter.d/crm-reco-sign-in.conf");
const jailPath = join(fail2ban, "jail.d/crm-reco.conf");
const fail2banRegex = ["/usr/bin/fail2ban-regex"].find((p) => existsSync(p));

/** The filter's failregex with <ADDR> as an address group, as fail2ban expands it. */
function failregexInJs(): RegExp {
  const line = /^failregex\s*=\s*(.+)$/m.exec(readFileSync(filterPath, "utf8"))![1]!.trim();
  return new RegExp(line.replace("<ADDR>", "(?<addr>[0-9A-Fa-f:.]+)"));
}

describe("the fail2ban filter for refused sign-ins", () => {
  let services: Services & { close(): Promise<void> };
  const lines: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), "crm-reco-fail2ban-"));

  beforeAll(async () => {
    services = await createTestServices("pglite");
    const tenant = await ensureTenant(services.db.db, { slug: "f2b", name: "F2B" });
    await createUser(services.db.db, tenant.id, {
      email: "cave@f2b.fr",
      password: "correct horse battery",
      role: "admin",
    });
    // The server's own logger (pino, JSON lines), written where the test can read it.
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split("\n").filter(Boolean));
        done();
      },
    });
    const app = createApp({ ...services, log: createLogger("info", sink) });
    const signIn = (password: string, client: string) =>
      app.request("/api/auth/sign-in", {
        method: "POST",
        // As Nginx sends it: X-Forwarded-For is the address it saw, nothing else.
        headers: { "content-type": "application/json", "x-forwarded-for": client },
        body: JSON.stringify({ estate: "f2b", email: "cave@f2b.fr", password }),
      });
    expect((await signIn("wrong password", "203.0.113.7")).status).toBe(401);
    expect((await signIn("wrong again", "2001:db8::17")).status).toBe(401);
    expect((await signIn("correct horse battery", "198.51.100.4")).status).toBe(200);
    // The 11th failure of one address and e-mail is refused before the password is checked.
    for (let i = 0; i < 10; i++) await signIn("still wrong", "192.0.2.99");
    expect((await signIn("still wrong", "192.0.2.99")).status).toBe(429);
  });
  afterAll(async () => {
    await services?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const failures = () => lines.filter((l) => l.includes('"auth.sign_in_failed"'));

  it("is written once per refused sign-in, with the address and without the e-mail", () => {
    expect(failures()).toHaveLength(13);
    for (const line of lines) expect(line).not.toContain("cave@f2b.fr");
    expect(JSON.parse(failures()[0]!)).toMatchObject({
      level: 40,
      event: "auth.sign_in_failed",
      client: "203.0.113.7",
      reason: "wrong_credentials",
    });
    expect(JSON.parse(failures().at(-1)!)).toMatchObject({ reason: "rate_limited" });
  });

  it("matches each refused sign-in's address and nothing else (the failregex in JavaScript)", () => {
    const failregex = failregexInJs();
    const matched = lines.flatMap((l) => {
      const m = failregex.exec(l);
      return m ? [m.groups!.addr] : [];
    });
    expect(matched).toEqual([
      "203.0.113.7",
      "2001:db8::17",
      ...Array.from({ length: 11 }, () => "192.0.2.99"),
    ]);
  });

  it("is used by a jail that reads the app's journal and bans with UFW", () => {
    const jail = readFileSync(jailPath, "utf8");
    for (const setting of [
      "[crm-reco-sign-in]",
      "filter = crm-reco-sign-in",
      "backend = systemd",
      "journalmatch = _SYSTEMD_UNIT=crm-reco.service",
      "banaction = ufw",
    ])
      expect(jail).toContain(setting);
  });

  describe.skipIf(!fail2banRegex)(
    `with Debian's fail2ban${fail2banRegex ? "" : " (SKIPPED: apt-get install fail2ban)"}`,
    () => {
      it("fail2ban-regex finds every refused sign-in in the server's log, and only those", () => {
        const log = join(dir, "crm-reco.log");
        writeFileSync(log, `${lines.join("\n")}\n`);
        const out = execFileSync(fail2banRegex!, ["--print-all-matched", log, filterPath], {
          encoding: "utf8",
        });
        expect(out).toMatch(new RegExp(`Lines: ${lines.length} lines, 0 ignored, 13 matched`));
        expect(out).toMatch(/\[13\] "event":"auth\\\.sign_in_failed","client":"<ADDR>"/);
      });

      it.runIf(existsSync("/etc/fail2ban/jail.conf"))(
        "fail2ban accepts the jail beside Debian's own configuration",
        () => {
          const conf = join(dir, "etc-fail2ban");
          cpSync("/etc/fail2ban", conf, { recursive: true });
          cpSync(join(fail2ban, "filter.d"), join(conf, "filter.d"), { recursive: true });
          cpSync(join(fail2ban, "jail.d"), join(conf, "jail.d"), { recursive: true });
          const check = spawnSync("fail2ban-client", ["-c", conf, "-t"], { encoding: "utf8" });
          expect(check.stdout + check.stderr).toContain("configuration test is successful");
        },
      );
    },
  );
});
