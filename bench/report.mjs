// Turns the rounds of bench/run.sh into the markdown report (medians, ratios, targets of issue 9).
// Usage: node report.mjs WORK_DIR ELAPSED_SECONDS COMMIT DURATION ROUNDS CONNECTIONS
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [work, elapsed, commit, duration, rounds, connections] = process.argv.slice(2);
const rows = fs.readFileSync(path.join(work, 'rounds.tsv'), 'utf8').trim().split('\n').filter(Boolean).map((line) => {
  const [size, page, mode, round, requests, rps, p50, p99, cpu, non2xx, sockerr] = line.split('\t');
  // A round in which no request finished has no latency: NaN, shown as "–" and failing every target it touches.
  const none = !(+requests > 0);
  return { size: +size, page, mode, round, requests: +requests, rps: +rps, p50: none ? NaN : +p50, p99: none ? NaN : +p99, cpu: none ? NaN : +cpu, errors: +non2xx + +sockerr };
});
const notes = fs.existsSync(path.join(work, 'notes.txt')) ? fs.readFileSync(path.join(work, 'notes.txt'), 'utf8').trim().split('\n').filter(Boolean) : [];
const regFile = path.join(work, 'registrations.json');
const reg = fs.existsSync(regFile) ? JSON.parse(fs.readFileSync(regFile, 'utf8')) : null;

const median = (xs) => {
  if (xs.some((x) => !Number.isFinite(x))) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const key = (size, page, mode) => `${size}|${page}|${mode}`;
const groups = new Map();
for (const r of rows) {
  const k = key(r.size, r.page, r.mode);
  if (!groups.has(k)) groups.set(k, []);
  groups.get(k).push(r);
}
const med = new Map();
for (const [k, rs] of groups) {
  med.set(k, {
    rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)),
    cpu: median(rs.map((r) => r.cpu)), errors: rs.reduce((a, r) => a + r.errors, 0), n: rs.length,
  });
}
const get = (size, page, mode) => med.get(key(size, page, mode));
const sizes = [...new Set(rows.map((r) => r.size))].sort((a, b) => a - b);
const pageOrder = ['article', 'event', 'home', 'news', 'region', 'search'];
const pages = [...new Set(rows.map((r) => r.page))].sort((a, b) => pageOrder.indexOf(a) - pageOrder.indexOf(b));
const de = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).replace(/,/g, ' ') : '–');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : NaN);
const labels = { article: 'article', event: 'event', home: 'home', news: 'news list /aktuelles', region: 'region', search: 'search /suche' };

