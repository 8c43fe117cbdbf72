import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REQUIRE_ALL_SUITES } from '../../test-support/shared.js';
import { UnknownFieldChecker, validateAgainstSchema } from '../test-support/k8s-schema.js';
import {
  KUBERNETES_DIR,
  OVERLAYS,
  hasKubectl,
  renderOverlay,
  type K8sObject,
  type OverlayName,
} from '../test-support/render.js';
import { configData, find, workloads, type Container } from '../test-support/workloads.js';

/**
 * Every overlay rendered with `kubectl kustomize` (what `kubectl apply -k` sends) and checked: against the
 * Kubernetes API schemas (unknown fields included), then against our deployment policy.
 */
const kubectl = hasKubectl();
if (!kubectl && REQUIRE_ALL_SUITES) throw new Error('kubectl is missing and L1T_REQUIRE_ALL_SUITES=1');

const rendered = new Map<OverlayName, K8sObject[]>();
let checker: UnknownFieldChecker;

beforeAll(() => {
  if (!kubectl) return;
  for (const o of OVERLAYS) rendered.set(o, renderOverlay(o));
  checker = new UnknownFieldChecker([...rendered.values()].flat());
});

const objectsOf = (o: OverlayName): K8sObject[] => rendered.get(o)!;
const CLUSTER_SCOPED = new Set(['Namespace', 'StorageClass']);
const NS = 'l1-troubleshooting';
const containersOf = (objects: K8sObject[]) =>
  workloads(objects).flatMap(({ obj, pod }) =>
    [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].map((c) => ({
      obj,
      pod,
      c,
      where: `${obj.kind}/${obj.metadata.name}/${c.name}`,
    })),
  );
const appImage = (objects: K8sObject[]): string =>
  workloads([find(objects, 'Deployment', 'l1-integrated-app')])[0]!.pod.spec.containers[0]!.image!;

describe.runIf(kubectl)('kubernetes manifests: schema', () => {
  it.each(OVERLAYS)('overlay %s renders and every object is valid against the Kubernetes API schema', (overlay) => {
    const objects = objectsOf(overlay);
    expect(objects.length).toBeGreaterThan(15);
    for (const obj of objects) {
      validateAgainstSchema(obj);
      expect(checker.unknownFields(obj), `${obj.kind}/${obj.metadata.name}`).toEqual([]);
      if (CLUSTER_SCOPED.has(obj.kind)) expect(obj.metadata.namespace).toBeUndefined();
      else expect(obj.metadata.namespace, `${obj.kind}/${obj.metadata.name}`).toBe(NS);
    }
  });

  it('the schema check rejects a wrong type and an unknown field (the checks can fail)', () => {
    const app = structuredClone(find(objectsOf('eks'), 'Deployment', 'l1-integrated-app'));
    (app.spec as Record<string, unknown>).replicas = 'two';
    expect(() => validateAgainstSchema(app)).toThrow(/replicas/);
    const typo = structuredClone(find(objectsOf('eks'), 'Deployment', 'l1-integrated-app'));
    const c = workloads([typo])[0]!.pod.spec.containers[0]! as Container & Record<string, unknown>;
    c.readinesProbe = { httpGet: { path: '/readyz', port: 5000 } };
    (c.resources as Record<string, unknown>).limit = { cpu: '1' };
    expect(checker.unknownFields(typo)).toEqual([
      'Deployment.spec.template.spec.containers[0].resources.limit',
      'Deployment.spec.template.spec.containers[0].readinesProbe',
    ]);
  });
});

