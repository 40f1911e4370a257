import type { Clock } from "@crm-reco/core";

export const systemClock: Clock = { now: () => new Date() };
