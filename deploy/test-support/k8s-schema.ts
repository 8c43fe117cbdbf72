import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { K8sObject } from './render.js';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

/** `apps/v1` → `kubernetes-models/apps/v1`; `v1` → `kubernetes-models/v1`. */
function modelModule(apiVersion: string): string {
  return `kubernetes-models/${apiVersion}`;
}

/**
 * Validates one object against the Kubernetes OpenAPI schema compiled into `kubernetes-models` (types,
 * enums, required fields, formats). Throws with the object's kind/name and the schema's complaints.
 */
export function validateAgainstSchema(obj: K8sObject): void {
  const where = `${obj.kind}/${obj.metadata?.name}`;
  let mod: Record<string, unknown>;
  try {
    mod = require(modelModule(obj.apiVersion)) as Record<string, unknown>;
  } catch {
    throw new Error(`${where}: no schema for apiVersion ${obj.apiVersion}`);
  }
  const Model = mod[obj.kind] as ModelClass | undefined;
  if (typeof Model !== 'function') throw new Error(`${where}: no schema for kind ${obj.kind} in ${obj.apiVersion}`);
  try {
    new Model(obj).validate();
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Unknown fields. The compiled schemas allow additional properties (as the API server's non-strict mode
 * does), so fields are checked separately against the model's TypeScript declarations — which are generated
 * from the same OpenAPI document — the way `kubectl apply --validate=strict` would reject them.
 */
export class UnknownFieldChecker {
  readonly #checker: ts.TypeChecker;
  readonly #types = new Map<string, ts.Type>();

  constructor(kinds: ReadonlyArray<{ apiVersion: string; kind: string }>) {
    const unique = [...new Map(kinds.map((k) => [`${k.apiVersion}|${k.kind}`, k])).values()];
    const file = `${ROOT}deploy/test-support/__k8s-types__.ts`;
    const source = unique
      .map(
        (k, i) =>
          `import type { I${k.kind} as T${i} } from '${modelModule(k.apiVersion)}/${k.kind}';\nexport type K${i} = T${i};`,
      )
      .join('\n');
    const options: ts.CompilerOptions = {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) =>
      name === file ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, ...rest);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || fileExists(name);
    const program = ts.createProgram([file], options, host);
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file);
    if (diagnostics.length > 0)
      throw new Error(
        ts.formatDiagnostics(diagnostics, { ...host, getNewLine: () => '\n', getCanonicalFileName: (f) => f }),
      );
    this.#checker = program.getTypeChecker();
    const sf = program.getSourceFile(file)!;
    const moduleSymbol = this.#checker.getSymbolAtLocation(sf)!;
    const exports = this.#checker.getExportsOfModule(moduleSymbol);
    unique.forEach((k, i) => {
      const sym = exports.find((s) => s.name === `K${i}`)!;
      this.#types.set(`${k.apiVersion}|${k.kind}`, this.#checker.getDeclaredTypeOfSymbol(sym));
    });
  }

  /** Paths of the fields of `obj` that its kind does not declare (empty: none). */
  unknownFields(obj: K8sObject): string[] {
    const type = this.#types.get(`${obj.apiVersion}|${obj.kind}`);
    if (!type) throw new Error(`${obj.kind}: not among the kinds given to the checker`);
    const found: string[] = [];
    this.#walk(obj, type, obj.kind, found);
    return found;
  }

  #walk(value: unknown, type: ts.Type, path: string, found: string[]): void {
    if (value === null || value === undefined) return;
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    let t = type;
    if (t.isUnion()) {
      const members = t.types.filter((m) => !(m.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
      const objectLike = members.filter((m) => m.flags & ts.TypeFlags.Object);
      if (typeof value !== 'object' || objectLike.length === 0) return; // a primitive alternative (IntOrString…)
      if (objectLike.length !== 1) return;
      t = objectLike[0]!;
    }
    if (typeof value !== 'object') return;
    if (Array.isArray(value)) {
      if (!this.#checker.isArrayType(t)) return;
      const element = this.#checker.getTypeArguments(t as ts.TypeReference)[0];
      if (element) value.forEach((v, i) => this.#walk(v, element, `${path}[${i}]`, found));
      return;
    }
    const index = this.#checker.getIndexInfoOfType(t, ts.IndexKind.String);
    const props = this.#checker.getPropertiesOfType(t);
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const prop = props.find((p) => p.name === key);
      if (prop) this.#walk(v, this.#checker.getTypeOfSymbol(prop), `${path}.${key}`, found);
      else if (index) this.#walk(v, index.type, `${path}.${key}`, found);
      else found.push(`${path}.${key}`);
    }
  }
}
