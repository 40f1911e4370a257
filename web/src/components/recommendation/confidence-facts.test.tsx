import { cleanup, render, screen } from "@solidjs/testing-library";
import { afterEach, describe, expect, it } from "vitest";
import type { Recommendation } from "../../lib/api.ts";
import { setLocale } from "../../lib/i18n.ts";
import { ConfidenceFacts } from "./confidence-facts.tsx";

const recommendation = (confidence: number, confidenceHorizonDays: number): Recommendation => ({
  id: "00000000-0000-4000-8000-000000000001",
  customer: { id: "c1", name: "Client 1", code: "K1" },
  product: { id: "p1", sku: "CR21", name: "Crémant Brut 2021" },
  algorithm: "hybrid",
  rank: 1,
  confidence,
  confidenceHorizonDays,
  customerQualityScore: 80,
  explanation: { fr: "Parce que", en: "Because", fallback: false },
  status: "pending",
  rejectReason: null,
  feedback: { count: 0, meanRating: null },
  emailRefusal: null,
});

describe("ConfidenceFacts", () => {
  afterEach(() => {
    cleanup();
    setLocale("fr");
  });

  it.each([
    // Whole customers, never "12,3 of 100".
    ["fr", 0.123, 180, "Sur 100 clients avec un score comparable, environ 12 ont acheté"],
    ["en", 0.123, 180, "about 12 bought the proposed wine within the next 6 months"],
    ["fr", 0.0034, 180, "Sur 1 000 clients avec un score comparable, environ 3 ont acheté"],
    // A history under a year: the run measured purchases within a shorter window, and says so.
    ["fr", 0.2, 35, "environ 20 ont acheté le vin proposé dans les 35 jours suivants"],
    ["en", 0.0004, 35, "fewer than one bought the proposed wine within the next 35 days"],
  ] as const)("in %s, %d over %i days reads “%s”", (locale, confidence, days, meaning) => {
    setLocale(locale);
    render(() => (
      <ConfidenceFacts recommendation={recommendation(confidence, days)} qualityToday={null} />
    ));
    expect(screen.getByText(meaning, { exact: false })).toBeTruthy();
  });
});
