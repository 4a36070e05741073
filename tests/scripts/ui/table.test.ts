import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fluxRow } from '../../../scripts/adapters/flux-status.ts';
import { formatFluxTable, formatTable } from '../../../scripts/ui/table.ts';

test('formats the flux get table', () => {
  const row = fluxRow({
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'flux-system', generation: 1 },
    status: {
      observedGeneration: 1,
      lastAppliedRevision: 'main@sha1:4a8b1c2d0000000000000000000000000000000f',
      conditions: [{ type: 'Ready', status: 'True', message: 'Applied revision: main@sha1:4a8b1c2d0000000000000000000000000000000f' }],
    },
  });
  assert.is(
    formatFluxTable([row], false),
    'NAME  REVISION            SUSPENDED  READY  MESSAGE\napps  main@sha1:4a8b1c2d  False      True   Applied revision: main@sha1:4a8b1c2d',
  );
  assert.is(formatFluxTable([row], true).split('\n')[1], 'flux-system  apps  main@sha1:4a8b1c2d  False      True   Applied revision: main@sha1:4a8b1c2d');
});

test('pads every column but the last to its widest cell', () => {
  assert.is(formatTable(['A', 'LONG'], [['xyz', 'q'], ['', 'end  ']]), 'A    LONG\nxyz  q\n     end');
});

test.run();
