#!/usr/bin/env node
// Checks the service's OpenAPI document (/openapi/v1.json) for what a typed client needs. Offline, deterministic.
//
//   npm ci                                   (once, in this folder)
//   node check.mjs <openapi.json> <samplesDir>
//
//   a. lint      redocly lint with redocly.yaml (recommended + the typed-client rules); errors fail, warnings print.
//   b. types     openapi-typescript -> generated/api.d.ts, then tsc --strict --noEmit on usage.ts (tsconfig.json).
//   c. samples   every <operationId>.<status>[.<suffix>].json in samplesDir is validated with ajv against the schema
//                of that operation's response for that status: once as the document says (extra members allowed),
//                once closed (members the document does not declare are reported: clients cannot see them).
//   d. summary   last line "openapi-client: N checks passed, M failed"; exit code 1 when M > 0 (2 on bad usage).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const GENERATED = path.join(HERE, 'generated');
const MAX_ERRORS_PER_SAMPLE = 40;

const pointerOf = new Map();
let passed = 0;
let failed = 0;

function pass(name, detail = '') {
  passed++;
  console.log(`PASS ${name}${detail ? `: ${detail}` : ''}`);
}

function fail(name, detail, lines = []) {
  failed++;
  console.log(`FAIL ${name}: ${detail}`);
  for (const line of lines) console.log(`  ${line}`);
}

function section(title) {
  console.log(`\n== ${title}`);
}

