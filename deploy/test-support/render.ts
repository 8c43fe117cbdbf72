import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** deploy/kubernetes, where the kustomize base, components and overlays live. */
export const KUBERNETES_DIR = fileURLToPath(new URL('../kubernetes/', import.meta.url));
export const OVERLAYS = ['eks', 'dev', 'clickhouse-cluster'] as const;
export type OverlayName = (typeof OVERLAYS)[number];

/** One rendered Kubernetes object (only the keys every object has are typed). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

/** True when `name --version`-style probing finds the tool on PATH. */
export function hasTool(name: string, args: string[] = ['--version']): boolean {
  const r = spawnSync(name, args, { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

export const hasKubectl = (): boolean => hasTool('kubectl', ['version', '--client']);

/** `kubectl kustomize <dir>` parsed into objects (what `kubectl apply -k` would send). */
export function renderKustomization(dir: string): K8sObject[] {
  const text = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
  const docs = parseAllDocuments(text);
  const objects: K8sObject[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${dir}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS() as K8sObject | null;
    if (value) objects.push(value);
  }
  return objects;
}

export function renderOverlay(name: OverlayName): K8sObject[] {
  return renderKustomization(`${KUBERNETES_DIR}overlays/${name}`);
}
