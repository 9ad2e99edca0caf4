// Settings, from environment variables, each with the default the reference payment-service has
// (config/application.properties of the orchestrator's repository).
import { readFileSync } from 'node:fs'
import os from 'node:os'

function setting (name, fallback) {
  const value = process.env[name]
  return value === undefined || value === '' ? fallback : value
}

/** cardToken:creditLimit,... */
function creditLimits (spec) {
  const limits = new Map()
  for (const entry of spec.split(',').map(s => s.trim()).filter(Boolean)) {
    const [card, limit, extra] = entry.split(':')
    if (!card || !limit || extra !== undefined) {
      throw new Error(`CREDIT_LIMITS: each entry must be cardToken:creditLimit, was '${entry}'`)
    }
    limits.set(card, limit)
  }
  return limits
}

/** The Kafka client's connection and security: PLAINTEXT by default, SASL_SSL with SCRAM for production. */
function kafkaClient () {
  const protocol = setting('KAFKA_SECURITY_PROTOCOL', 'PLAINTEXT')
  const client = {
    clientId: setting('KAFKA_CLIENT_ID', 'payment-service-node'),
    brokers: setting('KAFKA_BOOTSTRAP_SERVERS', '127.0.0.1:9092').split(',').map(s => s.trim())
  }
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    const ca = setting('KAFKA_SSL_CA_FILE', null)
    client.ssl = ca ? { ca: [readFileSync(ca, 'utf8')] } : true
  }
  if (protocol === 'SASL_SSL' || protocol === 'SASL_PLAINTEXT') {
    client.sasl = {
      mechanism: setting('KAFKA_SASL_MECHANISM', 'SCRAM-SHA-512').toLowerCase(),
      username: setting('KAFKA_SASL_USERNAME', ''),
      password: setting('KAFKA_SASL_PASSWORD', '')
    }
  }
  return client
}

export function loadConfig () {
  const groupId = setting('GROUP_ID', 'payment-service')
  return {
    participant: 'payment-service',
    kafka: kafkaClient(),
    commandTopic: setting('COMMAND_TOPIC', 'order-saga.commands.payment-service'),
    groupId,
    // the first replies, kept for as long as an order may be compensated: for ever (a compacted topic keeps the
    // newest record of each key, and each key is one correlation id, answered once)
    memoryTopic: setting('MEMORY_TOPIC', 'payment-service.memory'),
    // -1: the broker's default.replication.factor
    memoryReplicationFactor: Number(setting('MEMORY_REPLICATION_FACTOR', '-1')),
    // the memory is read back by a consumer group of its own per process, which commits nothing
    memoryReplayGroupId: `${groupId}.memory-replay.${os.hostname()}.${process.pid}`,
    creditLimits: creditLimits(setting('CREDIT_LIMITS', 'tok_visa:10000.00,tok_low:50.00')),
    declinedCards: new Set(setting('DECLINED_CARDS', 'tok_declined').split(',').map(s => s.trim()).filter(Boolean)),
    currency: setting('CURRENCY', 'EUR')
  }
}
