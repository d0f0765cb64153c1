// Redocly lint rules (plugin id "typed-client") for what a client generated from the document needs
// beyond the `recommended` ruleset. Each rule walks the raw document from Root so that it can report
// the exact JSON pointer of the node to change, and each node is reported once.
// Configured (with the reason for each) in redocly.yaml.

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const COMPONENT_SCHEMA = /^#\/components\/schemas\/([^/]+)$/;

/** Follows local `$ref`s (`#/...`) in the raw document; returns { node, pointer } of the target. */
function deref(root, node, pointer) {
  const seen = new Set();
  while (node && typeof node === 'object' && typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
    if (seen.has(node.$ref)) break;
    seen.add(node.$ref);
    pointer = node.$ref;
    node = node.$ref
      .slice(2)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((n, key) => (n && typeof n === 'object' ? n[key] : undefined), root);
  }
  return { node, pointer };
}

/** Pointer string ('#/a/b') to the path array Location.child takes. */
function segments(pointer) {
  return pointer === '#' ? [] : pointer.slice(2).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function esc(key) {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Calls visit(schema, pointer) for every schema object under `schema` (following $refs, each pointer once). */
function walkSchema(root, schema, pointer, visit, seen) {
  const { node, pointer: at } = deref(root, schema, pointer);
  if (!node || typeof node !== 'object' || seen.has(at)) return;
  seen.add(at);
  visit(node, at);
  const child = (n, p) => walkSchema(root, n, p, visit, seen);
  for (const key of ['items', 'additionalProperties', 'unevaluatedProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else', 'unevaluatedItems']) {
    if (node[key] && typeof node[key] === 'object') child(node[key], `${at}/${key}`);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) {
    if (Array.isArray(node[key])) node[key].forEach((s, i) => child(s, `${at}/${key}/${i}`));
  }
  for (const key of ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']) {
    if (node[key] && typeof node[key] === 'object') {
      for (const [name, s] of Object.entries(node[key])) child(s, `${at}/${key}/${esc(name)}`);
    }
  }
}

/** Every operation: { path, method, operation, pointer }. */
function operations(root) {
  const out = [];
  for (const [path, item] of Object.entries(root.paths ?? {})) {
    for (const method of METHODS) {
      if (item?.[method]) out.push({ path, method, operation: item[method], pointer: `#/paths/${esc(path)}/${method}` });
    }
  }
  return out;
}

/** Every response of every operation: { op, status, response, pointer } (response $refs followed). */
function responses(root) {
  const out = [];
  for (const op of operations(root)) {
    for (const [status, raw] of Object.entries(op.operation.responses ?? {})) {
      const { node, pointer } = deref(root, raw, `${op.pointer}/responses/${esc(status)}`);
      out.push({ op, status, response: node ?? {}, pointer });
    }
  }
  return out;
}

/** Every schema object in the document: components, parameters, request bodies, responses, headers. */
function allSchemas(root, visit) {
  const seen = new Set();
  for (const [name, s] of Object.entries(root.components?.schemas ?? {})) walkSchema(root, s, `#/components/schemas/${esc(name)}`, visit, seen);
  const media = (content, at) => {
    for (const [type, m] of Object.entries(content ?? {})) if (m?.schema) walkSchema(root, m.schema, `${at}/content/${esc(type)}/schema`, visit, seen);
  };
  for (const op of operations(root)) {
    (op.operation.parameters ?? []).forEach((p, i) => {
      const { node, pointer } = deref(root, p, `${op.pointer}/parameters/${i}`);
      if (node?.schema) walkSchema(root, node.schema, `${pointer}/schema`, visit, seen);
    });
    if (op.operation.requestBody) {
      const { node, pointer } = deref(root, op.operation.requestBody, `${op.pointer}/requestBody`);
      media(node?.content, pointer);
    }
  }
  for (const r of responses(root)) {
    media(r.response.content, r.pointer);
    for (const [name, h] of Object.entries(r.response.headers ?? {})) {
      const { node, pointer } = deref(root, h, `${r.pointer}/headers/${esc(name)}`);
      if (node?.schema) walkSchema(root, node.schema, `${pointer}/schema`, visit, seen);
    }
  }
}

/** "Schema JobDto, property progress", "ListJobs, query parameter limit", else the pointer. */
function where(pointer, root) {
  const m = /^#\/components\/schemas\/([^/]+)((?:\/properties\/[^/]+)*)(.*)$/.exec(pointer);
  if (m) {
    const props = m[2].split('/properties/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    return `Schema ${m[1]}${props.length ? `, property ${props.join('.')}` : ''}${m[3] ? ` (${m[3].slice(1)})` : ''}`;
  }
  const p = /^(#\/paths\/[^/]+\/[a-z]+)\/parameters\/(\d+)\/schema$/.exec(pointer);
  if (p && root) {
    const op = deref(root, { $ref: p[1] }, p[1]).node;
    const param = deref(root, op?.parameters?.[Number(p[2])], '').node;
    if (op && param) return `${op.operationId ?? p[1]}, ${param.in} parameter ${param.name}`;
  }
  return pointer;
}

const opName = (op) => op.operation.operationId ?? `${op.method.toUpperCase()} ${op.path}`;

/** A schema that says nothing about its instance (`{}`, or only annotations): generated as `unknown`. */
function isUntyped(schema) {
  const annotations = new Set(['description', 'title', 'example', 'examples', 'deprecated', 'readOnly', 'writeOnly', 'default', '$comment']);
  return !!schema && typeof schema === 'object' && Object.keys(schema).every((k) => annotations.has(k) || k.startsWith('x-'));
}

/** enum schemas must say the type of their values (a string enum is `type: string`). */
function EnumType() {
  return {
    Root(root, { report, location }) {
      allSchemas(root, (schema, pointer) => {
        if (!Array.isArray(schema.enum) || schema.type !== undefined) return;
        const kinds = [...new Set(schema.enum.map((v) => (v === null ? 'null' : typeof v)))];
        const name = COMPONENT_SCHEMA.exec(pointer)?.[1];
        report({
          message: `${name ? `Schema ${name}` : 'Schema'} has \`enum\` ${JSON.stringify(schema.enum)} but no \`type\`: declare \`type: ${kinds.length === 1 && kinds[0] === 'string' ? 'string' : JSON.stringify(kinds)}\` so generators emit a string enum, not an untyped one.`,
          location: location.child(segments(pointer)).child(['enum']).key(),
        });
      });
    },
  };
}

/** `type: [integer, string]` (System.Text.Json's AllowReadingFromString) makes a number `number | string`. */
function NoNumericStrings() {
  return {
    Root(root, { report, location }) {
      allSchemas(root, (schema, pointer) => {
        const types = Array.isArray(schema.type) ? schema.type : [schema.type];
        const numeric = types.filter((t) => t === 'integer' || t === 'number');
        if (numeric.length === 0 || !types.includes('string')) return;
        const want = types.filter((t) => t !== 'string');
        report({
          message: `${where(pointer, root)}: \`type: ${JSON.stringify(schema.type)}\`${schema.pattern ? ` (with a number \`pattern\`)` : ''} makes this ${numeric.join('/')} a \`number | string\` in typed clients, though it is a number: use \`type: ${want.length === 1 ? want[0] : JSON.stringify(want)}\`${schema.pattern ? ' and drop `pattern`' : ''}.`,
          location: location.child(segments(pointer)).child(['type']),
        });
      });
    },
  };
}

/**
 * Object schemas reachable from a response must list every property in `required` (the service always writes every
 * member; a nullable one is `type: [..., "null"]` and still required). Options:
 *   optionalProperties: { SchemaName: [prop, ...] }  members the service really omits (reported if not declared).
 */
function ResponsePropertiesRequired(opts = {}) {
  const optional = opts.optionalProperties ?? {};
  return {
    Root(root, { report, location }) {
      // Object schemas reached from any response body, with the responses that reach them.
      const reached = new Map();
      for (const r of responses(root)) {
        for (const [type, m] of Object.entries(r.response.content ?? {})) {
          if (!m?.schema) continue;
          walkSchema(root, m.schema, `${r.pointer}/content/${esc(type)}/schema`, (schema, pointer) => {
            if (!schema.properties || typeof schema.properties !== 'object') return;
            if (!reached.has(pointer)) reached.set(pointer, { schema, uses: [] });
            const use = `${opName(r.op)} ${r.status}`;
            if (!reached.get(pointer).uses.includes(use)) reached.get(pointer).uses.push(use);
          }, new Set());
        }
      }
      for (const [pointer, { schema, uses }] of reached) {
        const name = COMPONENT_SCHEMA.exec(pointer)?.[1];
        const allowed = new Set(name ? optional[name] ?? [] : []);
        const required = new Set(Array.isArray(schema.required) ? schema.required : []);
        const missing = Object.keys(schema.properties).filter((p) => !required.has(p) && !allowed.has(p));
        if (missing.length === 0) continue;
        const shown = uses.slice(0, 3).join(', ') + (uses.length > 3 ? ` and ${uses.length - 3} more` : '');
        report({
          message: `${name ? `Schema ${name}` : where(pointer, root)} (returned by ${shown}): properties ${missing.join(', ')} are always written but not in \`required\`, so typed clients see them as optional.`,
          location: schema.required ? location.child(segments(pointer)).child(['required']) : location.child(segments(pointer)).key(),
        });
      }
    },
  };
}

/**
 * Every documented 4xx/5xx response must have a body with a schema. Options:
 *   mediaTypeByPathPrefix: { "/api/": "application/problem+json", "/v1/": [a, b] }  the media type(s) accepted under a
 *                           path prefix (longest prefix wins; one of a list is enough); other paths need any content.
 */
function ErrorResponseSchema(opts = {}) {
  const prefixes = Object.entries(opts.mediaTypeByPathPrefix ?? {})
    .map(([prefix, types]) => [prefix, Array.isArray(types) ? types : [types]])
    .sort((a, b) => b[0].length - a[0].length);
  return {
    Root(root, { report, location }) {
      for (const r of responses(root)) {
        if (!/^[45]/.test(r.status)) continue;
        const expected = prefixes.find(([prefix]) => r.op.path.startsWith(prefix))?.[1];
        const content = r.response.content ?? {};
        const types = Object.keys(content);
        const name = `${opName(r.op)} ${r.status}`;
        const wanted = expected ? expected.map((t) => `\`${t}\``).join(' or ') : 'a content type';
        if (types.length === 0) {
          report({
            message: `${name} documents no body: add content ${wanted} with the error schema${expected?.[0] === 'application/problem+json' ? ' ($ref ProblemDetails)' : ''}.`,
            location: location.child(segments(r.pointer)).key(),
          });
          continue;
        }
        const matching = expected ? types.filter((t) => expected.includes(t)) : types;
        if (matching.length === 0) {
          report({
            message: `${name} documents ${types.join(', ')} but errors under this path are ${wanted}.`,
            location: location.child(segments(r.pointer)).child(['content']).key(),
          });
        }
        for (const t of matching) {
          if (!content[t]?.schema) report({ message: `${name} \`${t}\` has no schema.`, location: location.child(segments(r.pointer)).child(['content', t]).key() });
        }
      }
    },
  };
}

/**
 * Success responses that carry a body must document it: options.statuses (default 200, 201, 203, 206) need content
 * with a schema; and no request or response body may be untyped (`{}`, e.g. a JsonElement), which generates `unknown`.
 */
function TypedBodies(opts = {}) {
  const statuses = new Set((opts.statuses ?? ['200', '201', '203', '206']).map(String));
  return {
    Root(root, { report, location }) {
      for (const r of responses(root)) {
        const name = `${opName(r.op)} ${r.status}`;
        const content = r.response.content ?? {};
        if (statuses.has(r.status) && r.op.method !== 'head' && Object.keys(content).length === 0) {
          report({ message: `${name} documents no body: add its content type(s) and schema.`, location: location.child(segments(r.pointer)).key() });
        }
        for (const [type, m] of Object.entries(content)) {
          const at = `${r.pointer}/content/${esc(type)}`;
          if (statuses.has(r.status) && !m?.schema) report({ message: `${name} \`${type}\` has no schema.`, location: location.child(segments(at)).key() });
          const { node, pointer } = deref(root, m?.schema, `${at}/schema`);
          if (m?.schema && isUntyped(node)) report({ message: `${name} \`${type}\` body schema ${pointer} is untyped (\`{}\`): clients get \`unknown\`.`, location: location.child(segments(at)).child(['schema']) });
        }
      }
      for (const op of operations(root)) {
        if (!op.operation.requestBody) continue;
        const { node: body, pointer: bodyAt } = deref(root, op.operation.requestBody, `${op.pointer}/requestBody`);
        for (const [type, m] of Object.entries(body?.content ?? {})) {
          const at = `${bodyAt}/content/${esc(type)}`;
          const { node, pointer } = deref(root, m?.schema, `${at}/schema`);
          if (!m?.schema || isUntyped(node)) {
            report({
              message: `${opName(op)} request body \`${type}\` is untyped (${m?.schema ? `\`{}\` at ${pointer}` : 'no schema'}): clients get \`unknown\`; describe the accepted members.`,
              location: location.child(segments(at)).key(),
            });
          }
        }
      }
    },
  };
}

export default function typedClientPlugin() {
  return {
    id: 'typed-client',
    rules: {
      oas3: {
        'enum-type': EnumType,
        'no-numeric-strings': NoNumericStrings,
        'response-properties-required': ResponsePropertiesRequired,
        'error-response-schema': ErrorResponseSchema,
        'typed-bodies': TypedBodies,
      },
    },
  };
}
