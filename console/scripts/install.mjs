// Runs `npm ci` when node_modules does not match package-lock.json (a hash of the lock file is
// kept in node_modules/.fedplane-lock), so repeated Maven builds do not reinstall every time.
import { createHash } from 'node:crypto';
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const lock = createHash('sha256').update(readFileSync('package-lock.json')).digest('hex');
const stamp = 'node_modules/.fedplane-lock';
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lock) {
  console.log('console: node_modules matches package-lock.json');
} else {
  console.log('console: npm ci');
  execSync('npm ci --no-audit --no-fund --loglevel=error', { stdio: 'inherit' });
  writeFileSync(stamp, lock);
}
