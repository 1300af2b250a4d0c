// Validates Kubernetes manifests offline against the API's OpenAPI schemas, as compiled into the
// kubernetes-models package (types, required fields, enums, formats; unknown fields are not
// reported, as with kubectl's non-strict validation).
//
// usage: node validate-manifests.mjs FILE.yaml...
// Prints one line per object, "ok KIND NAME" or "invalid KIND NAME: what is wrong", and exits
// 1 when an object is invalid, of a kind this script has no model for, or a file is not YAML.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

let failures = 0;
for (const file of process.argv.slice(2)) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      console.log(`invalid YAML in ${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
      failures++;
      continue;
    }
    const object = doc.toJS();
    if (object === null || object === undefined) continue;
    const { apiVersion, kind } = object;
    const name = object.metadata?.name ?? "(no name)";
    if (typeof apiVersion !== "string" || typeof kind !== "string") {
      console.log(`invalid ? ${name}: no apiVersion or kind`);
      failures++;
      continue;
    }
    // core/v1 lives at kubernetes-models/v1/KIND, the others at kubernetes-models/GROUP/VERSION/KIND
    const module = `kubernetes-models/${apiVersion}/${kind}`;
    let Model;
    try {
      Model = (await import(module))[kind];
    } catch (e) {
      console.log(`invalid ${kind} ${name}: no model for ${apiVersion} ${kind} (${e.code ?? e.message})`);
      failures++;
      continue;
    }
    try {
      new Model(object).validate();
      console.log(`ok ${kind} ${name}`);
    } catch (e) {
      console.log(`invalid ${kind} ${name}: ${e.message}`);
      failures++;
    }
  }
}
process.exit(failures === 0 ? 0 : 1);
