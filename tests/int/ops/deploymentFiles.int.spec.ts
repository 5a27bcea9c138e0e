import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

import { projectRoot } from '../../helpers/runScript'

/**
 * docker-compose.yml and the Dockerfile, checked without a container engine (CI has none): the invariants a new
 * operator relies on. The commands the containers run are run outside containers by
 * tests/e2e/ops/composeStack.e2e.spec.ts (migrate, start, two workers, both health checks).
 */
type Service = {
  image?: string
  build?: unknown
  command?: string[]
  profiles?: string[]
  ports?: string[]
  env_file?: string
  environment?: Record<string, string>
  depends_on?: Record<string, { condition: string }>
  healthcheck?: { test?: string[]; disable?: boolean }
  restart?: string
  volumes?: string[]
  secrets?: string[]
  container_name?: string
}
const read = (file: string) => readFileSync(path.join(projectRoot, file), 'utf8')
const composeText = read('docker-compose.yml')
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service>; secrets: Record<string, unknown> }
const services = compose.services
const packageScripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts

describe('docker-compose.yml', () => {
  it('has the whole system: replica set, Redis, MinIO with its buckets, migrate, app, worker; Prometheus and the exporter behind the monitoring profile', () => {
    expect(Object.keys(services).sort()).toEqual(['app', 'migrate', 'minio', 'minio-buckets', 'mongo', 'mongodb-exporter', 'prometheus', 'redis', 'worker'])
    expect(services.mongo.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']))
    expect(services.mongo.healthcheck?.test?.join(' ')).toContain('rs.initiate')
    expect(String(services['minio-buckets'].command ?? (services['minio-buckets'] as { entrypoint?: string }).entrypoint)).toMatch(/mc mb --ignore-existing local\/movie-platform-media local\/movie-platform-backups/)
    expect(services.prometheus.profiles).toEqual(['monitoring'])
    expect(services['mongodb-exporter'].profiles).toEqual(['monitoring'])
    for (const name of ['mongo', 'redis', 'minio', 'migrate', 'app', 'worker']) expect(services[name].profiles, name).toBeUndefined()
  })

  it('pins every image it pulls to an exact version (the app image is built here)', () => {
    for (const [name, service] of Object.entries(services)) {
      if (!service.image || service.build) continue
      expect(service.image, name).not.toMatch(/:latest$|^[^:]+$/)
      expect(service.image.split(':')[1], name).toMatch(/\d+\.\d+\.\d+|RELEASE\.\d{4}-\d{2}-\d{2}T/)
    }
  })

  it('gives every long-running service a health check; one-shot steps do not restart', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.restart === 'no') continue
      expect(service.healthcheck?.test?.length, `${name} has no health check`).toBeGreaterThan(0)
    }
    expect(services.migrate.restart).toBe('no')
    expect(services['minio-buckets'].restart).toBe('no')
  })

  it('runs the migrate step first: the app and the workers wait until it has exited 0, on the replica set, Redis and the buckets', () => {
    expect(services.migrate.command).toEqual(['npm', 'run', 'migrate'])
    expect(services.migrate.depends_on?.mongo).toEqual({ condition: 'service_healthy' })
    for (const name of ['app', 'worker']) {
      expect(services[name].depends_on?.migrate, name).toEqual({ condition: 'service_completed_successfully' })
      expect(services[name].depends_on?.redis, name).toEqual({ condition: 'service_healthy' })
      expect(services[name].depends_on?.['minio-buckets'], name).toEqual({ condition: 'service_completed_successfully' })
      expect(services[name].environment?.DATABASE_URL, name).toMatch(/replicaSet=rs0/)
      expect(services[name].environment?.REDIS_URL, name).toBe('redis://redis:6379')
      expect(services[name].environment?.BACKUP_S3_BUCKET, name).toBe('movie-platform-backups')
    }
  })

  it('builds the app and the worker from the Dockerfile, takes secrets from .env, and lets the worker scale', () => {
    for (const name of ['migrate', 'app', 'worker']) {
      expect(services[name].build, name).toBe('.')
      expect(services[name].env_file, name).toBe('.env')
    }
    expect(services.app.command).toEqual(['npm', 'start'])
    expect(services.worker.command?.slice(0, 3)).toEqual(['npm', 'run', 'worker'])
    expect(services.worker.ports).toBeUndefined()
    expect(services.worker.container_name).toBeUndefined()
    expect(services.app.healthcheck?.test).toEqual(['CMD', 'node', 'scripts/healthcheck.mjs', 'app'])
    expect(services.worker.healthcheck?.test).toEqual(['CMD', 'node', 'scripts/healthcheck.mjs', 'worker'])
  })

  it('runs only commands that exist here: npm scripts of package.json and files of the repository', () => {
    for (const name of ['migrate', 'app', 'worker']) {
      const command = services[name].command!
      const script = command[1] === 'run' ? command[2] : command[1]
      expect(packageScripts[script], `${name}: npm ${command.join(' ')}`).toBeDefined()
    }
    expect(read('scripts/healthcheck.mjs')).toContain("kind === 'worker'")
  })

  it('loads our alert rules into Prometheus, with the metrics token as a secret from .env', () => {
    expect(services.prometheus.volumes).toEqual(expect.arrayContaining(['./monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro', './monitoring/alerts.rules.yml:/etc/prometheus/alerts.rules.yml:ro']))
    const prometheus = parse(read('monitoring/prometheus.yml')) as { rule_files: string[]; scrape_configs: { job_name: string; metrics_path?: string; authorization?: { credentials_file: string } }[] }
    expect(prometheus.rule_files).toEqual(['/etc/prometheus/alerts.rules.yml'])
    const app = prometheus.scrape_configs.find((config) => config.job_name === 'app')!
    expect(app.metrics_path).toBe('/api/metrics')
    expect(app.authorization?.credentials_file).toBe('/run/secrets/metrics_token')
    expect(services.prometheus.secrets).toEqual(['metrics_token'])
    expect(compose.secrets.metrics_token).toEqual({ environment: 'METRICS_TOKEN' })
    expect(prometheus.scrape_configs.map((config) => config.job_name)).toEqual(['app', 'mongodb'])
  })

  it('names in .env.example every variable it takes from the environment', () => {
    const example = read('.env.example')
    const used = new Set([...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((match) => match[1]))
    used.add('METRICS_TOKEN') // the secrets' source
    for (const name of used) expect(example, name).toMatch(new RegExp(`^#? ?${name}=`, 'm'))
  })

  // Where a Compose v2 CLI exists (not in CI here), its own check of the file as well.
  const composeCli = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0
  it.runIf(composeCli)('docker compose config accepts it', () => {
    const result = spawnSync('docker', ['compose', '--env-file', '.env.example', 'config', '--quiet'], { cwd: projectRoot, encoding: 'utf8', env: { ...process.env, MINIO_ROOT_PASSWORD: 'x' } })
    expect(result.status, result.stderr).toBe(0)
  })
})

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile')
  const dockerignore = read('.dockerignore').split('\n')

  it('builds from the lockfile on a pinned Node image, then runs next start as an unprivileged user', () => {
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1])
    expect(bases.length).toBeGreaterThan(0)
    for (const base of bases) expect(base).toMatch(/^node:\d+\.\d+\.\d+-/)
    expect(dockerfile).toMatch(/COPY package\.json package-lock\.json \.\/\nRUN npm ci/)
    expect(dockerfile).toMatch(/^RUN npm run build$/m)
    expect(dockerfile).toMatch(/^USER node$/m)
    expect(dockerfile).toMatch(/^CMD \["npm", "start"\]$/m)
    expect(dockerfile).toMatch(/^HEALTHCHECK .*scripts\/healthcheck\.mjs", "app"\]$/m)
  })

  it('keeps secrets, local data and host builds out of the image', () => {
    for (const entry of ['.env', '.env.*', 'node_modules', '.next', '.data', '.cache', 'media', 'backups']) expect(dockerignore).toContain(entry)
    expect(dockerignore).toContain('!.env.example')
  })
})
