// The contract's rules every participant keeps, around the payment rules (docs/messaging-contract.md, section 5):
// a command already answered gets its first reply again and applies nothing; an undo that came before its do is
// remembered and the late do refused; a command that is not payment-service's is answered unsupported-command, one
// without the whole order invalid-command. Every answer is final (this service has no transient faults of its own: a
// Kafka error fails the record, which is then read and handled again).
import { parseMoney } from './money.js'

const HOLD = 'HoldPayment'
const RELEASE = 'ReleasePayment'

export class PaymentParticipant {
  constructor (payments, participant, clock = () => new Date()) {
    this.payments = payments
    this.participant = participant
    this.clock = clock
    this.firstAnswers = new Map()
    this.releasedSagas = new Set()
  }

  /** The first answer to this correlation id, if it was answered. */
  remembered (correlationId) {
    return this.firstAnswers.get(correlationId)
  }

  /** The answer to a command not answered before: its reply, and the effect to apply once it is durable. */
  decide (command) {
    let decision
    const invalid = problem(command)
    if (command.type !== HOLD && command.type !== RELEASE) {
      decision = refused('unsupported-command', `unsupported command ${command.type} at ${this.participant}`)
    } else if (invalid) {
      decision = refused('invalid-command', invalid)
    } else if (command.type === RELEASE) {
      decision = { ...this.payments.decideRelease(command.order.orderId), releasedSaga: command.sagaId }
    } else if (this.releasedSagas.has(command.sagaId)) {
      decision = refused('already-compensated', 'hold-payment was already compensated')
    } else {
      decision = this.payments.decideHold(command.order)
    }
    const reply = {
      correlationId: command.correlationId,
      sagaId: command.sagaId,
      orderId: orderIdOf(command),
      commandType: command.type,
      outcome: decision.outcome,
      reasonCode: decision.reasonCode,
      reason: decision.reason,
      retryable: false,
      participant: this.participant,
      at: this.clock().toISOString()
    }
    return { reply, effect: decision.effect, releasedSaga: decision.releasedSaga }
  }

  /** Makes an answer part of the state: when it is durable, and again for every answer read back at start-up. */
  remember (answer) {
    this.firstAnswers.set(answer.reply.correlationId, answer)
    if (answer.releasedSaga) {
      this.releasedSagas.add(answer.releasedSaga)
    }
    this.payments.apply(answer.effect)
  }
}

/** The order a reply is keyed by: the order's id, or the saga id (equal to it) when the order is missing. */
export function orderIdOf (command) {
  return typeof command.order?.orderId === 'string' && command.order.orderId !== ''
    ? command.order.orderId
    : command.sagaId
}

function problem (command) {
  const order = command.order
  if (order === null || typeof order !== 'object') {
    return 'the command carries no order, or one that cannot be read'
  }
  for (const field of ['orderId', 'currency', 'cardToken']) {
    if (typeof order[field] !== 'string' || order[field].trim() === '') {
      return 'the order lacks its orderId, currency, cardToken or total'
    }
  }
  if (parseMoney(order.total) === null) {
    return 'the order lacks its orderId, currency, cardToken or total'
  }
  if (!Array.isArray(order.items) || order.items.length === 0) {
    return 'the order has no items'
  }
  return null
}

function refused (reasonCode, reason) {
  return { outcome: 'FAILURE', reasonCode, reason }
}
