import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const vps = join(import.meta.dirname, "../../../stacks/vps");
const shellcheck = ["/usr/bin/shellcheck", "/usr/local/bin/shellcheck"].find((p) => existsSync(p));
const systemdAnalyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].find((p) =>
  existsSync(p),
);
const unit = (name: string) => readFileSync(join(vps, "systemd", name), "utf8");

describe("the VPS deployment files", () => {
  it.runIf(shellcheck || process.env.CI)("pass shellcheck", () => {
    const scripts = readdirSync(vps).filter((f) => f.endsWith(".sh"));
    expect(scripts.sort()).toEqual([
      "backup.sh",
      "deploy.sh",
      "health-check.sh",
      "monitor.sh",
      "restore.sh",
    ]);
    const result = spawnSync(
      shellcheck ?? "shellcheck",
      scripts.map((s) => join(vps, s)),
      { encoding: "utf8" },
    );
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("are executable as the documentation runs them (stacks/vps/deploy.sh …)", () => {
    for (const script of readdirSync(vps).filter((f) => f.endsWith(".sh")))
      expect({ script, executable: (statSync(join(vps, script)).mode & 0o111) === 0o111 }).toEqual({
        script,
        executable: true,
      });
  });

  it.each([
    ["crm-reco.service", "serve --role web"],
    ["crm-reco-worker.service", "serve --role worker"],
  ])("run %s (%s) as a dedicated, confined user, restarted on failure", (name, command) => {
    const text = unit(name);
    expect(text).toContain(`ExecStart=/opt/crm-reco/node/bin/node bin/crm-reco.js ${command}\n`);
    for (const line of [
      "User=crm-reco",
      "NoNewPrivileges=yes",
      "ProtectSystem=strict",
      "PrivateTmp=yes",
      "ReadWritePaths=/var/lib/crm-reco",
      "EnvironmentFile=/etc/crm-reco/crm-reco.env",
      "KillSignal=SIGTERM",
      "Restart=on-failure",
      "CapabilityBoundingSet=",
    ])
      expect(text).toContain(`${line}\n`);
  });

  it("give the worker the web unit's hardening, line for line", () => {
    const hardening = (text: string) =>
      text
        .split("\n")
        .filter((l) =>
          /^(NoNewPrivileges|Protect|Private|Restrict|Lock|ReadWrite|Capab|Ambient)/.test(l),
        );
    expect(hardening(unit("crm-reco-worker.service"))).toEqual(hardening(unit("crm-reco.service")));
  });

  it("back up daily", () => {
    expect(unit("crm-reco-backup.timer")).toMatch(
      /OnCalendar=.*\nRandomizedDelaySec=.*\nPersistent=true/,
    );
  });

  it.runIf(systemdAnalyze)("are units systemd reads without a complaint", () => {
    const units = readdirSync(join(vps, "systemd")).map((f) => join(vps, "systemd", f));
    const result = spawnSync(systemdAnalyze!, ["verify", "--man=no", ...units], {
      encoding: "utf8",
      cwd: join(vps, "systemd"),
    });
    // The programs they start exist only on a server that deploy.sh has set up.
    const complaints = (result.stdout + result.stderr)
      .split("\n")
      .filter((l) => l.trim() && !/Command \/opt\/crm-reco\/\S+ is not executable/.test(l));
    expect(complaints).toEqual([]);
  });
});
