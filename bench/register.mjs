// 200 simultaneous registrations: every client GETs the registration form (antiforgery cookie + token, region,
// small groups), then all POST at the same moment. Prints one JSON line with the outcome.
// Before them, REGISTER_WARMUP (5) registrations one after the other, not counted: the first registrations after a
// start compile the registration path's queries (EF Core), and 200 first ones at once each compile them in parallel
// (measured: all 200 waited about 3.7 s and then finished within 40 ms). A running site has registered before.
// Usage: node register.mjs BASE_URL HOST EVENT_SLUG [COUNT]
//   e.g. node register.mjs http://127.0.0.1:5105 bench.lpr.test lasttest-veranstaltung-000001 200
// Requests carry X-Forwarded-Proto: https (the app runs in Production behind a "proxy" on 127.0.0.1) and one
// X-Forwarded-For address per client, as 200 different people would.
import http from 'node:http';

const [base, host, slug, countArg] = process.argv.slice(2);
const count = Number(countArg ?? 200);
const target = new URL(base);
const agent = new http.Agent({ keepAlive: true, maxSockets: count });
const path = `/veranstaltungen/${slug}/anmeldung`;
const run = Date.now().toString(36);

function request(method, url, headers, body) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request(
      { host: target.hostname, port: target.port, method, path: url, agent, headers: { Host: host, 'X-Forwarded-Proto': 'https', ...headers } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: Number(process.hrtime.bigint() - started) / 1e6 }));
      });
    req.setTimeout(30000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

function inputs(html) {
  return [...html.matchAll(/<(input|option)\b[^>]*>/g)].map((m) => {
    const attrs = { tag: m[1] };
    for (const a of m[0].matchAll(/([\w\-\[\]\.@]+)(?:="([^"]*)")?/g)) attrs[a[1]] = a[2] ?? '';
    return attrs;
  });
}

async function prepare(i) {
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${(i & 255) + 1}`;
  const form = await request('GET', path, { 'X-Forwarded-For': ip });
  if (form.status !== 200) throw new Error(`form ${form.status}`);
  const cookie = (form.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  const all = inputs(form.body);
  const token = all.find((a) => a.name === '__RequestVerificationToken')?.value;
  if (!token) throw new Error('no antiforgery token (registration not open?)');
  const select = form.body.match(/<select[^>]*name="RegionId"[\s\S]*?<\/select>/);
  const regions = select ? inputs(select[0]).filter((a) => a.tag === 'option' && /^\d+$/.test(a.value ?? '')) : [];
  const fields = new URLSearchParams({
    FirstName: 'Jörg',
    LastName: `Müller-Lasttest ${i}`,
    Email: `lasttest.${run}.${i}@example.org`,
    Organisation: 'Stadtverwaltung Döbeln',
    OrganisationType: 'Kommune',
    Function: 'Präventionsbeauftragter',
    PhotoConsent: 'true',
    PrivacyConsent: 'true',
    __RequestVerificationToken: token,
  });
  if (regions.length) fields.set('RegionId', regions[i % regions.length].value);
  const slots = new Map();
  for (const a of all) if (a.type === 'radio' && a.name?.startsWith('Sessions[') && !slots.has(a.name)) slots.set(a.name, a.value);
  for (const [name, value] of slots) fields.set(name, value);
  return { ip, cookie, body: fields.toString() };
}

const warmup = Number(process.env.REGISTER_WARMUP ?? 5);
for (let i = 0; i < warmup; i++) {
  const r = await prepare(count + i);
  await request('POST', path, {
    'X-Forwarded-For': r.ip,
    Cookie: r.cookie,
    'Content-Type': 'application/x-www-form-urlencoded',
    'Content-Length': Buffer.byteLength(r.body),
  }, r.body);
}

const prepared = await Promise.allSettled(Array.from({ length: count }, (_, i) => prepare(i)));
const ready = prepared.filter((p) => p.status === 'fulfilled').map((p) => p.value);
const errors = prepared.filter((p) => p.status === 'rejected').map((p) => `GET: ${p.reason.message}`);

const started = Date.now();
const posts = await Promise.allSettled(ready.map((r) => request('POST', path, {
  'X-Forwarded-For': r.ip,
  Cookie: r.cookie,
  'Content-Type': 'application/x-www-form-urlencoded',
  'Content-Length': Buffer.byteLength(r.body),
}, r.body)));
const wall = Date.now() - started;

const times = [];
let ok = 0;
for (const p of posts) {
  if (p.status === 'rejected') { errors.push(`POST: ${p.reason.message}`); continue; }
  times.push(p.value.ms);
  const location = p.value.headers.location ?? '';
  if (p.value.status === 302 && location.endsWith('/eingegangen')) ok++;
  else errors.push(`POST: ${p.value.status} ${location}`.trim());
}
times.sort((a, b) => a - b);
const q = (f) => (times.length ? times[Math.min(times.length - 1, Math.ceil(f * times.length) - 1)] : NaN);
const summary = {
  count, warmup, posted: ready.length, ok,
  errors: errors.length, p50_ms: q(0.5), p99_ms: q(0.99), max_ms: times.at(-1) ?? NaN, wall_ms: wall,
  sample_errors: [...new Set(errors)].slice(0, 5),
};
console.log(JSON.stringify(summary));
agent.destroy();
