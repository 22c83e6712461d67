// Where the course's data lives: the repository's datasets/ folder, and the files that npm
// packages ship. Nothing here downloads: every path is on this machine or it is an error.
import { existsSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { DataError } from "./errors";

let cachedDatasetsDir: string | null = null;

/**
 * The repository's datasets/ folder, found by walking up from this file (the same code runs from
 * kernel-lib/src under tsx and from kernel-lib/dist in a notebook). COURSE_DATASETS overrides it.
 */
export function datasetsDir(): string {
  const override = process.env.COURSE_DATASETS;
  if (override) {
    if (!existsSync(override)) throw new DataError(`datasetsDir: COURSE_DATASETS is ${override}, which does not exist`);
    return override;
  }
  if (cachedDatasetsDir !== null) return cachedDatasetsDir;
  const tried: string[] = [];
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, "datasets");
    tried.push(candidate);
    if (existsSync(join(candidate, "README.md"))) return (cachedDatasetsDir = candidate);
    if (dirname(dir) === dir) break;
  }
  throw new DataError(`datasetsDir: no datasets/README.md above ${__dirname} (looked in ${tried.slice(0, 4).join(", ")}, ...); set COURSE_DATASETS to the folder`);
}

/** "datasets/service-logs.csv" for a file in datasets/ (how describe() names it), else the path as given. */
export function displayPath(path: string): string {
  try {
    const dir = datasetsDir();
    if (path.startsWith(dir + sep)) return `datasets/${path.slice(dir.length + 1)}`;
  } catch {
    // no datasets/ folder: show the path as it is
  }
  return path;
}

/** A file shipped in datasets/: `datasetPath("service-logs.csv")`. */
export function datasetPath(name: string): string {
  return join(datasetsDir(), name);
}

/**
 * A file inside an installed npm package, e.g. the CSV a @stdlib data set declares in its
 * datapackage.json. Resolved through the package's package.json, so it works wherever npm put it.
 */
export function packageFile(pkg: string, relative: string): string {
  let root: string;
  try {
    root = dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new DataError(`${pkg} is not installed (it is a dependency of kernel-lib): run npm install in the repository`);
  }
  const file = join(root, relative);
  if (!existsSync(file)) throw new DataError(`${pkg}: ${relative} is missing from the installed package (${file})`);
  return file;
}

/** require() of an optional heavy package, with the install hint instead of a bare MODULE_NOT_FOUND. */
export function requirePackage(pkg: string, forWhat: string): any {
  try {
    return require(pkg);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "MODULE_NOT_FOUND") {
      throw new DataError(`${forWhat} needs the npm package ${pkg}, which is not installed: run npm install in the repository`);
    }
    throw e;
  }
}