describe.runIf(kubectl)('kubernetes manifests: policy', () => {
  it.each(OVERLAYS)('%s: every container has CPU and memory requests and limits', (overlay) => {
    for (const { c, where } of containersOf(objectsOf(overlay))) {
      for (const r of ['cpu', 'memory']) {
        expect(c.resources?.requests?.[r], `${where} requests.${r}`).toBeTruthy();
        expect(c.resources?.limits?.[r], `${where} limits.${r}`).toBeTruthy();
      }
    }
  });

  it.each(OVERLAYS)('%s: long-running containers have startup, liveness and readiness probes', (overlay) => {
    for (const { obj, c, where } of containersOf(objectsOf(overlay))) {
      if (obj.kind !== 'Deployment' && obj.kind !== 'StatefulSet') continue;
      expect(c.startupProbe, `${where} startupProbe`).toBeDefined();
      expect(c.livenessProbe, `${where} livenessProbe`).toBeDefined();
      expect(c.readinessProbe, `${where} readinessProbe`).toBeDefined();
    }
  });

  it.each(OVERLAYS)(
    '%s: every container runs non-root, read-only root fs, no privilege escalation, no capabilities',
    (overlay) => {
      for (const { pod, c, where } of containersOf(objectsOf(overlay))) {
        const nonRoot = c.securityContext?.runAsNonRoot ?? pod.spec.securityContext?.runAsNonRoot;
        const uid = c.securityContext?.runAsUser ?? pod.spec.securityContext?.runAsUser;
        expect(nonRoot, `${where} runAsNonRoot`).toBe(true);
        expect(uid, `${where} runAsUser`).toBeGreaterThan(0);
        expect(c.securityContext?.allowPrivilegeEscalation, where).toBe(false);
        expect(c.securityContext?.readOnlyRootFilesystem, where).toBe(true);
        expect(c.securityContext?.capabilities?.drop, where).toEqual(['ALL']);
        // Pod Security Standard "restricted" (the namespace enforces it) also wants the RuntimeDefault seccomp profile.
        const seccomp = (pod.spec.securityContext as { seccompProfile?: { type: string } } | undefined)?.seccompProfile
          ?.type;
        expect(seccomp, `${where} seccompProfile`).toBe('RuntimeDefault');
        // A read-only root needs a writable /tmp.
        expect(
          c.volumeMounts?.some((m) => m.mountPath === '/tmp'),
          `${where} /tmp`,
        ).toBe(true);
      }
    },
  );

  it.each(OVERLAYS)('%s: every image has an exact tag, never :latest', (overlay) => {
    for (const { c, where } of containersOf(objectsOf(overlay))) {
      const image = c.image ?? '';
      const tag = /:([^/:@]+)$/.exec(image)?.[1];
      expect(tag, `${where} ${image}`).toBeTruthy();
      expect(tag, where).not.toBe('latest');
      // Third-party images: the project's full version (ClickHouse a.b.c.d, PostgreSQL a.b), never a floating major.
      if (!image.includes('l1-integrated')) expect(tag, `${where} ${image}`).toMatch(/^\d+\.\d+/);
    }
  });

  it.each(OVERLAYS)('%s: secrets are referenced from l1-app-secrets, never inlined', (overlay) => {
    const objects = objectsOf(overlay);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    for (const { c, where } of containersOf(objects)) {
      for (const e of c.env ?? []) {
        if (/PASSWORD|SECRET|TOKEN|API_KEY|DATABASE_URL/.test(e.name)) {
          expect(e.value, `${where} ${e.name} inlined`).toBeUndefined();
          expect(e.valueFrom?.secretKeyRef?.name, `${where} ${e.name}`).toBe('l1-app-secrets');
        }
      }
    }
    for (const cm of objects.filter((o) => o.kind === 'ConfigMap')) {
      for (const key of Object.keys((cm.data ?? {}) as object))
        expect(key, `${cm.metadata.name}`).not.toMatch(/PASSWORD|SECRET|TOKEN|API_KEY|DATABASE_URL/);
      expect(JSON.stringify(cm.data)).not.toMatch(/<password>[^<]/);
    }
  });

  it.each(OVERLAYS)(
    '%s: the worker, the CronJob and the migration Job run the app image with their l1t commands',
    (overlay) => {
      const objects = objectsOf(overlay);
      const image = appImage(objects);
      const cmd = (kind: string, name: string): Container =>
        workloads([find(objects, kind, name)])[0]!.pod.spec.containers[0]!;
      const app = cmd('Deployment', 'l1-integrated-app');
      expect(app.command).toEqual(['node', 'apps/server/dist/main.js']);
      const worker = cmd('Deployment', 'l1-integrated-worker');
      expect(worker.image).toBe(image);
      expect(worker.command?.slice(0, 3)).toEqual(['node', 'apps/cli/bin/l1t.js', 'worker']);
      const cron = find(objects, 'CronJob', 'l1-analyzer');
      expect((cron.spec as { concurrencyPolicy: string }).concurrencyPolicy).toBe('Forbid');
      // Exit 3 (some files unreadable, the rest stored) must not re-run the whole folder.
      type Rules = Array<{ action: string; onExitCodes?: { values: number[] } }>;
      const rules = (cron.spec as { jobTemplate: { spec: { podFailurePolicy: { rules: Rules } } } }).jobTemplate.spec
        .podFailurePolicy.rules;
      expect(rules.find((r) => r.action === 'FailJob')?.onExitCodes?.values).toEqual([2, 3]);
      const analyzer = cmd('CronJob', 'l1-analyzer');
      expect(analyzer.image).toBe(image);
      expect(analyzer.command?.slice(0, 4)).toEqual(['node', 'apps/cli/bin/l1t.js', 'analyze', '/app/input_files']);
      expect(analyzer.command).toContain('--session');
      expect(analyzer.volumeMounts?.find((m) => m.mountPath === '/app/input_files')).toBeDefined();
      const migrate = cmd('Job', 'l1-migrate');
      expect(migrate.image).toBe(image);
      expect(migrate.command).toEqual(['node', 'apps/cli/bin/l1t.js', 'migrate']);
      // Every pod of the app's image shares the same configuration and service account.
      for (const { pod, obj } of workloads(objects).filter(({ pod }) => pod.spec.containers[0]!.image === image)) {
        expect(pod.spec.serviceAccountName, obj.metadata.name).toBe('l1-bedrock-sa');
        expect(pod.spec.containers[0]!.envFrom?.[0]?.configMapRef?.name, obj.metadata.name).toBe('l1-app-config');
      }
    },
  );

  it.each(OVERLAYS)('%s: the app listens on 5000 with production settings, auth on', (overlay) => {
    const objects = objectsOf(overlay);
    const app = workloads([find(objects, 'Deployment', 'l1-integrated-app')])[0]!.pod.spec
      .containers[0]! as Container & { ports: Array<{ containerPort: number }> };
    expect(app.ports.map((p) => p.containerPort)).toEqual([5000]);
    const config = configData(objects, 'l1-app-config');
    expect(config).toMatchObject({
      NODE_ENV: 'production',
      L1T_AUTH: 'on',
      PORT: '5000',
      BEDROCK_MODEL_ID: 'amazon.nova-pro-v1:0',
    });
    expect(config.AWS_REGION).toBeTruthy();
    expect(config.CLICKHOUSE_URL).toMatch(/^http:\/\/clickhouse/);
    // Shared uploads: the app and the workers mount the same volume where L1T_UPLOAD_DIR points.
    for (const name of ['l1-integrated-app', 'l1-integrated-worker']) {
      const c = workloads([find(objects, 'Deployment', name)])[0]!.pod.spec.containers[0]!;
      expect(c.volumeMounts?.find((m) => m.mountPath === config.L1T_UPLOAD_DIR)?.name, name).toBe('shared');
    }
    const svc = find(objects, 'Service', 'l1-integrated');
    expect((svc.spec as { ports: Array<{ targetPort: string }> }).ports[0]!.targetPort).toBe('http');
  });

  it.each(['eks', 'clickhouse-cluster'] as const)(
    '%s: two app replicas, HPAs for app and worker, PDBs, IRSA role, Bedrock advisor',
    (overlay) => {
      const objects = objectsOf(overlay);
      expect((find(objects, 'Deployment', 'l1-integrated-app').spec as { replicas: number }).replicas).toBe(2);
      for (const name of ['l1-integrated-app', 'l1-integrated-worker']) {
        const hpa = find(objects, 'HorizontalPodAutoscaler', name).spec as {
          scaleTargetRef: { kind: string; name: string };
          minReplicas: number;
          maxReplicas: number;
        };
        expect(hpa.scaleTargetRef).toMatchObject({ kind: 'Deployment', name });
        expect(hpa.maxReplicas).toBeGreaterThan(hpa.minReplicas);
        find(objects, 'PodDisruptionBudget', name);
      }
      expect(
        (find(objects, 'HorizontalPodAutoscaler', 'l1-integrated-app').spec as { minReplicas: number }).minReplicas,
      ).toBe(2);
      const sa = find(objects, 'ServiceAccount', 'l1-bedrock-sa');
      expect(sa.metadata.annotations?.['eks.amazonaws.com/role-arn']).toBe('REPLACE_BEDROCK_ROLE_ARN');
      expect(configData(objects, 'l1-app-config')).toMatchObject({
        L1T_ADVISOR: 'bedrock',
        AWS_REGION: 'REPLACE_REGION',
      });
      expect(appImage(objects)).toBe(
        'REPLACE_ACCOUNT_ID.dkr.ecr.REPLACE_REGION.amazonaws.com/l1-integrated:REPLACE_IMAGE_TAG',
      );
    },
  );

  it.each(['eks', 'clickhouse-cluster'] as const)(
    '%s: the ingress is an ALB with TLS, SSL redirect and the /healthz health check',
    (overlay) => {
      const ing = find(objectsOf(overlay), 'Ingress', 'l1-integrated-ingress');
      expect(ing.metadata.annotations).toMatchObject({
        'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/certificate-arn': 'REPLACE_CERTIFICATE_ARN',
        'alb.ingress.kubernetes.io/ssl-redirect': '443',
        'alb.ingress.kubernetes.io/healthcheck-path': '/healthz',
      });
      const spec = ing.spec as {
        ingressClassName: string;
        rules: Array<{ http: { paths: Array<{ backend: { service: { name: string } } }> } }>;
      };
      expect(spec.ingressClassName).toBe('alb');
      expect(spec.rules[0]!.http.paths[0]!.backend.service.name).toBe('l1-integrated');
    },
  );

  it.each(['eks', 'clickhouse-cluster'] as const)(
    '%s: inputs on EFS (RWX PVC l1-input-files-pvc), ClickHouse on gp3 50 Gi data + 10 Gi logs',
    (overlay) => {
      const objects = objectsOf(overlay);
      const efs = find(objects, 'StorageClass', 'efs-sc') as K8sObject & {
        provisioner: string;
        parameters: Record<string, string>;
      };
      expect(efs.provisioner).toBe('efs.csi.aws.com');
      expect(efs.parameters.fileSystemId).toBe('REPLACE_EFS_FILE_SYSTEM_ID');
      const pvc = find(objects, 'PersistentVolumeClaim', 'l1-input-files-pvc').spec as {
        accessModes: string[];
        storageClassName: string;
      };
      expect(pvc).toMatchObject({ accessModes: ['ReadWriteMany'], storageClassName: 'efs-sc' });
      const gp3 = find(objects, 'StorageClass', 'gp3') as K8sObject & {
        provisioner: string;
        parameters: Record<string, string>;
      };
      expect(gp3.provisioner).toBe('ebs.csi.aws.com');
      expect(gp3.parameters.type).toBe('gp3');
      const ch = find(objects, 'StatefulSet', 'clickhouse').spec as {
        volumeClaimTemplates: Array<{
          metadata: { name: string };
          spec: { storageClassName: string; resources: { requests: { storage: string } } };
        }>;
      };
      const vct = Object.fromEntries(ch.volumeClaimTemplates.map((v) => [v.metadata.name, v.spec]));
      expect(vct.data).toMatchObject({ storageClassName: 'gp3', resources: { requests: { storage: '50Gi' } } });
      expect(vct.logs).toMatchObject({ storageClassName: 'gp3', resources: { requests: { storage: '10Gi' } } });
    },
  );

  it.each(OVERLAYS)(
    '%s: ClickHouse is the official pinned image as clickhouse-0 behind a headless service, 4 Gi, SHA-256 password, restricted networks',
    (overlay) => {
      const objects = objectsOf(overlay);
      const sts = find(objects, 'StatefulSet', 'clickhouse');
      const spec = sts.spec as { serviceName: string; replicas: number };
      expect(spec.serviceName).toBe('clickhouse'); // pods clickhouse-0, clickhouse-1…
      const svc = find(objects, 'Service', 'clickhouse').spec as { clusterIP: string };
      expect(svc.clusterIP).toBe('None');
      const c = workloads([sts])[0]!.pod.spec.containers[0]!;
      expect(c.image).toMatch(/^clickhouse\/clickhouse-server:\d+\.\d+\.\d+\.\d+$/);
      expect(c.resources?.limits?.memory).toBe('4Gi');
      expect(c.env?.find((e) => e.name === 'CLICKHOUSE_PASSWORD_SHA256')?.valueFrom?.secretKeyRef?.key).toBe(
        'CLICKHOUSE_PASSWORD_SHA256',
      );
      const cfg = configData(objects, 'clickhouse-config');
      const users = parse(JSON.stringify(cfg['l1t-users.xml'])) as string;
      expect(users).toContain('<password_sha256_hex from_env="CLICKHOUSE_PASSWORD_SHA256"/>');
      expect(users).not.toMatch(/<password>/);
      expect(users).toMatch(/<networks>[\s\S]*<ip>10\.0\.0\.0\/8<\/ip>/);
      expect(users).not.toMatch(/<ip>::\/0<\/ip>|<ip>0\.0\.0\.0\/0<\/ip>/);
      const maxServer = Number(/<max_server_memory_usage>(\d+)</.exec(cfg['l1t-server.xml']!)?.[1]);
      expect(maxServer).toBeGreaterThan(0);
      expect(maxServer).toBeLessThan(4 * 1024 ** 3);
      // The app reaches clickhouse-0 (single server) or the cluster's client service.
      expect(configData(objects, 'l1-app-config').CLICKHOUSE_URL).toMatch(
        /clickhouse(-0\.clickhouse|-client)\.l1-troubleshooting\.svc\.cluster\.local:8123$/,
      );
    },
  );

  it.each(OVERLAYS)(
    '%s: only the app’s pods (app, worker, CronJob, migration) reach ClickHouse and PostgreSQL',
    (overlay) => {
      const objects = objectsOf(overlay);
      const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
      type Peer = {
        podSelector?: { matchLabels?: Record<string, string> };
        namespaceSelector?: unknown;
        ipBlock?: unknown;
      };
      type Rule = { from?: Peer[]; ports?: Array<{ port: number }> };
      for (const db of ['clickhouse', 'postgres']) {
        const pol = policies.find(
          (p) =>
            (p.spec as { podSelector: { matchLabels?: Record<string, string> } }).podSelector.matchLabels?.[
              'app.kubernetes.io/name'
            ] === db,
        );
        expect(pol, db).toBeDefined();
        const rules = (pol!.spec as { ingress: Rule[] }).ingress;
        for (const rule of rules) {
          expect(rule.from?.length, `${db}: a rule without 'from' admits everyone`).toBeGreaterThan(0);
          for (const peer of rule.from!) {
            expect(peer.namespaceSelector ?? peer.ipBlock, db).toBeUndefined();
            const labels = peer.podSelector?.matchLabels ?? {};
            expect(
              labels['l1t.io/database-client'] === 'true' || labels['app.kubernetes.io/name'] === db,
              `${db} admits ${JSON.stringify(labels)}`,
            ).toBe(true);
          }
        }
      }
      // Who carries the client label: exactly the app's own workloads.
      const clients = workloads(objects)
        .filter(({ pod }) => pod.metadata?.labels?.['l1t.io/database-client'] === 'true')
        .map(({ obj }) => obj.metadata.name)
        .sort();
      expect(clients).toEqual(['l1-analyzer', 'l1-integrated-app', 'l1-integrated-worker', 'l1-migrate']);
    },
  );

  it('dev: one node, one replica of each, no autoscaling, in-cluster PostgreSQL, offline advisor, ReadWriteOnce inputs', () => {
    const objects = objectsOf('dev');
    for (const { obj } of workloads(objects).filter(
      ({ obj }) => obj.kind === 'Deployment' || obj.kind === 'StatefulSet',
    ))
      expect((obj.spec as { replicas: number }).replicas, obj.metadata.name).toBe(1);
    expect(
      objects.filter(
        (o) => o.kind === 'HorizontalPodAutoscaler' || o.kind === 'PodDisruptionBudget' || o.kind === 'Ingress',
      ),
    ).toEqual([]);
    find(objects, 'StatefulSet', 'postgres');
    expect(configData(objects, 'l1-app-config').L1T_ADVISOR).toBe('offline');
    expect(
      (find(objects, 'PersistentVolumeClaim', 'l1-input-files-pvc').spec as { accessModes: string[] }).accessModes,
    ).toEqual(['ReadWriteOnce']);
    expect(JSON.stringify(objects)).not.toContain('REPLACE_');
  });

  it('clickhouse-cluster: Keeper quorum, replicated ClickHouse, CLICKHOUSE_CLUSTER names the configured cluster', () => {
    const objects = objectsOf('clickhouse-cluster');
    expect((find(objects, 'StatefulSet', 'keeper').spec as { replicas: number }).replicas).toBe(3);
    expect((find(objects, 'StatefulSet', 'clickhouse').spec as { replicas: number }).replicas).toBeGreaterThanOrEqual(
      2,
    );
    const cluster = configData(objects, 'l1-app-config').CLICKHOUSE_CLUSTER!;
    expect(cluster).toBe('l1t');
    const xml = configData(objects, 'clickhouse-cluster-config')['clickhouse-cluster.xml']!;
    expect(xml).toContain(`<remote_servers replace="replace">\n    <${cluster}>`);
    expect(xml).toMatch(/<replica from_env="POD_NAME"\/>/);
    expect(xml.match(/<node>/g)).toHaveLength(3);
    const keeperXml = configData(objects, 'clickhouse-keeper-config')['keeper.xml']!;
    expect(keeperXml.match(/<server>/g)).toHaveLength(3);
    find(objects, 'PodDisruptionBudget', 'clickhouse');
    find(objects, 'PodDisruptionBudget', 'keeper');
    // The mounted cluster config exists under the name the StatefulSet mounts.
    const volumes = workloads([find(objects, 'StatefulSet', 'clickhouse')])[0]!.pod.spec.volumes ?? [];
    for (const v of volumes.filter((x) => x.configMap)) find(objects, 'ConfigMap', v.configMap!.name);
  });
});

