// The payment rules and the contract's rules, without Kafka (npm test). The conformance kit checks the running
// service over Kafka.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { PaymentParticipant } from '../src/participant.js'
import { Payments } from '../src/payments.js'

const payments = () => new Payments({
  creditLimits: new Map([['tok_low', '50.00']]),
  declinedCards: new Set(['tok_declined']),
  currency: 'EUR'
})

function command (type, sagaId, card, total, currency = 'EUR') {
  const step = 'hold-payment:' + (type === 'HoldPayment' ? 'do' : 'undo')
  return {
    type,
    sagaId,
    correlationId: `${sagaId}:${step}`,
    order: { orderId: sagaId, currency, cardToken: card, total, items: [{ sku: 'X', quantity: 1, unitPrice: total }] }
  }
}

function handle (participant, cmd) {
  const first = participant.remembered(cmd.correlationId)
  if (first) return first.reply
  const answer = participant.decide(cmd)
  participant.remember(answer)
  return answer.reply
}

test('the credit limit is cumulative and a release gives the amount back', () => {
  const p = new PaymentParticipant(payments(), 'payment-service')
  assert.equal(handle(p, command('HoldPayment', 'a', 'tok_low', '30.00')).outcome, 'SUCCESS')
  assert.equal(handle(p, command('HoldPayment', 'b', 'tok_low', '20.01')).reasonCode, 'credit-limit-exceeded')
  assert.equal(handle(p, command('ReleasePayment', 'a', 'tok_low', '30.00')).outcome, 'SUCCESS')
  assert.equal(handle(p, command('HoldPayment', 'c', 'tok_low', '50.00')).outcome, 'SUCCESS')
})

test('a repeat gets the first reply and applies nothing twice', () => {
  const p = new PaymentParticipant(payments(), 'payment-service')
  const first = handle(p, command('HoldPayment', 'a', 'tok_low', '30.00'))
  assert.deepEqual(handle(p, command('HoldPayment', 'a', 'tok_low', '30.00')), first)
  assert.equal(handle(p, command('HoldPayment', 'b', 'tok_low', '20.00')).outcome, 'SUCCESS')
})

test('an undo before its do is remembered and the late do refused', () => {
  const p = new PaymentParticipant(payments(), 'payment-service')
  assert.equal(handle(p, command('ReleasePayment', 'a', 'tok_low', '10.00')).reason, 'nothing held')
  assert.equal(handle(p, command('HoldPayment', 'a', 'tok_low', '10.00')).reasonCode, 'already-compensated')
})

test('refusals: declined, unknown card, another currency, no order, not a payment command', () => {
  const p = new PaymentParticipant(payments(), 'payment-service')
  assert.equal(handle(p, command('HoldPayment', 'a', 'tok_declined', '1.00')).reasonCode, 'card-declined')
  assert.equal(handle(p, command('HoldPayment', 'b', 'tok_nobody', '1.00')).reasonCode, 'unknown-card')
  assert.equal(handle(p, command('HoldPayment', 'c', 'tok_low', '1.00', 'USD')).reasonCode, 'currency-not-accepted')
  assert.equal(handle(p, { ...command('HoldPayment', 'd', 'tok_low', '1.00'), order: undefined }).reasonCode,
    'invalid-command')
  assert.equal(handle(p, { ...command('HoldPayment', 'e', 'tok_low', '1.00'), type: 'ShipIt' }).reasonCode,
    'unsupported-command')
})
