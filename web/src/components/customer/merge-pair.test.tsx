import { Router } from "@solidjs/router";
import { cleanup, render, screen } from "@solidjs/testing-library";
import { afterEach, describe, expect, it } from "vitest";
import type { MergeCandidate, MergeCandidateSide } from "../../lib/api.ts";
import { MergePair } from "./merge-pair.tsx";

const side = (id: string, name: string, phone: string | null): MergeCandidateSide => ({
  id,
  name,
  email: null,
  city: "Colmar",
  code: null,
  phone,
  addressLine1: null,
  postalCode: "68000",
  kind: "private",
  sources: ["iSaVigne"],
  orders: 2,
});

const pair = (score: number, reasons: string[]): MergeCandidate => ({
  id: "m1",
  score,
  reasons,
  status: "pending",
  a: side("a", "Anne Martin", "+33612345678"),
  b: side("b", "Anne Martin", "+33698765432"),
});

const shown = (candidate: MergeCandidate) => {
  render(() => <Router root={() => <MergePair candidate={candidate} index={0} />} />);
  return {
    lines: screen.getAllByText(/./, { selector: ".merge-why > strong, .merge-why > span" }),
    tags: [...document.querySelectorAll(".merge-why .tag")].map(
      (t) => `${t.classList.contains("against") ? "-" : "+"}${t.textContent}`,
    ),
  };
};

describe("MergePair", () => {
  afterEach(cleanup);

  it.each([
    [15.99, "Très proches : presque tout concorde"],
    [11, "Proches"],
    [9.5, "Quelques points communs seulement"],
  ])("says how close a pair scored %d is in words: %s", (score, words) => {
    const { lines } = shown(pair(score, ["nom", "ville"]));
    expect(lines[0]!.textContent).toBe(words);
  });

  it("does not say almost everything agrees of records that disagree on two things", () => {
    const { lines, tags } = shown(
      pair(15.5, ["nom", "prénom", "ville", "autre rue", "autre e-mail"]),
    );
    expect(lines[0]!.textContent).toBe("Proches");
    expect(tags).toEqual(["+nom", "+prénom", "+ville", "-autre rue", "-autre e-mail"]);
  });

  it("shows what argues against the pair apart from what it shares, and phones as dialled", () => {
    const { tags } = shown(pair(15.99, ["nom", "prénom", "ville", "autre téléphone"]));
    expect(tags).toEqual(["+nom", "+prénom", "+ville", "-autre téléphone"]);
    expect(screen.getByText("06 12 34 56 78")).toBeTruthy();
  });
});
