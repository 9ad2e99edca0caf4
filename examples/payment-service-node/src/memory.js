// The service's memory: every answer (its reply and the effect it had) in a compacted Kafka topic, keyed by
// correlation id. An answer is written there, and acknowledged by the in-sync replicas, before its effect is applied
// and its reply sent; at start-up the whole topic is read back, in order, to rebuild the holds, the first replies and
// the undone steps. One partition: the order of the records is the order they were answered in.
const COMPACTED = [{ name: 'cleanup.policy', value: 'compact' }]

export class Memory {
  constructor (kafka, producer, { memoryTopic, memoryReplicationFactor, memoryReplayGroupId }) {
    this.kafka = kafka
    this.producer = producer
    this.topic = memoryTopic
    this.replicationFactor = memoryReplicationFactor
    this.replayGroupId = memoryReplayGroupId
  }

  /** Creates the topic when missing, then hands every answer it holds to onAnswer, oldest first; resolves to how many. */
  async replay (onAnswer) {
    const admin = this.kafka.admin()
    await admin.connect()
    let ends
    try {
      // asked only when missing: the broker answers an existing one with an error that kafkajs logs
      if (!(await admin.listTopics()).includes(this.topic)) {
        await admin.createTopics({
          topics: [{ topic: this.topic, numPartitions: 1, replicationFactor: this.replicationFactor, configEntries: COMPACTED }],
          waitForLeaders: true
        })
      }
      ends = await admin.fetchTopicOffsets(this.topic)
    } finally {
      await admin.disconnect()
    }
    const pending = new Map(ends.filter(p => BigInt(p.high) > BigInt(p.low)).map(p => [p.partition, BigInt(p.high) - 1n]))
    if (pending.size === 0) {
      return 0
    }
    let replayed = 0
    const consumer = this.kafka.consumer({ groupId: this.replayGroupId })
    await consumer.connect()
    try {
      await consumer.subscribe({ topics: [this.topic], fromBeginning: true })
      await new Promise((resolve, reject) => {
        consumer.run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (message.value !== null) {
              onAnswer(JSON.parse(message.value.toString('utf8')))
              replayed++
            }
            if (pending.has(partition) && BigInt(message.offset) >= pending.get(partition)) {
              pending.delete(partition)
              if (pending.size === 0) {
                resolve()
              }
            }
          }
        }).catch(reject)
      })
    } finally {
      await consumer.disconnect()
    }
    return replayed
  }

  /** Resolves once the answer is durable. */
  async record (answer) {
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: [{ key: answer.reply.correlationId, value: JSON.stringify(answer) }]
    })
  }
}
