import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REQUIRE_ALL_SUITES } from '../../test-support/shared.js';
import { hasKubectl, hasTool, type K8sObject } from '../test-support/render.js';
import { validateAgainstSchema } from '../test-support/k8s-schema.js';

const DIR = fileURLToPath(new URL('./', import.meta.url));
const SCRIPTS = ['build-and-push.sh', 'deploy.sh'];

const shellcheck = hasTool('shellcheck');
if (!shellcheck && REQUIRE_ALL_SUITES) throw new Error('shellcheck is missing and L1T_REQUIRE_ALL_SUITES=1');
const kubectl = hasKubectl();
if (!kubectl && REQUIRE_ALL_SUITES) throw new Error('kubectl is missing and L1T_REQUIRE_ALL_SUITES=1');

describe('deploy/aws scripts', () => {
  it.runIf(shellcheck).each(SCRIPTS)('%s is shellcheck-clean', (script) => {
    const r = spawnSync('shellcheck', ['-x', '-S', 'style', join(DIR, script)], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.each(SCRIPTS)('%s is strict bash and prints its usage (exit 2) when called wrongly', (script) => {
    const text = readFileSync(join(DIR, script), 'utf8');
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(text).toMatch(/^set -euo pipefail$/m);
    const r = spawnSync('bash', [join(DIR, script)], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^usage: /m);
  });

  it('build-and-push.sh refuses a bad account and the tag latest before touching AWS or Docker', () => {
    const run = (...args: string[]) =>
      spawnSync('bash', [join(DIR, 'build-and-push.sh'), ...args], { encoding: 'utf8' });
    expect(run('12345', 'us-east-1', 'v1').stderr).toMatch(/ACCOUNT must be 12 digits/);
    const latest = run('123456789012', 'us-east-1', 'latest');
    expect(latest.status).toBe(2);
    expect(latest.stderr).toMatch(/refusing the tag 'latest'/);
  });
});

describe.runIf(kubectl)('deploy.sh renders a complete release (DRY_RUN)', () => {
  const stubs = mkdtempSync(join(tmpdir(), 'l1t-deploy-stubs-'));
  afterAll(() => rmSync(stubs, { recursive: true, force: true }));
  // `aws` must never be called in a dry run with AWS_ACCOUNT_ID given: the stub fails loudly if it is.
  writeFileSync(join(stubs, 'aws'), '#!/bin/sh\necho "aws stub called: $*" >&2\nexit 99\n');
  chmodSync(join(stubs, 'aws'), 0o755);
  const env = {
    PATH: `${stubs}:${process.env.PATH ?? ''}`,
    DRY_RUN: '1',
    AWS_ACCOUNT_ID: '123456789012',
    IMAGE_TAG: 'v1.2.3',
    EFS_FILE_SYSTEM_ID: 'fs-0123456789abcdef0',
    CERTIFICATE_ARN: 'arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-aaaa-bbbb-cccc-111122223333',
  };

  it.each(['eks', 'clickhouse-cluster'])(
    'overlay %s: every placeholder filled, every object still valid',
    (overlay) => {
      const r = spawnSync('bash', [join(DIR, 'deploy.sh'), 'l1-troubleshooting-cluster', 'eu-west-1'], {
        encoding: 'utf8',
        env: { ...env, OVERLAY: overlay },
        maxBuffer: 32 * 1024 * 1024,
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).not.toContain('REPLACE_');
      const objects = parseAllDocuments(r.stdout).map((d) => d.toJS() as K8sObject);
      for (const o of objects) validateAgainstSchema(o);
      const text = r.stdout;
      expect(text).toContain('image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/l1-integrated:v1.2.3');
      expect(text).toContain('fileSystemId: fs-0123456789abcdef0');
      expect(text).toContain('eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/L1BedrockRole');
      expect(text).toContain('AWS_REGION: eu-west-1');
      expect(text).toContain(`alb.ingress.kubernetes.io/certificate-arn: ${env.CERTIFICATE_ARN}`);
    },
  );

  it('applies, waits for ClickHouse, the migrations and the rollouts, then prints the ALB address (kubectl and aws stubbed)', () => {
    // The stub kubectl renders with the real one and records every other call, answering as a cluster would.
    const real = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();
    const log = join(stubs, 'calls.log');
    writeFileSync(
      join(stubs, 'kubectl'),
      `#!/bin/sh
if [ "$1" = kustomize ]; then exec ${real} "$@"; fi
echo "kubectl $*" >> ${log}
case "$*" in
  *"get job l1-migrate"*) echo Complete ;;
  *"get ingress"*) echo k8s-l1troubl-l1integr-0123456789.eu-west-1.elb.amazonaws.com ;;
  *"apply -f"*) cat "$3" > ${log}.applied ;;
esac
exit 0
`,
    );
    chmodSync(join(stubs, 'kubectl'), 0o755);
    writeFileSync(join(stubs, 'aws'), `#!/bin/sh\necho "aws $*" >> ${log}\nexit 0\n`);
    const r = spawnSync('bash', [join(DIR, 'deploy.sh'), 'l1-troubleshooting-cluster', 'eu-west-1'], {
      encoding: 'utf8',
      env: { ...env, DRY_RUN: '0', WAF_ACL_ARN: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/l1/abc' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ALB address: k8s-l1troubl-l1integr-0123456789.eu-west-1.elb.amazonaws.com');
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    const ns = '-n l1-troubleshooting';
    expect(calls).toEqual([
      'aws eks update-kubeconfig --name l1-troubleshooting-cluster --region eu-west-1',
      'kubectl get namespace l1-troubleshooting',
      `kubectl ${ns} get secret l1-app-secrets`,
      `kubectl ${ns} delete job l1-migrate --ignore-not-found --wait=true`,
      expect.stringMatching(/^kubectl apply -f \S+$/),
      `kubectl ${ns} annotate ingress l1-integrated-ingress --overwrite alb.ingress.kubernetes.io/wafv2-acl-arn=arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/l1/abc`,
      `kubectl ${ns} rollout status statefulset/clickhouse --timeout=10m`,
      `kubectl ${ns} get job l1-migrate -o jsonpath={.status.conditions[?(@.status=="True")].type}`,
      `kubectl ${ns} rollout status deployment/l1-integrated-app --timeout=10m`,
      `kubectl ${ns} rollout status deployment/l1-integrated-worker --timeout=10m`,
      `kubectl ${ns} get ingress l1-integrated-ingress -o jsonpath={.status.loadBalancer.ingress[0].hostname}`,
    ]);
    const applied = readFileSync(`${log}.applied`, 'utf8');
    expect(applied).toContain('image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/l1-integrated:v1.2.3');
    expect(applied).not.toContain('REPLACE_');
  });

  it('refuses to run without the required settings, naming the variable', () => {
    const r = spawnSync('bash', [join(DIR, 'deploy.sh'), 'c', 'eu-west-1'], {
      encoding: 'utf8',
      env: { ...env, EFS_FILE_SYSTEM_ID: '' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/EFS_FILE_SYSTEM_ID is not set/);
  });
});

describe('bedrock-policy.json (least privilege)', () => {
  const policy = JSON.parse(readFileSync(join(DIR, 'bedrock-policy.json'), 'utf8')) as {
    Version: string;
    Statement: Array<{ Effect: string; Action: string[]; Resource: string[] }>;
  };

  it('allows only InvokeModel and InvokeModelWithResponseStream on Nova Pro (model and inference profiles)', () => {
    expect(policy.Version).toBe('2012-10-17');
    for (const s of policy.Statement) {
      expect(s.Effect).toBe('Allow');
      expect([...s.Action].sort()).toEqual(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
      for (const r of s.Resource)
        expect(r).toMatch(
          /^arn:aws:bedrock:\*:(|ACCOUNT_ID):(foundation-model\/amazon\.nova-pro-v1:0|inference-profile\/[a-z]+\.amazon\.nova-pro-v1:0)$/,
        );
    }
    const all = policy.Statement.flatMap((s) => s.Resource);
    expect(all).toContain('arn:aws:bedrock:*::foundation-model/amazon.nova-pro-v1:0');
    expect(all.some((r) => r.includes(':inference-profile/'))).toBe(true);
  });
});
