// Regenerates the cross-check files in this directory from independent npm
// implementations of Bikram Sambat. Run OUTSIDE the repository, e.g.:
//
//   cd "$(mktemp -d)" && npm init -y && npm install bikram-sambat@1.8.1 nepali-datetime@1.6.0
//   cp /path/to/internal/bs/testdata/gen-crosscheck.mjs .
//   TZ=UTC node gen-crosscheck.mjs bikram-sambat > crosscheck-bikram-sambat.txt
//   TZ=UTC node gen-crosscheck.mjs nepali-datetime > baishakh1-nepali-datetime.txt
//
// Output lines are "BS-date AD-date" (ISO, ASCII digits); lines starting with
// "#" are headers. The package's own AD->BS function is also run on every
// AD date and any disagreement with its BS->AD function is reported on stderr.
import { createRequire } from 'module';
import { readFileSync } from 'fs';

const require = createRequire(import.meta.url);
const which = process.argv[2];
const FIRST = 2000, LAST = 2090;
const pad = (n) => String(n).padStart(2, '0');
const iso = (y, m, d) => `${y}-${pad(m)}-${pad(d)}`;
const version = JSON.parse(readFileSync(`node_modules/${which}/package.json`, 'utf8')).version;

let inconsistent = 0;
if (which === 'bikram-sambat') {
  const b = require('bikram-sambat');
  console.log(`# every BS day ${FIRST}-${LAST} -> AD, produced by npm bikram-sambat@${version} (Apache-2.0)`);
  console.log(`# command: TZ=UTC node gen-crosscheck.mjs bikram-sambat`);
  for (let y = FIRST; y <= LAST; y++) {
    for (let m = 1; m <= 12; m++) {
      const n = b.daysInMonth(y, m);
      for (let d = 1; d <= n; d++) {
        const ad = b.toGreg_text(y, m, d);
        if (b.toBik_euro(ad) !== iso(y, m, d)) inconsistent++;
        console.log(`${iso(y, m, d)} ${ad}`);
      }
    }
  }
} else if (which === 'nepali-datetime') {
  const c = (await import('nepali-datetime/dateConverter')).default;
  console.log(`# AD date of 1 Baishakh for each BS year ${FIRST}-${LAST}, produced by npm nepali-datetime@${version} (GPL-3.0; dates only)`);
  console.log(`# command: TZ=UTC node gen-crosscheck.mjs nepali-datetime`);
  for (let y = FIRST; y <= LAST; y++) {
    const [ay, am, ad] = c.nepaliToEnglish(y, 0, 1);
    if (ay >= c.enMinYear()) {
      const [by, bm, bd] = c.englishToNepali(ay, am, ad);
      if (by !== y || bm !== 0 || bd !== 1) inconsistent++;
    }
    console.log(`${iso(y, 1, 1)} ${iso(ay, am + 1, ad)}`);
  }
} else {
  console.error('usage: node gen-crosscheck.mjs bikram-sambat|nepali-datetime');
  process.exit(2);
}
if (inconsistent > 0) console.error(`${which}: ${inconsistent} dates where the package disagrees with itself`);
