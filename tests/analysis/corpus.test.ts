// Micro precision and recall of the real analyser over the hand-labelled corpus.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createAnalyser } from "../../src/analysis/index.js";
import { articleFromMarkdown, gazetteer } from "./helpers.js";

const DIR = join(import.meta.dirname, "../fixtures/corpus");

interface Label {
  actors: string[];
  countries: string[];
  sponsors: string[];
  targets: string[];
}

class Score {
  tp = 0;
  fp = 0;
  fn = 0;
  readonly errors: string[] = [];
  add(article: string, expected: string[], actual: string[]): void {
    const want = new Set(expected);
    const got = new Set(actual);
    for (const x of got) {
      if (want.has(x)) this.tp++;
      else {
        this.fp++;
        this.errors.push(`${article}: unexpected ${x}`);
      }
    }
    for (const x of want) {
      if (!got.has(x)) {
        this.fn++;
        this.errors.push(`${article}: missed ${x}`);
      }
    }
  }
  get precision(): number {
    return this.tp + this.fp === 0 ? 1 : this.tp / (this.tp + this.fp);
  }
  get recall(): number {
    return this.tp + this.fn === 0 ? 1 : this.tp / (this.tp + this.fn);
  }
  line(name: string): string {
    return `${name.padEnd(9)} precision ${this.precision.toFixed(3)} recall ${this.recall.toFixed(3)} (tp ${this.tp}, fp ${this.fp}, fn ${this.fn})`;
  }
}

describe("labelled corpus", () => {
  const labels = parse(readFileSync(join(DIR, "labels.yaml"), "utf8")) as Record<string, Label>;
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith(".md"))
    .sort();
  const analyse = createAnalyser(gazetteer());
  const actors = new Score();
  const countries = new Score();
  const sponsors = new Score();
  const targets = new Score();
  for (const file of files) {
    const name = file.replace(/\.md$/, "");
    const label = labels[name];
    if (!label) throw new Error(`no label for ${file}`);
    const result = analyse(articleFromMarkdown(readFileSync(join(DIR, file), "utf8"), join(DIR, file)));
    actors.add(
      name,
      label.actors,
      result.actors.map((a) => a.id),
    );
    countries.add(
      name,
      label.countries,
      result.countries.map((c) => c.code),
    );
    sponsors.add(
      name,
      label.sponsors,
      result.countries.filter((c) => c.roles.includes("sponsor")).map((c) => c.code),
    );
    targets.add(
      name,
      label.targets,
      result.countries.filter((c) => c.roles.includes("target")).map((c) => c.code),
    );
  }
  console.log(
    [
      `corpus: ${files.length} articles`,
      actors.line("actors"),
      countries.line("countries"),
      sponsors.line("sponsors"),
      targets.line("targets"),
    ]
      .concat(
        [
          ...actors.errors,
          ...countries.errors,
          ...sponsors.errors,
          ...targets.errors.map((e) => `target ${e}`),
        ].map((e) => `  ${e}`),
      )
      .join("\n"),
  );

  it("has at least 40 labelled articles, each with a label", () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect(Object.keys(labels).sort()).toEqual(files.map((f) => f.replace(/\.md$/, "")));
  });

  it("tags actors with precision and recall of at least 0.97", () => {
    expect(actors.precision).toBeGreaterThanOrEqual(0.97);
    expect(actors.recall).toBeGreaterThanOrEqual(0.97);
  });

  it("tags countries with precision and recall of at least 0.95", () => {
    expect(countries.precision).toBeGreaterThanOrEqual(0.95);
    expect(countries.recall).toBeGreaterThanOrEqual(0.95);
  });

  it("finds sponsor countries with precision and recall of at least 0.90", () => {
    expect(sponsors.precision).toBeGreaterThanOrEqual(0.9);
    expect(sponsors.recall).toBeGreaterThanOrEqual(0.9);
  });

  it("finds target countries with precision of at least 0.95 and recall of at least 0.8", () => {
    // Some labelled victims are named without their country ("the Electoral Commission"): the rules need the country.
    expect(targets.precision).toBeGreaterThanOrEqual(0.95);
    expect(targets.recall).toBeGreaterThanOrEqual(0.8);
  });
});
