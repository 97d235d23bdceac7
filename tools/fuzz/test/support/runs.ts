import { afterAll } from "vitest";

// How many inputs each property tries. The numbers keep the whole project under ~2 minutes on a
// shared 2-core machine; their sum over the project is what the README reports as "inputs tried".
// FUZZ_SEED=<n> replays a failing run: fast-check prints the seed (and path) of every failure.
// Under CI the seed is fixed, so whether a commit lands never depends on the draw; runs elsewhere
// draw a new seed each time and keep exploring (a find becomes a regression test and a fix).
const CI_SEED = 20_261_202;
const seed =
  process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : process.env.CI ? CI_SEED : undefined;

let tried = 0;
const tallies = new Map<string, { value: number; error: number }>();

/** The seed of a run that needs one of its own (a worker process's draws): fixed under CI, else new. */
export function seedOfRun(): number {
  return seed ?? Math.floor(Math.random() * 2 ** 31);
}

/** fast-check parameters for a property of `numRuns` inputs (with the replay seed, when given). */
export function runs(numRuns: number): { numRuns: number; seed?: number } {
  return seed === undefined ? { numRuns } : { numRuns, seed };
}

/** Counts one input (call it once per property run); the file prints its total when it ends. */
export function tried1(count = 1): void {
  tried += count;
}

/**
 * Counts how a boundary answered (a value, or a typed error), so the report shows that both
 * branches were reached: a property whose inputs all fail validation tests nothing past it.
 */
export function tally<T extends { ok: boolean }>(boundary: string, outcome: T): T {
  const counts = tallies.get(boundary) ?? { value: 0, error: 0 };
  if (outcome.ok) counts.value++;
  else counts.error++;
  tallies.set(boundary, counts);
  return outcome;
}

/** Prints how many inputs this file tried and how its boundaries answered, e.g. `[fuzz] cache: 2400 inputs`. */
export function reportInputs(file: string): void {
  afterAll(() => {
    const answers = [...tallies].map(
      ([boundary, { value, error }]) => `${boundary} ${value} ok / ${error} typed errors`,
    );
    console.log(`[fuzz] ${file}: ${tried} inputs${answers.length > 0 ? `; ${answers.join("; ")}` : ""}`);
  });
}
