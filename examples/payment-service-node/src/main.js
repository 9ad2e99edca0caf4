// payment-service in Node.js: reads its commands from Kafka, answers each on the topic its reply-to header names,
// keyed by order id with kafkajs's DefaultPartitioner (murmur2 of the key, sign bit cleared, modulo the partition
// count: the Java client's default, which the orchestrator's replicas rely on to find the replies of their sagas).
import kafkajs from 'kafkajs'

import { HEADERS, readCommand } from './commands.js'
import { loadConfig } from './config.js'
import { Memory } from './memory.js'
import { PaymentParticipant } from './participant.js'
import { Payments } from './payments.js'

const { Kafka, Partitioners, logLevel } = kafkajs

const config = loadConfig()
const log = (...words) => console.log(new Date().toISOString(), '[payment-service-node]', ...words)
const kafka = new Kafka({ ...config.kafka, logLevel: logLevel.WARN })
// set explicitly: the Java-compatible murmur2 partitioner (kafkajs 2's default, and no warning about it)
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false })
const consumer = kafka.consumer({ groupId: config.groupId })
const participant = new PaymentParticipant(new Payments(config), config.participant)
const memory = new Memory(kafka, producer, config)

async function answer ({ message }) {
  const read = readCommand(message)
  if (read.skip) {
    log(`skipped a record that is not a command it can answer (${read.skip})`)
    return
  }
  const { command, replyTo } = read
  let first = participant.remembered(command.correlationId)
  if (first === undefined) {
    const decided = participant.decide(command)
    // durable before it takes effect or is told: an error here fails the record, which is then handled afresh
    await memory.record(decided)
    participant.remember(decided)
    first = decided
  }
  const reply = first.reply
  await producer.send({
    topic: replyTo,
    acks: -1,
    messages: [{
      key: reply.orderId,
      value: JSON.stringify(reply),
      headers: {
        [HEADERS.sagaId]: reply.sagaId,
        [HEADERS.correlationId]: reply.correlationId,
        [HEADERS.commandType]: String(reply.commandType)
      }
    }]
  })
}

async function start () {
  await producer.connect()
  const replayed = await memory.replay(answer => participant.remember(answer))
  log(`${replayed} answer(s) read back from ${config.memoryTopic}`)
  consumer.on(consumer.events.GROUP_JOIN, event => log(`joined group ${event.payload.groupId}, ready`))
  await consumer.connect()
  await consumer.subscribe({ topics: [config.commandTopic], fromBeginning: true })
  await consumer.run({ eachMessage: answer })
}

async function stop (signal) {
  log(`${signal}: stopping`)
  await consumer.disconnect().catch(() => {})
  await producer.disconnect().catch(() => {})
  process.exit(0)
}

process.on('SIGTERM', () => stop('SIGTERM'))
process.on('SIGINT', () => stop('SIGINT'))
start().catch(error => {
  log('could not start:', error)
  process.exit(1)
})
