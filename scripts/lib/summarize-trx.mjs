// Sums the counters of every .trx file under a folder and prints "N passed, N failed[, N skipped]".
// Exits non-zero when any test failed or no results were found.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const root = process.argv[2] ?? "test-results";
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith(".trx")) files.push(path);
  }
};
try { walk(root); } catch { /* no results folder */ }

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const file of files) {
  const counters = readFileSync(file, "utf8").match(/<Counters\s[^>]*>/);
  if (!counters) continue;
  const value = (name) => Number((counters[0].match(new RegExp(`\\s${name}="(\\d+)"`)) ?? [0, 0])[1]);
  totals.passed += value("passed");
  totals.failed += value("failed") + value("error") + value("timeout") + value("aborted");
  totals.skipped += value("notExecuted");
}

let line = `${totals.passed} passed, ${totals.failed} failed`;
if (totals.skipped > 0) line += `, ${totals.skipped} skipped`;
console.log(line);
process.exit(files.length === 0 || totals.failed > 0 ? 1 : 0);
