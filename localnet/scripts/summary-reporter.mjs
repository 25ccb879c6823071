// A node:test reporter for `./ionet test`: one line per finished test, "Passed|Failed<TAB>file > suite > test", the
// same shape `./ionet test` reads out of the TRX files of the C# projects. Suites and skipped tests are left out; a
// file that fails to load is one failed line named after the file.
//
//   node --test --test-reporter=./scripts/summary-reporter.mjs --test-reporter-destination=FILE
import { relative } from 'node:path';

export default async function* summary(source) {
  const started = new Map(); // file -> names of the tests running at each nesting level
  for await (const { type, data } of source) {
    if (type === 'test:start') {
      const names = started.get(data.file) ?? [];
      names.length = data.nesting;
      names.push(data.name);
      started.set(data.file, names);
    } else if ((type === 'test:pass' || type === 'test:fail') && data.details?.type !== 'suite' && !data.skip && !data.todo) {
      const file = data.file ? relative(process.cwd(), data.file) : '(no file)';
      const path = data.name === data.file ? [file] : [file, ...(started.get(data.file) ?? []).slice(0, data.nesting), data.name];
      yield `${type === 'test:pass' ? 'Passed' : 'Failed'}\t${path.join(' > ').replace(/\s+/g, ' ')}\n`;
    }
  }
}
