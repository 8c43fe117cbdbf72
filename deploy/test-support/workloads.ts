import type { K8sObject } from './render.js';

/** A container as the policy tests read it (a subset of the API type). */
export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  startupProbe?: unknown;
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: Array<{ name: string; mountPath: string; subPath?: string }>;
}
export interface PodSpec {
  serviceAccountName?: string;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
  initContainers?: Container[];
  volumes?: Array<{ name: string; persistentVolumeClaim?: { claimName: string }; configMap?: { name: string } }>;
}
export interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec: PodSpec;
}

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Job', 'CronJob'];

/** The pod template of a workload (CronJob: through its job template). */
export function podTemplate(o: K8sObject): PodTemplate | undefined {
  const spec = o.spec as Record<string, unknown> | undefined;
  if (!spec) return undefined;
  if (o.kind === 'CronJob') return (spec.jobTemplate as { spec: { template: PodTemplate } }).spec.template;
  if (WORKLOAD_KINDS.includes(o.kind)) return spec.template as PodTemplate;
  return undefined;
}

export function workloads(objects: K8sObject[]): Array<{ obj: K8sObject; pod: PodTemplate }> {
  return objects.flatMap((obj) => {
    const pod = podTemplate(obj);
    return pod ? [{ obj, pod }] : [];
  });
}

export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind}/${name} is not rendered`);
  return o;
}

/** The data of a ConfigMap by name. */
export function configData(objects: K8sObject[], name: string): Record<string, string> {
  return (find(objects, 'ConfigMap', name).data ?? {}) as Record<string, string>;
}
