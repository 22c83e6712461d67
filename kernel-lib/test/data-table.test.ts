// readCSV and DataTable: bad files fail with the file and line named; danfojs-node stays unloaded
// until a CSV is read; the backend can be swapped.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataError, readCSV, readDailySeries, setTableBackend, getTableBackend, danfoBackend, type TableBackend } from "../src/data";

const dir = mkdtempSync(join(tmpdir(), "data-table-"));
after(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

test("importing kernel-lib does not load danfojs-node (it loads on the first readCSV)", async () => {
  const loaded = () => Object.keys(require.cache).some((k) => k.includes(`${"node_modules"}/danfojs-node/`));
  assert.equal(loaded(), false);
  const t = await readCSV(file("ok.csv", "a,b\n1,2\n3,4.5\n"));
  assert.equal(loaded(), true);
  assert.equal(t.backend, "danfojs-node");
  assert.deepEqual(t.columns, ["a", "b"]);
  assert.equal(t.numRows, 2);
  assert.deepEqual(Array.from(t.numeric("b")), [2, 4.5]);
  assert.deepEqual(Array.from(t.integer("a")), [1, 3]);
  assert.deepEqual(t.text("a"), ["1", "3"]);
  assert.match(t.describe(), /rows +2/);
});

test("a missing, empty or header-only file is an error naming the file", async () => {
  await assert.rejects(readCSV(join(dir, "nope.csv")), (e: Error) => e instanceof DataError && /nope\.csv does not exist/.test(e.message));
  await assert.rejects(readCSV(file("empty.csv", "")), /empty\.csv is empty \(0 bytes\)/);
  await assert.rejects(readCSV(file("header.csv", "a,b\n")), /header\.csv has a header \(a,b\) but no data rows/);
  await assert.rejects(readCSV(dir), /is a folder/);
});

test("a row with too few or too many fields is an error naming its line", async () => {
  await assert.rejects(readCSV(file("short.csv", "a,b\n1,2\n3\n5,6\n")), (e: Error) => e instanceof DataError && /short\.csv:3: 1 fields where the header has 2: "3"/.test(e.message));
  await assert.rejects(readCSV(file("long.csv", "a,b\n1,2\n3,4\n5,6,7\n")), /long\.csv:4: 3 fields where the header has 2/);
  await assert.rejects(readCSV(file("blank.csv", "a,b\n1,2\n\n5,6\n")), /blank\.csv:3: an empty line among the rows: delete it/);
  await assert.rejects(readCSV(file("trailing.csv", "a,b\r\n1,2\r\n\r\n")), /trailing\.csv:3: an empty line at the end of the file \(and only empty lines after it\): delete them/);
});

test("a non-numeric or empty cell in a numeric column names the file, line, column and value", async () => {
  const t = await readCSV(file("nonnum.csv", "a,b\n1,2\n3,x\n5,\n"));
  assert.throws(() => t.numeric("b"), (e: Error) => e instanceof DataError && e.message.includes('nonnum.csv:3: column "b" is "x", not a number'));
  const u = await readCSV(file("gap.csv", "a,b\n1,2\n5,\n"));
  assert.throws(() => u.numeric("b"), /gap\.csv:3: column "b" is empty/);
  for (const bad of ["NaN", "Infinity", "1,5", "0x10", "1e", "--1"]) {
    const v = await readCSV(file("bad.csv", `a\n"${bad}"\n`));
    assert.throws(() => v.numeric("a"), /bad\.csv:2: column "a" is/, bad);
  }
  const w = await readCSV(file("frac.csv", "a\n1.5\n"));
  assert.throws(() => w.integer("a"), /frac\.csv:2: column "a" is 1.5, not a whole number/);
  assert.throws(() => t.numeric("c"), /no column "c" \(the columns are "a", "b"\)/);
  await assert.rejects(readCSV(file("cols.csv", "a,b\n1,2\n"), ["a", "births"]), /cols\.csv lacks column "births"/);
});

test("quoted fields with commas are one field", async () => {
  const t = await readCSV(file("quoted.csv", 'id,msg\n1,"a, b"\n2,"say ""hi"""\n'));
  assert.deepEqual(t.text("msg"), ["a, b", 'say "hi"']);
});

// A quoted field may hold line breaks (a log message, a note): the rows after it start on later
// lines than "row i + 2", and an error named the wrong line.
test("a quoted field that spans lines: the rows after it are named by the line they start on", async () => {
  const p = file("multiline.csv", 'day,note,births\n2024-01-01,"a note\nover two lines",100\n2024-01-02,"three\nlines\nhere",101\n2024-01-03,plain,x\n');
  const t = await readCSV(p);
  assert.deepEqual(t.text("note"), ["a note\nover two lines", "three\nlines\nhere", "plain"]);
  assert.deepEqual([0, 1, 2].map((i) => t.lineOf(i)), [2, 4, 7]);
  await assert.rejects(async () => t.numeric("births"), (e: Error) => e instanceof DataError && e.message.startsWith(`${p}:7: column "births" is "x"`));
  // Without a field spanning lines, row i is on line i + 2 (quotes alone change nothing).
  const q = await readCSV(file("quoted-one-line.csv", 'a,b\n"x, y",1\n"z",2\n'));
  assert.deepEqual([q.lineOf(0), q.lineOf(1)], [2, 3]);
});

// danfojs renamed a repeated column name (the second "value" became another name) with only a
// console warning, so a learner's `t.numeric("value")` read one of the two in silence.
test("a header that names a column twice is an error naming it and where", async () => {
  const p = file("twice.csv", "day,value,note,value\n2024-01-01,1,a,2\n");
  await assert.rejects(readCSV(p), (e: Error) => e instanceof DataError && e.message === `readCSV: ${p}:1: the header names column "value" 2 times (columns 2 and 4): give each column a name of its own`);
});

test("the backend can be swapped: readCSV uses whatever setTableBackend installed", async () => {
  const calls: string[] = [];
  const fake: TableBackend = {
    name: "fake",
    async readCSV(path) {
      calls.push(path);
      return { columns: ["x"], rows: [["7"], ["8"]] };
    },
  };
  const previous = setTableBackend(fake);
  try {
    const t = await readCSV(file("any.csv", "x\n1\n2\n"));
    assert.equal(t.backend, "fake");
    assert.deepEqual(Array.from(t.numeric("x")), [7, 8]);
    assert.equal(calls.length, 1);
    // A backend that pads short rows instead of rejecting them is still caught.
    setTableBackend({ name: "ragged", readCSV: async () => ({ columns: ["x", "y"], rows: [["1", "2"], ["3"]] }) });
    await assert.rejects(readCSV(file("any2.csv", "x,y\n1,2\n3,4\n")), /any2\.csv:3: 1 fields where the header has 2/);
    // A backend failure is reported with the backend's name and the file.
    setTableBackend({ name: "broken", readCSV: async () => { throw new Error("boom"); } });
    await assert.rejects(readCSV(file("any3.csv", "x\n1\n")), /any3\.csv \(broken: boom\)/);
  } finally {
    setTableBackend(previous ?? danfoBackend);
  }
  assert.equal(getTableBackend().name, "danfojs-node");
});

test("readDailySeries reads a learner's own daily CSV into dates, weekdays, values and a [N, 1] series", async () => {
  const s = await readDailySeries(file("sales.csv", "date,sales,store\n2024-02-27,10,a\n2024-02-28,12.5,a\n2024-02-29,9,a\n2024-03-01,11,a\n"), { value: "sales" });
  assert.deepEqual(s.dates, ["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01"]);
  assert.deepEqual(Array.from(s.values), [10, 12.5, 9, 11]);
  assert.deepEqual(Array.from(s.dayOfWeek), [2, 3, 4, 5], "2024-02-27 was a Tuesday (1 = Monday)");
  assert.deepEqual(s.series.shape, [4, 1]);
  assert.match(s.describe(), /4 days, 2024-02-27 to 2024-03-01/);
  const t = await readDailySeries(file("day.csv", "day,kwh\n2023-12-31,1\n2024-01-01,2\n"), { date: "day", value: "kwh" });
  assert.deepEqual(t.dates, ["2023-12-31", "2024-01-01"]);
});

test("readDailySeries refuses a missing, repeated or out-of-order day, and a date that is not one, naming the file and line", async () => {
  const bad = async (name: string, rows: string, pattern: RegExp) =>
    assert.rejects(readDailySeries(file(name, `date,v\n${rows}`), { value: "v" }), (e: Error) => e instanceof DataError && pattern.test(e.message));
  await bad("missing.csv", "2024-01-01,1\n2024-01-02,1\n2024-01-05,1\n", /missing\.csv:4: 2024-01-05 does not follow 2024-01-02 by one day \(2 days missing\)/);
  await bad("missing1.csv", "2024-01-01,1\n2024-01-03,1\n", /missing1\.csv:3: .*\(1 day missing\)/);
  await bad("repeat.csv", "2024-01-01,1\n2024-01-02,1\n2024-01-02,1\n", /repeat\.csv:4: repeats 2024-01-02/);
  await bad("order.csv", "2024-01-02,1\n2024-01-01,1\n", /order\.csv:3: 2024-01-01 comes before 2024-01-02 \(the rows must be in date order\)/);
  await bad("feb30.csv", "2024-02-29,1\n2024-02-30,1\n", /feb30\.csv:3: 2024-02-30 is not a date/);
  await bad("format.csv", "2024-01-01,1\n01/02/2024,1\n", /format\.csv:3: column "date" is "01\/02\/2024", not a date written YYYY-MM-DD/);
  await bad("value.csv", "2024-01-01,1\n2024-01-02,n/a\n", /value\.csv:3: column "v" is "n\/a", not a number/);
  await assert.rejects(readDailySeries(file("cols.csv", "day,v\n2024-01-01,1\n"), { value: "v" }), /cols\.csv lacks column "date" \(it has "day", "v"\)/);
});

test("a file separated by semicolons or tabs, or with old Mac line endings, is named as such (it read as one column, or one line)", async () => {
  await assert.rejects(readCSV(file("semi.csv", "date;sales\n2024-01-01;3\n")), /semi\.csv:1: the header has no comma but semicolons \("date;sales"\): the file is separated by ";", not commas/);
  await assert.rejects(readCSV(file("tabs.csv", "date\tsales\n2024-01-01\t3\n")), /tabs\.csv:1: the header has no comma but tabs/);
  await assert.rejects(readCSV(file("cr.csv", "a,b\r1,2\r")), /cr\.csv: its lines end in a carriage return alone \(old Mac line endings\)/);
  assert.deepEqual((await readCSV(file("one.csv", "sales\n3\n4\n"))).columns, ["sales"], "one column with no separator at all is fine");
  await assert.rejects(readCSV(file("spaces.csv", " date, sales\n2024-01-01,3\n"), ["date"]), /lacks column "date" \(it has " date", " sales"\)/);
});

test("readText reads a learner's own text as UTF-8: a Latin-1 or UTF-16 file is an error naming the line, a BOM and CRLF line ends are dropped", async () => {
  const { readText } = await import("../src/data");
  assert.equal(readText(file("book.txt", "\uFEFFCall me Ishmael.\r\nSome years ago\r\n")), "Call me Ishmael.\nSome years ago\n");
  const latin1 = join(dir, "latin1.txt");
  writeFileSync(latin1, Buffer.from("first line\nEin Mädchen\n", "latin1"));
  assert.throws(() => readText(latin1), (e: Error) => e instanceof DataError && /latin1\.txt:2: byte 0xe4 is not UTF-8 \(after "Ein M"\)\. Save \(or convert\) the file as UTF-8/.test(e.message));
  const utf16 = join(dir, "utf16.txt");
  writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("hi", "utf16le")]));
  assert.throws(() => readText(utf16), /utf16\.txt:1: the file is UTF-16/);
  assert.throws(() => readText(join(dir, "none.txt")), /none\.txt does not exist/);
});