const out = [];
const cpuModel = (os.cpus()[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ');
out.push(`# Benchmark ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit}`);
out.push('');
out.push(`${os.cpus().length} cores (${cpuModel}), ${Math.round(os.totalmem() / 2 ** 30)} GiB; wrk -t2 -c${connections}, ${rounds} interleaved round(s) of ${duration} s per page and mode, medians; `
  + `load generator on the same machine; total run ${elapsed} s. Pages without Accept-Encoding (both app and nginx send identity).`);
out.push('');
out.push('| page | articles | mode | req/s | p50 ms | p99 ms | server CPU ms/req | req/s vs nginx | errors |');
out.push('|---|---:|---|---:|---:|---:|---:|---:|---:|');
for (const page of pages) {
  for (const size of sizes) {
    const nginx = get(size, page, 'nginx');
    for (const mode of ['cached', 'uncached', 'nginx']) {
      const m = get(size, page, mode);
      if (!m) continue;
      const vs = mode === 'nginx' ? '1' : de(ratio(m.rps, nginx?.rps), 2);
      out.push(`| ${labels[page] ?? page} | ${de(size)} | ${mode} | ${de(m.rps)} | ${de(m.p50, 2)} | ${de(m.p99, 2)} | ${de(m.cpu, 3)} | ${vs} | ${m.errors} |`);
    }
  }
}
out.push('');

const big = Math.max(...sizes);
const small = Math.min(...sizes);
out.push(`## Growth: ${de(big)} vs ${de(small)} articles`);
out.push('');
out.push('| page | uncached p50 | uncached p99 | cached p50 | uncached CPU ms/req |');
out.push('|---|---:|---:|---:|---:|');
for (const page of pages) {
  const u1 = get(small, page, 'uncached'); const u2 = get(big, page, 'uncached');
  const c1 = get(small, page, 'cached'); const c2 = get(big, page, 'cached');
  out.push(`| ${labels[page] ?? page} | ${de(ratio(u2?.p50, u1?.p50), 2)}x | ${de(ratio(u2?.p99, u1?.p99), 2)}x | ${de(ratio(c2?.p50, c1?.p50), 2)}x | ${de(ratio(u2?.cpu, u1?.cpu), 2)}x |`);
}
out.push('');

const targets = [];
const verdict = (ok) => (ok === null ? 'n/a' : ok ? '**pass**' : '**FAIL**');
{
  const ratios = [];
  for (const size of sizes) for (const page of pages) {
    const r = ratio(get(size, page, 'cached')?.rps, get(size, page, 'nginx')?.rps);
    if (Number.isFinite(r)) ratios.push({ r, what: `${labels[page] ?? page} @ ${de(size)}` });
  }
  ratios.sort((a, b) => a.r - b.r);
  const worst = ratios[0];
  targets.push(['cached pages ≥ 0.5x nginx req/s', worst ? `worst ${de(worst.r, 2)}x (${worst.what}), best ${de(ratios.at(-1).r, 2)}x` : '–', verdict(worst ? worst.r >= 0.5 : null)]);
}
for (const size of sizes) {
  const a = get(size, 'article', 'uncached');
  targets.push([`uncached article ≤ 0.7 ms server CPU/request (${de(size)} articles)`, a ? `${de(a.cpu, 3)} ms` : '–', verdict(a ? a.cpu <= 0.7 : null)]);
  // (NaN <= 0.7 is false: a page that never answered fails.)
}
for (const page of ['news', 'region', 'search']) {
  const u1 = get(small, page, 'uncached'); const u2 = get(big, page, 'uncached');
  const r = ratio(u2?.p50, u1?.p50);
  const measured = u1 && u2;
  targets.push([`${labels[page]} at ${de(big)} ≤ 1.5x latency at ${de(small)} (uncached p50)`,
    !measured ? 'not measured' : Number.isFinite(r) ? `${de(r, 2)}x (${de(u1.p50, 2)} → ${de(u2.p50, 2)} ms)` : `no answer within a round (${de(u1.p50, 2)} → ${de(u2.p50, 2)} ms)`,
    verdict(!measured ? null : Number.isFinite(r) && r <= 1.5)]);
}
{
  const app = [...med.entries()].filter(([k]) => !k.endsWith('|nginx')).map(([k, m]) => ({ k, p99: m.p99 }));
  const over = app.filter((x) => !(x.p99 < 50));
  const worst = app.sort((a, b) => (Number.isFinite(b.p99) ? b.p99 : Infinity) - (Number.isFinite(a.p99) ? a.p99 : Infinity))[0];
  targets.push([`p99 < 50 ms at ${connections} connections, every public page (cached and uncached)`,
    worst ? `worst ${de(worst.p99, 1)} ms (${worst.k.replace(/\|/g, ' ')}); ${over.length} of ${app.length} over` : '–', verdict(worst ? over.length === 0 : null)]);
}
{
  const mem = notes.filter((n) => n.split('|')[1] === 'memory').map((n) => { const [size, , hwm] = n.split('|'); return { size: +size, mib: +hwm / 1024 }; });
  const worst = mem.sort((a, b) => b.mib - a.mib)[0];
  targets.push(['app memory < 300 MiB under load (peak RSS, VmHWM)', mem.map((m) => `${de(m.mib)} MiB @ ${de(m.size)}`).join(', ') || '–', verdict(worst ? worst.mib < 300 : null)]);
}
if (reg) {
  targets.push([`200 simultaneous registrations: no error, p99 < 1 s (${de(big)} articles)`,
    `${reg.ok ?? 0}/${reg.count ?? 200} ok, ${reg.errors} errors, p50 ${de(reg.p50_ms)} ms, p99 ${de(reg.p99_ms)} ms, all done in ${de(reg.wall_ms)} ms`,
    verdict(reg.errors === 0 && reg.p99_ms < 1000)]);
} else {
  targets.push(['200 simultaneous registrations', 'not run', 'n/a']);
}
out.push('## Targets (issue 9)');
out.push('');
out.push('| target | measured | result |');
out.push('|---|---|---|');
for (const t of targets) out.push(`| ${t.join(' | ')} |`);
out.push('');
const skipped = notes.filter((n) => n.includes('skipped'));
if (skipped.length || reg?.sample_errors?.length) {
  out.push('Notes:');
  for (const n of skipped) { const [size, , what] = n.split('|'); out.push(`- ${what} (${de(+size)} articles)`); }
  for (const e of reg?.sample_errors ?? []) out.push(`- registration error: ${e}`);
  out.push('');
}
process.stdout.write(out.join('\n'));
