// pg-boss baseline for build/bench.sh: N jobs with a no-op handler, W local workers, on the same PostgreSQL.
// Prints {"jobs", "workers", "seconds", "jobsPerSecond"}; the clock stops when the database shows N completed jobs.
import { PgBoss } from 'pg-boss';
import pg from 'pg';
import { readFileSync } from 'node:fs';

const [connectionString, jobsText, workersText, roundsText] = process.argv.slice(2);
const jobs = Number(jobsText);
const workers = Number(workersText);
const schema = 'pgboss_bench';
const noop = async () => {};
const boss = new PgBoss({ connectionString, schema, max: workers + 2 });
boss.on('error', (error) => console.error(error));
await boss.start();
await boss.createQueue('bench');
const insert = async (count) => {
  for (let i = 0; i < count; i += 1000) {
    await boss.insert('bench', Array.from({ length: Math.min(1000, count - i) }, (_, k) => ({ data: { i: i + k } })));
  }
};
const client = new pg.Client({ connectionString });
await client.connect();
const completed = async (count) => {
  for (;;) {
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${schema}.job WHERE name = 'bench' AND state = 'completed'`);
    if (rows[0].n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
// batchSize 1 makes each worker wait a polling interval (0.5 s minimum) between jobs; batches of 10 fetched back to back
// while they come back full (burstWhenBatchFull) are pg-boss's
// best throughput setting. Each worker still handles one job at a time, so the concurrency equals the platform's.
await boss.work('bench', { batchSize: 10, burstWhenBatchFull: true, localConcurrency: workers, pollingIntervalSeconds: 0.5 }, async (batch) => {
  for (const job of batch) await noop(job);
});
// The same protocol as the platform's (bench/MediaPlatform.Bench): a warm-up in rounds of 500 jobs, each followed by a
// 300 ms pause, as many rounds as the platform's took to reach a steady state (its warmUpRounds, given by
// build/bench.sh; 1 when not given), then the clock starts and the jobs are inserted.
const warmUpJobs = 500;
const warmUpRounds = Math.max(1, Number(roundsText ?? 1));
for (let round = 1; round <= warmUpRounds; round += 1) {
  await insert(warmUpJobs);
  await completed(round * warmUpJobs);
  await new Promise((resolve) => setTimeout(resolve, 300));
}
const warmUp = warmUpJobs * warmUpRounds;
// Where the time went: this process's CPU and the whole machine's (the rest is PostgreSQL's, on this quiet machine).
const machineBusy = () => {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    return [1, 2, 3, 6, 7].reduce((sum, i) => sum + Number(fields[i]), 0) / 100;
  } catch {
    return 0;
  }
};
const busyBefore = machineBusy();
const cpuBefore = process.cpuUsage();
const started = performance.now();
await insert(jobs);
await completed(warmUp + jobs);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
console.log(JSON.stringify({
  jobs, workers, warmUpRounds, seconds: Number(seconds.toFixed(3)), jobsPerSecond: Number((jobs / seconds).toFixed(1)),
  clientCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)), machineCpuSeconds: Number((machineBusy() - busyBefore).toFixed(3)),
}));
await client.end();
await boss.stop({ graceful: false, wait: true });
