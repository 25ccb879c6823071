// The committed Anchor vectors (tests/Programs.Client.Tests/Vectors/anchor-generated.json) must be exactly what
// scripts/anchor-vectors.mjs makes with @coral-xyz/anchor 0.32.1: regenerate to a temp file and compare.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generate, render, defaultOut } from "../scripts/anchor-vectors.mjs";

test("regenerated anchor vectors are identical to the committed file", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "anchor-vectors-"));
  try {
    const file = path.join(dir, "anchor-generated.json");
    writeFileSync(file, render(await generate()));
    assert.equal(readFileSync(file, "utf8"), readFileSync(defaultOut, "utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("two generations are identical (fixed seed, no clock, no Math.random)", async () => {
  assert.equal(render(await generate()), render(await generate()));
});
