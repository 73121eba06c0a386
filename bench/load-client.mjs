// Open-loop load client for the decision and health benchmarks (POST of order bodies, or GET): sends at a fixed rate whatever the server does, and
// measures each latency from the moment the request was due (so a stall is not hidden).
import http from 'node:http';

const input = JSON.parse(
  await new Promise((res) => {
    let s = '';
    process.stdin.on('data', (d) => (s += d));
    process.stdin.on('end', () => res(s));
  }),
);
// `offset` numbers the ids on from an earlier run, so a run after another sends no repeated id.
const { url, key, rate, seconds, bodies, warmup = 0, method = 'POST', offset = 0 } = input;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const u = new URL(url);
// The first `warmup` seconds are sent but not measured (connections open, JIT settles).
const skip = rate * warmup;
// SIGTERM ends the run early: nothing more is sent, and the answers still awaited are measured.
let total = rate * (seconds + warmup);
const lat = [];
let ok = 0;
let errors = 0;
let done = 0;
const start = performance.now();

function send(i) {
  const due = start + (i * 1000) / rate;
  let body = '';
  if (method === 'POST') {
    const e = JSON.parse(bodies[i % bodies.length]);
    e.id = `bench-${offset + i}`;
    e.data.order_id = `bench-order-${offset + i}`;
    body = JSON.stringify(e);
  }
  const req = http.request(
    {
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      method,
      agent,
      headers:
        method === 'POST'
          ? {
              authorization: `Bearer ${key}`,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            }
          : {},
    },
    (res) => {
      res.resume();
      res.on('end', () => {
        if (i >= skip) lat.push(performance.now() - due);
        if (res.statusCode === 200) ok++;
        else errors++;
        if (++done === total) finish();
      });
    },
  );
  req.on('error', () => {
    errors++;
    if (++done === total) finish();
  });
  req.end(body);
}

let next = 0;
function tick() {
  const now = performance.now();
  while (next < total && start + (next * 1000) / rate <= now) send(next++);
  if (next < total) setTimeout(tick, 1);
}
tick();
process.on('SIGTERM', () => {
  total = next;
  if (done >= total) finish();
});

let finished = false;
function finish() {
  if (finished) return;
  finished = true;
  const elapsed = (performance.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  process.stdout.write(
    JSON.stringify({
      sent: total,
      ok,
      errors,
      p50: q(0.5),
      p99: q(0.99),
      max: lat[lat.length - 1],
      achieved: total / elapsed,
    }),
  );
  agent.destroy();
}