/** Well-formedness of the XML configuration files (a stray tag stops ClickHouse at start). */
function xmlProblems(xml: string): string[] {
  const stack: string[] = [];
  const problems: string[] = [];
  const body = xml.replace(/<!--[\s\S]*?-->/g, '');
  for (const m of body.matchAll(/<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w.-]+="[^"]*")*)\s*(\/?)>|<[^>]*>/g)) {
    if (m[2] === undefined) {
      problems.push(`malformed tag ${m[0]}`);
      continue;
    }
    if (m[4]) continue; // <x/>
    if (m[1]) {
      const open = stack.pop();
      if (open !== m[2]) problems.push(`</${m[2]}> closes <${open ?? 'nothing'}>`);
    } else stack.push(m[2]);
  }
  if (stack.length > 0) problems.push(`unclosed <${stack.join('>, <')}>`);
  if (stack.length === 0 && !/^\s*<clickhouse>[\s\S]*<\/clickhouse>\s*$/.test(body))
    problems.push('root element is not <clickhouse>');
  return problems;
}

describe.runIf(kubectl)('kubernetes manifests: ClickHouse and Keeper configuration files', () => {
  it.each(OVERLAYS)('%s: every XML file of the ConfigMaps is well-formed with a <clickhouse> root', (overlay) => {
    const files = objectsOf(overlay)
      .filter((o) => o.kind === 'ConfigMap')
      .flatMap((cm) =>
        Object.entries((cm.data ?? {}) as Record<string, string>)
          .filter(([k]) => k.endsWith('.xml'))
          .map(([k, v]) => ({ name: `${cm.metadata.name}/${k}`, xml: v })),
      );
    expect(files.length).toBeGreaterThanOrEqual(overlay === 'clickhouse-cluster' ? 4 : 2);
    for (const f of files) expect(xmlProblems(f.xml), f.name).toEqual([]);
    expect(xmlProblems('<clickhouse><a></b></clickhouse>')).toEqual(['</b> closes <a>']);
    expect(xmlProblems('<clickhouse><a x="1">')).toEqual(['unclosed <clickhouse>, <a>']);
  });
});

describe('kubernetes manifests: the Secret template', () => {
  const template = parse(readFileSync(join(KUBERNETES_DIR, 'secrets/l1-app-secrets.template.yaml'), 'utf8')) as {
    kind: string;
    stringData: Record<string, string>;
  };

  it('holds the keys and no values, and no kustomization includes it', () => {
    expect(template.kind).toBe('Secret');
    expect(Object.values(template.stringData).every((v) => v === '')).toBe(true);
    const kustomizations: string[] = [];
    const walk = (dir: string): void => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (f === 'kustomization.yaml') kustomizations.push(readFileSync(p, 'utf8'));
      }
    };
    walk(KUBERNETES_DIR);
    expect(kustomizations.length).toBeGreaterThanOrEqual(4);
    for (const k of kustomizations) expect(k).not.toMatch(/secrets\//);
  });

  it.runIf(kubectl).each(OVERLAYS)('%s: every Secret key the manifests read is in the template', (overlay) => {
    for (const { c, where } of containersOf(objectsOf(overlay)))
      for (const e of c.env ?? [])
        if (e.valueFrom?.secretKeyRef)
          expect(Object.keys(template.stringData), where).toContain(e.valueFrom.secretKeyRef.key);
  });
});
