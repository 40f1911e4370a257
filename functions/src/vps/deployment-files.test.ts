import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const vps = join(import.meta.dirname, "../../../stacks/vps");
const shellcheck = ["/usr/bin/shellcheck", "/usr/local/bin/shellcheck"].find((p) => existsSync(p));

describe("the VPS deployment files", () => {
  it.runIf(shellcheck || process.env.CI)("pass shellcheck", () => {
    const scripts = readdirSync(vps).filter((f) => f.endsWith(".sh"));
    expect(scripts.sort()).toEqual(["backup.sh", "restore.sh"]);
    const result = spawnSync(
      shellcheck ?? "shellcheck",
      scripts.map((s) => join(vps, s)),
      { encoding: "utf8" },
    );
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("run the service as a dedicated, confined user, and back up daily", () => {
    const unit = readFileSync(join(vps, "systemd/crm-reco.service"), "utf8");
    for (const line of [
      "User=crm-reco",
      "NoNewPrivileges=yes",
      "ProtectSystem=strict",
      "PrivateTmp=yes",
      "EnvironmentFile=/etc/crm-reco/crm-reco.env",
      "Restart=on-failure",
    ])
      expect(unit).toContain(line);
    expect(readFileSync(join(vps, "systemd/crm-reco-backup.timer"), "utf8")).toMatch(
      /OnCalendar=.*\nRandomizedDelaySec=.*\nPersistent=true/,
    );
  });
});