function summary() {
  console.log(`\nopenapi-client: ${passed} checks passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Arguments and dependencies

const [docArg, samplesArg] = process.argv.slice(2);
if (!docArg || !samplesArg || process.argv.length > 4) {
  console.error('usage: node check.mjs <openapi.json> <samplesDir>');
  process.exit(2);
}
const docPath = path.resolve(docArg);
const samplesDir = path.resolve(samplesArg);
for (const [what, p, dir] of [['OpenAPI document', docPath, false], ['samples folder', samplesDir, true]]) {
  if (!fs.existsSync(p) || fs.statSync(p).isDirectory() !== dir) {
    console.error(`check.mjs: ${what} not found: ${p}`);
    process.exit(2);
  }
}
const bin = (name) => path.join(HERE, 'node_modules', '.bin', name);
if (!fs.existsSync(bin('redocly')) || !fs.existsSync(bin('tsc'))) {
  console.error(`check.mjs: dependencies missing; run 'npm ci' in ${HERE}`);
  process.exit(2);
}

const childEnv = {
  ...process.env,
  REDOCLY_TELEMETRY: 'off',
  REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
  REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
};

let doc;
try {
  doc = JSON.parse(fs.readFileSync(docPath, 'utf8'));
} catch (e) {
  fail('document', `${docPath} is not JSON: ${e.message}`);
  summary();
}
const oasVersion = String(doc.openapi ?? doc.swagger ?? '');
console.log(`document: ${docPath} (openapi ${oasVersion || '?'}), samples: ${samplesDir}`);

// ---------------------------------------------------------------------------------------------------------------
// a. redocly lint

section('a. lint (redocly lint, redocly.yaml)');
{
  const run = spawnSync(
    process.execPath,
    [bin('redocly'), 'lint', docPath, '--config', path.join(HERE, 'redocly.yaml'), '--format', 'json', '--max-problems', '100000'],
    { cwd: HERE, env: childEnv, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  let report;
  try {
    report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{')));
  } catch {
    report = undefined;
  }
  if (!report || !Array.isArray(report.problems)) {
    fail('lint', `redocly did not produce a report (exit ${run.status})`, `${run.stderr}\n${run.stdout}`.trim().split('\n').slice(-30));
  } else {
    const where = (p) => {
      const loc = p.location?.[0] ?? {};
      const at = loc.start ? ` (line ${loc.start.line}:${loc.start.col})` : '';
      return `${loc.pointer ?? '#'}${loc.reportOnKey ? ' [key]' : ''}${at}`;
    };
    const errors = report.problems.filter((p) => p.severity === 'error');
    const warnings = report.problems.filter((p) => p.severity !== 'error');
    for (const w of warnings) console.log(`  warn  ${w.ruleId} ${where(w)}: ${w.message}`);
    if (errors.length === 0) {
      pass('lint', `0 errors, ${warnings.length} warnings`);
    } else {
      const byRule = new Map();
      for (const e of errors) byRule.set(e.ruleId, (byRule.get(e.ruleId) ?? 0) + 1);
      fail(
        'lint',
        `${errors.length} errors (${[...byRule].map(([r, n]) => `${r} ${n}`).join(', ')}), ${warnings.length} warnings`,
        errors.map((e) => `error ${e.ruleId} ${where(e)}: ${e.message}`),
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// b. openapi-typescript + tsc --strict on usage.ts

section('b. types (openapi-typescript -> generated/api.d.ts, tsc --strict --noEmit usage.ts)');
let generated = false;
try {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  fs.rmSync(GENERATED, { recursive: true, force: true });
  fs.mkdirSync(GENERATED, { recursive: true });
  // silent: the lint step reports problems; the generator's own (minimal) validation only stops it on broken input.
  const ast = await openapiTS(pathToFileURL(docPath), { silent: true });
  const header = '// Generated by check.mjs with openapi-typescript. Do not edit.\n';
  fs.writeFileSync(path.join(GENERATED, 'api.d.ts'), header + astToString(ast));
  generated = true;
  pass('generate', 'generated/api.d.ts');
} catch (e) {
  fail('generate', `openapi-typescript failed: ${e.message}`);
}

if (!generated) {
  fail('typecheck', 'skipped: no generated types');
} else {
  const run = spawnSync(process.execPath, [bin('tsc'), '-p', path.join(HERE, 'tsconfig.json'), '--strict', '--noEmit', '--pretty', 'false'], {
    cwd: HERE,
    env: childEnv,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = `${run.stdout}${run.stderr}`.trim();
  if (run.status === 0) {
    pass('typecheck', 'usage.ts compiles with --strict');
  } else {
    // "usage.ts(27,11): error TS2322: ..." plus indented continuation lines; show the offending source line too.
    const source = fs.readFileSync(path.join(HERE, 'usage.ts'), 'utf8').split('\n');
    const lines = [];
    let count = 0;
    for (const line of out.split('\n')) {
      const m = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
      if (m) {
        count++;
        lines.push(`${m[1]}:${m[2]}:${m[3]} ${m[4]} ${m[5]}`);
        if (path.basename(m[1]) === 'usage.ts') lines.push(`    | ${source[Number(m[2]) - 1].trim()}`);
      } else if (line.trim()) {
        lines.push(`    ${line.trim()}`);
      }
    }
    fail('typecheck', `usage.ts: ${count} type errors (tsc exit ${run.status})`, lines);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// c. samples against the response schemas, with ajv

section('c. samples (ajv)');
{
  // Base URIs only (nothing is fetched): $refs resolve inside the document registered under each.
  const DOC_ID = 'https://openapi-client.invalid/document.json';
  const CLOSED_ID = 'https://openapi-client.invalid/document-closed.json';
  const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
  const esc = (k) => String(k).replace(/~/g, '~0').replace(/\//g, '~1');
  const unesc = (k) => k.replace(/~1/g, '/').replace(/~0/g, '~');
  const at = (root, pointer) => pointer.replace(/^#\/?/, '').split('/').filter((s) => s !== '').map(unesc).reduce((n, k) => (n == null ? undefined : n[k]), root);

  let jsonDoc = structuredClone(doc);
  let ajvReady = true;
  const notes = [];
  if (/^3\.0\./.test(oasVersion)) {
    jsonDoc = oas30ToJsonSchema(jsonDoc);
    notes.push('OpenAPI 3.0: nullable, boolean exclusiveMinimum/Maximum and $ref siblings converted to JSON Schema 2020-12');
  } else if (/^3\.[12]\./.test(oasVersion)) {
    const dialect = doc.jsonSchemaDialect;
    if (dialect && !/oas\/3\.[12]\/dialect|json-schema\.org\/draft\/2020-12/.test(dialect)) notes.push(`jsonSchemaDialect ${dialect} is not 2020-12; validated as 2020-12`);
    notes.push(`OpenAPI ${oasVersion}: schemas are JSON Schema 2020-12 (Ajv2020; type arrays with "null" express nullability)`);
  } else {
    ajvReady = false;
    fail('samples', `OpenAPI version '${oasVersion}' is not supported (3.0.x or 3.1.x)`);
  }

  let ajv;
  if (ajvReady) try {
    const { default: Ajv2020 } = await import('ajv/dist/2020.js');
    const { default: addFormats } = await import('ajv-formats');
    // strict: false so OpenAPI's own keywords (discriminator, xml, externalDocs, example) are ignored, not errors.
    ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true, validateSchema: false, logger: false, verbose: true });
    addFormats(ajv);
    const unknown = new Set();
    collectFormats(jsonDoc, (f) => {
      if (!ajv.formats[f]) unknown.add(f);
    });
    for (const f of [...unknown].sort()) ajv.addFormat(f, true);
    if (unknown.size) notes.push(`formats not checked (unknown to ajv-formats): ${[...unknown].sort().join(', ')}`);
    const closedDoc = closeObjects(structuredClone(jsonDoc));
    ajv.addSchema(jsonDoc, DOC_ID);
    ajv.addSchema(closedDoc, CLOSED_ID);
    indexPointers(jsonDoc, '#');
    indexPointers(closedDoc, '#');
    for (const n of notes) console.log(`  note: ${n}`);
  } catch (e) {
    ajvReady = false;
    fail('samples', `the document's schemas cannot be loaded into ajv: ${e.message}`);
  }

  const ops = new Map();
  for (const [p, item] of Object.entries(doc.paths ?? {})) {
    for (const m of METHODS) {
      const op = item?.[m];
      if (op?.operationId) ops.set(op.operationId, { path: p, method: m, op, pointer: `#/paths/${esc(p)}/${m}` });
    }
  }

  const files = fs.readdirSync(samplesDir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) fail('samples', `no *.json files in ${samplesDir}`);
  const compiled = new Map();
  const validator = (id, pointer) => {
    const key = `${id}#${pointer}`;
    // The $ref is a URI: each (already ~-escaped) pointer segment is percent-encoded ({id}, problem+json, ...).
    const fragment = pointer.replace(/^#/, '').split('/').map((s) => encodeURIComponent(s)).join('/');
    if (!compiled.has(key)) compiled.set(key, ajv.compile({ $ref: `${id}#${fragment}` }));
    return compiled.get(key);
  };
  // Errors name the schema object that failed by its pointer in the document (ajv's schemaPath follows the $ref chain).
  const formatErrors = (errors) => {
    const list = errors ?? [];
    const lines = list.slice(0, MAX_ERRORS_PER_SAMPLE).map((e) => {
      const extra = e.params?.unevaluatedProperty ?? e.params?.additionalProperty ?? e.params?.missingProperty;
      const schemaAt = pointerOf.get(e.parentSchema) ?? decodeURIComponent(e.schemaPath.replace(/^[^#]*/, ''));
      return `${e.instancePath || '/'}: ${e.message}${extra && !e.message.includes(extra) ? ` '${extra}'` : ''} [${e.keyword} in ${schemaAt}]`;
    });
    if (list.length > MAX_ERRORS_PER_SAMPLE) lines.push(`... ${list.length - MAX_ERRORS_PER_SAMPLE} more`);
    return lines;
  };

  /** Validates `data` against operation `opId`'s response `status`; returns { ok, lines } or { missing: reason }. */
  function validateSample(opId, status, data) {
    const entry = ops.get(opId);
    const responses = entry.op.responses ?? {};
    const code = [status, `${status[0]}XX`, `${status[0]}xx`, 'default'].find((c) => responses[c]);
    if (!code) return { missing: `${opId} documents no ${status} response (documented: ${Object.keys(responses).join(', ')})` };
    let pointer = `${entry.pointer}/responses/${esc(code)}`;
    let response = responses[code];
    for (let i = 0; response?.$ref && i < 10; i++) {
      pointer = response.$ref;
      response = at(doc, response.$ref);
    }
    const jsonTypes = Object.keys(response?.content ?? {}).filter((t) => /^application\/(.+\+)?json(;|$)/i.test(t) || t === '*/*');
    if (jsonTypes.length === 0) {
      const others = Object.keys(response?.content ?? {});
      return { missing: `${opId} ${code} documents no JSON body${others.length ? ` (only ${others.join(', ')})` : ''}: add its content and schema` };
    }
    const results = jsonTypes.map((type) => {
      const schemaPointer = `${pointer}/content/${esc(type)}/schema`;
      if (!response.content[type].schema) return { type, lines: [`${opId} ${code} ${type} has no schema`], ok: false };
      const open = validator(DOC_ID, schemaPointer);
      const closed = validator(CLOSED_ID, schemaPointer);
      const okOpen = open(data);
      const openErrors = formatErrors(open.errors);
      const okClosed = closed(data);
      const undeclared = (closed.errors ?? []).filter((e) => e.keyword === 'unevaluatedProperties' || e.keyword === 'additionalProperties');
      const lines = [];
      if (!okOpen) lines.push(`against ${schemaPointer}:`, ...openErrors.map((l) => `  ${l}`));
      if (okOpen && !okClosed) {
        lines.push(`members the schema does not declare (${schemaPointer}, closed):`, ...formatErrors(undeclared).map((l) => `  ${l}`));
      }
      return { type, ok: okOpen && okClosed, okOpen, lines, schemaPointer };
    });
    const good = results.find((r) => r.ok);
    return good ? { ok: true, lines: [], detail: `${code} ${good.type} ${good.schemaPointer}` } : { ok: false, lines: results.flatMap((r) => r.lines), detail: `${code}` };
  }

  for (const file of ajvReady ? files : []) {
    const name = `sample ${file}`;
    const m = /^([^.]+)\.([1-5]\d\d)(?:\.([^/]+))?\.json$/.exec(file);
    if (!m) {
      fail(name, 'name is not <operationId>.<status>[.<suffix>].json');
      continue;
    }
    const [, opId, status] = m;
    let data;
    try {
      data = JSON.parse(fs.readFileSync(path.join(samplesDir, file), 'utf8'));
    } catch (e) {
      fail(name, `not JSON: ${e.message}`);
      continue;
    }
    if (!ops.has(opId)) {
      // Suggest operations on the same resource that document this status, and say how the sample fares there.
      const stem = opId.replace(/^(Get|List|Create|Upload|Add|Update|Patch|Put|Delete|Remove|Submit|Post|Read|Fetch)/, '');
      const candidates = [...ops.keys()].filter((id) => stem && id.endsWith(stem) && (ops.get(id).op.responses ?? {})[status]).sort();
      const lines = candidates.map((id) => {
        let r;
        try {
          r = validateSample(id, status, data);
        } catch (e) {
          r = { missing: `schema cannot be compiled: ${e.message}` };
        }
        return `did you mean ${id} (${ops.get(id).method.toUpperCase()} ${ops.get(id).path})? against its ${status}: ${r.missing ?? (r.ok ? 'valid' : `invalid\n    ${r.lines.join('\n    ')}`)}`;
      });
      fail(name, `no operation has operationId '${opId}' (sample named after an unknown operation)`, lines);
      continue;
    }
    let result;
    try {
      result = validateSample(opId, status, data);
    } catch (e) {
      fail(name, `schema of ${opId} ${status} cannot be compiled: ${e.message}`);
      continue;
    }
    if (result.missing) fail(name, result.missing);
    else if (result.ok) pass(name, `valid against ${opId} ${result.detail}`);
    else fail(name, `invalid against ${opId} ${result.detail}`, result.lines);
  }
}

summary();

// ---------------------------------------------------------------------------------------------------------------
// helpers

/** Schema object -> its JSON pointer in the document (first one found), to name schemas in ajv's errors. */
function indexPointers(node, pointer) {
  if (!node || typeof node !== 'object') return;
  if (!pointerOf.has(node)) pointerOf.set(node, pointer);
  for (const [k, v] of Object.entries(node)) indexPointers(v, `${pointer}/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`);
}

/** Calls f(format) for every string `format` of a schema-like object in the document. */
function collectFormats(node, f) {
  if (Array.isArray(node)) return node.forEach((n) => collectFormats(n, f));
  if (!node || typeof node !== 'object') return;
  if (typeof node.format === 'string' && (node.type !== undefined || node.$ref === undefined)) f(node.format);
  for (const v of Object.values(node)) collectFormats(v, f);
}

/**
 * The closed copy of the document: every object schema with `properties` and no `additionalProperties` /
 * `unevaluatedProperties` of its own gets `unevaluatedProperties: false`, so members a sample has but the schema does
 * not declare are reported. Schemas used as `allOf` members (inline or by $ref) are left open: closing them would
 * reject the members their siblings declare.
 */
function closeObjects(root) {
  const inAllOf = new Set();
  const inline = new Set();
  (function scan(n) {
    if (Array.isArray(n)) return n.forEach(scan);
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n.allOf)) {
      for (const s of n.allOf) {
        if (s && typeof s.$ref === 'string') inAllOf.add(s.$ref);
        else if (s && typeof s === 'object') inline.add(s);
      }
    }
    Object.values(n).forEach(scan);
  })(root);
  const skipped = new Set([...inAllOf].map((ref) => ref.replace(/^#/, '')).map((p) => p.split('/').filter(Boolean).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).reduce((x, k) => (x == null ? undefined : x[k]), root)));
  (function close(n) {
    if (Array.isArray(n)) return n.forEach(close);
    if (!n || typeof n !== 'object') return;
    const isObjectSchema = n.properties && typeof n.properties === 'object' && !Array.isArray(n.properties)
      && (n.type === undefined || n.type === 'object' || (Array.isArray(n.type) && n.type.includes('object')));
    if (isObjectSchema && n.additionalProperties === undefined && n.unevaluatedProperties === undefined && !inline.has(n) && !skipped.has(n)) {
      n.unevaluatedProperties = false;
    }
    Object.values(n).forEach(close);
  })(root);
  return root;
}

/** OpenAPI 3.0 schema dialect -> JSON Schema 2020-12 (nullable, boolean exclusive bounds, $ref siblings). */
function oas30ToJsonSchema(node) {
  if (Array.isArray(node)) return node.map(oas30ToJsonSchema);
  if (!node || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') return { $ref: node.$ref }; // 3.0: siblings of $ref are ignored
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = oas30ToJsonSchema(v);
  if (typeof out.exclusiveMinimum === 'boolean') {
    if (out.exclusiveMinimum && typeof out.minimum === 'number') {
      out.exclusiveMinimum = out.minimum;
      delete out.minimum;
    } else delete out.exclusiveMinimum;
  }
  if (typeof out.exclusiveMaximum === 'boolean') {
    if (out.exclusiveMaximum && typeof out.maximum === 'number') {
      out.exclusiveMaximum = out.maximum;
      delete out.maximum;
    } else delete out.exclusiveMaximum;
  }
  if (typeof out.nullable === 'boolean') {
    const nullable = out.nullable;
    delete out.nullable;
    if (nullable) {
      if (typeof out.type === 'string') {
        out.type = [out.type, 'null'];
        if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      } else if (out.type === undefined) {
        return { anyOf: [out, { type: 'null' }] };
      }
    }
  }
  return out;
}
