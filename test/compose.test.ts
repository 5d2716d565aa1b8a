/**
 * docker-compose.yml, checked without a Docker engine: every service is there with a pinned image,
 * ports and start order hold together, and the worker and app get exactly the settings
 * common/config.ts reads. `docker compose config` runs too where the tool exists.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig, projectRoot, type Env } from '../common/config';

interface Service {
  image?: string;
  build?: string;
  container_name?: string;
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  command?: string[];
}

const composeFile = path.join(projectRoot, 'docker-compose.yml');
const compose = parse(readFileSync(composeFile, 'utf8'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const { services } = compose;

/** Compose's `${NAME:-default}` with nothing set in the shell: the defaults. */
const interpolate = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
const environmentOf = (name: string): Env =>
  Object.fromEntries(Object.entries(services[name].environment ?? {}).map(([key, value]) => [key, interpolate(String(value))]));

/** Every variable loadConfig reads, learnt by watching it read an empty environment. */
function variablesConfigReads(): Set<string> {
  const read = new Set<string>();
  loadConfig(
    new Proxy({} as Env, {
      get(_target, name) {
        if (typeof name === 'string') read.add(name);
        return undefined;
      },
    }),
  );
  return read;
}

test('every service of the stack is there, each image pinned to a version', () => {
  expect(Object.keys(services).sort()).toEqual(
    ['app', 'mailpit', 'postgresql', 'temporal', 'temporal-namespace', 'temporal-schema', 'temporal-ui', 'worker'].sort(),
  );
  expect(services.temporal.image).toMatch(/^temporalio\/server:\d+\.\d+\.\d+$/);
  expect(services['temporal-schema'].image).toMatch(/^temporalio\/admin-tools:\d+\.\d+\.\d+$/);
  expect(services['temporal-ui'].image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
  expect(services.postgresql.image).toMatch(/^postgres:\d+/);
  expect(services.mailpit.image).toMatch(/^axllent\/mailpit:v\d+/);
  for (const name of ['worker', 'app']) expect(services[name]).toMatchObject({ build: '.', image: 'quiz-code-jobs' });
  const dockerfile = readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8');
  // glibc, for the Temporal native bridge, sharp and better-sqlite3.
  expect(dockerfile.match(/^FROM (\S+)/gm)).toEqual(['FROM node:20-bookworm-slim', 'FROM node:20-bookworm-slim']);
  expect(services.worker.command).toEqual(['node_modules/.bin/tsx', 'workers/main.ts']);
  expect(services.app.command).toEqual(['node_modules/.bin/tsx', 'app/main.ts']);
});

test('published ports: app 8000, Web UI 8080, Mailpit 8025, Temporal 7233; the worker can be scaled', () => {
  const published = Object.fromEntries(Object.entries(services).map(([name, service]) => [name, service.ports ?? []]));
  expect(published).toEqual({
    app: ['8000:8000'],
    'temporal-ui': ['8080:8080'],
    mailpit: ['8025:8025'],
    temporal: ['7233:7233'],
    postgresql: [],
    'temporal-schema': [],
    'temporal-namespace': [],
    worker: [],
  });
  // `--scale worker=N` needs no fixed name and no host port.
  for (const service of Object.values(services)) expect(service.container_name).toBeUndefined();
  expect(loadConfig(environmentOf('app')).app).toMatchObject({ host: '0.0.0.0', port: 8000 });
  expect(services.app.healthcheck?.test.join(' ')).toContain('http://127.0.0.1:8000/health');
});

test('start order: everything waits on health checks or finished set-up steps that exist', () => {
  for (const [name, service] of Object.entries(services)) {
    for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
      expect(services[dependency]).toBeDefined();
      if (condition === 'service_healthy') expect({ name, dependency, healthcheck: services[dependency].healthcheck }).toEqual({ name, dependency, healthcheck: expect.anything() });
      else expect({ name, dependency, condition }).toEqual({ name, dependency, condition: 'service_completed_successfully' });
    }
  }
  expect(services.temporal.depends_on).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' } });
  for (const name of ['worker', 'app']) {
    expect(services[name].depends_on).toMatchObject({
      'temporal-namespace': { condition: 'service_completed_successfully' },
      postgresql: { condition: 'service_healthy' },
    });
  }
});

test('the worker and app get only settings common/config.ts reads, the required ones among them, and they point at the stack', () => {
  const known = variablesConfigReads();
  expect(known).toContain('TEMPORAL_ADDRESS'); // the watch itself works
  for (const name of ['worker', 'app']) {
    const env = environmentOf(name);
    expect({ service: name, unknown: Object.keys(env).filter((key) => !known.has(key)) }).toEqual({ service: name, unknown: [] });
    for (const required of ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE', 'DATABASE_URL', 'SMTP_URL', 'QUIZ_VAR_DIR']) {
      expect({ service: name, required, set: Boolean(env[required]) }).toEqual({ service: name, required, set: true });
    }
    const config = loadConfig(env);
    const temporalHost = config.temporal.address.split(':')[0];
    expect(services[temporalHost].ports).toContain(`${config.temporal.address.split(':')[1]}:7233`);
    expect(new URL(config.database.url!).hostname).toBe('postgresql');
    expect(new URL(config.mail.smtpUrl!)).toMatchObject({ hostname: 'mailpit', port: '1025' });
    // Uploads written by the app are read by the workers: both mount one volume at the var folder.
    expect(services[name].volumes).toEqual([`quiz-files:${config.paths.varDir}`]);
  }
  expect(compose.volumes).toHaveProperty('quiz-files');
  // The app's database is the one PostgreSQL creates on first start.
  expect(new URL(loadConfig(environmentOf('app')).database.url!).pathname).toBe(`/${services.postgresql.environment!.POSTGRES_DB}`);
});

test('docker compose config accepts the file (where the tool is installed)', () => {
  const version = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  if (version.status !== 0) {
    process.stderr.write(`docker compose is not available here (${(version.stderr || String(version.error)).trim()}); only the checks above ran\n`);
    return;
  }
  const config = spawnSync('docker', ['compose', '-f', composeFile, 'config', '--quiet'], { encoding: 'utf8' });
  expect({ status: config.status, stderr: config.stderr }).toEqual({ status: 0, stderr: '' });
});
