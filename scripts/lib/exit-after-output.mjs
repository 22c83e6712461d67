// Ends the process once everything it wrote to stdout and stderr has left it. process.exit() at
// once drops what a pipe has not taken yet: a script that passes a burst of output on to a pipe
// (unit.mjs printing the grading lane's report after the other lane's, npm test passing every
// stage through to CI) lost its tail that way, the totals the stage is counted from included (a
// fresh-clone run on Node 24 reported 1,243 unit tests of 1,336, and exited 0 because both lanes
// had). A write's callback runs once it and every write before it are flushed.
export function exitAfterOutput(code) {
  process.exitCode = code;
  const flushed = [process.stdout, process.stderr].map((stream) => new Promise((resolve) => {
    if (stream.writableLength === 0) resolve();
    else stream.write("", () => resolve());
  }));
  Promise.all(flushed).then(() => process.exit(code));
}
