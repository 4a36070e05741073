import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { benchTree } from '../../bench/validate-tree.ts';
import { validate } from '../../scripts/validate/validate.ts';
import { kubectlKustomize } from '../scripts/validate/fixture.ts';
import { removeTestdirs, testdir } from '../helpers/testdir.ts';

test.after.each(removeTestdirs);

test('the bench tree validates clean: every Kustomization built, every object checked against a schema', async () => {
  const apps = 12;
  const configMaps = 3;
  const root = testdir(benchTree({ apps, configMaps }));
  const result = await validate({ root, kustomize: kubectlKustomize, cache: false });
  assert.equal(result.findings, []);
  assert.is(result.exitCode, 0);
  const { clusters, kustomizations, objects, errors, warnings, withoutSchema } = result.summary;
  // flux-system and one per app; per app a Namespace, a ServiceAccount, a Deployment, a Service,
  // its ConfigMaps and the overlay's own; plus flux-system's GitRepository and Kustomizations.
  assert.equal({ clusters, kustomizations, objects, errors, warnings, withoutSchema }, {
    clusters: 1, kustomizations: apps + 1, objects: apps * (4 + configMaps + 1) + 1 + (apps + 1), errors: 0, warnings: 0, withoutSchema: {},
  });
});

test.run();
