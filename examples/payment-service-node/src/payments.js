// payment-service's business rules, free of messaging: holds on cards against each card's credit limit. The same
// rules as the reference participant (docs/messaging-contract.md, section 8): a declined card, an
// unknown card, an order in another currency than the cards', or a total that would take the card's amounts held now
// past its limit are refused; a released hold gives its amount back. Deciding changes nothing: the decision's effect
// is applied once it is durable in the memory topic.
import { formatMoney, parseMoney } from './money.js'

export class Payments {
  constructor ({ creditLimits, declinedCards, currency }) {
    this.limits = new Map([...creditLimits].map(([card, limit]) => [card, parseMoney(limit)]))
    this.declinedCards = declinedCards
    this.currency = currency
    this.holdsByOrder = new Map()
    this.heldByCard = new Map()
  }

  decideHold (order) {
    const card = order.cardToken
    const amount = parseMoney(order.total)
    if (this.declinedCards.has(card)) {
      return refused('card-declined', 'card declined')
    }
    const limit = this.limits.get(card)
    if (limit === undefined) {
      return refused('unknown-card', 'unknown card token')
    }
    if (order.currency !== this.currency) {
      return refused('currency-not-accepted', `cards are held in ${this.currency}, the order is in ${order.currency}`)
    }
    const after = (this.heldByCard.get(card) ?? 0n) + amount
    if (after > limit) {
      return refused('credit-limit-exceeded', `credit limit exceeded: ${formatMoney(after)} > ${formatMoney(limit)}`)
    }
    return {
      outcome: 'SUCCESS',
      effect: { hold: { orderId: order.orderId, card, amount: formatMoney(amount), currency: order.currency } }
    }
  }

  decideRelease (orderId) {
    const hold = this.holdsByOrder.get(orderId)
    if (hold === undefined || hold.released) {
      return { outcome: 'SUCCESS', reason: 'nothing held' }
    }
    return { outcome: 'SUCCESS', effect: { release: { orderId } } }
  }

  apply (effect) {
    if (effect?.hold) {
      const { orderId, card, amount } = effect.hold
      this.holdsByOrder.set(orderId, { card, amount: parseMoney(amount), released: false })
      this.heldByCard.set(card, (this.heldByCard.get(card) ?? 0n) + parseMoney(amount))
    } else if (effect?.release) {
      const hold = this.holdsByOrder.get(effect.release.orderId)
      if (hold !== undefined && !hold.released) {
        hold.released = true
        this.heldByCard.set(hold.card, this.heldByCard.get(hold.card) - hold.amount)
      }
    }
  }
}

function refused (reasonCode, reason) {
  return { outcome: 'FAILURE', reasonCode, reason }
}
